/**
 * The JSON schemas of the Teams manifest and its localisation files, and checking a document
 * against one with ajv. Fully offline: the schemas are always the copies `@microsoft/app-manifest`
 * bundles (`build/json-schemas/teams/v<manifestVersion>/`), read from its folder; a version it
 * does not bundle is a problem, never a download.
 *
 * ajv is set up as `@microsoft/app-manifest`'s `AppManifestUtils.validateAgainstSchema` sets it
 * up, so a manifest passes or fails here as it does with Microsoft's own tools: draft-04 (the
 * Teams schemas) or 2020-12 when the schema says so, every error (`allErrors`), the formats
 * uri, email and regex. ajv's errors are translated from their `keyword` and `params` (`schema.*`
 * in domain/i18n/validation.ts, English as ajv words it); a keyword without a text keeps ajv's
 * English message.
 */
import * as fsSync from 'node:fs';
import * as path from 'node:path';
import Ajv2020 from 'ajv/dist/2020';
import AjvDraft04 from 'ajv-draft-04';
import addFormats from 'ajv-formats';
import type { ErrorObject, ValidateFunction } from 'ajv';
import { type Params, t, type TextKey } from '../../domain/i18n';
import { issueText } from '../../domain/i18n/issues';
import type { Locale } from '../../domain/types';
import { API_LOCALE, AppPackageError, type Json, type JsonObject } from './common';

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
    throw new AppPackageError(
      [t(locale, 'cli.package.noSchema', { version: manifestVersion, bundled: bundledManifestVersions().join(', ') })],
      locale,
    );
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
export function schemaErrorText(
  keyword: string,
  params: Record<string, unknown>,
): { key: TextKey; params: Params } | undefined {
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
    // One text per comparison, not per keyword: in draft-04 `exclusiveMaximum` is a flag on
    // `maximum`, whose error then says `<`.
    case 'maximum':
    case 'minimum':
    case 'exclusiveMaximum':
    case 'exclusiveMinimum': {
      const key = COMPARISONS[s('comparison')];
      return key ? { key, params: { limit: s('limit') } } : undefined;
    }
    case 'multipleOf':
      return { key: 'schema.multipleOf', params: { limit: s('multipleOf') } };
    case 'enum':
      return Array.isArray(params.allowedValues)
        ? { key: 'schema.enum', params: { values: params.allowedValues.map(jsonValue).join(', ') } }
        : undefined;
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

/** One ajv instance per schema, as the Microsoft util makes it; compiled once per schema object. */
const compiled = new WeakMap<object, ValidateFunction>();

function validatorOf(schema: object): ValidateFunction {
  let validate = compiled.get(schema);
  if (!validate) {
    const draft = (schema as { $schema?: unknown }).$schema;
    const options = { allErrors: true, strictTypes: false } as const;
    const ajv = typeof draft === 'string' && draft.includes('2020-12') ? new Ajv2020(options) : new AjvDraft04(options);
    addFormats(ajv, ['uri', 'email', 'regex']);
    validate = ajv.compile(schema);
    compiled.set(schema, validate);
  }
  return validate;
}

/**
 * One schema error in the given language: `manifest.json /name/short: får inte ha fler än 30
 * tecken`. The instance path stays as ajv gives it (it names the field); an error we do not
 * translate keeps ajv's English message, with its params when there are any.
 */
export function schemaProblem(fileName: string, error: ErrorObject, locale: Locale = API_LOCALE): string {
  const where = error.instancePath || t(locale, 'validation.root');
  const params = error.params as Record<string, unknown>;
  const text = schemaErrorText(error.keyword, params);
  if (text) return `${fileName} ${where}: ${issueText(locale, text)}`;
  const details = Object.keys(params).length > 0 ? `. Details: ${JSON.stringify(params)}` : '';
  return `${fileName} ${where}: ${error.message ?? ''}${details}`;
}

/**
 * Validates a JSON document against a schema. Messages name the file and the JSON path, e.g.
 * `manifest.json (root): must have required property 'developer'`, in the given language
 * (`manifest.json (roten): egenskapen 'developer' saknas`). Asynchronous as the util is, for
 * callers that do not care how the schema is checked.
 */
export async function validateAgainstSchema(
  fileName: string,
  doc: JsonObject,
  schema: object,
  locale: Locale = API_LOCALE,
): Promise<string[]> {
  const validate = validatorOf(schema);
  // A copy through JSON, as the util validates: what is checked is what the file will hold.
  if (validate(JSON.parse(JSON.stringify(doc)))) return [];
  return (validate.errors ?? []).map((e) => schemaProblem(fileName, e, locale));
}
