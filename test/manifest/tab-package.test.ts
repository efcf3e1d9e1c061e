/**
 * The program overview tab in the app package: with the bot's host the zip lists the personal
 * and the configurable tab there, the host as valid domain and the SSO registration with the bot
 * id, and passes the bundled schema and every check of the packager; without a host none of it
 * (nor the tab's Swedish name) and a warning; a host that is not a bare DNS name is refused; a
 * manifest whose tabs Teams would refuse is refused. Offline, like test/manifest/manifest.test.ts.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import JSZip from 'jszip';
import { AppManifestUtils, type AppManifest } from '@microsoft/app-manifest';
import {
  AppPackageError,
  buildAppPackage,
  bundledSchemaDir,
  type JsonObject,
  PLACEHOLDER_HOST,
  readManifestDir,
  validateManifestSource,
} from '../../cli/app-package';

// @microsoft/app-manifest requires strip-bom 5, an ES module jest cannot require (as in manifest.test.ts).
jest.mock('strip-bom', () => ({ __esModule: true, default: (s: string) => s.replace(/^\uFEFF/, '') }));

const MANIFEST_DIR = path.join(__dirname, '..', '..', 'manifest');
const BOT_ID = '3f2a6c1e-8d4b-4f7a-9c2e-1b5d7e9f0a12';
const HOST = 'kraftsamla.example.se';

const realFetch = globalThis.fetch;
const fetchSpy = jest.fn(() => Promise.reject(new Error('a manifest test tried to use the network')));
let tmp: string;
beforeAll(() => {
  globalThis.fetch = fetchSpy as unknown as typeof fetch;
});
afterAll(() => {
  globalThis.fetch = realFetch;
  expect(fetchSpy).not.toHaveBeenCalled();
});
beforeEach(() => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'ks-tab-package-'));
});
afterEach(() => {
  fs.rmSync(tmp, { recursive: true, force: true });
});

const readJson = (file: string) => JSON.parse(fs.readFileSync(file, 'utf8')) as JsonObject;
const committedSv = readJson(path.join(MANIFEST_DIR, 'sv-se.json'));

/** The zip's files, unpacked into a folder of their own (so the packager can read them again). */
async function unpack(zipFile: string): Promise<{ dir: string; manifest: JsonObject; sv: JsonObject }> {
  const zip = await JSZip.loadAsync(fs.readFileSync(zipFile));
  const dir = path.join(tmp, 'unpacked');
  fs.mkdirSync(dir, { recursive: true });
  for (const name of Object.keys(zip.files)) {
    fs.writeFileSync(path.join(dir, name), await zip.file(name)!.async('nodebuffer'));
  }
  return { dir, manifest: readJson(path.join(dir, 'manifest.json')), sv: readJson(path.join(dir, 'sv-se.json')) };
}

async function schemaErrors(manifest: JsonObject): Promise<unknown[]> {
  const schema = readJson(path.join(bundledSchemaDir(String(manifest.manifestVersion)), 'MicrosoftTeams.schema.json'));
  type SchemaArg = Parameters<typeof AppManifestUtils.validateAgainstSchema>[1];
  return AppManifestUtils.validateAgainstSchema(manifest as unknown as AppManifest, schema as unknown as SchemaArg);
}

/** A copy of manifest/ with manifest.json (and sv-se.json) changed by the edits. */
function editedManifestDir(edit: (m: JsonObject) => void, editSv: (s: JsonObject) => void = () => undefined): string {
  const dir = path.join(tmp, 'manifest');
  fs.cpSync(MANIFEST_DIR, dir, { recursive: true });
  for (const [file, change] of [
    ['manifest.json', edit],
    ['sv-se.json', editSv],
  ] as const) {
    const doc = readJson(path.join(dir, file));
    change(doc);
    fs.writeFileSync(path.join(dir, file), JSON.stringify(doc, null, 2));
  }
  return dir;
}

async function problems(options: Parameters<typeof buildAppPackage>[0]): Promise<readonly string[]> {
  try {
    await buildAppPackage(options);
  } catch (err) {
    if (err instanceof AppPackageError) return err.problems;
    throw err;
  }
  throw new Error('the package was built');
}

describe('the app package with the bot host', () => {
  it('has both tabs on the host, the host as valid domain and the SSO resource with the bot id', async () => {
    const outFile = path.join(tmp, 'app.zip');
    const result = await buildAppPackage({ botId: BOT_ID, host: HOST, outFile });
    const { manifest, sv, dir } = await unpack(outFile);

    expect(manifest.staticTabs).toEqual([
      {
        entityId: 'overview',
        name: 'Program overview',
        contentUrl: 'https://kraftsamla.example.se/tab?view=plan',
        websiteUrl: 'https://kraftsamla.example.se/tab?view=plan',
        scopes: ['personal'],
      },
    ]);
    expect(manifest.configurableTabs).toEqual([
      {
        configurationUrl: 'https://kraftsamla.example.se/tab/config',
        canUpdateConfiguration: true,
        scopes: ['team', 'groupChat'],
        context: ['channelTab', 'privateChatTab', 'meetingChatTab', 'meetingDetailsTab'],
      },
    ]);
    expect(manifest.validDomains).toEqual([HOST]);
    expect(manifest.webApplicationInfo).toEqual({
      id: BOT_ID,
      resource: 'api://kraftsamla.example.se/botid-3f2a6c1e-8d4b-4f7a-9c2e-1b5d7e9f0a12',
    });
    expect(JSON.stringify(manifest)).not.toContain(PLACEHOLDER_HOST);
    expect(sv).toEqual(committedSv);
    expect(sv['staticTabs[0].name']).toBe('Programöversikt');

    // Valid against the bundled schema as Microsoft's util checks it, and by every check of ours.
    expect(await schemaErrors(manifest)).toEqual([]);
    expect((await validateManifestSource(await readManifestDir(dir))).errors).toEqual([]);
    expect(result.warnings.join('\n')).not.toMatch(/no tab/);
  });

  it('writes the host in lower case, as the App ID URI wants it', async () => {
    const outFile = path.join(tmp, 'app.zip');
    await buildAppPackage({ botId: BOT_ID, host: 'Kraftsamla.Example.SE', outFile });
    const { manifest } = await unpack(outFile);
    expect(manifest.validDomains).toEqual([HOST]);
    expect((manifest.webApplicationInfo as JsonObject).resource).toBe(`api://${HOST}/botid-${BOT_ID}`);
  });

  it("names the tab's own app registration when it has one (a bot running as a managed identity), and refuses one that is no GUID", async () => {
    const outFile = path.join(tmp, 'app.zip');
    const tabAppId = '3c9d1f2e-4b5a-4c6d-9e8f-7a6b5c4d3e2f';
    await buildAppPackage({ botId: BOT_ID, host: HOST, tabAppId, outFile });
    const { manifest } = await unpack(outFile);
    expect(manifest.webApplicationInfo).toEqual({ id: tabAppId, resource: `api://${HOST}/${tabAppId}` });
    expect(await schemaErrors(manifest)).toEqual([]);
    expect((await problems({ botId: BOT_ID, host: HOST, tabAppId: 'not-a-guid', outFile })).join('\n')).toContain(
      'TAB_APP_ID',
    );
  });
});

describe('the app package without a host', () => {
  it('leaves out the tabs, the valid domains and the SSO, and the tab name in Swedish, with a warning', async () => {
    const outFile = path.join(tmp, 'app.zip');
    const result = await buildAppPackage({ botId: BOT_ID, outFile });
    const { manifest, sv, dir } = await unpack(outFile);

    for (const key of ['staticTabs', 'configurableTabs', 'validDomains', 'webApplicationInfo']) {
      expect(manifest).not.toHaveProperty(key);
    }
    expect(JSON.stringify(manifest)).not.toContain(PLACEHOLDER_HOST);
    const { ['staticTabs[0].name']: tabName, ...rest } = committedSv;
    expect(tabName).toBe('Programöversikt');
    expect(sv).toEqual(rest);
    // The bot is all there.
    expect((manifest.bots as JsonObject[])[0]!.botId).toBe(BOT_ID);

    expect(result.warnings).toContain(
      "the package has no tab: the program overview (the tab) and its sign-in (SSO) need the bot's public https host. Pass --host <name> (or set BOT_DOMAIN), e.g. --host kraftsamla.kommun.se. The bot works without it.",
    );
    expect(await schemaErrors(manifest)).toEqual([]);
    expect((await validateManifestSource(await readManifestDir(dir))).errors).toEqual([]);
  });

  it('warns in Swedish too', async () => {
    const result = await buildAppPackage({ botId: BOT_ID, outFile: path.join(tmp, 'app.zip'), locale: 'sv-SE' });
    expect(result.warnings.join('\n')).toMatch(
      /^paketet har ingen flik: programöversikten \(fliken\) och dess inloggning \(SSO\) behöver botens publika https-värd\. Ange --host <namn>/m,
    );
  });
});

describe('hosts and tabs the packager refuses', () => {
  it.each([
    ['https://x', 'host "https://x": give the host name only, without "https://" (e.g. kraftsamla.kommun.se)'],
    ['x/y', 'host "x/y": give the host name only, without a path (e.g. kraftsamla.kommun.se)'],
    [
      'kraftsamla.example.se:8443',
      'host "kraftsamla.example.se:8443": give the host name only, without a port: Teams opens the tab on the https port, 443 (e.g. kraftsamla.kommun.se)',
    ],
  ])('refuses the host %j, naming what is wrong, and writes nothing', async (host, problem) => {
    const outFile = path.join(tmp, 'app.zip');
    expect(await problems({ botId: BOT_ID, host, outFile })).toEqual([problem]);
    expect(fs.existsSync(outFile)).toBe(false);
  });

  it('refuses a tab on plain http, a tab on a host outside validDomains and an SSO resource of another app', async () => {
    const other = 'bbbbbbbb-cccc-4ddd-8eee-ffffffffffff';
    const dir = editedManifestDir((m) => {
      const [personal] = m.staticTabs as JsonObject[];
      personal!.websiteUrl = `http://${PLACEHOLDER_HOST}/tab?view=plan`;
      const [configurable] = m.configurableTabs as JsonObject[];
      configurable!.configurationUrl = 'https://elsewhere.example.se/tab/config';
      (m.webApplicationInfo as JsonObject).resource = `api://${PLACEHOLDER_HOST}/botid-${other}`;
    });
    expect(await problems({ manifestDir: dir, botId: BOT_ID, host: HOST, outFile: path.join(tmp, 'a.zip') })).toEqual([
      `manifest.json /staticTabs/0/websiteUrl: "http://${HOST}/tab?view=plan" must be an https URL`,
      `manifest.json /configurableTabs/0/configurationUrl: the host elsewhere.example.se of "https://elsewhere.example.se/tab/config" is not in validDomains`,
      `manifest.json /webApplicationInfo/resource: "api://${HOST}/botid-${other}" must be api://<a host in validDomains>/botid-${BOT_ID} (or /${BOT_ID})`,
    ]);
  });

  it('refuses a Swedish file without the tab name, or with a name for a tab that is not there', async () => {
    const dir = editedManifestDir(
      () => undefined,
      (sv) => {
        delete sv['staticTabs[0].name'];
        sv['staticTabs[2].name'] = 'Spöke';
      },
    );
    expect(
      await problems({
        manifestDir: dir,
        botId: BOT_ID,
        host: HOST,
        outFile: path.join(tmp, 'a.zip'),
        locale: 'sv-SE',
      }),
    ).toEqual([
      'sv-se.json "staticTabs[2].name": manifest.json har ingen sådan flik',
      'sv-se.json: "staticTabs[0].name" saknas (manifest.json har "Program overview")',
    ]);
  });
});
