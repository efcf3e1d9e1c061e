/**
 * The Teams app manifest, its icons and the app package (`npm run package`). Everything here
 * runs offline: `fetch` is replaced by a function that fails the test if anything calls it.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as zlib from 'node:zlib';
import JSZip from 'jszip';
import { AppManifestUtils, type AppManifest } from '@microsoft/app-manifest';
import { loadPackageSettings } from '../../config/config';
import { parseCommand } from '../../domain/commands';
import {
  AppPackageError,
  COMMAND_MENU_LIMITS,
  PLACEHOLDER_HOST,
  PLACEHOLDER_ID,
  buildAppPackage,
  bundledManifestVersions,
  bundledSchemaDir,
  checkIcon,
  compareVersions,
  decodePngRgba,
  defaultOutputFile,
  fillManifest,
  parsePackageArgs,
  readManifestDir,
  unicodeSafePattern,
  validateManifestSource,
  type JsonObject,
} from '../../cli/app-package';
import { main, type PackageCliDeps } from '../../cli/package';

// @microsoft/app-manifest requires strip-bom 5, an ES module. Node 20.19+ loads it through
// require(esm), jest's module loader does not; only the manifest readers we never call use it.
jest.mock('strip-bom', () => ({ __esModule: true, default: (s: string) => s.replace(/^\uFEFF/, '') }));

const ROOT = path.resolve(__dirname, '..', '..');
const MANIFEST_DIR = path.join(ROOT, 'manifest');
const BOT_ID = '3f2a6c1e-8d4b-4f7a-9c2e-1b5d7e9f0a12';
const TEAMS_APP_ID = 'a1b2c3d4-e5f6-4a7b-8c9d-0e1f2a3b4c5d';

interface Command {
  title: string;
  description: string;
}
interface CommandList {
  scopes: string[];
  commands: Command[];
}
interface Manifest {
  $schema: string;
  manifestVersion: string;
  version: string;
  id: string;
  developer: Record<string, string>;
  icons: { color: string; outline: string };
  localizationInfo: { defaultLanguageTag: string; additionalLanguages: { languageTag: string; file: string }[] };
  bots: { botId: string; scopes: string[]; supportsFiles?: boolean; commandLists: CommandList[] }[];
  composeExtensions: {
    botId: string;
    commands: { id: string; type: string; title: string; description: string; context: string[]; fetchTask: boolean }[];
  }[];
}

function readJson<T>(file: string): T {
  return JSON.parse(fs.readFileSync(file, 'utf8')) as T;
}

const manifest = readJson<Manifest>(path.join(MANIFEST_DIR, 'manifest.json'));
const svSe = readJson<Record<string, string>>(path.join(MANIFEST_DIR, 'sv-se.json'));

/** Reads width and height straight from the IHDR chunk (independent of the code under test). */
function pngSize(file: string): { width: number; height: number } {
  const b = fs.readFileSync(file);
  expect(b.subarray(0, 8)).toEqual(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]));
  expect(b.toString('ascii', 12, 16)).toBe('IHDR');
  return { width: b.readUInt32BE(16), height: b.readUInt32BE(20) };
}

// A small PNG encoder for test images, with every row filter type so the decoder meets them all.
const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});
function crc32(buf: Buffer): number {
  let c = 0xffffffff;
  for (const byte of buf) c = CRC_TABLE[(c ^ byte) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}
function chunk(type: string, data: Buffer): Buffer {
  const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
  const len = Buffer.alloc(4);
  len.writeUInt32BE(data.length);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body));
  return Buffer.concat([len, body, crc]);
}
function encodePng(size: number, rgba: Buffer, filterOfRow: (y: number) => number = () => 0): Buffer {
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(size, 0);
  ihdr.writeUInt32BE(size, 4);
  ihdr[8] = 8;
  ihdr[9] = 6;
  const stride = size * 4;
  const raw = Buffer.alloc((stride + 1) * size);
  for (let y = 0; y < size; y++) {
    const f = filterOfRow(y);
    raw[y * (stride + 1)] = f;
    for (let x = 0; x < stride; x++) {
      const cur = rgba[y * stride + x];
      const a = x >= 4 ? rgba[y * stride + x - 4] : 0;
      const b = y > 0 ? rgba[(y - 1) * stride + x] : 0;
      const c = x >= 4 && y > 0 ? rgba[(y - 1) * stride + x - 4] : 0;
      const p = a + b - c;
      const paeth =
        Math.abs(p - a) <= Math.abs(p - b) && Math.abs(p - a) <= Math.abs(p - c)
          ? a
          : Math.abs(p - b) <= Math.abs(p - c)
            ? b
            : c;
      const predictor = [0, a, b, (a + b) >> 1, paeth][f];
      raw[y * (stride + 1) + 1 + x] = (cur - predictor) & 0xff;
    }
  }
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', ihdr),
    chunk('IDAT', zlib.deflateSync(raw)),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

const tempDirs: string[] = [];
function tempDir(prefix: string): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  tempDirs.push(dir);
  return dir;
}
afterAll(() => {
  for (const dir of tempDirs) fs.rmSync(dir, { recursive: true, force: true });
});

/** A copy of manifest/ in a temporary folder, for breaking things on purpose. */
function copyManifestDir(): string {
  const dir = tempDir('ks-manifest-');
  fs.cpSync(MANIFEST_DIR, dir, { recursive: true });
  return dir;
}
function editJson(file: string, edit: (doc: Record<string, unknown>) => void): void {
  const doc = readJson<Record<string, unknown>>(file);
  edit(doc);
  fs.writeFileSync(file, JSON.stringify(doc, null, 2));
}
function tmpZip(): string {
  return path.join(tempDir('ks-package-'), 'out', 'app.zip');
}

const realFetch = globalThis.fetch;
const fetchSpy = jest.fn(() => Promise.reject(new Error('a manifest test tried to use the network')));
beforeAll(() => {
  globalThis.fetch = fetchSpy as unknown as typeof fetch;
});
afterAll(() => {
  globalThis.fetch = realFetch;
  expect(fetchSpy).not.toHaveBeenCalled();
});

describe('manifest/manifest.json', () => {
  it('uses a bundled schema version of at least 1.22, named the same in $schema', () => {
    expect(compareVersions(manifest.manifestVersion, '1.22')).toBeGreaterThanOrEqual(0);
    expect(bundledManifestVersions()).toContain(manifest.manifestVersion);
    expect(manifest.$schema).toBe(
      `https://developer.microsoft.com/json-schemas/teams/v${manifest.manifestVersion}/MicrosoftTeams.schema.json`,
    );
  });

  it('validates against the bundled JSON schema, offline', async () => {
    const schema = readJson<object>(
      path.join(bundledSchemaDir(manifest.manifestVersion), 'MicrosoftTeams.schema.json'),
    );
    type SchemaArg = Parameters<typeof AppManifestUtils.validateAgainstSchema>[1];
    const errors = await AppManifestUtils.validateAgainstSchema(
      manifest as unknown as AppManifest,
      schema as SchemaArg,
    );
    expect(errors).toEqual([]);
    expect(fetchSpy).not.toHaveBeenCalled();
  });

  it('passes every check of the packager (schema, localisation, icons, menu limits)', async () => {
    const report = await validateManifestSource(await readManifestDir(MANIFEST_DIR));
    expect(report.errors).toEqual([]);
    expect(fetchSpy).not.toHaveBeenCalled();
  });

  it('has the name Kraftsamla, https developer URLs and the package.json version', () => {
    const pkg = readJson<{ version: string }>(path.join(ROOT, 'package.json'));
    expect(manifest.version).toBe(pkg.version);
    expect(readJson<{ name: { short: string } }>(path.join(MANIFEST_DIR, 'manifest.json')).name.short).toBe(
      'Kraftsamla',
    );
    for (const url of Object.values(manifest.developer).filter((v) => v.includes('://'))) {
      expect(url).toMatch(/^https:\/\//);
    }
  });

  it('keeps the placeholder GUID for both ids, for the packager to fill in', () => {
    expect(manifest.id).toBe(PLACEHOLDER_ID);
    expect(manifest.bots.map((b) => b.botId)).toEqual([PLACEHOLDER_ID]);
  });

  it('has the program overview as a personal tab and a configurable tab, on the placeholder host with SSO', () => {
    const raw = readJson<Record<string, unknown>>(path.join(MANIFEST_DIR, 'manifest.json'));
    expect(PLACEHOLDER_HOST).toBe('kraftsamla.invalid');
    expect(raw.staticTabs).toEqual([
      {
        entityId: 'overview',
        name: 'Program overview',
        contentUrl: 'https://kraftsamla.invalid/tab?view=plan',
        websiteUrl: 'https://kraftsamla.invalid/tab?view=plan',
        scopes: ['personal'],
      },
    ]);
    expect(raw.configurableTabs).toEqual([
      {
        configurationUrl: 'https://kraftsamla.invalid/tab/config',
        canUpdateConfiguration: true,
        scopes: ['team', 'groupChat'],
        context: ['channelTab', 'privateChatTab', 'meetingChatTab', 'meetingDetailsTab'],
      },
    ]);
    expect(raw.validDomains).toEqual(['kraftsamla.invalid']);
    expect(raw.webApplicationInfo).toEqual({
      id: PLACEHOLDER_ID,
      resource: `api://kraftsamla.invalid/botid-${PLACEHOLDER_ID}`,
    });
    // English is the default language (above); the Swedish name is in sv-se.json.
    expect(svSe['staticTabs[0].name']).toBe('Programöversikt');
  });

  it('lets the bot receive files (the plan sent in personal chat): supportsFiles', () => {
    expect(manifest.bots.map((b) => b.supportsFiles)).toEqual([true]);
  });

  it('has the "Log as decision" action command on messages, in the compose box and the command box, its dialog from the bot', () => {
    expect(manifest.composeExtensions).toEqual([
      {
        botId: manifest.bots[0].botId,
        commands: [
          {
            id: 'logDecision',
            type: 'action',
            title: 'Log as decision',
            description: expect.any(String),
            context: ['message', 'compose', 'commandBox'],
            fetchTask: true,
          },
        ],
      },
    ]);
    expect(svSe['composeExtensions[0].commands[0].title']).toBe('Logga som beslut');
    expect(svSe['composeExtensions[0].commands[0].description']).toEqual(expect.any(String));
  });

  it('defaults to English with a Swedish localisation file', () => {
    expect(manifest.localizationInfo.defaultLanguageTag).toBe('en-us');
    expect(manifest.localizationInfo.additionalLanguages).toEqual([{ languageTag: 'sv-se', file: 'sv-se.json' }]);
    expect(svSe.$schema).toBe(
      `https://developer.microsoft.com/json-schemas/teams/v${manifest.manifestVersion}/MicrosoftTeams.Localization.schema.json`,
    );
  });
});

describe('localisation schema workaround', () => {
  // The bundled localisation schemas have `\b]` patterns that are invalid with ajv's `u` flag.
  const pattern = String.raw`^activities.activityTypes\[\b([0-9]|[1-8][0-9]|9[0-9]|1[01][0-9]|12[0-7])\b]\.description$`;

  it('makes lone ] patterns valid in unicode mode without changing what they match', () => {
    expect(() => new RegExp(pattern, 'u')).toThrow();
    const fixed = new RegExp(unicodeSafePattern(pattern), 'u');
    const original = new RegExp(pattern);
    for (const s of [
      'activities.activityTypes[0].description',
      'activities.activityTypes[127].description',
      'activities.activityTypes[128].description',
      'activities.activityTypes[0]].description',
      'x',
    ]) {
      expect(fixed.test(s)).toBe(original.test(s));
    }
  });

  it('leaves character classes and escapes alone', () => {
    expect(unicodeSafePattern(String.raw`^[a-z\]]+\]$`)).toBe(String.raw`^[a-z\]]+\]$`);
    expect(unicodeSafePattern(String.raw`^bots\[0\]\.x$`)).toBe(String.raw`^bots\[0\]\.x$`);
  });
});

describe('icons', () => {
  it('color.png is 192×192 and outline.png is 32×32', () => {
    expect(pngSize(path.join(MANIFEST_DIR, manifest.icons.color))).toEqual({ width: 192, height: 192 });
    expect(pngSize(path.join(MANIFEST_DIR, manifest.icons.outline))).toEqual({ width: 32, height: 32 });
  });

  it('the outline icon is white on a transparent background', () => {
    const { rgba } = decodePngRgba(fs.readFileSync(path.join(MANIFEST_DIR, manifest.icons.outline)));
    let transparent = 0;
    let white = 0;
    for (let i = 0; i < rgba.length; i += 4) {
      if (rgba[i + 3] === 0) transparent++;
      else if (rgba[i] === 255 && rgba[i + 1] === 255 && rgba[i + 2] === 255) white++;
    }
    expect(transparent).toBeGreaterThan(100);
    expect(white).toBe(32 * 32 - transparent);
  });

  it('the color icon is opaque in the middle', () => {
    const { rgba } = decodePngRgba(fs.readFileSync(path.join(MANIFEST_DIR, manifest.icons.color)));
    const centre = (96 * 192 + 96) * 4;
    expect(rgba[centre + 3]).toBe(255);
  });

  it('decodes every PNG row filter', () => {
    const size = 9;
    const rgba = Buffer.alloc(size * size * 4);
    for (let i = 0; i < rgba.length; i++) rgba[i] = (i * 37 + (i >> 3) * 11) & 0xff;
    const png = encodePng(size, rgba, (y) => y % 5);
    expect(decodePngRgba(png)).toEqual({ width: size, height: size, rgba });
  });

  it('rejects an icon of the wrong size and a coloured outline icon', () => {
    const red = Buffer.alloc(32 * 32 * 4);
    for (let i = 0; i < red.length; i += 4) if (i % 8 === 0) red.set([255, 0, 0, 255], i);
    const redPng = encodePng(32, red);
    expect(checkIcon('color', 'color.png', redPng)).toEqual([
      'color.png: the color icon must be 192×192 pixels, it is 32×32',
    ]);
    expect(checkIcon('outline', 'outline.png', redPng).join('\n')).toMatch(/white on transparent/);
    expect(checkIcon('outline', 'outline.png', Buffer.from('not a png'))).toEqual(['outline.png: not a PNG file']);
  });
});

describe('command menus', () => {
  const lists = manifest.bots[0].commandLists;
  const listFor = (scope: string) => {
    const matching = lists.filter((l) => l.scopes.includes(scope));
    expect(matching).toHaveLength(1);
    return { list: matching[0], index: lists.indexOf(matching[0]) };
  };
  const swedish = (listIndex: number, commandIndex: number, field: 'title' | 'description') =>
    svSe[`bots[0].commandLists[${listIndex}].commands[${commandIndex}].${field}`];

  it('has one list per bot scope, and the bot is in team, groupChat and personal', () => {
    expect([...manifest.bots[0].scopes].sort()).toEqual(['groupChat', 'personal', 'team']);
    for (const scope of manifest.bots[0].scopes) listFor(scope);
  });

  it('lists every command in English in team channels', () => {
    expect(listFor('team').list.commands.map((c) => c.title)).toEqual([
      'help',
      'link',
      'actions',
      'checkin',
      'decision',
      'decisions',
      'digest',
      'protocol',
    ]);
  });

  it('lists every command in Swedish in team channels (sv-se.json)', () => {
    const { list, index } = listFor('team');
    expect(list.commands.map((_, c) => swedish(index, c, 'title'))).toEqual([
      'hjälp',
      'koppla',
      'åtgärder',
      'incheckning',
      'beslut',
      'beslutslogg',
      'sammanfattning',
      'protokoll',
    ]);
    expect(swedish(index, 0, 'description')).toBe('Vad Kraftsamla kan göra här');
    expect(swedish(index, 1, 'description')).toBe('Koppla kanalen till ett team: koppla bostäder');
  });

  it('offers only commands the bot understands, in both languages', () => {
    const expected = ['help', 'link', 'actions', 'checkin', 'decision', 'decisions', 'digest', 'protocol'];
    lists.forEach((list, l) => {
      list.commands.forEach((cmd, c) => {
        const name = parseCommand(cmd.title)?.name;
        expect(expected).toContain(name);
        expect(parseCommand(swedish(l, c, 'title'))?.name).toBe(name);
      });
    });
  });

  it('offers in chats only what works outside a channel, always with help', () => {
    const team = listFor('team').list.commands.map((c) => c.title);
    for (const scope of ['groupChat', 'personal']) {
      const { list, index } = listFor(scope);
      const titles = list.commands.map((c) => c.title);
      expect(titles).toContain('help');
      expect(titles).not.toContain('link'); // linking is for channels only
      for (const t of titles) expect(team).toContain(t);
      expect(list.commands.map((_, c) => swedish(index, c, 'title'))).toContain('hjälp');
    }
  });

  it('keeps within the menu limits in both languages, with every command translated', () => {
    lists.forEach((list, l) => {
      expect(list.commands.length).toBeLessThanOrEqual(COMMAND_MENU_LIMITS.commandsPerList);
      list.commands.forEach((cmd, c) => {
        for (const title of [cmd.title, swedish(l, c, 'title')]) {
          expect(typeof title).toBe('string');
          expect(title.length).toBeGreaterThan(0);
          expect(title.length).toBeLessThanOrEqual(COMMAND_MENU_LIMITS.title);
        }
        for (const description of [cmd.description, swedish(l, c, 'description')]) {
          expect(typeof description).toBe('string');
          expect(description.length).toBeLessThanOrEqual(COMMAND_MENU_LIMITS.description);
        }
      });
    });
    expect(COMMAND_MENU_LIMITS).toEqual({ commandsPerList: 10, title: 32, description: 128 });
  });
});

describe('the steering meeting', () => {
  const raw = readJson<Record<string, unknown>>(path.join(MANIFEST_DIR, 'manifest.json'));

  it('puts the bot in group and meeting chats, asking only the consent the meeting needs', () => {
    expect(manifest.bots[0].scopes).toContain('groupChat');
    expect(raw.defaultGroupCapability).toMatchObject({ groupchat: 'bot', meetings: 'bot' });
    // Manifest 1.12+ declares resource-specific consent under authorization, as application permissions.
    expect(Number(manifest.manifestVersion.split('.')[1])).toBeGreaterThanOrEqual(12);
    expect(raw.authorization).toEqual({
      permissions: {
        resourceSpecific: [
          { name: 'OnlineMeeting.ReadBasic.Chat', type: 'Application' },
          { name: 'ChatMember.Read.Chat', type: 'Application' },
        ],
      },
    });
    expect(raw).not.toHaveProperty('webApplicationInfo.applicationPermissions');
  });

  it('offers decision and protocol in group chats, in both languages', () => {
    const index = manifest.bots[0].commandLists.findIndex((l) => l.scopes.includes('groupChat'));
    const list = manifest.bots[0].commandLists[index]!;
    expect(list.commands.map((c) => c.title)).toEqual(['help', 'decision', 'decisions', 'protocol', 'digest']);
    expect(list.commands.map((_, c) => svSe[`bots[0].commandLists[${index}].commands[${c}].title`])).toEqual([
      'hjälp',
      'beslut',
      'beslutslogg',
      'protokoll',
      'sammanfattning',
    ]);
  });
});

describe('app package', () => {
  async function unzip(file: string): Promise<JSZip> {
    return JSZip.loadAsync(fs.readFileSync(file));
  }

  it('zips the filled manifest with the icons and the Swedish strings', async () => {
    const outFile = tmpZip();
    const host = 'kraftsamla.example.se';
    const result = await buildAppPackage({ botId: BOT_ID, host, outFile });
    expect(result.zipPath).toBe(outFile);
    const zip = await unzip(outFile);
    expect(Object.keys(zip.files).sort()).toEqual(['color.png', 'manifest.json', 'outline.png', 'sv-se.json']);

    const packed = JSON.parse(await zip.file('manifest.json')!.async('string')) as Manifest;
    expect(packed.bots[0].botId).toBe(BOT_ID);
    expect(packed.id).toBe(BOT_ID);
    // The message extension is the bot's own: the same id, filled in the same way.
    expect(packed.composeExtensions.map((x) => x.botId)).toEqual([BOT_ID]);
    // Nothing else changed: the ids and the host put back, it is the committed manifest.
    const text = JSON.stringify(packed);
    expect(text).not.toContain(PLACEHOLDER_HOST);
    expect(JSON.parse(text.split(BOT_ID).join(PLACEHOLDER_ID).split(host).join(PLACEHOLDER_HOST))).toEqual(manifest);
    for (const name of ['color.png', 'outline.png', 'sv-se.json']) {
      expect(await zip.file(name)!.async('nodebuffer')).toEqual(fs.readFileSync(path.join(MANIFEST_DIR, name)));
    }
    expect(result.warnings.join('\n')).not.toMatch(/placeholder 0000/);
  });

  it('takes a separate Teams app id, and writes build/appPackage/kraftsamla-<version>.zip by default', async () => {
    const outFile = tmpZip();
    await buildAppPackage({ botId: BOT_ID, teamsAppId: TEAMS_APP_ID, outFile });
    const packed = JSON.parse(await (await unzip(outFile)).file('manifest.json')!.async('string')) as Manifest;
    expect(packed.id).toBe(TEAMS_APP_ID);
    expect(packed.bots[0].botId).toBe(BOT_ID);
    expect(defaultOutputFile(manifest as unknown as JsonObject)).toBe(
      path.join(ROOT, 'build', 'appPackage', `kraftsamla-${manifest.version}.zip`),
    );
  });

  it('keeps the placeholder ids, with a warning, when no bot id is known', async () => {
    const outFile = tmpZip();
    const result = await buildAppPackage({ outFile });
    const packed = JSON.parse(await (await unzip(outFile)).file('manifest.json')!.async('string')) as Manifest;
    expect(packed.bots[0].botId).toBe(PLACEHOLDER_ID);
    expect(result.warnings.join('\n')).toMatch(
      /bot id .*placeholder 00000000-0000-0000-0000-000000000000.*MICROSOFT_APP_ID/,
    );
  });

  it('fills a copy and leaves the source manifest alone', () => {
    const source = readJson<JsonObject>(path.join(MANIFEST_DIR, 'manifest.json'));
    const filled = fillManifest(source, { botId: BOT_ID });
    expect(filled.id).toBe(BOT_ID);
    expect(source.id).toBe(PLACEHOLDER_ID);
    expect(() => fillManifest(source, { botId: 'not-a-guid' })).toThrow(/not a GUID/);
  });

  it('rejects a manifest without a required field, naming the field, and writes nothing', async () => {
    const dir = copyManifestDir();
    editJson(path.join(dir, 'manifest.json'), (m) => delete m.developer);
    const outFile = tmpZip();
    const failure = buildAppPackage({ manifestDir: dir, botId: BOT_ID, outFile });
    await expect(failure).rejects.toBeInstanceOf(AppPackageError);
    await expect(failure).rejects.toThrow(/manifest\.json \(root\): must have required property 'developer'/);
    expect(fs.existsSync(outFile)).toBe(false);
  });

  it('rejects what the schema allows but the command menu does not', async () => {
    const dir = copyManifestDir();
    editJson(path.join(dir, 'manifest.json'), (m) => {
      const bots = m.bots as Manifest['bots'];
      bots[0].commandLists[0].commands[0].title = 'help me with everything you can do';
    });
    await expect(buildAppPackage({ manifestDir: dir, botId: BOT_ID, outFile: tmpZip() })).rejects.toThrow(
      /\/bots\/0\/commandLists\/0\/commands\/0\/title: "help me with everything you can do" is 34 characters, the menu allows 32/,
    );
  });

  it('rejects a localisation file that misses a command or names one that does not exist', async () => {
    const dir = copyManifestDir();
    editJson(path.join(dir, 'sv-se.json'), (s) => {
      delete s['bots[0].commandLists[0].commands[3].title'];
      s['bots[0].commandLists[0].commands[9].title'] = 'spöke';
    });
    const failure = buildAppPackage({ manifestDir: dir, botId: BOT_ID, outFile: tmpZip() });
    await expect(failure).rejects.toThrow(/sv-se\.json: missing "bots\[0\]\.commandLists\[0\]\.commands\[3\]\.title"/);
    await expect(failure).rejects.toThrow(
      /sv-se\.json "bots\[0\]\.commandLists\[0\]\.commands\[9\]\.title": manifest\.json has no such command/,
    );
  });

  it('rejects a localisation file that breaks the localisation schema', async () => {
    const dir = copyManifestDir();
    editJson(path.join(dir, 'sv-se.json'), (s) => {
      s['name.short'] = 'Kraftsamla – programkontoret i Härnösand';
    });
    await expect(buildAppPackage({ manifestDir: dir, botId: BOT_ID, outFile: tmpZip() })).rejects.toThrow(
      /sv-se\.json \/name\.short: must NOT have more than 30 characters/,
    );
  });

  it('rejects a manifest version whose schema is not bundled, instead of fetching it', async () => {
    const dir = copyManifestDir();
    editJson(path.join(dir, 'manifest.json'), (m) => {
      m.manifestVersion = '1.99';
    });
    await expect(buildAppPackage({ manifestDir: dir, botId: BOT_ID, outFile: tmpZip() })).rejects.toThrow(
      /manifestVersion: no bundled schema for "1\.99"/,
    );
  });

  it('rejects icons of the wrong size and a missing icon file', async () => {
    const dir = copyManifestDir();
    fs.copyFileSync(path.join(dir, 'outline.png'), path.join(dir, 'color.png'));
    fs.rmSync(path.join(dir, 'outline.png'));
    const failure = buildAppPackage({ manifestDir: dir, botId: BOT_ID, outFile: tmpZip() });
    await expect(failure).rejects.toThrow(/color\.png: the color icon must be 192×192 pixels, it is 32×32/);
    await expect(failure).rejects.toThrow(/"outline\.png" is named but .* does not exist/);
  });
});

describe('npm run package (cli/package.ts)', () => {
  function deps(env: Record<string, string> = {}, manifestDir?: string) {
    const out: string[] = [];
    const err: string[] = [];
    const d: PackageCliDeps = {
      loadSettings: () => loadPackageSettings(env),
      out: (line) => out.push(line),
      err: (line) => err.push(line),
      manifestDir,
    };
    return { d, out, err };
  }
  async function packedBotId(file: string): Promise<string> {
    const zip = await JSZip.loadAsync(fs.readFileSync(file));
    return (JSON.parse(await zip.file('manifest.json')!.async('string')) as Manifest).bots[0].botId;
  }

  it('takes the bot id from MICROSOFT_APP_ID', async () => {
    const outFile = tmpZip();
    const { d, out } = deps({ MICROSOFT_APP_ID: BOT_ID, MICROSOFT_APP_PASSWORD: 'not-used-here' });
    expect(await main(['--out', outFile], d)).toBe(0);
    expect(await packedBotId(outFile)).toBe(BOT_ID);
    expect(out.join('\n')).toMatch(/Skrev .*app\.zip/);
  });

  it('lets --app-id win over the configuration', async () => {
    const outFile = tmpZip();
    const other = 'bbbbbbbb-cccc-4ddd-8eee-ffffffffffff';
    const { d } = deps({ MICROSOFT_APP_ID: BOT_ID, MICROSOFT_APP_PASSWORD: 'x' });
    expect(await main([`--app-id=${other}`, '--out', outFile], d)).toBe(0);
    expect(await packedBotId(outFile)).toBe(other);
  });

  it('warns and keeps the placeholder when MICROSOFT_APP_ID is unset', async () => {
    const outFile = tmpZip();
    const { d, err } = deps({});
    expect(await main(['--out', outFile], d)).toBe(0);
    expect(await packedBotId(outFile)).toBe(PLACEHOLDER_ID);
    expect(err.join('\n')).toMatch(/varning: bot-id .*platshållaren.*MICROSOFT_APP_ID/);
  });

  it('packages without a password (the packager needs no secret) and explains a broken program instead of packaging', async () => {
    const outFile = tmpZip();
    expect(await main(['--out', outFile], deps({ MICROSOFT_APP_ID: BOT_ID }).d)).toBe(0);
    expect(await packedBotId(outFile)).toBe(BOT_ID);
    const { d, err } = deps({ MICROSOFT_APP_ID: BOT_ID, PROGRAM_FILE: path.join(os.tmpdir(), 'no-such-program.json') });
    expect(await main(['--out', tmpZip()], d)).toBe(1);
    expect(err.join('\n')).toMatch(/no-such-program\.json/);
  });

  it('prints the schema errors and exits 1 for an invalid manifest', async () => {
    const dir = copyManifestDir();
    editJson(path.join(dir, 'manifest.json'), (m) => delete m.icons);
    const { d, err } = deps({}, dir);
    expect(await main(['--app-id', BOT_ID, '--out', tmpZip()], d)).toBe(1);
    // The program's language (Swedish by default), also for the JSON schema's errors.
    expect(err.join('\n')).toMatch(/manifest\.json \(roten\): egenskapen 'icons' saknas/);
  });

  it('rejects unknown arguments and ids that are not GUIDs with exit code 2', async () => {
    expect(await main(['--nope'], deps().d)).toBe(2);
    expect(await main(['--app-id', 'abc'], deps().d)).toBe(2);
    expect(await main(['--app-id'], deps().d)).toBe(2);
    expect(() => parsePackageArgs(['--teams-app-id', '123'])).toThrow(/not a GUID/);
    expect(parsePackageArgs(['--app-id', BOT_ID, '--teams-app-id', TEAMS_APP_ID, '--out', 'x.zip'])).toEqual({
      help: false,
      appId: BOT_ID,
      teamsAppId: TEAMS_APP_ID,
      out: 'x.zip',
    });
  });
});
