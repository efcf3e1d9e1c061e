/**
 * ajv's errors in the reader's language (cli/app-package/schema.ts), read from each error
 * object's `keyword` and `params`: one case per translated keyword, against a draft-04 schema as
 * the Teams schemas are, and the keywords that only 2020-12 has from error objects.
 */
import type { ErrorObject } from 'ajv';
import { schemaErrorText, schemaProblem, validateAgainstSchema, type JsonObject } from '../../../cli/app-package';

/** A draft-04 schema (the Teams schemas' draft) with one property per keyword. */
const draft04 = {
  $schema: 'http://json-schema.org/draft-04/schema#',
  type: 'object',
  required: ['name'],
  additionalProperties: false,
  properties: {
    name: { type: 'string', maxLength: 5 },
    short: { type: 'string', minLength: 2 },
    color: { type: 'string', pattern: '^#[0-9a-f]{6}$' },
    scope: { enum: ['team', 'personal'] },
    count: { type: 'integer', minimum: 1, maximum: 10 },
    ratio: { type: 'number', minimum: 0, exclusiveMinimum: true, maximum: 1, exclusiveMaximum: true },
    site: { type: 'string', format: 'uri' },
    tags: { type: 'array', maxItems: 1, uniqueItems: true },
    step: { type: 'number', multipleOf: 5 },
    meta: { type: 'object', maxProperties: 1, minProperties: 1 },
    kind: { oneOf: [{ type: 'string' }, { type: 'number' }] },
    any: { anyOf: [{ type: 'string' }, { type: 'number' }] },
    not: { not: { type: 'string' } },
  },
};

const cases: [string, JsonObject, string, string][] = [
  ['required', {}, "x.json (roten): egenskapen 'name' saknas", "x.json (root): must have required property 'name'"],
  [
    'additionalProperties',
    { name: 'a', extra: 1 },
    "x.json (roten): får inte ha egenskapen 'extra'",
    "x.json (root): must NOT have additional properties ('extra')",
  ],
  ['type', { name: 3 }, 'x.json /name: ska vara av typen string', 'x.json /name: must be string'],
  [
    'maxLength',
    { name: 'abcdef' },
    'x.json /name: får inte ha fler än 5 tecken',
    'x.json /name: must NOT have more than 5 characters',
  ],
  [
    'minLength',
    { name: 'a', short: 'a' },
    'x.json /short: får inte ha färre än 2 tecken',
    'x.json /short: must NOT have fewer than 2 characters',
  ],
  [
    'pattern',
    { name: 'a', color: 'red' },
    'x.json /color: ska matcha mönstret "^#[0-9a-f]{6}$"',
    'x.json /color: must match pattern "^#[0-9a-f]{6}$"',
  ],
  [
    'enum',
    { name: 'a', scope: 'everywhere' },
    'x.json /scope: ska vara ett av de tillåtna värdena: "team", "personal"',
    'x.json /scope: must be equal to one of the allowed values: "team", "personal"',
  ],
  ['maximum', { name: 'a', count: 11 }, 'x.json /count: får vara högst 10', 'x.json /count: must be <= 10'],
  ['minimum', { name: 'a', count: 0 }, 'x.json /count: ska vara minst 1', 'x.json /count: must be >= 1'],
  [
    'maximum, exclusive (draft-04)',
    { name: 'a', ratio: 1 },
    'x.json /ratio: ska vara mindre än 1',
    'x.json /ratio: must be < 1',
  ],
  [
    'minimum, exclusive (draft-04)',
    { name: 'a', ratio: 0 },
    'x.json /ratio: ska vara större än 0',
    'x.json /ratio: must be > 0',
  ],
  [
    'format',
    { name: 'a', site: 'not a uri' },
    'x.json /site: ska ha formatet "uri"',
    'x.json /site: must match format "uri"',
  ],
  [
    'maxItems',
    { name: 'a', tags: [1, 2] },
    'x.json /tags: får inte ha fler än 1 element',
    'x.json /tags: must NOT have more than 1 items',
  ],
  [
    'multipleOf',
    { name: 'a', step: 7 },
    'x.json /step: ska vara en multipel av 5',
    'x.json /step: must be multiple of 5',
  ],
  [
    'maxProperties',
    { name: 'a', meta: { a: 1, b: 2 } },
    'x.json /meta: får inte ha fler än 1 egenskaper',
    'x.json /meta: must NOT have more than 1 properties',
  ],
  [
    'minProperties',
    { name: 'a', meta: {} },
    'x.json /meta: får inte ha färre än 1 egenskaper',
    'x.json /meta: must NOT have fewer than 1 properties',
  ],
  [
    'anyOf',
    { name: 'a', any: true },
    'x.json /any: ska passa något av de tillåtna schemana (anyOf)',
    'x.json /any: must match a schema in anyOf',
  ],
  ['not', { name: 'a', not: 's' }, 'x.json /not: får inte passa schemat (not)', 'x.json /not: must NOT be valid'],
];

describe('ajv errors, translated by keyword', () => {
  it.each(cases)('%s', async (_keyword, doc, sv, en) => {
    expect(await validateAgainstSchema('x.json', doc, draft04, 'sv-SE')).toContain(sv);
    expect(await validateAgainstSchema('x.json', doc, draft04, 'en-US')).toContain(en);
  });

  it('oneOf and uniqueItems', async () => {
    const schema = {
      ...draft04,
      properties: {
        ...draft04.properties,
        kind: { oneOf: [{ type: 'number' }, { type: 'number', minimum: 2 }] },
        tags: { type: 'array', uniqueItems: true },
      },
    };
    expect(await validateAgainstSchema('x.json', { name: 'a', kind: 2.5, tags: [1, 1] }, schema, 'sv-SE')).toEqual([
      'x.json /tags: får inte innehålla dubbletter (element 0 och 1 är lika)',
      'x.json /kind: ska passa exakt ett av de tillåtna schemana (oneOf)',
    ]);
    expect(await validateAgainstSchema('x.json', { name: 'a', kind: 2.5, tags: [1, 1] }, schema, 'en-US')).toEqual([
      'x.json /tags: must NOT have duplicate items (items ## 0 and 1 are identical)',
      'x.json /kind: must match exactly one schema in oneOf',
    ]);
  });

  it('a valid document has no errors', async () => {
    expect(await validateAgainstSchema('x.json', { name: 'abc', scope: 'team', count: 3 }, draft04, 'sv-SE')).toEqual(
      [],
    );
  });
});

describe('ajv error objects of 2020-12 keywords and keywords without a text', () => {
  const error = (
    keyword: string,
    params: Record<string, unknown>,
    message: string,
    instancePath = '/x',
  ): ErrorObject => ({ instancePath, schemaPath: `#/${keyword}`, keyword, params, message });

  it('translates const, if and propertyNames', () => {
    expect(schemaProblem('m.json', error('const', { allowedValue: 'bot' }, 'must be equal to constant'), 'sv-SE')).toBe(
      'm.json /x: ska vara "bot"',
    );
    expect(schemaProblem('m.json', error('if', { failingKeyword: 'then' }, 'must match "then" schema'), 'en-US')).toBe(
      'm.json /x: must match "then" schema',
    );
    expect(
      schemaProblem(
        'm.json',
        error('propertyNames', { propertyName: 'Bad' }, 'property name must be valid', ''),
        'sv-SE',
      ),
    ).toBe("m.json (roten): egenskapsnamnet 'Bad' är inte tillåtet");
  });

  it("keeps ajv's message, with its params, for a keyword without a text", () => {
    expect(
      schemaProblem(
        'm.json',
        error(
          'dependentRequired',
          { property: 'a', missingProperty: 'b' },
          'must have property b when property a is present',
        ),
        'sv-SE',
      ),
    ).toBe(
      'm.json /x: must have property b when property a is present. Details: {"property":"a","missingProperty":"b"}',
    );
    expect(schemaErrorText('dependentRequired', {})).toBeUndefined();
    expect(schemaErrorText('maximum', { comparison: '?', limit: 1 })).toBeUndefined();
  });
});
