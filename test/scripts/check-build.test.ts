/**
 * scripts/check-build.js, the check in front of `npm start` and every CLI script: a build older
 * than its sources, or none, is refused with a message in Swedish and English that says how to
 * build; a fresh build, and a production install without sources, pass. Run as node runs it, on
 * a small copy of the repository's layout whose file times are set by the test.
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

const REPO = path.join(__dirname, '..', '..');
const SCRIPT = path.join(REPO, 'scripts', 'check-build.js');

let root: string;

/** Writes `rel` under the copy with its modification time `at` (seconds since 1970). */
function put(rel: string, at: number, content = ''): void {
  const file = path.join(root, rel);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, content);
  fs.utimesSync(file, at, at);
}

function check(): { code: number | null; stderr: string; stdout: string } {
  const r = spawnSync(process.execPath, [path.join(root, 'scripts', 'check-build.js')], {
    cwd: root,
    encoding: 'utf8',
  });
  return { code: r.status, stderr: r.stderr, stdout: r.stdout };
}

const BUILT = 1_800_000_000;
const SOURCES = [
  'bot/index.ts',
  'cli/export.ts',
  'domain/i18n/cli.ts',
  'storage/azurite.ts',
  'cards/help.card.ts',
  'config/config.ts',
];

beforeEach(() => {
  root = fs.mkdtempSync(path.join(os.tmpdir(), 'ks-check-build-'));
  fs.mkdirSync(path.join(root, 'scripts'));
  fs.copyFileSync(SCRIPT, path.join(root, 'scripts', 'check-build.js'));
  for (const source of SOURCES) {
    put(source, BUILT - 60);
    put(path.join('dist', source.replace(/\.ts$/, '.js')), BUILT);
  }
  put('config/program.default.json', BUILT - 60, '{}');
  // A development checkout: TypeScript is installed, so `npm run build` is the advice.
  put('node_modules/typescript/package.json', BUILT - 60, '{"name":"typescript","version":"6.0.3"}');
});

afterEach(() => {
  fs.rmSync(root, { recursive: true, force: true });
});

describe('scripts/check-build.js', () => {
  it('passes a build that is newer than every source, silently', () => {
    expect(check()).toEqual({ code: 0, stderr: '', stdout: '' });
  });

  it('refuses a build older than a source, naming it, in Swedish and English, with how to build', () => {
    put('domain/i18n/cli.ts', BUILT + 5);
    const r = check();
    expect(r.code).toBe(1);
    expect(r.stderr.trimEnd().split('\n')).toEqual([
      'Bygget i dist/ är äldre än källkoden (domain/i18n/cli.ts har ändrats sedan dess). Bygg om med `npm run build` och försök sedan igen.',
      'The build in dist/ is older than the sources (domain/i18n/cli.ts has changed since). Rebuild with `npm run build`, then try again.',
    ]);
  });

  it('names the most recently changed source when several are newer than the build', () => {
    put('bot/index.ts', BUILT + 5);
    put('storage/azurite.ts', BUILT + 50);
    put('cli/export.ts', BUILT + 20);
    expect(check().stderr).toContain('(storage/azurite.ts har ändrats sedan dess)');
  });

  it('refuses a missing build, and a source added since the build', () => {
    fs.rmSync(path.join(root, 'dist'), { recursive: true });
    const none = check();
    expect(none.code).toBe(1);
    expect(none.stderr).toMatch(/^Kraftsamla är inte byggd: dist\/\S+\.js saknas\. Bygg först med `npm run build`/);
    expect(none.stderr).toMatch(
      /\nKraftsamla is not built: dist\/\S+\.js is missing\. Build it first with `npm run build`/,
    );

    for (const source of SOURCES) put(path.join('dist', source.replace(/\.ts$/, '.js')), BUILT);
    put('bot/flows/new.flow.ts', BUILT - 60);
    const added = check();
    expect(added.code).toBe(1);
    expect(added.stderr.split('\n')[0]).toBe(
      'Kraftsamla är inte byggd: dist/bot/flows/new.flow.js saknas. Bygg först med `npm run build` (tar några sekunder) och försök sedan igen.',
    );
  });

  it('refuses a compiled file whose source is gone: node could load it instead of the new code', () => {
    put('dist/cards/verbs.js', BUILT);
    put('dist/cards/verbs.js.map', BUILT);
    const r = check();
    expect(r.code).toBe(1);
    expect(r.stderr.trimEnd().split('\n')).toEqual([
      'Bygget i dist/ är äldre än källkoden (dist/cards/verbs.js finns kvar fast källfilen är borta). Bygg om med `npm run build` och försök sedan igen.',
      'The build in dist/ is older than the sources (dist/cards/verbs.js is left over, its source is gone). Rebuild with `npm run build`, then try again.',
    ]);
    // What the build makes outside the bot's folders (benchmarks, test doubles) is not its concern.
    fs.rmSync(path.join(root, 'dist/cards/verbs.js'));
    put('dist/bench/run.js', BUILT);
    put('dist/test/support/activities.js', BUILT);
    expect(check().code).toBe(0);
  });

  it('says where to build when TypeScript is not installed (a checkout installed without dev dependencies)', () => {
    fs.rmSync(path.join(root, 'node_modules'), { recursive: true });
    fs.rmSync(path.join(root, 'dist'), { recursive: true });
    const r = check();
    expect(r.code).toBe(1);
    const lines = r.stderr.trimEnd().split('\n');
    expect(lines).toHaveLength(4);
    expect(lines.slice(2)).toEqual([
      'TypeScript är inte installerat här (installerat utan utvecklingsberoenden): bygg med `npm ci && npm run build` där det finns, eller kopiera dit dist/ från ett bygge.',
      'TypeScript is not installed here (installed without development dependencies): build with `npm ci && npm run build` where it is, or copy dist/ here from a build.',
    ]);
  });

  it('ignores what is not compiled: a program definition edited after the build, declaration files', () => {
    put('config/program.default.json', BUILT + 100, '{}');
    put('domain/vendor.d.ts', BUILT + 100);
    expect(check().code).toBe(0);
  });

  it('passes a production install, which has the build and no sources', () => {
    for (const dir of ['bot', 'cli', 'domain', 'storage', 'cards', 'config'])
      fs.rmSync(path.join(root, dir), { recursive: true, force: true });
    put('config/program.default.json', BUILT + 100, '{}');
    expect(check()).toEqual({ code: 0, stderr: '', stdout: '' });
  });
});

describe('the scripts that run the build', () => {
  const scripts = (
    JSON.parse(fs.readFileSync(path.join(REPO, 'package.json'), 'utf8')) as { scripts: Record<string, string> }
  ).scripts;

  it('npm start and every CLI check the build first and then run it, without building', () => {
    expect(scripts.prestart).toBe('node scripts/check-build.js');
    expect(scripts.start).toMatch(/^node (--\S+ )*dist\/bot\/index\.js$/);
    for (const cli of ['import', 'export', 'digest', 'seed', 'package', 'backup', 'restore']) {
      expect(scripts[cli]).toBe(`node scripts/check-build.js && node dist/cli/${cli}.js`);
      expect(fs.existsSync(path.join(REPO, 'cli', `${cli}.ts`))).toBe(true);
    }
    // From an empty dist/, so that no compiled file of a removed source is left to be loaded.
    expect(scripts.build).toBe('npm run clean --silent && tsc -p tsconfig.build.json');
    expect(scripts.clean).toContain("rmSync('dist'");
    expect(scripts.prepare).toContain("fs.rmSync('dist'");
  });
});
