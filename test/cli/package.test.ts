/**
 * `npm run package` in the program's language: Swedish by default, English with `--lang en` or an
 * English program; the same for usage mistakes and for the problems of a broken manifest. It
 * needs no secret (only the bot id) and names the publisher the program definition names. The
 * tab goes on the host of --host or BOT_DOMAIN, a bad one refused; without one the package is the
 * bot's alone, with a warning. The manifest checks themselves are tested in test/manifest.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { packageUsage, parsePackageArgs } from '../../cli/app-package';
import { main, type PackageCliDeps } from '../../cli/package';
import JSZip from 'jszip';
import { loadPackageSettings } from '../../config/config';
import { programFile } from './support';

// @microsoft/app-manifest requires strip-bom 5, an ES module that jest's loader cannot require;
// only manifest readers we never call use it (as in test/manifest).
jest.mock('strip-bom', () => ({ __esModule: true, default: (s: string) => s.replace(/^\uFEFF/, '') }));

const MANIFEST_DIR = path.join(__dirname, '..', '..', 'manifest');
const BOT_ID = '11111111-2222-4333-8444-555555555555';
let tmp: string;

const realFetch = globalThis.fetch;
beforeAll(() => {
  // Validation is offline: any network use fails the test.
  globalThis.fetch = (() => Promise.reject(new Error('the package CLI tried to use the network'))) as typeof fetch;
});
afterAll(() => {
  globalThis.fetch = realFetch;
});
beforeEach(() => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'ks-package-cli-'));
});
afterEach(() => {
  fs.rmSync(tmp, { recursive: true, force: true });
});

function deps(env: Record<string, string> = {}, manifestDir?: string) {
  const out: string[] = [];
  const err: string[] = [];
  const d: PackageCliDeps = {
    loadSettings: () => loadPackageSettings(env),
    out: (l) => out.push(l),
    err: (l) => err.push(l),
    manifestDir,
  };
  return { d, out: () => out.join('\n'), err: () => err.join('\n') };
}

describe('package CLI language', () => {
  it('speaks Swedish by default and English with --lang en', async () => {
    const zip = path.join(tmp, 'app.zip');
    const sv = deps();
    expect(await main(['--out', zip], sv.d)).toBe(0);
    expect(sv.out().split('\n')).toEqual([
      `Skrev ${path.relative(process.cwd(), zip)}`,
      expect.stringMatching(
        /^ {2}app-id 0{8}-0{4}-0{4}-0{4}-0{12}, bot-id 0{8}-0{4}-0{4}-0{4}-0{12}, version \d+\.\d+\.\d+$/,
      ),
      '  filer: manifest.json, sv-se.json, color.png, outline.png',
    ]);
    expect(sv.err()).toMatch(
      /^varning: bot-id \(och app-id\) är platshållaren 00000000-0000-0000-0000-000000000000: Teams når inte boten/m,
    );

    const en = deps();
    expect(await main(['--out', zip, '--lang', 'en'], en.d)).toBe(0);
    expect(en.out().split('\n')[0]).toBe(`Wrote ${path.relative(process.cwd(), zip)}`);
    expect(en.out().split('\n')[2]).toBe('  files: manifest.json, sv-se.json, color.png, outline.png');
    expect(en.err()).toMatch(
      /^warning: the bot id \(and the app id\) is the placeholder 00000000-0000-0000-0000-000000000000: Teams cannot reach/m,
    );
  });

  it('explains usage mistakes and a broken configuration in the language asked for', async () => {
    const sv = deps();
    expect(await main(['--nope'], sv.d)).toBe(2);
    expect(sv.err()).toBe(`fel: okänt argument "--nope"\n\n${packageUsage('sv-SE')}`);
    expect(packageUsage('sv-SE')).toMatch(/^Användning: npm run package/);
    const en = deps();
    expect(await main(['--app-id', 'abc', '--lang', 'en'], en.d)).toBe(2);
    expect(en.err().split('\n')[0]).toBe('error: --app-id "abc" is not a GUID (xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx)');
    expect(() => parsePackageArgs(['--lang', 'fi'], 'sv-SE')).toThrow('--lang tar sv eller en');

    const notGuid = deps({ MICROSOFT_APP_ID: 'not-a-guid' });
    expect(await main(['--out', path.join(tmp, 'x.zip')], notGuid.d)).toBe(1);
    expect(notGuid.err().split('\n')).toEqual([
      'Teams-apppaketet är inte giltigt (1 problem):',
      '  - bot-id "not-a-guid" är inget GUID (xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx)',
    ]);
    expect(fs.existsSync(path.join(tmp, 'x.zip'))).toBe(false);
  });

  it("speaks the program's language, also for the problems of a broken manifest", async () => {
    const dir = path.join(tmp, 'manifest');
    fs.cpSync(MANIFEST_DIR, dir, { recursive: true });
    fs.copyFileSync(path.join(dir, 'outline.png'), path.join(dir, 'color.png'));
    const sv = deps({}, dir);
    expect(await main(['--app-id', BOT_ID, '--out', path.join(tmp, 'a.zip')], sv.d)).toBe(1);
    expect(sv.err().split('\n')).toEqual([
      'Teams-apppaketet är inte giltigt (1 problem):',
      '  - color.png: färgikonen måste vara 192×192 pixlar, den är 32×32',
    ]);

    const en = deps({ PROGRAM_FILE: programFile(tmp, 'en-US') }, dir);
    expect(await main(['--app-id', BOT_ID, '--out', path.join(tmp, 'a.zip')], en.d)).toBe(1);
    expect(en.err().split('\n')).toEqual([
      'The Teams app package is not valid (1 problem):',
      '  - color.png: the color icon must be 192×192 pixels, it is 32×32',
    ]);
    expect(fs.existsSync(path.join(tmp, 'a.zip'))).toBe(false);
  });
});

async function packedManifest(
  file: string,
): Promise<{ id: string; bots: { botId: string }[]; developer: Record<string, string> }> {
  const zip = await JSZip.loadAsync(fs.readFileSync(file));
  return JSON.parse(await zip.file('manifest.json')!.async('string'));
}

function writeProgram(developer: unknown): string {
  const program = JSON.parse(
    fs.readFileSync(path.join(__dirname, '..', '..', 'config', 'program.default.json'), 'utf8'),
  ) as Record<string, unknown>;
  const file = path.join(tmp, 'program.json');
  fs.writeFileSync(file, JSON.stringify({ ...program, municipality: 'Sundsvalls kommun', developer }));
  return file;
}

describe('package CLI setup', () => {
  it('packages with only MICROSOFT_APP_ID set: no password, no tenant, the bot id from the environment', async () => {
    const zip = path.join(tmp, 'app.zip');
    const run = deps({ MICROSOFT_APP_ID: BOT_ID, MICROSOFT_APP_TYPE: 'SingleTenant' });
    expect(await main(['--out', zip], run.d)).toBe(0);
    expect(run.err()).not.toMatch(/MICROSOFT_APP_PASSWORD|MICROSOFT_APP_TENANT_ID/);
    const manifest = await packedManifest(zip);
    expect(manifest.bots[0].botId).toBe(BOT_ID);
    expect(manifest.id).toBe(BOT_ID);
  });

  it("names the publisher the program definition names: Härnösand's by default, another municipality's from PROGRAM_FILE", async () => {
    const zip = path.join(tmp, 'app.zip');
    expect(await main(['--app-id', BOT_ID, '--out', zip], deps().d)).toBe(0);
    const shipped = JSON.parse(
      fs.readFileSync(path.join(__dirname, '..', '..', 'config', 'program.default.json'), 'utf8'),
    ) as { developer: unknown };
    expect((await packedManifest(zip)).developer).toEqual(shipped.developer);
    expect((await packedManifest(zip)).developer.name).toBe('Härnösands kommun');

    const sundsvall = {
      name: 'Sundsvalls kommun',
      websiteUrl: 'https://sundsvall.se',
      privacyUrl: 'https://sundsvall.se/personuppgifter',
      termsOfUseUrl: 'https://sundsvall.se/villkor',
    };
    const run = deps({ PROGRAM_FILE: writeProgram(sundsvall) });
    expect(await main(['--app-id', BOT_ID, '--out', zip], run.d)).toBe(0);
    expect((await packedManifest(zip)).developer).toEqual(sundsvall);
    // Real addresses: no placeholder warning.
    expect(run.err()).not.toMatch(/example\.org/);
  });

  it('refuses a program whose developer is not one Teams accepts, naming the field, and writes nothing', async () => {
    const zip = path.join(tmp, 'app.zip');
    const tooLong = {
      name: 'Kommunalförbundet Höga Kusten-Sundsvall',
      websiteUrl: 'https://a.se',
      privacyUrl: 'https://a.se/p',
      termsOfUseUrl: 'https://a.se/t',
    };
    const long = deps({ PROGRAM_FILE: writeProgram(tooLong) });
    expect(await main(['--app-id', BOT_ID, '--out', zip], long.d)).toBe(1);
    expect(long.err()).toMatch(/developer\.name: .*32/);

    const plain = deps({
      PROGRAM_FILE: writeProgram({ ...tooLong, name: 'Sundsvalls kommun', privacyUrl: 'http://a.se/p' }),
    });
    expect(await main(['--app-id', BOT_ID, '--out', zip, '--lang', 'en'], plain.d)).toBe(1);
    expect(plain.err()).toMatch(/developer\.privacyUrl: expected an https address/);
    expect(fs.existsSync(zip)).toBe(false);
  });

  it('refuses to package when the program file cannot be read (the publisher would be the wrong one)', async () => {
    const zip = path.join(tmp, 'app.zip');
    const run = deps({ PROGRAM_FILE: path.join(tmp, 'missing.json') });
    expect(await main(['--app-id', BOT_ID, '--out', zip], run.d)).toBe(1);
    expect(run.err()).toContain('missing.json');
    expect(fs.existsSync(zip)).toBe(false);
  });
});

describe('package CLI and the tab host', () => {
  const HOST = 'kraftsamla.example.se';
  const TAB = `  fliken: https://${HOST}/tab?view=plan (SSO: api://${HOST}/botid-${BOT_ID})`;
  const tabOf = async (zip: string) => {
    const m = (await packedManifest(zip)) as unknown as Record<string, unknown>;
    return { tabs: m.staticTabs, sso: m.webApplicationInfo, domains: m.validDomains };
  };

  it('fills the host in from --host, else from BOT_DOMAIN, and prints where the tab opens', async () => {
    const zip = path.join(tmp, 'app.zip');
    const flag = deps();
    expect(await main(['--app-id', BOT_ID, '--host', 'Kraftsamla.Example.SE', '--out', zip], flag.d)).toBe(0);
    expect(await tabOf(zip)).toEqual({
      tabs: [expect.objectContaining({ entityId: 'overview', contentUrl: `https://${HOST}/tab?view=plan` })],
      sso: { id: BOT_ID, resource: `api://${HOST}/botid-${BOT_ID}` },
      domains: [HOST],
    });
    expect(flag.out().split('\n')[3]).toBe(TAB);
    expect(flag.err()).not.toMatch(/ingen flik/);

    const env = deps({ MICROSOFT_APP_ID: BOT_ID, BOT_DOMAIN: HOST });
    expect(await main(['--out', zip], env.d)).toBe(0);
    expect((await tabOf(zip)).domains).toEqual([HOST]);
    expect(env.out().split('\n')[3]).toBe(TAB);

    // --host wins over BOT_DOMAIN, also over a BOT_DOMAIN that would be refused.
    const both = deps({ MICROSOFT_APP_ID: BOT_ID, BOT_DOMAIN: 'https://old.example.se' });
    expect(await main(['--host', 'ny.example.se', '--out', zip, '--lang', 'en'], both.d)).toBe(0);
    expect((await tabOf(zip)).domains).toEqual(['ny.example.se']);
    expect(both.out().split('\n')[3]).toBe(
      `  tab: https://ny.example.se/tab?view=plan (SSO: api://ny.example.se/botid-${BOT_ID})`,
    );
  });

  it("without a host packages the bot alone and warns that the tab needs the bot's public https host", async () => {
    const zip = path.join(tmp, 'app.zip');
    const sv = deps({ MICROSOFT_APP_ID: BOT_ID });
    expect(await main(['--out', zip], sv.d)).toBe(0);
    expect(await tabOf(zip)).toEqual({ tabs: undefined, sso: undefined, domains: undefined });
    expect(sv.out().split('\n')).toHaveLength(3);
    expect(sv.err()).toMatch(
      /^varning: paketet har ingen flik: programöversikten \(fliken\) och dess inloggning \(SSO\) behöver botens publika https-värd\. Ange --host <namn> \(eller BOT_DOMAIN\)/m,
    );
    const en = deps({ MICROSOFT_APP_ID: BOT_ID, BOT_DOMAIN: '' });
    expect(await main(['--out', zip, '--lang', 'en'], en.d)).toBe(0);
    expect(en.err()).toMatch(
      /^warning: the package has no tab: .* need the bot's public https host\. Pass --host <name> \(or set BOT_DOMAIN\)/m,
    );
  });

  it('refuses a host that is not a bare DNS name, with the usage for --host and naming BOT_DOMAIN', async () => {
    const zip = path.join(tmp, 'app.zip');
    const scheme = deps();
    expect(await main(['--app-id', BOT_ID, '--host', 'https://x', '--out', zip], scheme.d)).toBe(2);
    expect(scheme.err().split('\n')[0]).toBe(
      'fel: --host "https://x": ange bara värdnamnet, utan "https://" (t.ex. kraftsamla.kommun.se)',
    );
    expect(scheme.err()).toContain(packageUsage('sv-SE'));
    expect(packageUsage('sv-SE')).toContain('--host <namn>');
    expect(packageUsage('en-US')).toContain('--host <name>');

    const slash = deps();
    expect(await main(['--host=x/y', '--lang', 'en'], slash.d)).toBe(2);
    expect(slash.err().split('\n')[0]).toBe(
      'error: --host "x/y": give the host name only, without a path (e.g. kraftsamla.kommun.se)',
    );
    const empty = deps();
    expect(await main(['--out', zip, '--host'], empty.d)).toBe(2);
    expect(empty.err().split('\n')[0]).toBe('fel: --host behöver ett värde');
    const single = deps();
    expect(await main(['--host', 'localhost', '--lang', 'en'], single.d)).toBe(2);
    expect(single.err().split('\n')[0]).toMatch(/^error: --host "localhost" is not a fully qualified DNS name/);

    const env = deps({ MICROSOFT_APP_ID: BOT_ID, BOT_DOMAIN: 'kraftsamla.example.se:8443' });
    expect(await main(['--out', zip], env.d)).toBe(1);
    expect(env.err().split('\n')).toEqual([
      'Teams-apppaketet är inte giltigt (1 problem):',
      '  - BOT_DOMAIN "kraftsamla.example.se:8443": ange bara värdnamnet, utan port: Teams öppnar fliken på https-porten 443 (t.ex. kraftsamla.kommun.se)',
    ]);
    expect(fs.existsSync(zip)).toBe(false);
  });

  it('reads BOT_DOMAIN with the other package settings, needing nothing else', () => {
    expect(loadPackageSettings({ BOT_DOMAIN: ' kraftsamla.example.se ' })).toEqual({
      appId: undefined,
      programFile: undefined,
      host: 'kraftsamla.example.se',
    });
    expect(loadPackageSettings({ BOT_DOMAIN: '' }).host).toBeUndefined();
  });
});
