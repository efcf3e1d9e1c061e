/**
 * Validation problems as data, translated when shown. zod's own messages are English sentences;
 * instead of showing them, each zod issue is read by its `code` and fields (`expected`/`received`,
 * `maximum`/`inclusive`/`type`, `options`, …) and turned into a text key with parameters
 * (`validation.*` in ./validation.ts). A schema that wants its own text gives a text key as the
 * issue's message (`.regex(re, 'config.issue.tablePrefix')`, `.refine(fn, { message: key })`,
 * `ctx.addIssue({ code: 'custom', message: key, params })`); the custom issue's `params` fill it.
 *
 * The path stays as written in the file or the environment (`teams.3.key`, `PORT`): it names the
 * field, in every language.
 */
import type { ZodError, ZodIssue, ZodParsedType } from 'zod';
import type { Locale } from '../types';
import { type Params, t, TEXTS, type TextKey } from './index';

export interface FieldIssue {
  /** The field, as written in the file or environment (`teams.3.key`); '' is the whole document. */
  path: string;
  key: TextKey;
  params: Params;
  /** Parameters that are texts themselves (a kind of value: `ett tal` / `a number`). */
  keyParams?: Record<string, TextKey>;
}

export function isTextKey(value: unknown): value is TextKey {
  return typeof value === 'string' && Object.prototype.hasOwnProperty.call(TEXTS.sv, value);
}

/** The problem without its field: `får vara högst 65535`. */
export function issueText(locale: Locale, issue: Pick<FieldIssue, 'key' | 'params' | 'keyParams'>): string {
  const translated = Object.fromEntries(
    Object.entries(issue.keyParams ?? {}).map(([name, key]) => [name, t(locale, key)]),
  );
  return t(locale, issue.key, { ...issue.params, ...translated });
}

/** The problem with its field in front: `PORT: får vara högst 65535`. */
export function fieldIssueText(locale: Locale, issue: FieldIssue): string {
  return `${issue.path === '' ? t(locale, 'validation.root') : issue.path}: ${issueText(locale, issue)}`;
}

/** Every issue of a failed parse; `input` (what was parsed) lets a text quote the bad value. */
export function zodFieldIssues(error: ZodError, input?: unknown): FieldIssue[] {
  return error.issues.map((issue) => zodFieldIssue(issue, input));
}

export function zodFieldIssue(issue: ZodIssue, input?: unknown): FieldIssue {
  return { path: issue.path.join('.'), ...describeIssue(issue, valueAt(input, issue.path)) };
}

type Described = Pick<FieldIssue, 'key' | 'params' | 'keyParams'>;

const KINDS: Partial<Record<ZodParsedType, TextKey>> = {
  string: 'validation.kind.string',
  number: 'validation.kind.number',
  integer: 'validation.kind.integer',
  float: 'validation.kind.float',
  nan: 'validation.kind.nan',
  boolean: 'validation.kind.boolean',
  array: 'validation.kind.array',
  object: 'validation.kind.object',
  null: 'validation.kind.null',
  undefined: 'validation.kind.undefined',
  date: 'validation.kind.date',
  bigint: 'validation.kind.bigint',
};

/** The longest bad value quoted in a message; the rest is cut (an environment variable can be long). */
const MAX_QUOTED = 60;

function quoted(value: unknown): string {
  const s = String(value);
  return s.length > MAX_QUOTED ? `${s.slice(0, MAX_QUOTED)}…` : s;
}

function limit(n: number | bigint, type: string): string | number {
  if (type === 'date') return new Date(Number(n)).toISOString().slice(0, 10);
  return typeof n === 'bigint' ? n.toString() : n;
}

function primitiveParams(params: Record<string, unknown> | undefined): Params {
  const out: Params = {};
  for (const [name, value] of Object.entries(params ?? {})) {
    if (typeof value === 'number') out[name] = value;
    else if (value !== undefined && value !== null && typeof value !== 'object') out[name] = quoted(value);
  }
  return out;
}

function describeIssue(issue: ZodIssue, value: unknown): Described {
  // A text key as the message: the schema's own text (custom checks, regexes, refinements).
  if (isTextKey(issue.message)) {
    return { key: issue.message, params: issue.code === 'custom' ? primitiveParams(issue.params) : {} };
  }
  switch (issue.code) {
    case 'invalid_type': {
      if (issue.received === 'undefined') return { key: 'validation.required', params: {} };
      const expected = KINDS[issue.expected];
      const received = KINDS[issue.received];
      const params: Params = {};
      const keyParams: Record<string, TextKey> = {};
      if (expected) keyParams.expected = expected;
      else params.expected = issue.expected;
      // A text that should have been something else (a number in an environment variable): quote it.
      if (typeof value === 'string')
        return { key: 'validation.type.value', params: { ...params, value: quoted(value) }, keyParams };
      if (received) keyParams.received = received;
      else params.received = issue.received;
      return { key: 'validation.type', params, keyParams };
    }
    case 'invalid_literal':
      return { key: 'validation.literal', params: { expected: quoted(JSON.stringify(issue.expected)) } };
    case 'unrecognized_keys':
      return { key: 'validation.unknownKeys', params: { keys: issue.keys.map((k) => `"${k}"`).join(', ') } };
    case 'invalid_union':
      return { key: 'validation.union', params: {} };
    case 'invalid_union_discriminator':
      return { key: 'validation.discriminator', params: { options: issue.options.map(String).join(', ') } };
    case 'invalid_enum_value':
      return { key: 'validation.enum', params: { value: quoted(issue.received), options: issue.options.join(', ') } };
    case 'invalid_date':
      return { key: 'validation.date', params: {} };
    case 'invalid_string': {
      const v = issue.validation;
      if (v === 'regex') return { key: 'validation.pattern', params: {} };
      const format =
        typeof v === 'string'
          ? v
          : Object.entries(v)
              .filter(([name]) => name !== 'position')
              .map(([name, arg]) => `${name} "${String(arg)}"`)
              .join(', ');
      return { key: 'validation.format', params: { format } };
    }
    case 'too_small': {
      const min = limit(issue.minimum, issue.type);
      const counted = issue.type === 'string' || issue.type === 'array' || issue.type === 'set';
      if (counted) {
        // Counts are whole numbers: "more than 2" is "at least 3".
        const n = issue.inclusive ? Number(issue.minimum) : Number(issue.minimum) + 1;
        const kind = issue.type === 'string' ? 'string' : 'array';
        if (issue.exact) return { key: `validation.exact.${kind}`, params: { n } };
        if (n === 1) return { key: 'validation.empty', params: {} };
        return { key: `validation.tooSmall.${kind}`, params: { min: n } };
      }
      return {
        key: issue.inclusive ? 'validation.tooSmall.number' : 'validation.tooSmall.numberExclusive',
        params: { min },
      };
    }
    case 'too_big': {
      const max = limit(issue.maximum, issue.type);
      const counted = issue.type === 'string' || issue.type === 'array' || issue.type === 'set';
      if (counted) {
        const n = issue.inclusive ? Number(issue.maximum) : Number(issue.maximum) - 1;
        const kind = issue.type === 'string' ? 'string' : 'array';
        if (issue.exact) return { key: `validation.exact.${kind}`, params: { n } };
        return { key: `validation.tooBig.${kind}`, params: { max: n } };
      }
      return {
        key: issue.inclusive ? 'validation.tooBig.number' : 'validation.tooBig.numberExclusive',
        params: { max },
      };
    }
    case 'not_multiple_of':
      return { key: 'validation.multipleOf', params: { n: limit(issue.multipleOf, 'number') } };
    case 'not_finite':
      return { key: 'validation.finite', params: {} };
    case 'custom':
    case 'invalid_arguments':
    case 'invalid_return_type':
    case 'invalid_intersection_types':
      return { key: 'validation.invalid', params: {} };
    default:
      return { key: 'validation.invalid', params: {} };
  }
}

/** The value at a zod path in what was parsed, if there is one. */
function valueAt(input: unknown, path: readonly (string | number)[]): unknown {
  let node = input;
  for (const step of path) {
    if (node === null || typeof node !== 'object') return undefined;
    node = (node as Record<string | number, unknown>)[step];
  }
  return node;
}
