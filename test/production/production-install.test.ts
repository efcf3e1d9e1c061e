/**
 * A production install, as an operator makes it: the build (dist/), package.json, the lock file,
 * the program definitions (config/*.json) and the tab's files (tab/public/) in an empty folder,
 * then `npm ci --omit=dev`. No TypeScript, no Azurite, no sources. The bot started there with `node dist/bot/index.js`
 * against a table store given by connection string (an Azurite from the repository's own
 * node_modules, standing in for Azure Table Storage) answers `hjälp` through a Bot Connector
 * double, and stops cleanly on SIGTERM. Without a connection string the bot and a CLI exit 1
 * with the message that says what to configure, not a stack trace, and touch no data folder.
 *
 * Slow by nature (a build and an install, about a minute on two busy cores): the install uses
 * the npm cache the repository's own `npm ci` filled, offline, and only falls back to the
 * registry for what that cache lacks.
 */
import { spawn } from 'node:child_process';
import { TableServiceClient } from '@azure/data-tables';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { freePort, startAzurite, type AzuriteHandle } from '../../storage/azurite';
import { personalMessage, postActivity } from '../support/activities';
import { startConnectorDouble, type ConnectorDouble } from '../support/connector-double';

const REPO = path.join(__dirname, '..', '..');
const SETUP_MS = 300_000;
const CASE_MS = 120_000;

interface Finished {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/** What the children see: no npm_* settings of the npm that runs jest, nothing configured. */
function cleanEnv(extra: Record<string, string>): Record<string, string> {
  const env: Record<string, string> = {};
  for (const key of ['PATH', 'HOME', 'TMPDIR', 'LANG', 'SYSTEMROOT']) {
    const value = process.env[key];
    if (value !== undefined) env[key] = value;
  }
  return { ...env, ...extra };
}

function run(command: string, args: string[], cwd: string, env: Record<string, string>): Promise<Finished> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.once('error', reject);
    child.once('close', (code, signal) => resolve({ code, signal, stdout, stderr }));
  });
}

/**
 * stderr without node's deprecation notices (restify reads `process.binding('http_parser')`);
 * `npm start` hides them with --no-deprecation, a plain `node dist/bot/index.js` shows them.
 */
function withoutDeprecations(stderr: string): string {
  return stderr
    .split('\n')
    .filter((line) => !/^\(node:\d+\) \[DEP\d+\] DeprecationWarning|^\(Use `node --trace-deprecation/.test(line))
    .join('\n');
}

function describeRun(what: string, r: Finished): string {
  return `${what} exited with ${r.signal ?? r.code}\n--- stdout\n${r.stdout.slice(-3000)}\n--- stderr\n${r.stderr.slice(-3000)}`;
}

let dir: string;
let azurite: AzuriteHandle | undefined;
let double: ConnectorDouble | undefined;

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ks-production-'));
  // The build, once, into the install folder (the repository's own dist/ may be stale or absent).
  const tsc = await run(
    process.execPath,
    [require.resolve('typescript/bin/tsc'), '-p', 'tsconfig.build.json', '--outDir', path.join(dir, 'dist')],
    REPO,
    cleanEnv({}),
  );
  if (tsc.code !== 0) throw new Error(describeRun('tsc', tsc));
  for (const file of ['package.json', 'package-lock.json'])
    fs.copyFileSync(path.join(REPO, file), path.join(dir, file));
  fs.mkdirSync(path.join(dir, 'config'));
  fs.cpSync(path.join(REPO, 'tab', 'public'), path.join(dir, 'tab', 'public'), { recursive: true });
  for (const file of fs.readdirSync(path.join(REPO, 'config')).filter((f) => f.endsWith('.json'))) {
    fs.copyFileSync(path.join(REPO, 'config', file), path.join(dir, 'config', file));
  }

  // botbuilder-dialogs' postinstall runs `npx rimraf`: npm_config_yes answers npx's prompt. A
  // production tree has no rimraf of its own, so npx needs it in its cache; the first run on a
  // machine may have to fetch it, hence the fallback.
  const npmEnv = cleanEnv({ npm_config_yes: 'true', npm_config_update_notifier: 'false' });
  let install: Finished | undefined;
  for (const mode of ['--offline', '--prefer-offline']) {
    install = await run('npm', ['ci', '--omit=dev', '--no-audit', '--no-fund', mode], dir, npmEnv);
    if (install.code === 0) break;
  }
  if (install?.code !== 0) throw new Error(describeRun('npm ci --omit=dev', install!));

  azurite = await startAzurite({ inMemory: true });
  double = await startConnectorDouble();
}, SETUP_MS);

afterAll(async () => {
  await double?.close();
  await azurite?.stop();
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
}, CASE_MS);

describe('a production install (npm ci --omit=dev)', () => {
  it('holds the production dependencies only: no Azurite, no TypeScript, no sources', () => {
    const modules = path.join(dir, 'node_modules');
    expect(fs.existsSync(path.join(modules, 'botbuilder', 'package.json'))).toBe(true);
    expect(fs.existsSync(path.join(modules, '@azure', 'data-tables', 'package.json'))).toBe(true);
    expect(fs.existsSync(path.join(modules, 'azurite'))).toBe(false);
    expect(fs.existsSync(path.join(modules, 'typescript'))).toBe(false);
    expect(fs.existsSync(path.join(modules, 'jest'))).toBe(false);
    expect(fs.readdirSync(dir).sort()).toEqual([
      'config',
      'dist',
      'node_modules',
      'package-lock.json',
      'package.json',
      'tab',
    ]);
  });

  it(
    'starts the bot against a table store given by connection string, answers hjälp, stops on SIGTERM',
    async () => {
      const port = await freePort();
      const bot = spawn(process.execPath, ['dist/bot/index.js'], {
        cwd: dir,
        env: cleanEnv({
          NODE_ENV: 'production',
          LOG_FORMAT: 'json',
          PORT: String(port),
          HOST: '127.0.0.1',
          AZURE_TABLES_CONNECTION_STRING: azurite!.connectionString,
          TABLE_PREFIX: 'prod',
          SCHEDULER_ENABLED: 'false',
        }),
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let stdout = '';
      let stderr = '';
      bot.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
      bot.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
      const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
        bot.once('exit', (code, signal) => resolve({ code, signal })),
      );
      let gone: { code: number | null; signal: NodeJS.Signals | null } | undefined;
      void exited.then((e) => (gone = e));
      try {
        // Up when /healthz answers; a bot that dies on the way fails the test with its output.
        let health: { status?: string; storage?: string; storageMode?: string } | undefined;
        while (!health) {
          if (gone) throw new Error(describeRun('the bot', { ...gone, stdout, stderr }));
          try {
            const res = await fetch(`http://127.0.0.1:${port}/healthz`, { signal: AbortSignal.timeout(5000) });
            if (res.ok) health = (await res.json()) as typeof health;
          } catch {
            await new Promise((r) => setTimeout(r, 200));
          }
        }
        // The store it uses is the one it was given, not an embedded one.
        expect(health).toMatchObject({ status: 'ok', storage: 'up', storageMode: 'azure' });

        const res = await postActivity(
          `http://127.0.0.1:${port}`,
          personalMessage({ text: 'hjälp', serviceUrl: double!.url }),
        );
        expect(res.status).toBeLessThan(300);
        while (double!.sent().length === 0) {
          if (gone) throw new Error(describeRun('the bot', { ...gone, stdout, stderr }));
          await new Promise((r) => setTimeout(r, 100));
        }
        expect(JSON.stringify(double!.sent()[0]!.activity)).toContain('Det här kan Kraftsamla');
        // The overview tab, its script and the Teams library from the production install's files.
        for (const url of ['/tab', '/tab/assets/tab.js', '/tab/assets/teams-js.js'])
          expect([url, (await fetch(`http://127.0.0.1:${port}${url}`)).status]).toEqual([url, 200]);
      } finally {
        if (!gone) bot.kill('SIGTERM');
      }
      expect(await exited).toEqual({ code: 0, signal: null });
      expect(withoutDeprecations(stderr)).toBe('');
      // Its tables are in the store it was given.
      const service = TableServiceClient.fromConnectionString(azurite!.connectionString, {
        allowInsecureConnection: true,
      });
      const tables: string[] = [];
      for await (const table of service.listTables()) if (table.name?.startsWith('prod')) tables.push(table.name);
      expect(tables).toEqual(expect.arrayContaining(['prodTeams', 'prodDecisions', 'prodEvents']));
    },
    CASE_MS,
  );

  it(
    'without a connection string the bot exits 1 saying what to configure, and touches no data folder',
    async () => {
      const dataDir = path.join(dir, 'data');
      const r = await run(
        process.execPath,
        ['dist/bot/index.js'],
        dir,
        cleanEnv({ NODE_ENV: 'production', PORT: '0', DATA_DIR: dataDir }),
      );
      expect(r.code).toBe(1);
      const lines = withoutDeprecations(r.stderr).trimEnd().split('\n');
      expect(lines[0]).toMatch(
        /^Ingen lagring konfigurerad: ange AZURE_TABLES_CONNECTION_STRING .*\(Azurite, den inbyggda lagringen för utveckling, är inte installerad i en produktionsinstallation/,
      );
      expect(lines[1]).toMatch(
        /^No storage configured: set AZURE_TABLES_CONNECTION_STRING .*\(Azurite, the embedded development store, is not installed in a production install/,
      );
      expect(lines).toHaveLength(2);
      expect(r.stderr + r.stdout).not.toMatch(/\n\s+at |MODULE_NOT_FOUND|Cannot find module/);
      expect(fs.existsSync(dataDir)).toBe(false);
    },
    CASE_MS,
  );

  it(
    'without a connection string a CLI exits 1 with the same message, in the language asked for',
    async () => {
      const dataDir = path.join(dir, 'cli-data');
      const r = await run(
        process.execPath,
        ['dist/cli/export.js', 'decisions', '--out', '-', '--lang', 'en'],
        dir,
        cleanEnv({ DATA_DIR: dataDir }),
      );
      expect(r.code).toBe(1);
      expect(withoutDeprecations(r.stderr)).toMatch(
        /^No storage configured: set AZURE_TABLES_CONNECTION_STRING .*is not installed in a production install/,
      );
      expect(r.stderr).not.toMatch(/\n\s+at |MODULE_NOT_FOUND|Cannot find module/);
      expect(r.stdout).toBe('');
      expect(fs.existsSync(dataDir)).toBe(false);
    },
    CASE_MS,
  );
});
