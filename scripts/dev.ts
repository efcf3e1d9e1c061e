/**
 * `npm run dev [-- --seed] [--lang sv|en|client] [--playground-port <port>]`
 *
 * The developer loop in one command, no tenant needed:
 * - `tsc --watch` compiles the bot into dist/ whenever a .ts file is saved;
 * - `node --watch dist/bot/index.js` restarts the bot when its compiled code changes (with the
 *   configuration from `.env`, the embedded Azurite keeping its data in DATA_DIR);
 * - the Microsoft 365 Agents Playground, configured by `.m365agentsplayground.yml`, puts the bot
 *   in the team "Programkontoret" with the channels General and Bostäder;
 * - between them a small proxy gives the bot a Swedish Teams client (the playground always says
 *   en-US); `--lang en` gives an English one, `--lang client` passes the playground's through;
 * - with `--seed`, the demo program (npm run seed) is loaded into the bot's store first.
 * Prints the playground's URL to open. Ctrl+C stops everything.
 */
import * as fs from 'node:fs';
import * as http from 'node:http';
import * as path from 'node:path';
import { loadConfig, readEnvironment } from '../config/config';
import { spawnChild, type Child } from './child';
import { PLAYGROUND_CONFIG_FILE, PLAYGROUND_SETUP, startClientProxy, startPlayground } from './playground';
import { t } from '../domain/i18n';
import { lockHolder } from '../storage/data-dir-lock';
import type { Locale } from '../domain/types';

export interface DevOptions {
  /** The repository root (default: found from this file). */
  cwd?: string;
  /** The bot's environment (default: `.env` under the real environment). */
  env?: Record<string, string | undefined>;
  /** The playground's port (default 56150, the playground's own; it picks another if taken). */
  playgroundPort?: number;
  /** The language of the Teams client the bot sees (default sv-SE). */
  locale?: 'sv-SE' | 'en-US' | 'client';
  /** Where the loop's messages go (default: stdout). */
  log?: (line: string) => void;
  /** Load the demo program (cli/seed.ts) into the bot's store once the bot is up. */
  seed?: boolean;
  /** How long to wait for the first compile and the bot, in ms. */
  startTimeoutMs?: number;
}

export interface DevSetup {
  /** Open this in a browser. */
  playgroundUrl: string;
  botUrl: string;
  stop(): Promise<void>;
}

/** The repository root: the folder above this file (scripts/ or dist/scripts/) with package.json. */
export function repoRoot(from = __dirname): string {
  for (let dir = from; ; dir = path.dirname(dir)) {
    if (fs.existsSync(path.join(dir, 'package.json')) && fs.existsSync(path.join(dir, 'tsconfig.build.json')))
      return dir;
    if (path.dirname(dir) === dir) throw new Error(`No repository root above ${from}`);
  }
}

const LEVELS: Record<number, string> = { 10: 'TRACE', 20: 'DEBUG', 30: 'INFO', 40: 'WARN', 50: 'ERROR', 60: 'FATAL' };

/** A pino JSON line as `12:03:04 INFO  message key=value`; other lines as they are. */
export function formatLogLine(line: string): string {
  if (!line.startsWith('{')) return line;
  try {
    const {
      level,
      time,
      msg,
      app: _app,
      pid: _pid,
      hostname: _host,
      ...rest
    } = JSON.parse(line) as Record<string, unknown>;
    const at = typeof time === 'number' ? new Date(time).toTimeString().slice(0, 8) : '';
    const extra = Object.entries(rest)
      .map(([k, v]) => `${k}=${typeof v === 'string' ? v : JSON.stringify(v)}`)
      .join(' ');
    return `${at} ${(LEVELS[Number(level)] ?? String(level)).padEnd(5)} ${String(msg ?? '')}${extra ? `  ${extra}` : ''}`;
  } catch {
    return line;
  }
}

async function waitForHealth(url: string, deadline: number, bot: Child, locale: Locale): Promise<void> {
  for (;;) {
    const ok = await new Promise<boolean>((resolve) => {
      const req = http.get(url, (res) => {
        res.resume();
        resolve(res.statusCode === 200);
      });
      req.on('error', () => resolve(false));
      req.setTimeout(2000, () => req.destroy());
    });
    // An exited bot first: what answers may be another bot on the same port.
    if (bot.process.exitCode !== null)
      throw new Error(t(locale, 'dev.botExited', { output: bot.output().slice(-2000) }));
    if (ok) return;
    if (Date.now() > deadline) throw new Error(t(locale, 'dev.botSlow', { url, output: bot.output().slice(-2000) }));
    await new Promise((r) => setTimeout(r, 250));
  }
}

/** The loop speaks the client's language when one is chosen, Swedish otherwise. */
function langOf(options: DevOptions): Locale {
  return options.locale === 'en-US' ? 'en-US' : 'sv-SE';
}

/** Starts compiler, bot, proxy and playground; `stop()` ends them all. */
export async function startDev(options: DevOptions = {}): Promise<DevSetup> {
  const cwd = options.cwd ?? repoRoot();
  const env = options.env ?? readEnvironment(cwd);
  const log = options.log ?? ((line: string) => process.stdout.write(`${line}\n`));
  const timeout = options.startTimeoutMs ?? 180000;
  const lang = langOf(options);
  // Fail early on a bad .env, with the config module's message.
  const config = loadConfig(env);
  // And on a data folder another bot holds: its /healthz would answer for ours, and nothing
  // here may start beside it.
  const holder =
    !config.storage.connectionString && !config.storage.azuriteInMemory
      ? lockHolder(config.storage.dataDir)
      : undefined;
  if (holder) {
    const params = {
      dir: config.storage.dataDir,
      pid: holder.pid,
      command: holder.command,
      startedAt: holder.startedAt,
    };
    throw new Error(`${t('sv-SE', 'start.dataDirLocked', params)}\n${t('en-US', 'start.dataDirLocked', params)}`);
  }

  const stops: (() => Promise<void>)[] = [];
  const stop = async () => {
    for (const s of stops.reverse()) {
      try {
        await s();
      } catch {
        // Keep going: every process must be stopped.
      }
    }
    stops.length = 0;
  };

  try {
    log(t(lang, 'dev.compiling'));
    const tsc = spawnChild(
      process.execPath,
      [
        require.resolve('typescript/bin/tsc'),
        '-p',
        'tsconfig.build.json',
        '--watch',
        '--preserveWatchOutput',
        '--pretty',
        'false',
      ],
      {
        name: 'tsc',
        cwd,
        env: env as NodeJS.ProcessEnv,
        // The compiler's own chatter is noise; its errors and results are not.
        onLine: (line) => {
          if (/error TS|Found \d+ error/.test(line)) log(`[tsc] ${line.replace(/^\d\d?:\d\d:\d\d( [AP]M)? - /, '')}`);
        },
      },
    );
    stops.push(() => tsc.stop('SIGTERM', 5000));
    await tsc.waitFor(/Found \d+ errors?\. Watching for file changes/, timeout);

    const bot = spawnChild(process.execPath, ['--watch', '--no-deprecation', path.join('dist', 'bot', 'index.js')], {
      name: 'bot',
      cwd,
      group: true,
      env: env as NodeJS.ProcessEnv,
      onLine: (line) => {
        if (line.trim()) log(`[bot] ${formatLogLine(line)}`);
      },
    });
    // SIGINT: node --watch passes it to the bot, which stops its Azurite (saving its data).
    stops.push(() => bot.stop('SIGINT', 20000));
    const botUrl = `http://127.0.0.1:${config.port}`;
    await waitForHealth(`${botUrl}/healthz`, Date.now() + timeout, bot, lang);

    if (options.seed) {
      // The compiled seed from the same tsc --watch, run directly. It finds the bot's Azurite
      // through DATA_DIR/azurite.json.
      const seed = spawnChild(process.execPath, ['--no-deprecation', path.join('dist', 'cli', 'seed.js')], {
        name: 'seed',
        cwd,
        env: env as NodeJS.ProcessEnv,
        onLine: (line) => {
          if (line.trim()) log(`[seed] ${line}`);
        },
      });
      const code = await new Promise<number | null>((resolve) => {
        if (seed.process.exitCode !== null) resolve(seed.process.exitCode);
        else seed.process.once('exit', (c) => resolve(c));
      });
      await seed.stop();
      if (code !== 0)
        throw new Error(t(lang, 'dev.seedFailed', { code: String(code), output: seed.output().slice(-1000) }));
    }

    const locale = options.locale ?? 'sv-SE';
    const proxy = await startClientProxy(`${botUrl}/api/messages`, {
      locale: locale === 'client' ? undefined : locale,
    });
    stops.push(() => proxy.stop());

    const configFile = path.join(cwd, PLAYGROUND_CONFIG_FILE);
    const playground = await startPlayground({
      endpoint: proxy.endpoint,
      port: options.playgroundPort ?? 56150,
      configFile: fs.existsSync(configFile) ? configFile : undefined,
      workDir: path.join(config.storage.dataDir, 'playground'),
      env: env as NodeJS.ProcessEnv,
    });
    stops.push(() => playground.stop());

    const { team } = PLAYGROUND_SETUP;
    log('');
    log(t(lang, 'dev.running'));
    log(t(lang, 'dev.open', { url: playground.url }));
    log(t(lang, 'dev.bot', { url: botUrl, locale }));
    log(t(lang, 'dev.tab', { url: botUrl }));
    log(t(lang, 'dev.team', { team: team.name, channel: team.channel.name }));
    log(
      lang === 'en-US'
        ? '    @Kraftsamla help · @Kraftsamla link bostäder · @Kraftsamla actions'
        : '    @Kraftsamla hjälp · @Kraftsamla koppla bostäder · @Kraftsamla åtgärder',
    );
    log(t(lang, options.seed ? 'dev.demo.loaded' : 'dev.demo.none'));
    log('');
    return { playgroundUrl: playground.url, botUrl, stop };
  } catch (err) {
    await stop();
    throw err;
  }
}

function parseArgs(argv: readonly string[]): DevOptions | { error: string } {
  const options: DevOptions = {};
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === '--lang') {
      const v = argv[++i];
      if (v === 'sv') options.locale = 'sv-SE';
      else if (v === 'en') options.locale = 'en-US';
      else if (v === 'client') options.locale = 'client';
      else return { error: t('sv-SE', 'dev.lang') + '\n' + t('en-US', 'dev.lang') };
    } else if (arg === '--seed') options.seed = true;
    else if (arg === '--playground-port') {
      const port = Number(argv[++i]);
      if (!Number.isInteger(port) || port <= 0 || port > 65535) return { error: t(langOf(options), 'dev.port') };
      options.playgroundPort = port;
    } else return { error: t(langOf(options), 'dev.usage') };
  }
  return options;
}

if (require.main === module) {
  const options = parseArgs(process.argv.slice(2));
  if ('error' in options) {
    process.stderr.write(`${options.error}\n`);
    process.exitCode = 2;
  } else {
    startDev(options).then(
      (dev) => {
        let stopping = false;
        const shutdown = () => {
          if (stopping) return;
          stopping = true;
          process.stdout.write(`${t(langOf(options), 'dev.stopping')}\n`);
          dev.stop().then(
            () => process.exit(0),
            () => process.exit(1),
          );
        };
        process.once('SIGINT', shutdown);
        process.once('SIGTERM', shutdown);
      },
      (err: unknown) => {
        process.stderr.write(`${err instanceof Error ? err.message : String(err)}\n`);
        process.exitCode = 1;
      },
    );
  }
}
