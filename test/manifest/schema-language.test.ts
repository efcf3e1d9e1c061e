/**
 * The JSON schema's errors (ajv, set up as `AppManifestUtils.validateAgainstSchema` sets it up) in
 * Swedish and English: ajv's keyword and params become a text, the instance path stays as ajv gives it; a
 * keyword without a text keeps ajv's English message. Offline, like test/manifest.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { ErrorObject } from 'ajv';
import {
  AppPackageError,
  buildAppPackage,
  checkIcon,
  schemaProblem,
  validateAgainstSchema,
  type JsonObject,
} from '../../cli/app-package';
import { main, type PackageCliDeps } from '../../cli/package';
import { loadPackageSettings } from '../../config/config';

// @microsoft/app-manifest requires strip-bom 5, an ES module jest cannot require (as in test/manifest).
jest.mock('strip-bom', () => ({ __esModule: true, default: (s: string) => s.replace(/^\uFEFF/, '') }));

const MANIFEST_DIR = path.join(__dirname, '..', '..', 'manifest');
const BOT_ID = '3f2a6c1e-8d4b-4f7a-9c2e-1b5d7e9f0a12';

const realFetch = globalThis.fetch;
let tmp: string;
beforeAll(() => {
  globalThis.fetch = (() => Promise.reject(new Error('schema validation tried to use the network'))) as typeof fetch;
});
afterAll(() => {
  globalThis.fetch = realFetch;
});
beforeEach(() => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'ks-schema-lang-'));
});
afterEach(() => {
  fs.rmSync(tmp, { recursive: true, force: true });
});

/** A manifest folder whose manifest.json is changed by `edit`. */
function brokenManifest(edit: (m: JsonObject) => void): string {
  const dir = path.join(tmp, 'manifest');
  fs.cpSync(MANIFEST_DIR, dir, { recursive: true });
  const file = path.join(dir, 'manifest.json');
  const m = JSON.parse(fs.readFileSync(file, 'utf8')) as JsonObject;
  edit(m);
  fs.writeFileSync(file, JSON.stringify(m, null, 2));
  return dir;
}

async function problems(dir: string, locale: 'sv-SE' | 'en-US'): Promise<readonly string[]> {
  try {
    await buildAppPackage({ manifestDir: dir, botId: BOT_ID, outFile: path.join(tmp, 'x.zip'), locale });
  } catch (err) {
    if (err instanceof AppPackageError) return err.problems;
    throw err;
  }
  throw new Error('the package was built');
}

/** A JSON schema with one property per keyword we translate (2020-12: ajv's full vocabulary). */
const schema = {
  $schema: 'https://json-schema.org/draft/2020-12/schema',
  type: 'object',
  required: ['name'],
  additionalProperties: false,
  properties: {
    name: { type: 'string', minLength: 2, maxLength: 5 },
    kind: { enum: ['bot', 'tab'] },
    version: { const: 2 },
    id: { type: 'string', pattern: '^[a-z]+$' },
    site: { type: 'string', format: 'uri' },
    tags: { type: 'array', minItems: 1, maxItems: 2, uniqueItems: true },
    size: { type: 'integer', minimum: 1, maximum: 10 },
    ratio: { type: 'number', exclusiveMinimum: 0, exclusiveMaximum: 1 },
    flag: { type: 'boolean' },
    deps: { type: 'object', dependentRequired: { a: ['b'] } },
  },
};

describe('JSON schema errors in Swedish and English', () => {
  it('translates the manifest schema errors of a package, keeping the paths', async () => {
    const dir = brokenManifest((m) => {
      delete m.developer;
      (m.name as JsonObject).short = 'Kraftsamla – programkontoret i Härnösand';
      m.colour = 'red';
      m.accentColor = 'red';
    });
    expect(await problems(dir, 'sv-SE')).toEqual([
      "manifest.json (roten): egenskapen 'developer' saknas",
      "manifest.json (roten): får inte ha egenskapen 'colour'",
      'manifest.json /name/short: får inte ha fler än 30 tecken',
      'manifest.json /accentColor: ska matcha mönstret "^#[0-9a-fA-F]{6}$"',
    ]);
    expect(await problems(dir, 'en-US')).toEqual([
      "manifest.json (root): must have required property 'developer'",
      "manifest.json (root): must NOT have additional properties ('colour')",
      'manifest.json /name/short: must NOT have more than 30 characters',
      'manifest.json /accentColor: must match pattern "^#[0-9a-fA-F]{6}$"',
    ]);
  });

  it("prints them in the CLI's language: Swedish by default, English with --lang en", async () => {
    const dir = brokenManifest((m) => {
      ((m.bots as JsonObject[])[0] as JsonObject).scopes = ['everywhere'];
    });
    const run = async (argv: string[]) => {
      const err: string[] = [];
      const deps: PackageCliDeps = {
        loadSettings: () => loadPackageSettings({}),
        out: () => undefined,
        err: (l) => err.push(l),
        manifestDir: dir,
      };
      expect(await main(['--app-id', BOT_ID, '--out', path.join(tmp, 'x.zip'), ...argv], deps)).toBe(1);
      return err.join('\n').split('\n');
    };
    expect(await run([])).toEqual([
      'Teams-apppaketet är inte giltigt (1 problem):',
      '  - manifest.json /bots/0/scopes/0: ska vara ett av de tillåtna värdena: "team", "personal", "groupChat", "copilot"',
    ]);
    expect(await run(['--lang', 'en'])).toEqual([
      'The Teams app package is not valid (1 problem):',
      '  - manifest.json /bots/0/scopes/0: must be equal to one of the allowed values: "team", "personal", "groupChat", "copilot"',
    ]);
  });

  it("translates each keyword of ajv's real errors", async () => {
    const doc: JsonObject = {
      extra: 1,
      kind: 'page',
      version: 3,
      id: 'ABC',
      site: 'not a uri',
      tags: [],
      size: 11,
      ratio: 1,
      flag: 'yes',
    };
    expect(await validateAgainstSchema('x.json', doc, schema, 'sv-SE')).toEqual([
      "x.json (roten): egenskapen 'name' saknas",
      "x.json (roten): får inte ha egenskapen 'extra'",
      'x.json /kind: ska vara ett av de tillåtna värdena: "bot", "tab"',
      'x.json /version: ska vara 2',
      'x.json /id: ska matcha mönstret "^[a-z]+$"',
      'x.json /site: ska ha formatet "uri"',
      'x.json /tags: får inte ha färre än 1 element',
      'x.json /size: får vara högst 10',
      'x.json /ratio: ska vara mindre än 1',
      'x.json /flag: ska vara av typen boolean',
    ]);
    expect(await validateAgainstSchema('x.json', doc, schema, 'en-US')).toEqual([
      "x.json (root): must have required property 'name'",
      "x.json (root): must NOT have additional properties ('extra')",
      'x.json /kind: must be equal to one of the allowed values: "bot", "tab"',
      'x.json /version: must be equal to constant 2',
      'x.json /id: must match pattern "^[a-z]+$"',
      'x.json /site: must match format "uri"',
      'x.json /tags: must NOT have fewer than 1 items',
      'x.json /size: must be <= 10',
      'x.json /ratio: must be < 1',
      'x.json /flag: must be boolean',
    ]);

    const more: JsonObject = { name: 'a', tags: ['x', 'y', 'x'], size: 0, ratio: 0, deps: { a: 1 } };
    expect(await validateAgainstSchema('x.json', more, schema, 'sv-SE')).toEqual([
      'x.json /name: får inte ha färre än 2 tecken',
      'x.json /tags: får inte ha fler än 2 element',
      'x.json /tags: får inte innehålla dubbletter (element 0 och 2 är lika)',
      'x.json /size: ska vara minst 1',
      'x.json /ratio: ska vara större än 0',
      // dependentRequired has no text: ajv's English, with its params.
      'x.json /deps: must have property b when property a is present. Details: {"property":"a","missingProperty":"b","depsCount":1,"deps":"b"}',
    ]);
    expect(await validateAgainstSchema('x.json', { name: 'abcdef' }, schema, 'en-US')).toEqual([
      'x.json /name: must NOT have more than 5 characters',
    ]);
    expect(await validateAgainstSchema('x.json', { name: 'abcdef' }, schema, 'sv-SE')).toEqual([
      'x.json /name: får inte ha fler än 5 tecken',
    ]);
  });

  it("translates ajv's error objects by their keyword and params, and leaves other keywords in ajv's words", () => {
    const error = (
      instancePath: string,
      keyword: string,
      params: Record<string, unknown>,
      message: string,
    ): ErrorObject => ({
      instancePath,
      schemaPath: `#/${keyword}`,
      keyword,
      params,
      message,
    });
    expect(
      schemaProblem(
        'm.json',
        error('', 'required', { missingProperty: 'x' }, "must have required property 'x'"),
        'sv-SE',
      ),
    ).toBe("m.json (roten): egenskapen 'x' saknas");
    expect(
      schemaProblem('m.json', error('/n', 'maximum', { comparison: '<=', limit: 3 }, 'must be <= 3'), 'sv-SE'),
    ).toBe('m.json /n: får vara högst 3');
    expect(schemaProblem('m.json', error('/s', 'type', { type: 'string' }, 'must be string'), 'sv-SE')).toBe(
      'm.json /s: ska vara av typen string',
    );
    expect(
      schemaProblem(
        'm.json',
        error('/a/b', 'oneOf', { passingSchemas: null }, 'must match exactly one schema in oneOf'),
        'sv-SE',
      ),
    ).toBe('m.json /a/b: ska passa exakt ett av de tillåtna schemana (oneOf)');
    // A keyword without a text: ajv's message, without empty params.
    expect(schemaProblem('m.json', error('', 'false schema', {}, 'boolean schema is false'), 'sv-SE')).toBe(
      'm.json (roten): boolean schema is false',
    );
  });

  it('writes our own checks in the same language (menu limits, https, PNG data)', async () => {
    const dir = brokenManifest((m) => {
      const bot = (m.bots as JsonObject[])[0] as JsonObject;
      const list = (bot.commandLists as JsonObject[])[0] as JsonObject;
      ((list.commands as JsonObject[])[0] as JsonObject).title = 'help me with everything you can do';
      (m.developer as JsonObject).privacyUrl = 'http://example.se/privacy';
    });
    const sv = await problems(dir, 'sv-SE');
    const en = await problems(dir, 'en-US');
    expect(sv).toContain(
      'manifest.json /bots/0/commandLists/0/commands/0/title: "help me with everything you can do" har 34 tecken, menyn visar 32',
    );
    expect(en).toContain(
      'manifest.json /bots/0/commandLists/0/commands/0/title: "help me with everything you can do" is 34 characters, the menu allows 32',
    );
    expect(sv).toContain('manifest.json /developer/privacyUrl: "http://example.se/privacy" måste vara en https-adress');
    expect(en).toContain('manifest.json /developer/privacyUrl: "http://example.se/privacy" must be an https URL');

    // A PNG whose header is fine but whose image data is not zlib: explained, not zlib's words alone.
    const ihdr = Buffer.alloc(13);
    ihdr.writeUInt32BE(32, 0);
    ihdr.writeUInt32BE(32, 4);
    ihdr.set([8, 6, 0, 0, 0], 8);
    const chunk = (type: string, data: Buffer) => {
      const head = Buffer.alloc(8);
      head.writeUInt32BE(data.length, 0);
      head.write(type, 4, 'ascii');
      return Buffer.concat([head, data, Buffer.alloc(4)]);
    };
    const png = Buffer.concat([
      Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
      chunk('IHDR', ihdr),
      chunk('IDAT', Buffer.from('not zlib data')),
      chunk('IEND', Buffer.alloc(0)),
    ]);
    expect(checkIcon('outline', 'outline.png', png, 'sv-SE')).toEqual([
      expect.stringMatching(/^outline\.png: PNG-bildens data kan inte packas upp \(.+\)$/),
    ]);
    expect(checkIcon('outline', 'outline.png', png, 'en-US')).toEqual([
      expect.stringMatching(/^outline\.png: the PNG image data cannot be unpacked \(.+\)$/),
    ]);
  });
});
