/**
 * The Teams app package: read `manifest/`, fill in the ids, validate, zip.
 *
 * Validation is fully offline. `AppManifestUtils.validateAgainstSchema(manifest)` without a
 * schema resolves the manifest's `$schema` URL and falls back to fetching it over the network
 * when the version is not bundled; we never let it: the schema is always read from the copies
 * `@microsoft/app-manifest` bundles (`build/json-schemas/teams/v<manifestVersion>/`) and passed
 * in explicitly. On top of the JSON schema we check what the schema leaves out but Teams or the
 * docs require: the icons' pixel sizes and colours, the command-menu limits, https URLs, and
 * that the localisation files match the manifest.
 *
 * Problems and warnings are written in the locale passed in (texts `cli.package.*` in
 * domain/i18n/cli.ts); the CLI passes the program's language, the functions default to English
 * for scripts and tests. The JSON schema's errors (from ajv) are translated too (`schema.*` in
 * domain/i18n/validation.ts, English as ajv words it); an error of a kind not translated keeps
 * ajv's English message.
 */
import { promises as fs } from 'node:fs';
import * as fsSync from 'node:fs';
import * as path from 'node:path';
import * as zlib from 'node:zlib';
import JSZip from 'jszip';
import { AppManifestUtils, type AppManifest } from '@microsoft/app-manifest';
import { ValidationError } from '../domain/errors';
import { type Params, t, type TextKey } from '../domain/i18n';
import { issueText } from '../domain/i18n/issues';
import type { Locale, ProgramDeveloper } from '../domain/types';
import { parseLang } from './lang';

export const PLACEHOLDER_ID = '00000000-0000-0000-0000-000000000000';

/**
 * Limits of the bot command menu from the Teams docs ("Create a commands menu"): the JSON
 * schema allows more (12 commands, 128-character titles, 4 000-character descriptions), but
 * the menu shows at most 10 commands and cuts titles after 32 and descriptions after 128.
 */
export const COMMAND_MENU_LIMITS = Object.freeze({ commandsPerList: 10, title: 32, description: 128 });

export const ICON_SIZES = Object.freeze({ color: 192, outline: 32 });

const GUID = /^[0-9a-fA-F]{8}-([0-9a-fA-F]{4}-){3}[0-9a-fA-F]{12}$/;

export function isGuid(value: string): boolean {
  return GUID.test(value);
}

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
export type JsonObject = { [key: string]: Json };

/** The language of the library functions when none is given (the CLI always gives one). */
const API_LOCALE: Locale = 'en-US';

/** One problem or a list of them, each naming the file and the field. */
export class AppPackageError extends ValidationError {
  constructor(
    readonly problems: readonly string[],
    locale: Locale = API_LOCALE,
  ) {
    super(
      `${t(locale, problems.length === 1 ? 'cli.package.invalid.one' : 'cli.package.invalid.many', { count: problems.length })}\n` +
        problems.map((p) => `  - ${p}`).join('\n'),
      { problems },
    );
  }
}

// ---------------------------------------------------------------------------------------------
// Locations

/** The repository root: the nearest folder above `from` that holds a package.json. */
export function findRepoRoot(from: string = __dirname): string {
  let dir = path.resolve(from);
  for (;;) {
    if (fsSync.existsSync(path.join(dir, 'package.json'))) return dir;
    const parent = path.dirname(dir);
    if (parent === dir) throw new Error(`no package.json above ${from}`);
    dir = parent;
  }
}

export function defaultManifestDir(): string {
  return path.join(findRepoRoot(), 'manifest');
}

export function packageFileName(manifest: JsonObject): string {
  return `kraftsamla-${String(manifest.version)}.zip`;
}

export function defaultOutputFile(manifest: JsonObject): string {
  return path.join(findRepoRoot(), 'build', 'appPackage', packageFileName(manifest));
}

// ---------------------------------------------------------------------------------------------
// Bundled schemas

export interface TeamsSchemas {
  manifest: object;
  localization: object;
}

function teamsSchemaRoot(): string {
  const pkg = path.dirname(require.resolve('@microsoft/app-manifest/package.json'));
  return path.join(pkg, 'build', 'json-schemas', 'teams');
}

/** Folder of the schemas `@microsoft/app-manifest` ships for one manifest version (`1.30`). */
export function bundledSchemaDir(manifestVersion: string): string {
  if (!/^\d+\.\d+$/.test(manifestVersion)) throw new Error(`not a manifest version: "${manifestVersion}"`);
  return path.join(teamsSchemaRoot(), `v${manifestVersion}`);
}

/** The manifest versions whose schemas are bundled, oldest first (`1.0` … `1.30`; no devPreview). */
export function bundledManifestVersions(): string[] {
  return fsSync
    .readdirSync(teamsSchemaRoot())
    .filter((d) => /^v\d+\.\d+$/.test(d))
    .map((d) => d.slice(1))
    .sort(compareVersions);
}

export function compareVersions(a: string, b: string): number {
  const pa = a.split('.').map(Number);
  const pb = b.split('.').map(Number);
  for (let i = 0; i < Math.max(pa.length, pb.length); i++) {
    const d = (pa[i] ?? 0) - (pb[i] ?? 0);
    if (d !== 0) return d;
  }
  return 0;
}

export function loadBundledSchemas(manifestVersion: string, locale: Locale = API_LOCALE): TeamsSchemas {
  const known = /^\d+\.\d+$/.test(manifestVersion) && bundledManifestVersions().includes(manifestVersion);
  const dir = known ? bundledSchemaDir(manifestVersion) : '';
  const manifestFile = path.join(dir, 'MicrosoftTeams.schema.json');
  const localizationFile = path.join(dir, 'MicrosoftTeams.Localization.schema.json');
  if (!known || !fsSync.existsSync(manifestFile)) {
    throw new AppPackageError([t(locale, 'cli.package.noSchema', { version: manifestVersion, bundled: bundledManifestVersions().join(', ') })], locale);
  }
  return {
    manifest: JSON.parse(fsSync.readFileSync(manifestFile, 'utf8')) as object,
    localization: unicodeSafeSchema(JSON.parse(fsSync.readFileSync(localizationFile, 'utf8')) as Json) as object,
  };
}

/**
 * ajv compiles regular expressions with the `u` flag, and the bundled localisation schemas
 * (v1.22 … v1.30) contain patterns like `activityTypes\[\b(…)\b]\.description` whose lone `]`
 * is a syntax error in unicode mode — `validateAgainstSchema` then throws instead of
 * validating. A lone `]` outside a character class means a literal `]`, so escaping it keeps
 * the meaning and makes the pattern valid in both modes.
 */
export function unicodeSafePattern(pattern: string): string {
  let out = '';
  let inClass = false;
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i];
    if (c === '\\') {
      out += c + (pattern[i + 1] ?? '');
      i++;
    } else if (inClass) {
      if (c === ']') inClass = false;
      out += c;
    } else if (c === '[') {
      inClass = true;
      out += c;
    } else if (c === ']') {
      out += '\\]';
    } else {
      out += c;
    }
  }
  return out;
}

function unicodeSafeSchema(node: Json): Json {
  if (Array.isArray(node)) return node.map(unicodeSafeSchema);
  if (node === null || typeof node !== 'object') return node;
  const out: JsonObject = {};
  for (const [key, value] of Object.entries(node)) {
    if (key === 'patternProperties' && value && typeof value === 'object' && !Array.isArray(value)) {
      out[key] = Object.fromEntries(
        Object.entries(value).map(([pattern, sub]) => [unicodeSafePattern(pattern), unicodeSafeSchema(sub)]),
      );
    } else if (key === 'pattern' && typeof value === 'string') {
      out[key] = unicodeSafePattern(value);
    } else {
      out[key] = unicodeSafeSchema(value);
    }
  }
  return out;
}

type SchemaArg = Parameters<typeof AppManifestUtils.validateAgainstSchema>[1];

/** One ajv error as the util reports it: where (a JSON pointer, '' for the root), ajv's message, its params. */
export interface SchemaError {
  instancePath: string;
  message: string;
  params: Record<string, unknown>;
}

/**
 * Reads an error of `AppManifestUtils.validateAgainstSchema`, which formats ajv's error objects
 * as `${instancePath} ${message}. Details: ${JSON.stringify(params)}`; undefined if it is not.
 */
export function parseSchemaError(text: string): SchemaError | undefined {
  const space = text.indexOf(' ');
  if (space < 0) return undefined;
  const rest = text.slice(space + 1);
  const marker = '. Details: ';
  // The message may quote a pattern holding the marker; the params are the JSON after the marker.
  for (let at = rest.indexOf(marker); at >= 0; at = rest.indexOf(marker, at + 1)) {
    const json = rest.slice(at + marker.length);
    let params: unknown = {};
    if (json !== '') {
      try {
        params = JSON.parse(json);
      } catch {
        continue;
      }
    }
    if (params !== null && typeof params === 'object' && !Array.isArray(params)) {
      return { instancePath: text.slice(0, space), message: rest.slice(0, at), params: params as Record<string, unknown> };
    }
  }
  return undefined;
}

/**
 * ajv's keyword of an error. The util passes on the message and the params but not the keyword;
 * ajv's messages are fixed English per keyword (ajv 8, `lib/vocabularies`), so the message and
 * the params that keyword always has tell which it was.
 */
const AJV_KEYWORDS: readonly { keyword: string; message: RegExp; params: readonly string[] }[] = [
  { keyword: 'required', message: /^must have required property '/, params: ['missingProperty'] },
  { keyword: 'additionalProperties', message: /^must NOT have additional properties$/, params: ['additionalProperty'] },
  { keyword: 'maxLength', message: /^must NOT have more than \d+ characters$/, params: ['limit'] },
  { keyword: 'minLength', message: /^must NOT have fewer than \d+ characters$/, params: ['limit'] },
  { keyword: 'maxItems', message: /^must NOT have more than \d+ items$/, params: ['limit'] },
  { keyword: 'minItems', message: /^must NOT have fewer than \d+ items$/, params: ['limit'] },
  { keyword: 'maxProperties', message: /^must NOT have more than \d+ properties$/, params: ['limit'] },
  { keyword: 'minProperties', message: /^must NOT have fewer than \d+ properties$/, params: ['limit'] },
  { keyword: 'uniqueItems', message: /^must NOT have duplicate items /, params: ['i', 'j'] },
  { keyword: 'enum', message: /^must be equal to one of the allowed values$/, params: ['allowedValues'] },
  { keyword: 'const', message: /^must be equal to constant$/, params: ['allowedValue'] },
  { keyword: 'pattern', message: /^must match pattern "/, params: ['pattern'] },
  { keyword: 'format', message: /^must match format "/, params: ['format'] },
  { keyword: 'oneOf', message: /^must match exactly one schema in oneOf$/, params: [] },
  { keyword: 'anyOf', message: /^must match a schema in anyOf$/, params: [] },
  { keyword: 'not', message: /^must NOT be valid$/, params: [] },
  { keyword: 'if', message: /^must match "(then|else)" schema$/, params: ['failingKeyword'] },
  { keyword: 'multipleOf', message: /^must be multiple of /, params: ['multipleOf'] },
  // maximum, minimum, exclusiveMaximum, exclusiveMinimum: one message, told apart by `comparison`.
  { keyword: 'limit', message: /^must be (<=|>=|<|>) /, params: ['comparison', 'limit'] },
  { keyword: 'type', message: /^must be /, params: ['type'] },
  { keyword: 'propertyNames', message: /^property name must be valid$/, params: ['propertyName'] },
];

export function ajvKeyword(error: Pick<SchemaError, 'message' | 'params'>): string | undefined {
  return AJV_KEYWORDS.find((k) => k.message.test(error.message) && k.params.every((p) => p in error.params))?.keyword;
}

const COMPARISONS: Record<string, TextKey> = {
  '<=': 'schema.maximum',
  '<': 'schema.exclusiveMaximum',
  '>=': 'schema.minimum',
  '>': 'schema.exclusiveMinimum',
};

function jsonValue(v: unknown): string {
  return typeof v === 'string' ? `"${v}"` : JSON.stringify(v);
}

/** ajv's keyword and params as a text key with parameters; undefined for a keyword we do not translate. */
export function schemaErrorText(keyword: string, params: Record<string, unknown>): { key: TextKey; params: Params } | undefined {
  const s = (name: string) => String(params[name]);
  switch (keyword) {
    case 'required':
      return { key: 'schema.required', params: { property: s('missingProperty') } };
    case 'additionalProperties':
      return { key: 'schema.additionalProperties', params: { property: s('additionalProperty') } };
    case 'type':
      return { key: 'schema.type', params: { type: Array.isArray(params.type) ? params.type.join(',') : s('type') } };
    case 'maxLength':
    case 'minLength':
    case 'maxItems':
    case 'minItems':
    case 'maxProperties':
    case 'minProperties':
      return { key: `schema.${keyword}`, params: { limit: s('limit') } };
    case 'limit': {
      const key = COMPARISONS[s('comparison')];
      return key ? { key, params: { limit: s('limit') } } : undefined;
    }
    case 'multipleOf':
      return { key: 'schema.multipleOf', params: { limit: s('multipleOf') } };
    case 'enum':
      return Array.isArray(params.allowedValues) ? { key: 'schema.enum', params: { values: params.allowedValues.map(jsonValue).join(', ') } } : undefined;
    case 'const':
      return { key: 'schema.const', params: { value: jsonValue(params.allowedValue) } };
    case 'pattern':
      return { key: 'schema.pattern', params: { pattern: s('pattern') } };
    case 'format':
      return { key: 'schema.format', params: { format: s('format') } };
    case 'uniqueItems':
      return { key: 'schema.uniqueItems', params: { i: s('i'), j: s('j') } };
    case 'oneOf':
    case 'anyOf':
    case 'not':
      return { key: `schema.${keyword}`, params: {} };
    case 'if':
      return { key: 'schema.if', params: { clause: s('failingKeyword') } };
    case 'propertyNames':
      return { key: 'schema.propertyNames', params: { property: s('propertyName') } };
    default:
      return undefined;
  }
}

/**
 * One schema error in the given language: `manifest.json /name/short: får inte ha fler än 30
 * tecken`. The instance path stays as ajv gives it (it names the field); an error we do not
 * translate keeps ajv's English message, with its params when there are any.
 */
export function schemaProblem(fileName: string, error: string, locale: Locale = API_LOCALE): string {
  const parsed = parseSchemaError(error);
  if (!parsed) {
    // Not in the util's format: as it is, without an empty "Details".
    const m = /^(\S*) ([\s\S]*)$/.exec(error);
    const where = m && m[1] ? m[1] : t(locale, 'validation.root');
    return `${fileName} ${where}: ${(m ? m[2] : error).replace(/\. Details: (\{\}|)$/, '')}`;
  }
  const where = parsed.instancePath || t(locale, 'validation.root');
  const keyword = ajvKeyword(parsed);
  const text = keyword ? schemaErrorText(keyword, parsed.params) : undefined;
  if (text) return `${fileName} ${where}: ${issueText(locale, text)}`;
  const details = Object.keys(parsed.params).length > 0 ? `. Details: ${JSON.stringify(parsed.params)}` : '';
  return `${fileName} ${where}: ${parsed.message}${details}`;
}

/**
 * Validates a JSON document against a schema with `AppManifestUtils.validateAgainstSchema`,
 * the schema always passed in (so it never reaches for the network). Messages name the file
 * and the JSON path, e.g. `manifest.json (root): must have required property 'developer'`,
 * in the given language (`manifest.json (roten): saknar den obligatoriska egenskapen 'developer'`).
 */
export async function validateAgainstSchema(fileName: string, doc: JsonObject, schema: object, locale: Locale = API_LOCALE): Promise<string[]> {
  // Both casts: the util is typed for manifests, but validates any JSON against any schema.
  const errors = await AppManifestUtils.validateAgainstSchema(doc as unknown as AppManifest, schema as SchemaArg);
  return errors.map((e) => schemaProblem(fileName, e, locale));
}

// ---------------------------------------------------------------------------------------------
// PNG

export interface PngInfo {
  width: number;
  height: number;
  bitDepth: number;
  colorType: number;
  interlace: number;
}

const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

/** A PNG we cannot read; the message is English, `describe` gives it in any language. */
export class PngError extends Error {
  constructor(
    readonly key: TextKey,
    readonly params: Params = {},
  ) {
    super(t(API_LOCALE, key, params));
    this.name = 'PngError';
  }

  describe(locale: Locale): string {
    return t(locale, this.key, this.params);
  }
}

/** Reads the IHDR chunk: the first chunk of every PNG, right after the 8-byte signature. */
export function readPngInfo(buf: Buffer): PngInfo {
  if (buf.length < 33 || !buf.subarray(0, 8).equals(PNG_SIGNATURE) || buf.toString('ascii', 12, 16) !== 'IHDR') {
    throw new PngError('cli.package.png.notPng');
  }
  return {
    width: buf.readUInt32BE(16),
    height: buf.readUInt32BE(20),
    bitDepth: buf[24],
    colorType: buf[25],
    interlace: buf[28],
  };
}

/**
 * Decodes an 8-bit, non-interlaced RGB or RGBA PNG into RGBA bytes (enough to check the icons;
 * other kinds are reported as unsupported rather than guessed at).
 */
export function decodePngRgba(buf: Buffer): { width: number; height: number; rgba: Buffer } {
  const info = readPngInfo(buf);
  const channels = info.colorType === 6 ? 4 : info.colorType === 2 ? 3 : 0;
  if (info.bitDepth !== 8 || channels === 0 || info.interlace !== 0) {
    throw new PngError('cli.package.png.unsupported', { bitDepth: info.bitDepth, colorType: info.colorType, interlace: info.interlace });
  }
  const idat: Buffer[] = [];
  for (let o = 8; o + 8 <= buf.length; ) {
    const len = buf.readUInt32BE(o);
    const type = buf.toString('ascii', o + 4, o + 8);
    if (type === 'IDAT') idat.push(buf.subarray(o + 8, o + 8 + len));
    if (type === 'IEND') break;
    o += 12 + len;
  }
  let raw: Buffer;
  try {
    raw = zlib.inflateSync(Buffer.concat(idat));
  } catch (err) {
    throw new PngError('cli.package.png.badData', { reason: (err as Error).message });
  }
  const { width, height } = info;
  const stride = width * channels;
  const pixels = Buffer.alloc(stride * height);
  for (let y = 0; y < height; y++) {
    const filter = raw[y * (stride + 1)];
    const line = raw.subarray(y * (stride + 1) + 1, (y + 1) * (stride + 1));
    const row = y * stride;
    for (let x = 0; x < stride; x++) {
      const a = x >= channels ? pixels[row + x - channels] : 0;
      const b = y > 0 ? pixels[row - stride + x] : 0;
      const c = x >= channels && y > 0 ? pixels[row - stride + x - channels] : 0;
      let predictor: number;
      switch (filter) {
        case 0:
          predictor = 0;
          break;
        case 1:
          predictor = a;
          break;
        case 2:
          predictor = b;
          break;
        case 3:
          predictor = (a + b) >> 1;
          break;
        case 4: {
          const p = a + b - c;
          const pa = Math.abs(p - a);
          const pb = Math.abs(p - b);
          const pc = Math.abs(p - c);
          predictor = pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
          break;
        }
        default:
          throw new PngError('cli.package.png.badFilter', { filter, row: y });
      }
      pixels[row + x] = (line[x] + predictor) & 0xff;
    }
  }
  if (channels === 4) return { width, height, rgba: pixels };
  const rgba = Buffer.alloc(width * height * 4);
  for (let i = 0; i < width * height; i++) {
    pixels.copy(rgba, i * 4, i * 3, i * 3 + 3);
    rgba[i * 4 + 3] = 255;
  }
  return { width, height, rgba };
}

/**
 * Problems with one icon: pixel size, and for the outline icon white on transparent (Teams
 * tints the outline icon; any other colour shows up as a smudge).
 */
export function checkIcon(kind: 'color' | 'outline', fileName: string, png: Buffer, locale: Locale = API_LOCALE): string[] {
  const unreadable = (err: unknown) => `${fileName}: ${err instanceof PngError ? err.describe(locale) : (err as Error).message}`;
  let info: PngInfo;
  try {
    info = readPngInfo(png);
  } catch (err) {
    return [unreadable(err)];
  }
  const size = ICON_SIZES[kind];
  if (info.width !== size || info.height !== size) {
    const icon = t(locale, kind === 'color' ? 'cli.package.icon.color' : 'cli.package.icon.outline');
    return [t(locale, 'cli.package.icon.size', { file: fileName, icon, size, width: info.width, height: info.height })];
  }
  if (kind === 'color') return [];
  let rgba: Buffer;
  try {
    ({ rgba } = decodePngRgba(png));
  } catch (err) {
    return [unreadable(err)];
  }
  let transparent = 0;
  let coloured = 0;
  for (let i = 0; i < rgba.length; i += 4) {
    const alpha = rgba[i + 3];
    if (alpha === 0) transparent++;
    // Faint edge pixels may carry any colour; the visible ones must be white.
    else if (alpha >= 16 && Math.min(rgba[i], rgba[i + 1], rgba[i + 2]) < 235) coloured++;
  }
  const problems: string[] = [];
  if (transparent === 0) problems.push(t(locale, 'cli.package.icon.notTransparent', { file: fileName }));
  if (coloured > 0) problems.push(t(locale, 'cli.package.icon.notWhite', { file: fileName, count: coloured }));
  if (transparent === size * size) problems.push(t(locale, 'cli.package.icon.empty', { file: fileName }));
  return problems;
}

// ---------------------------------------------------------------------------------------------
// Reading the manifest folder

export interface LocalizationSource {
  languageTag: string;
  file: string;
  content: JsonObject;
}

export interface ManifestSource {
  dir: string;
  manifest: JsonObject;
  localizations: LocalizationSource[];
  /** Files named by the manifest (icons, localisations), keyed by their relative path. */
  files: Map<string, Buffer>;
  /** Problems found while reading (missing files, bad JSON). */
  problems: string[];
}

function isObject(v: Json | undefined): v is JsonObject {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

function asArray(v: Json | undefined): Json[] {
  return Array.isArray(v) ? v : [];
}

/** A relative path inside the manifest folder (the app package is flat: no `..`, no absolute paths). */
function safeRelative(p: string): boolean {
  return p.length > 0 && !path.isAbsolute(p) && !p.split(/[\\/]/).includes('..');
}

async function readJsonFile(
  file: string,
  label: string,
  problems: string[],
  locale: Locale,
): Promise<{ json: JsonObject; bytes: Buffer } | undefined> {
  let bytes: Buffer;
  try {
    bytes = await fs.readFile(file);
  } catch {
    problems.push(t(locale, 'cli.package.json.notFound', { label, file }));
    return undefined;
  }
  try {
    const parsed = JSON.parse(bytes.toString('utf8').replace(/^\uFEFF/, '')) as Json;
    if (!isObject(parsed)) {
      problems.push(t(locale, 'cli.package.json.notObject', { label }));
      return undefined;
    }
    return { json: parsed, bytes };
  } catch (err) {
    problems.push(t(locale, 'cli.package.json.invalid', { label, reason: (err as Error).message }));
    return undefined;
  }
}

export async function readManifestDir(dir: string = defaultManifestDir(), locale: Locale = API_LOCALE): Promise<ManifestSource> {
  const problems: string[] = [];
  const files = new Map<string, Buffer>();
  const read = await readJsonFile(path.join(dir, 'manifest.json'), 'manifest.json', problems, locale);
  if (!read) throw new AppPackageError(problems, locale);
  const manifest = read.json;

  const referenced: string[] = [];
  const icons = manifest.icons;
  if (isObject(icons)) {
    for (const key of ['color', 'outline', 'color32x32']) {
      const v = icons[key];
      if (typeof v === 'string') referenced.push(v);
    }
  }
  const localizations: LocalizationSource[] = [];
  const info = manifest.localizationInfo;
  const additional = isObject(info) ? asArray(info.additionalLanguages) : [];
  for (const lang of additional) {
    if (!isObject(lang) || typeof lang.file !== 'string' || typeof lang.languageTag !== 'string') continue;
    if (!safeRelative(lang.file)) continue; // reported below with the other paths
    const loc = await readJsonFile(path.join(dir, lang.file), lang.file, problems, locale);
    if (loc) {
      localizations.push({ languageTag: lang.languageTag, file: lang.file, content: loc.json });
      files.set(lang.file, loc.bytes);
    }
  }
  if (isObject(info) && typeof info.defaultLanguageFile === 'string') referenced.push(info.defaultLanguageFile);

  for (const rel of referenced) {
    if (!safeRelative(rel)) {
      problems.push(t(locale, 'cli.package.path.notRelative', { path: rel }));
      continue;
    }
    try {
      files.set(rel, await fs.readFile(path.join(dir, rel)));
    } catch {
      problems.push(t(locale, 'cli.package.path.missing', { path: rel, file: path.join(dir, rel) }));
    }
  }
  for (const lang of additional) {
    if (isObject(lang) && typeof lang.file === 'string' && !safeRelative(lang.file)) {
      problems.push(t(locale, 'cli.package.path.notRelative', { path: lang.file }));
    }
  }
  return { dir, manifest, localizations, files, problems };
}

// ---------------------------------------------------------------------------------------------
// Filling in the ids

export interface AppIds {
  /** The bot's Microsoft App ID (Entra app client id): `bots[].botId`. */
  botId?: string;
  /** The Teams app id (`id`); defaults to the bot id, the usual choice for a bot-only app. */
  teamsAppId?: string;
  /** The publisher (the program definition's `developer`); the manifest's own when absent. */
  developer?: ProgramDeveloper;
}

/**
 * A copy of the manifest with the ids and the developer filled in; what is not given keeps what
 * the file has (the developer's other fields, such as `mpnId`, stay).
 */
export function fillManifest(manifest: JsonObject, ids: AppIds, locale: Locale = API_LOCALE): JsonObject {
  for (const [name, value] of [
    ['cli.package.botIdName', ids.botId],
    ['cli.package.teamsAppIdName', ids.teamsAppId],
  ] as const) {
    if (value !== undefined && !isGuid(value)) {
      throw new AppPackageError([t(locale, 'cli.package.notGuid', { name: t(locale, name), value })], locale);
    }
  }
  const filled = JSON.parse(JSON.stringify(manifest)) as JsonObject;
  const appId = ids.teamsAppId ?? ids.botId;
  if (appId) filled.id = appId;
  if (ids.botId) {
    for (const bot of asArray(filled.bots)) if (isObject(bot)) bot.botId = ids.botId;
    // The message extension is the bot's own (same id), so the bot can post what its dialog logs.
    for (const ext of asArray(filled.composeExtensions)) if (isObject(ext)) ext.botId = ids.botId;
  }
  if (ids.developer) {
    const { name, websiteUrl, privacyUrl, termsOfUseUrl } = ids.developer;
    filled.developer = { ...(isObject(filled.developer) ? filled.developer : {}), name, websiteUrl, privacyUrl, termsOfUseUrl };
  }
  return filled;
}

// ---------------------------------------------------------------------------------------------
// Validation

export interface ValidationReport {
  errors: string[];
  warnings: string[];
}

function manifestVersionOf(manifest: JsonObject): string | undefined {
  return typeof manifest.manifestVersion === 'string' ? manifest.manifestVersion : undefined;
}

function checkSchemaUrl(fileName: string, doc: JsonObject, manifestVersion: string, errors: string[], locale: Locale): void {
  const url = doc.$schema;
  if (typeof url === 'string' && !url.includes(`/v${manifestVersion}/`)) {
    errors.push(t(locale, 'cli.package.schemaMismatch', { file: fileName, url, version: manifestVersion }));
  }
}

function checkCommandMenus(manifest: JsonObject, errors: string[], locale: Locale): void {
  asArray(manifest.bots).forEach((bot, b) => {
    if (!isObject(bot)) return;
    asArray(bot.commandLists).forEach((list, l) => {
      if (!isObject(list)) return;
      const where = `manifest.json /bots/${b}/commandLists/${l}`;
      const commands = asArray(list.commands);
      if (commands.length > COMMAND_MENU_LIMITS.commandsPerList) {
        errors.push(t(locale, 'cli.package.menu.tooMany', { where, count: commands.length, max: COMMAND_MENU_LIMITS.commandsPerList }));
      }
      const seen = new Set<string>();
      commands.forEach((cmd, c) => {
        if (!isObject(cmd)) return;
        checkTitle(`${where}/commands/${c}/title`, cmd.title, errors, locale);
        checkDescription(`${where}/commands/${c}/description`, cmd.description, errors, locale);
        if (typeof cmd.title === 'string') {
          const key = cmd.title.trim().toLowerCase();
          if (seen.has(key)) errors.push(t(locale, 'cli.package.menu.titleTwice', { where: `${where}/commands/${c}/title`, title: cmd.title }));
          seen.add(key);
        }
      });
    });
  });
}

function checkTitle(label: string, title: Json | undefined, errors: string[], locale: Locale): void {
  if (typeof title !== 'string') return;
  if (title.trim() === '') errors.push(t(locale, 'cli.package.menu.empty', { where: label }));
  if (title.length > COMMAND_MENU_LIMITS.title) {
    errors.push(t(locale, 'cli.package.menu.titleTooLong', { where: label, title, length: title.length, max: COMMAND_MENU_LIMITS.title }));
  }
}

function checkDescription(label: string, description: Json | undefined, errors: string[], locale: Locale): void {
  if (typeof description === 'string' && description.length > COMMAND_MENU_LIMITS.description) {
    errors.push(t(locale, 'cli.package.menu.descriptionTooLong', { where: label, length: description.length, max: COMMAND_MENU_LIMITS.description }));
  }
}

const LOCALIZED_COMMAND_KEY = /^bots\[(\d+)\]\.commandLists\[(\d+)\]\.commands\[(\d+)\]\.(title|description)$/;

function commandAt(manifest: JsonObject, b: number, l: number, c: number): JsonObject | undefined {
  const bot = asArray(manifest.bots)[b];
  const list = isObject(bot) ? asArray(bot.commandLists)[l] : undefined;
  const cmd = isObject(list) ? asArray(list.commands)[c] : undefined;
  return isObject(cmd) ? cmd : undefined;
}

/**
 * A localisation file must translate what the manifest has and nothing it lacks: a key for a
 * command that is not there is silently ignored by Teams, a command without a key shows the
 * default language in the other one.
 */
function checkLocalizationMatchesManifest(manifest: JsonObject, loc: LocalizationSource, errors: string[], locale: Locale): void {
  for (const [key, value] of Object.entries(loc.content)) {
    const m = LOCALIZED_COMMAND_KEY.exec(key);
    if (!m) continue;
    const [b, l, c] = [Number(m[1]), Number(m[2]), Number(m[3])];
    const cmd = commandAt(manifest, b, l, c);
    if (!cmd) {
      errors.push(t(locale, 'cli.package.loc.noSuchCommand', { file: loc.file, key }));
    } else if (m[4] === 'title') {
      checkTitle(`${loc.file} "${key}"`, value, errors, locale);
    } else {
      checkDescription(`${loc.file} "${key}"`, value, errors, locale);
    }
  }
  asArray(manifest.bots).forEach((bot, b) => {
    if (!isObject(bot)) return;
    asArray(bot.commandLists).forEach((list, l) => {
      if (!isObject(list)) return;
      asArray(list.commands).forEach((cmd, c) => {
        if (!isObject(cmd)) return;
        for (const field of ['title', 'description'] as const) {
          const key = `bots[${b}].commandLists[${l}].commands[${c}].${field}`;
          if (typeof cmd[field] === 'string' && typeof loc.content[key] !== 'string') {
            errors.push(t(locale, 'cli.package.loc.missingKey', { file: loc.file, key, value: String(cmd[field]) }));
          }
        }
      });
    });
  });
}

function checkDeveloperUrls(manifest: JsonObject, errors: string[], warnings: string[], locale: Locale): void {
  const dev = manifest.developer;
  if (!isObject(dev)) return;
  const placeholders: string[] = [];
  for (const key of ['websiteUrl', 'privacyUrl', 'termsOfUseUrl']) {
    const url = dev[key];
    if (typeof url !== 'string') continue;
    if (!/^https:\/\//i.test(url)) errors.push(t(locale, 'cli.package.url.notHttps', { key, url }));
    else if (/^https:\/\/([^/]+\.)?example\.(org|com|net)(\/|$)/i.test(url)) placeholders.push(key);
  }
  if (placeholders.length > 0) {
    const key = placeholders.length === 1 ? 'cli.package.url.placeholder.one' : 'cli.package.url.placeholder.many';
    warnings.push(t(locale, key, { keys: placeholders.join(', ') }));
  }
}

/** Everything we check, on a manifest folder (optionally with the ids filled in). */
export async function validateManifestSource(
  source: ManifestSource,
  manifest: JsonObject = source.manifest,
  locale: Locale = API_LOCALE,
): Promise<ValidationReport> {
  const errors = [...source.problems];
  const warnings: string[] = [];
  const version = manifestVersionOf(manifest);
  if (!version) {
    errors.push(t(locale, 'cli.package.missingVersion'));
    return { errors, warnings };
  }
  let schemas: TeamsSchemas;
  try {
    schemas = loadBundledSchemas(version, locale);
  } catch (err) {
    if (err instanceof AppPackageError) return { errors: [...errors, ...err.problems], warnings };
    throw err;
  }
  errors.push(...(await validateAgainstSchema('manifest.json', manifest, schemas.manifest, locale)));
  checkSchemaUrl('manifest.json', manifest, version, errors, locale);
  checkCommandMenus(manifest, errors, locale);
  checkDeveloperUrls(manifest, errors, warnings, locale);

  for (const loc of source.localizations) {
    errors.push(...(await validateAgainstSchema(loc.file, loc.content, schemas.localization, locale)));
    // The docs: the localisation file must use the same schema version as the manifest.
    checkSchemaUrl(loc.file, loc.content, version, errors, locale);
    checkLocalizationMatchesManifest(manifest, loc, errors, locale);
  }

  const icons = manifest.icons;
  if (isObject(icons)) {
    for (const kind of ['color', 'outline'] as const) {
      const rel = icons[kind];
      const png = typeof rel === 'string' ? source.files.get(rel) : undefined;
      if (typeof rel === 'string' && png) errors.push(...checkIcon(kind, rel, png, locale));
    }
  }

  const botIds = asArray(manifest.bots).map((b) => (isObject(b) ? b.botId : undefined));
  if (botIds.includes(PLACEHOLDER_ID)) {
    warnings.push(t(locale, manifest.id === PLACEHOLDER_ID ? 'cli.package.placeholder.botAndApp' : 'cli.package.placeholder.bot', { id: PLACEHOLDER_ID }));
  } else if (manifest.id === PLACEHOLDER_ID) {
    warnings.push(t(locale, 'cli.package.placeholder.app', { id: PLACEHOLDER_ID }));
  }
  return { errors, warnings };
}

// ---------------------------------------------------------------------------------------------
// Zipping

export interface BuildOptions extends AppIds {
  /** Folder with manifest.json, the icons and localisation files. Default: `<repo>/manifest`. */
  manifestDir?: string;
  /** Default: `<repo>/build/appPackage/kraftsamla-<version>.zip`. */
  outFile?: string;
  /** Language of the problems and warnings; default English. */
  locale?: Locale;
}

export interface BuildResult {
  zipPath: string;
  manifest: JsonObject;
  entries: string[];
  warnings: string[];
}

/** Fills in the ids, validates the filled manifest and writes the zip; throws AppPackageError. */
export async function buildAppPackage(options: BuildOptions = {}): Promise<BuildResult> {
  const locale = options.locale ?? API_LOCALE;
  const source = await readManifestDir(options.manifestDir ?? defaultManifestDir(), locale);
  const manifest = fillManifest(source.manifest, options, locale);
  const report = await validateManifestSource(source, manifest, locale);
  if (report.errors.length > 0) throw new AppPackageError(report.errors, locale);

  const zip = new JSZip();
  zip.file('manifest.json', JSON.stringify(manifest, null, 2) + '\n');
  for (const [rel, bytes] of source.files) zip.file(rel.replace(/\\/g, '/'), bytes);
  const bytes = await zip.generateAsync({ type: 'nodebuffer', compression: 'DEFLATE', compressionOptions: { level: 9 } });

  const zipPath = path.resolve(options.outFile ?? defaultOutputFile(manifest));
  await fs.mkdir(path.dirname(zipPath), { recursive: true });
  await fs.writeFile(zipPath, bytes);
  return { zipPath, manifest, entries: ['manifest.json', ...source.files.keys()], warnings: report.warnings };
}

// ---------------------------------------------------------------------------------------------
// Command line

/** The usage text of `npm run package`. */
export function packageUsage(locale: Locale = API_LOCALE): string {
  return t(locale, 'cli.package.usage');
}

export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

export interface PackageArgs {
  appId?: string;
  teamsAppId?: string;
  out?: string;
  lang?: Locale;
  help: boolean;
}

export function parsePackageArgs(argv: readonly string[], locale: Locale = API_LOCALE): PackageArgs {
  const args: PackageArgs = { help: false };
  const valued = { '--app-id': 'appId', '--teams-app-id': 'teamsAppId', '--out': 'out', '--lang': 'lang' } as const;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '--help' || arg === '-h') {
      args.help = true;
      continue;
    }
    const eq = arg.indexOf('=');
    const name = eq > 0 ? arg.slice(0, eq) : arg;
    if (!(name in valued)) throw new UsageError(t(locale, 'cli.package.unknownArgument', { arg }));
    const key = valued[name as keyof typeof valued];
    const value = eq > 0 ? arg.slice(eq + 1) : argv[++i];
    if (value === undefined || value === '' || (eq < 0 && value.startsWith('--'))) {
      throw new UsageError(t(locale, 'cli.package.needsValue', { option: name }));
    }
    if (key === 'lang') {
      const lang = parseLang(value);
      if (!lang) throw new UsageError(t(locale, 'cli.lang.invalid'));
      args.lang = lang;
      continue;
    }
    if ((key === 'appId' || key === 'teamsAppId') && !isGuid(value)) {
      throw new UsageError(t(locale, 'cli.package.notGuid', { name, value }));
    }
    args[key] = value;
  }
  return args;
}
