/**
 * Generators (fast-check v4) for malformed and hostile input to the bot's HTTP endpoint: text
 * commands with broken arguments, card payloads with wrong types, missing and extra fields,
 * invalid dates and ids, cards claiming another team, unknown verbs, control characters, huge
 * text, activities with broken envelopes, and bodies that are not activities at all.
 *
 * Extending it when a flow lands: add the flow's text command to `COMMAND_ARGS` and each card
 * verb to `CARD_PAYLOADS` (key = the verb). Until then every verb in cards/verbs gets generic junk
 * (`genericMalformedPayload`), which no schema accepts. Every generator must produce only input that the bot
 * must refuse, or answer without writing: test/trust/fuzz.e2e.test.ts asserts that storage is
 * unchanged afterwards. A generator for a valid write would make that test fail, on purpose.
 */
import fc from 'fast-check';

import { VERBS } from '../../cards/verbs';
import type { CommandName } from '../../domain/commands';
import {
  type TeamsActivity,
  actionExecuteInvoke,
  actionSubmitMessage,
  botAddedToTeam,
  botRemovedFromTeam,
  channelMessage,
  installationUpdateAdd,
  installationUpdateRemove,
  personalMessage,
} from './activities';

/** Where fuzzed activities go: one bound channel of one installed team, answers to the double. */
export interface FuzzTarget {
  serviceUrl: string;
  teamId: string;
  /** A channel bound to a team (so flows that need a binding run past that check). */
  channelId: string;
  /** The team key that channel is bound to. */
  teamKey: string;
  /** Program team keys other than `teamKey` (for cards claiming another team). */
  otherTeamKeys: string[];
  /** Bytes the endpoint accepts in one body (bot/server.ts MAX_BODY_BYTES). */
  maxBodyBytes: number;
}

/** One request of the fuzz run. `body` is JSON-encoded unless `raw` is given. */
export interface FuzzCase {
  kind: string;
  body?: unknown;
  /** Sent verbatim (not JSON). */
  raw?: string;
  contentType?: string;
  /** A team id an install/membership event names: the bot may record that (new) team. */
  recordsTeam?: string;
}

// ---------------------------------------------------------------------------------------------
// Building blocks
// ---------------------------------------------------------------------------------------------

const CONTROL_CHARS = [...Array.from({ length: 32 }, (_, i) => String.fromCharCode(i)), '\u007f', '\u0085', '\u2028', '\u2029'];
const SPECIAL_CHARS = ['\u200b', '\u200e', '\u202e', '\u00a0', '\ufeff', '\ud800', '\udfff', '😀', '👩‍👩‍👧', 'å', 'Ä', 'ö', '"', "'", '\\', '<', '>', '&', '%', '#', '?', '/', '$', '{', '}', '`'];
const MARKUP = [
  '<at>Kraftsamla</at>',
  '<at>Someone else</at>',
  '<script>alert(1)</script>',
  '<img src=x onerror=alert(1)>',
  '**bold** [link](javascript:alert(1))',
  '${process.env.MICROSOFT_APP_PASSWORD}',
  '{{7*7}}',
  "'; DROP TABLE Actions; --",
  "PartitionKey eq 'x' or true",
  '&nbsp;&amp;&lt;&gt;&quot;&#39;',
  '../../etc/passwd',
  '%00%2e%2e%2f',
  '\u0000',
];

/** A string mixing ordinary text, control characters, lone surrogates, bidi marks and markup. */
export const nastyText: fc.Arbitrary<string> = fc
  .array(
    fc.oneof(
      { weight: 4, arbitrary: fc.string({ maxLength: 12 }) },
      { weight: 2, arbitrary: fc.string({ unit: 'binary', maxLength: 8 }) },
      { weight: 2, arbitrary: fc.constantFrom(...CONTROL_CHARS) },
      { weight: 2, arbitrary: fc.constantFrom(...SPECIAL_CHARS) },
      { weight: 1, arbitrary: fc.constantFrom(...MARKUP) },
    ),
    { maxLength: 12 },
  )
  .map((parts) => parts.join(''));

/** Dates and weeks that look plausible and are not. */
export const invalidDate: fc.Arbitrary<string> = fc.constantFrom(
  '2026-02-30',
  '2026-02-29',
  '2026-13-01',
  '2026-00-10',
  '2026-04-31',
  '2026-12-32',
  '2026-1-1',
  '26-01-01',
  '31/12/2026',
  '2026-12-31T25:00:00Z',
  '0000-00-00',
  '99999-01-01',
  '2026-W54',
  '2026-W00',
  '2026W10',
  'NaN',
  'igår',
  '',
);

/** A value of the wrong JSON type for any field (JSON has no undefined, NaN or Infinity). */
export const wrongType: fc.Arbitrary<unknown> = fc.oneof(
  fc.constant(null),
  fc.boolean(),
  fc.integer(),
  fc.double({ noNaN: true, noDefaultInfinity: true }),
  fc.constantFrom(-1, 0, 1e308, -1e308, 2 ** 53 + 1, 0.5),
  fc.constant(''),
  nastyText,
  fc.array(fc.jsonValue({ maxDepth: 2 }), { maxLength: 3 }),
  fc.dictionary(fc.string({ maxLength: 6 }), fc.jsonValue({ maxDepth: 1 }), { maxKeys: 3 }),
  fc.constant(JSON.parse('{"__proto__":{"polluted":true},"constructor":{"prototype":{"polluted":true}}}')),
);

/** Ids the program does not have: actions, teams, decisions. */
export const unknownId: fc.Arbitrary<string> = fc.oneof(
  fc.constantFrom('BOS-999', 'XXX-01', 'bos-01', 'BOS-01 ', ' BOS-01', 'BOS-01\u0000', 'D-2026-999', 'D-1999-001', '../BOS-01', 'BOS-01%2F..'),
  fc.string({ minLength: 1, maxLength: 40 }),
);

// ---------------------------------------------------------------------------------------------
// Text commands, keyed by command name (domain/commands.ts)
// ---------------------------------------------------------------------------------------------

/** The words of each command (a sample; domain/commands.ts has the full synonym list). */
export const COMMAND_WORDS: Record<CommandName, string[]> = {
  help: ['hjälp', 'help', '?'],
  link: ['koppla', 'link', 'bind'],
  actions: ['åtgärder', 'actions'],
  checkin: ['incheckning', 'checkin'],
  decision: ['beslut', 'decision'],
  decisions: ['beslutslogg', 'decisions'],
  digest: ['sammanfattning', 'digest'],
};

/**
 * Commands with malformed arguments that the bot must refuse or answer without writing; the
 * fuzz test sends these. `link` never gets a real team or role name (that would bind the
 * channel: a valid write), and the fuzz test also drops any text that resolves to a role.
 */
export const COMMAND_ARGS: Partial<Record<CommandName, fc.Arbitrary<string>>> = {
  help: fc.oneof(nastyText, invalidDate),
  link: fc.oneof(nastyText, unknownId, fc.constantFrom('', 'fotboll', 'bostäder2', 'styrgrupp styrgrupp', 'kommunikation!', '*', '%')),
  actions: fc.oneof(nastyText, unknownId, invalidDate),
};

/**
 * Malformed arguments for the commands of the flows that are still landing (check-in, decision,
 * decision log, digest). Not sent by the fuzz test yet: whether such a command ignores its
 * arguments and acts (a valid write, e.g. posting this week's check-in) or refuses them is up to
 * the flow. Move an entry into `COMMAND_ARGS` once its flow refuses exactly these inputs.
 */
export const PENDING_COMMAND_ARGS: Partial<Record<CommandName, fc.Arbitrary<string>>> = {
  checkin: fc.oneof(nastyText, invalidDate, unknownId, fc.tuple(unknownId, fc.constantFrom('på väg', 'klar', 'x'), nastyText).map((p) => p.join(' '))),
  decision: fc.oneof(nastyText, invalidDate, fc.tuple(invalidDate, nastyText).map((p) => p.join(' ')), unknownId),
  decisions: fc.oneof(nastyText, invalidDate, unknownId),
  digest: fc.oneof(nastyText, invalidDate, fc.constantFrom('2026-W54', 'vecka 99', 'week -1', '2026-W00', 'förra året')),
};

/** `<command word><separator><malformed args>` for the commands in `args` (default `COMMAND_ARGS`). */
export function commandTextFor(args: Partial<Record<CommandName, fc.Arbitrary<string>>> = COMMAND_ARGS): fc.Arbitrary<string> {
  const names = Object.keys(args) as CommandName[];
  return fc
    .constantFrom(...names)
    .chain((name) => fc.tuple(fc.constantFrom(...COMMAND_WORDS[name]), args[name]!, fc.constantFrom(' ', ': ', '  ', '\t', '\n', ' :')))
    .map(([word, a, sep]) => `${word}${sep}${a}`);
}

export const commandText: fc.Arbitrary<string> = commandTextFor();

// ---------------------------------------------------------------------------------------------
// Card payloads, keyed by verb (cards/verbs)
// ---------------------------------------------------------------------------------------------

/** Payload fields that make any payload wrong: unknown fields, a verb that disagrees, junk. */
const extraFields: fc.Arbitrary<Record<string, unknown>> = fc.dictionary(
  fc.oneof(fc.string({ minLength: 1, maxLength: 10 }), fc.constantFrom('__proto__', 'constructor', 'programId', 'tenantId', 'isAdmin', 'role')),
  wrongType,
  { minKeys: 1, maxKeys: 3 },
);

/** Drops, retypes or adds fields of a valid payload (at least one change). */
export function breakPayload(valid: Record<string, unknown>): fc.Arbitrary<Record<string, unknown>> {
  const fields = Object.keys(valid);
  return fc.oneof(
    // a field missing
    fc.constantFrom(...fields).map((f) => {
      const copy = { ...valid };
      delete copy[f];
      return copy;
    }),
    // a field of the wrong type
    fc.tuple(fc.constantFrom(...fields), wrongType).map(([f, v]) => ({ ...valid, [f]: v })),
    // extra fields
    extraFields.map((extra) => ({ ...valid, ...extra })),
    // nothing at all
    fc.constant({}),
  );
}

export type PayloadArbitrary = (target: FuzzTarget) => fc.Arbitrary<Record<string, unknown>>;

/**
 * Malformed payloads for each card verb. Add the verbs of check-ins, decisions and the digest
 * here when they land (wrong types, missing and extra fields, invalid dates like 2026-02-30,
 * unknown action ids, another team's key, text over the field limits).
 */
export const CARD_PAYLOADS: Record<string, PayloadArbitrary> = {
  'actions.page': (target) =>
    fc.oneof(
      breakPayload({ teamKey: target.teamKey, page: 0 }),
      fc.record({ teamKey: fc.constant(target.teamKey), page: fc.constantFrom(-1, 1001, 1.5, 2 ** 31, -0.0001) }),
      fc.record({ teamKey: fc.oneof(unknownId, nastyText, fc.constant('x'.repeat(41))), page: fc.nat(3) }),
      // a card claiming another team: answered read-only (the action plan is not secret)
      fc.record({ teamKey: fc.constantFrom(...target.otherTeamKeys), page: fc.nat(2), verb: fc.constant('actions.page') }),
    ),
};

/**
 * For a verb with no entry in `CARD_PAYLOADS` yet: junk that no payload schema accepts (random
 * keys with values of any type, or nothing but the verb and a stray field).
 */
export const genericMalformedPayload: fc.Arbitrary<Record<string, unknown>> = fc.oneof(
  extraFields,
  fc.dictionary(fc.string({ maxLength: 12 }), wrongType, { minKeys: 1, maxKeys: 6 }),
  fc.record({ teamKey: wrongType, week: invalidDate, actionId: unknownId, number: unknownId, page: wrongType, junk: wrongType }),
);

/** Every verb the bot registers (cards/verbs) and every verb with generators. */
export function allCardVerbs(): string[] {
  return [...new Set([...Object.keys(CARD_PAYLOADS), ...Object.values(VERBS)])];
}

/** A verb's own malformed payloads, or generic junk until it has some. */
export function cardPayloadFor(target: FuzzTarget, verb: string): fc.Arbitrary<Record<string, unknown>> {
  return CARD_PAYLOADS[verb]?.(target) ?? genericMalformedPayload;
}

/** Verbs the bot does not know (and near misses of ones it does). */
export const unknownVerb: fc.Arbitrary<string> = fc.oneof(
  fc.constantFrom('actions.Page', 'actions.page ', 'actions', 'checkin.submit.x', 'decision.delete', 'admin.wipe', '', '__proto__', 'constructor', 'toString'),
  fc.string({ maxLength: 50 }),
);

// ---------------------------------------------------------------------------------------------
// Activities
// ---------------------------------------------------------------------------------------------

const locale = fc.constantFrom('sv-SE', 'en-US', 'en-GB', 'de-DE', '', 'xx', 'sv-SE\u0000', 'en-US;DROP');

/** Dotted paths into an activity that the envelope mutation may delete or retype. */
const ENVELOPE_PATHS = [
  'id',
  'type',
  'name',
  'text',
  'value',
  'value.action',
  'value.action.verb',
  'value.action.data',
  'timestamp',
  'localTimestamp',
  'serviceUrl',
  'channelId',
  'from',
  'from.id',
  'from.name',
  'from.aadObjectId',
  'recipient',
  'recipient.id',
  'conversation',
  'conversation.id',
  'conversation.tenantId',
  'conversation.conversationType',
  'channelData',
  'channelData.tenant',
  'channelData.tenant.id',
  'channelData.team',
  'channelData.team.id',
  'channelData.channel',
  'channelData.channel.id',
  'channelData.eventType',
  'entities',
  'attachments',
  'membersAdded',
  'membersRemoved',
  'locale',
  'replyToId',
  'action',
];

type Mutation = { path: string; op: 'delete' } | { path: string; op: 'set'; value: unknown };

const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  fc.record({ path: fc.constantFrom(...ENVELOPE_PATHS), op: fc.constant<'delete'>('delete') }),
  fc.record({
    path: fc.constantFrom(...ENVELOPE_PATHS),
    op: fc.constant<'set'>('set'),
    value: fc.oneof(wrongType, invalidDate, fc.constantFrom('message', 'invoke', 'installationUpdate', 'conversationUpdate', 'event', 'typing', 'endOfConversation', 'trace', 'delete', 'MESSAGE')),
  }),
);

function applyMutation(activity: Record<string, unknown>, m: Mutation): void {
  const parts = m.path.split('.');
  let node: Record<string, unknown> = activity;
  for (const p of parts.slice(0, -1)) {
    const next = node[p];
    if (!next || typeof next !== 'object' || Array.isArray(next)) return;
    node = next as Record<string, unknown>;
  }
  const last = parts[parts.length - 1]!;
  if (m.op === 'delete') delete node[last];
  else node[last] = m.value;
}

/** A well-formed activity of any type the bot handles, for the envelope mutations to break. */
function baseActivity(target: FuzzTarget): fc.Arbitrary<{ activity: TeamsActivity; recordsTeam?: string }> {
  const common = { serviceUrl: target.serviceUrl };
  const strangerTeam = fc.string({ unit: fc.constantFrom(...'0123456789abcdef'), minLength: 8, maxLength: 8 }).map((h) => `19:fuzz${h}@thread.tacv2`);
  return fc.oneof(
    fc.tuple(commandText, locale).map(([text, loc]) => ({ activity: channelMessage({ ...common, text, teamId: target.teamId, channelId: target.channelId, locale: loc }) })),
    fc.tuple(nastyText, locale).map(([text, loc]) => ({ activity: personalMessage({ ...common, text, locale: loc }) })),
    fc.tuple(unknownVerb, wrongType).map(([verb, data]) => ({
      activity: actionExecuteInvoke({ ...common, verb, data: data as Record<string, unknown>, teamId: target.teamId, channelId: target.channelId }),
    })),
    strangerTeam.map((teamId) => ({ activity: installationUpdateAdd({ ...common, teamId }), recordsTeam: teamId })),
    strangerTeam.map((teamId) => ({ activity: installationUpdateRemove({ ...common, teamId }) })),
    strangerTeam.map((teamId) => ({ activity: botAddedToTeam({ ...common, teamId }), recordsTeam: teamId })),
    strangerTeam.map((teamId) => ({ activity: botRemovedFromTeam({ ...common, teamId }) })),
  );
}

/** Activities of every kind with malformed content; `target` says where they point. */
export function fuzzCase(target: FuzzTarget): fc.Arbitrary<FuzzCase> {
  const inBoundChannel = { serviceUrl: target.serviceUrl, teamId: target.teamId, channelId: target.channelId };
  const cardVerb = fc.constantFrom(...allCardVerbs());
  const payloadFor = (verb: string) => cardPayloadFor(target, verb);

  const command = fc.tuple(commandText, locale).map(([text, loc]): FuzzCase => ({ kind: 'command', body: channelMessage({ ...inBoundChannel, text, locale: loc }) }));
  const personal = fc.tuple(fc.oneof(commandText, nastyText), locale).map(([text, loc]): FuzzCase => ({ kind: 'personal', body: personalMessage({ serviceUrl: target.serviceUrl, text, locale: loc }) }));
  const noMention = nastyText.map((text): FuzzCase => ({ kind: 'text', body: channelMessage({ ...inBoundChannel, text, mention: false }) }));

  const huge = fc
    .tuple(fc.oneof(nastyText, fc.constantFrom('x', 'å', '😀', '\u0000', 'hjälp ')), fc.double({ min: 0.5, max: 1.1, noNaN: true }), fc.boolean())
    .map(([unit, share, asCommand]): FuzzCase => {
      // Scale the text so the whole JSON body (text, its html copy, escapes) is `share` of the limit.
      const make = (n: number) => channelMessage({ ...inBoundChannel, text: `${asCommand ? 'åtgärder ' : ''}${(unit || 'x').repeat(n)}` });
      const probe = Buffer.byteLength(JSON.stringify(make(64)), 'utf8') - Buffer.byteLength(JSON.stringify(make(0)), 'utf8');
      const overhead = Buffer.byteLength(JSON.stringify(make(0)), 'utf8');
      const n = Math.max(1, Math.floor(((target.maxBodyBytes * share - overhead) * 64) / Math.max(1, probe)));
      return { kind: share > 1 ? 'huge:over' : 'huge', body: make(n) };
    });

  const execute = cardVerb.chain((verb) => payloadFor(verb).map((data): FuzzCase => ({ kind: `execute:${verb}`, body: actionExecuteInvoke({ ...inBoundChannel, verb, data }) })));
  const submit = cardVerb.chain((verb) =>
    payloadFor(verb).map((data): FuzzCase => ({ kind: `submit:${verb}`, body: actionSubmitMessage({ ...inBoundChannel, verb, data, cardActivityId: '1700000000001' }) })),
  );
  const unknownExecute = fc.tuple(unknownVerb, fc.dictionary(fc.string({ maxLength: 8 }), wrongType, { maxKeys: 4 })).map(([verb, data]): FuzzCase => ({ kind: 'execute:unknown', body: actionExecuteInvoke({ ...inBoundChannel, verb, data }) }));
  const unknownSubmit = fc.tuple(unknownVerb, fc.dictionary(fc.string({ maxLength: 8 }), wrongType, { maxKeys: 4 })).map(([verb, data]): FuzzCase => ({ kind: 'submit:unknown', body: actionSubmitMessage({ ...inBoundChannel, verb, data }) }));
  const strangeInvoke = fc.tuple(fc.constantFrom('adaptiveCard/action', 'composeExtension/query', 'task/fetch', 'signin/verifyState', 'config/fetch', 'unknown/name', ''), wrongType).map(([name, value]): FuzzCase => {
    const a = actionExecuteInvoke({ ...inBoundChannel, verb: 'actions.page', data: { teamKey: target.teamKey, page: 0 } }) as unknown as Record<string, unknown>;
    a.name = name;
    a.value = value;
    return { kind: 'invoke:strange', body: a };
  });

  const envelope = fc.tuple(baseActivity(target), fc.array(mutation, { minLength: 1, maxLength: 4 })).map(([base, mutations]): FuzzCase => {
    const a = structuredClone(base.activity) as unknown as Record<string, unknown>;
    for (const m of mutations) applyMutation(a, m);
    // Only Teams' fields decide whether a team may be recorded: note the id if it survived as a string.
    const team = (a.channelData as { team?: { id?: unknown } } | undefined)?.team?.id;
    return { kind: 'envelope', body: a, recordsTeam: typeof team === 'string' ? team : base.recordsTeam };
  });

  const raw = fc.oneof(
    fc.constantFrom('', 'null', '[]', '"message"', '{', '{"type":', '{"type":"message"', 'type=message', '\u0000', '{"type":"message","text":"\\ud800"}', `${'['.repeat(5000)}${']'.repeat(5000)}`, `{"type":"message","a":${'{"a":'.repeat(3000)}1${'}'.repeat(3000)}}`),
    fc.string({ maxLength: 200 }),
    fc.jsonValue({ maxDepth: 3 }).map((v) => JSON.stringify(v)),
  ).chain((body) => fc.constantFrom('application/json', 'text/plain', 'application/x-www-form-urlencoded', 'application/json; charset=latin1').map((contentType): FuzzCase => ({ kind: 'raw', raw: body, contentType })));

  return fc.oneof(
    { weight: 4, arbitrary: command },
    { weight: 2, arbitrary: personal },
    { weight: 1, arbitrary: noMention },
    { weight: 1, arbitrary: huge },
    { weight: 3, arbitrary: execute },
    { weight: 2, arbitrary: submit },
    { weight: 1, arbitrary: unknownExecute },
    { weight: 1, arbitrary: unknownSubmit },
    { weight: 1, arbitrary: strangeInvoke },
    { weight: 4, arbitrary: envelope },
    { weight: 1, arbitrary: raw },
  );
}
