/**
 * The Microsoft 365 Agents Playground as a process, for `npm run dev` and the
 * browser tests (test/support/playground.ts adds the browser): its config file, starting it, and
 * a proxy between it and the bot.
 *
 * What the playground (0.2.28) does, and what that means here:
 * - One team (General + one more channel), a personal chat and a group chat, named by a config
 *   file (`.m365agentsplayground.yml`, schema 0.1.1, from `PLAYGROUND_SETUP`; exactly five
 *   other users, at most one channel besides General). Its path can be given with
 *   `M365_AGENTS_PLAYGROUND_CONFIG_PATH`.
 * - It sends `installationUpdate` + `conversationUpdate` (membersAdded) for the personal chat when
 *   the page loads, and for the team the first time one of its channels is opened, in that
 *   channel. The two arrive at the same moment. History lives in the page: a reload shows empty
 *   chats, and a bot that already knows the team does not welcome it again.
 * - Every activity says `locale: "en-US"` (hard-coded in the playground). The proxy here rewrites
 *   it to the locale asked for, as a Teams client set to Swedish would send it.
 * - The bot answers through the playground's Bot Connector at `/_connector` (the activities'
 *   `serviceUrl`), so replies, updates and proactive posts show in the UI.
 * - It listens on the port asked for, or on a random one when that is taken: read the port from
 *   its "Listening on <port>" line. `--disable-telemetry` keeps it from phoning home.
 */
import { spawnChild, type Child } from './child';
import * as fs from 'node:fs';
import * as http from 'node:http';
import * as os from 'node:os';
import * as path from 'node:path';
import { readEnvironment } from '../config/config';
import { freePort } from '../storage/azurite';

// ---------------------------------------------------------------------------------------------
// The playground's configuration: who the user is, what the team and channels are called
// ---------------------------------------------------------------------------------------------

export interface PlaygroundUser {
  id: string;
  name: string;
  givenName: string;
  surname: string;
  /** Also the e-mail address. */
  upn: string;
  aadObjectId: string;
}

export interface PlaygroundSetup {
  tenantId: string;
  bot: { id: string; name: string };
  currentUser: PlaygroundUser;
  /** The playground wants exactly five other users (members of the group chat and the team). */
  users: [PlaygroundUser, PlaygroundUser, PlaygroundUser, PlaygroundUser, PlaygroundUser];
  personalChatId: string;
  groupChat: { id: string; name: string };
  /** The one team. Its General channel's id is the team id; the playground allows one more channel. */
  team: { id: string; name: string; aadGroupId: string; channel: { id: string; name: string } };
}

const user = (n: number, givenName: string, surname: string): PlaygroundUser => {
  const local = `${givenName}.${surname}`
    .toLowerCase()
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '');
  return {
    id: `29:playground-user-${n}`,
    name: `${givenName} ${surname}`,
    givenName,
    surname,
    upn: `${local}@harnosand.example`,
    aadObjectId: `00000000-0000-4000-8000-0000000000${String(20 + n).padStart(2, '0')}`,
  };
};

/** The bot in the program office's team, with a channel for the housing team. */
export const PLAYGROUND_SETUP: Readonly<PlaygroundSetup> = Object.freeze<PlaygroundSetup>({
  tenantId: '00000000-0000-4000-8000-000000000001',
  bot: { id: '28:00000000-0000-4000-8000-0000000000b0', name: 'Kraftsamla' },
  currentUser: user(0, 'Anna', 'Ström'),
  users: [
    user(1, 'Erik', 'Lindqvist'),
    user(2, 'Sara', 'Nyberg'),
    user(3, 'Johan', 'Berglund'),
    user(4, 'Maria', 'Ek'),
    user(5, 'Lars', 'Holm'),
  ],
  personalChatId: 'a:playground-personal-chat',
  groupChat: { id: '19:playground-group-chat@thread.v2', name: 'Programkontorets ledning' },
  team: {
    id: '19:programkontoret@thread.tacv2',
    name: 'Programkontoret',
    aadGroupId: '00000000-0000-4000-8000-000000000031',
    channel: { id: '19:bostader@thread.tacv2', name: 'Bostäder' },
  },
});

/** The file name the playground (and the Agents Toolkit) reads from the working directory. */
export const PLAYGROUND_CONFIG_FILE = '.m365agentsplayground.yml';

/** The playground's config file (schema 0.1.1) for a setup. Strings are JSON-quoted: valid YAML. */
export function playgroundConfigYaml(setup: PlaygroundSetup = PLAYGROUND_SETUP): string {
  const q = (s: string) => JSON.stringify(s);
  const userLines = (u: PlaygroundUser, indent: string, first: string) => [
    `${first}id: ${q(u.id)}`,
    `${indent}name: ${q(u.name)}`,
    `${indent}userPrincipleName: ${q(u.upn)}`,
    `${indent}aadObjectId: ${q(u.aadObjectId)}`,
    `${indent}givenName: ${q(u.givenName)}`,
    `${indent}surname: ${q(u.surname)}`,
    `${indent}email: ${q(u.upn)}`,
  ];
  return [
    '# Microsoft 365 Agents Playground: who you are and where the bot lives (config schema 0.1.1).',
    '# Generated from PLAYGROUND_SETUP in scripts/playground.ts; the dev browser test checks',
    '# that this file matches it. `npm run dev` starts the playground with this file.',
    'version: "0.1.1"',
    `tenantId: ${q(setup.tenantId)}`,
    'bot:',
    `  id: ${q(setup.bot.id)}`,
    `  name: ${q(setup.bot.name)}`,
    'currentUser:',
    ...userLines(setup.currentUser, '  ', '  '),
    'users:',
    ...setup.users.flatMap((u) => userLines(u, '    ', '  - ')),
    'personalChat:',
    `  id: ${q(setup.personalChatId)}`,
    'groupChat:',
    `  id: ${q(setup.groupChat.id)}`,
    `  name: ${q(setup.groupChat.name)}`,
    'team:',
    `  id: ${q(setup.team.id)}`,
    `  name: ${q(setup.team.name)}`,
    `  aadGroupId: ${q(setup.team.aadGroupId)}`,
    '  channels:',
    `    - id: ${q(setup.team.channel.id)}`,
    `      name: ${q(setup.team.channel.name)}`,
    '',
  ].join('\n');
}

function playgroundCli(): string {
  return path.join(path.dirname(require.resolve('@microsoft/m365agentsplayground/package.json')), 'cli.js');
}

export interface RunningPlayground {
  /** The web UI, e.g. `http://127.0.0.1:56150`. */
  url: string;
  port: number;
  configFile: string;
  logFile: string;
  child: Child;
  stop(): Promise<void>;
}

export interface PlaygroundOptions {
  /** The bot's (or the proxy's) messaging endpoint. */
  endpoint: string;
  /** Preferred port; the playground takes a random one if it is in use. Default: a free one. */
  port?: number;
  /** An existing config file; default: `setup` written to a temporary folder. */
  configFile?: string;
  setup?: PlaygroundSetup;
  /** Environment for the child (default: this process's, with `.env`). */
  env?: NodeJS.ProcessEnv;
  /** Where its config (unless given) and log file go; default: a temporary folder, removed on stop. */
  workDir?: string;
  onLine?: (line: string) => void;
  startTimeoutMs?: number;
}

/** Starts `agentsplayground -c msteams` (no browser, no telemetry) and waits until it listens. */
export async function startPlayground(options: PlaygroundOptions): Promise<RunningPlayground> {
  const ownDir = options.workDir === undefined;
  const workDir = options.workDir ?? fs.mkdtempSync(path.join(os.tmpdir(), 'kraftsamla-playground-'));
  fs.mkdirSync(workDir, { recursive: true });
  const configFile = options.configFile ?? path.join(workDir, PLAYGROUND_CONFIG_FILE);
  if (!options.configFile) fs.writeFileSync(configFile, playgroundConfigYaml(options.setup));
  const logFile = path.join(workDir, 'm365agentsplayground.log');
  const port = options.port ?? (await freePort());
  const child = spawnChild(
    process.execPath,
    [
      playgroundCli(),
      '--app-endpoint',
      options.endpoint,
      '--channel-id',
      'msteams',
      '--port',
      String(port),
      '--disable-telemetry',
    ],
    {
      name: 'agentsplayground',
      cwd: workDir,
      onLine: options.onLine,
      env: {
        ...(options.env ?? readEnvironment()),
        TEAMSAPPTESTER_BROWSER: 'none',
        M365_AGENTS_PLAYGROUND_CONFIG_PATH: configFile,
        M365_AGENTS_PLAYGROUND_LOGFILE: logFile,
        // Message times in the UI and `localTimezone` in activities.
        TZ: 'Europe/Stockholm',
      },
    },
  );
  let actual: number;
  try {
    const m = await child.waitFor(/Listening on (\d+)/, options.startTimeoutMs ?? 30000);
    actual = Number(m[1]);
  } catch (err) {
    await child.stop('SIGKILL');
    throw err;
  }
  return {
    url: `http://127.0.0.1:${actual}`,
    port: actual,
    configFile,
    logFile,
    child,
    stop: async () => {
      await child.stop('SIGTERM', 5000);
      if (ownDir) fs.rmSync(workDir, { recursive: true, force: true });
    },
  };
}

// ---------------------------------------------------------------------------------------------
// The proxy between playground and bot: the client's locale, and a record of what was sent
// ---------------------------------------------------------------------------------------------

export interface ReceivedActivity {
  type: string;
  name?: string;
  text?: string;
  locale?: string;
  conversationId?: string;
  value?: unknown;
  /** HTTP status the bot answered with; 0 while the bot has not answered yet. */
  status: number;
  /** The whole activity as the bot got it (after the locale rewrite). */
  activity: Record<string, unknown>;
}

export interface ClientProxy {
  /** Give this to the playground as its endpoint. */
  endpoint: string;
  /**
   * Activities the playground sent to the bot, oldest first, recorded as they arrive (before the
   * bot has answered them: its replies may reach the client first).
   */
  received(): ReceivedActivity[];
  /**
   * Keeps what arrives from reaching the bot until the returned function is called (then it is
   * forwarded in order). The playground sends a new channel post to the bot as it answers the
   * client's own request, so a quick reply can reach the page before the page knows the post and
   * the page drops it; holding until the post is on screen gives Teams' order (post, then bot).
   */
  hold(): () => void;
  /** The same, once the bot has answered every one of them (each with its status). */
  settled(timeoutMs?: number): Promise<ReceivedActivity[]>;
  stop(): Promise<void>;
}

/**
 * Forwards everything to `target` (the bot's `/api/messages`). With a `locale`, rewrites the
 * activity's `locale` and its `clientInfo` entity, as a Teams client set to that language would.
 */
export async function startClientProxy(
  target: string,
  options: { locale?: string; port?: number } = {},
): Promise<ClientProxy> {
  const targetUrl = new URL(target);
  const received: ReceivedActivity[] = [];
  const waiting: (() => void)[] = [];
  // While held, requests are recorded and kept here, then forwarded in order on release.
  let holds = 0;
  const held: (() => void)[] = [];
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      let body = Buffer.concat(chunks);
      let activity: Record<string, unknown> | undefined;
      if (body.length > 0 && String(req.headers['content-type'] ?? '').includes('json')) {
        try {
          activity = JSON.parse(body.toString('utf8')) as Record<string, unknown>;
        } catch {
          activity = undefined;
        }
      }
      if (activity && options.locale) {
        if (typeof activity.locale === 'string') activity.locale = options.locale;
        if (Array.isArray(activity.entities)) {
          for (const e of activity.entities as Record<string, unknown>[])
            if (e && e.type === 'clientInfo') e.locale = options.locale;
        }
        body = Buffer.from(JSON.stringify(activity), 'utf8');
      }
      // Recorded before it is forwarded: the bot's replies (sent to the playground while the
      // turn runs) can be on screen before the bot answers this request.
      const record: ReceivedActivity | undefined = activity
        ? {
            type: String(activity.type),
            name: typeof activity.name === 'string' ? activity.name : undefined,
            text: typeof activity.text === 'string' ? activity.text : undefined,
            locale: typeof activity.locale === 'string' ? activity.locale : undefined,
            conversationId: (activity.conversation as { id?: string } | undefined)?.id,
            value: activity.value,
            status: 0,
            activity,
          }
        : undefined;
      if (record) received.push(record);
      const answered = (status: number) => {
        if (record) record.status = status;
        for (const wake of waiting.splice(0)) wake();
      };
      const headers = { ...req.headers, host: targetUrl.host, 'content-length': String(body.length) };
      const forward = () => {
        const upstream = http.request(
          {
            hostname: targetUrl.hostname,
            port: targetUrl.port,
            path: targetUrl.pathname + targetUrl.search,
            method: req.method,
            headers,
          },
          (up) => {
            answered(up.statusCode ?? 502);
            res.writeHead(up.statusCode ?? 502, up.headers);
            up.pipe(res);
          },
        );
        upstream.on('error', (err) => {
          answered(502);
          res.writeHead(502, { 'content-type': 'text/plain' });
          res.end(`proxy: ${err.message}`);
        });
        upstream.end(body);
      };
      if (holds > 0) held.push(forward);
      else forward();
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => resolve());
  });
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return {
    endpoint: `http://127.0.0.1:${port}/api/messages`,
    received: () => [...received],
    hold: () => {
      holds += 1;
      let released = false;
      return () => {
        if (released) return;
        released = true;
        holds -= 1;
        if (holds === 0) for (const forward of held.splice(0)) forward();
      };
    },
    settled: async (timeoutMs = 60000) => {
      const deadline = Date.now() + timeoutMs;
      while (received.some((r) => r.status === 0)) {
        const left = deadline - Date.now();
        if (left <= 0) {
          const open = received.filter((r) => r.status === 0).map((r) => r.type + (r.name ? ` ${r.name}` : ''));
          throw new Error(`proxy: the bot has not answered ${open.join(', ')} within ${timeoutMs} ms`);
        }
        await new Promise<void>((resolve) => {
          const timer = setTimeout(resolve, left);
          waiting.push(() => {
            clearTimeout(timer);
            resolve();
          });
        });
      }
      return [...received];
    },
    stop: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
