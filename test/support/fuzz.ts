/**
 * Generators (fast-check v4) for malformed and hostile input to the bot's HTTP endpoint: text
 * commands with broken arguments, card payloads with wrong types, missing and extra fields,
 * invalid dates and ids, cards claiming another team, unknown verbs, control characters, huge
 * text, activities with broken envelopes, and bodies that are not activities at all.
 *
 * Extending it when a flow lands: add the flow's text command to `COMMAND_ARGS` and each card
 * verb to `CARD_PAYLOADS` (key = the verb; test/trust/fuzz.e2e.test.ts fails while a verb in
 * cards/verbs has no entry, and sends it generic junk, `genericMalformedPayload`, meanwhile).
 * Every generator must produce only input that the bot must refuse, or answer without writing:
 * the fuzz test asserts that storage is unchanged afterwards. A generator for a valid write would
 * make that test fail, on purpose. Field-specific generators therefore start from a payload that
 * would be valid and add at least one defect (`withDefect`): the defect decides the outcome, the
 * rest carries hostile but acceptable text (control characters, markup) to where it is used.
 *
 * The one command that writes when its arguments are junk, `incheckning` in a team channel with
 * no check-in this week (it posts one), has its own generator (`checkinCommandText`) and its own
 * property in the fuzz test, with the exact writes it may make.
 */
import fc from 'fast-check';

import { VERBS } from '../../cards/verbs';
import type { CommandName } from '../../domain/commands';
import { ACTION_STATUSES } from '../../domain/types';
import {
  DEFAULT_USER,
  type TeamsActivity,
  type TeamsUser,
  actionExecuteInvoke,
  actionSubmitMessage,
  botAddedToTeam,
  botRemovedFromTeam,
  channelMessage,
  installationUpdateAdd,
  installationUpdateRemove,
  personalMessage,
} from './activities';

/**
 * Where fuzzed activities go and what is stored there: one installed team with a channel bound to
 * a program team (`channelId`), a channel bound to another program team and a steering channel;
 * actions of both program teams; decisions in several states. Answers go to the double.
 */
export interface FuzzTarget {
  serviceUrl: string;
  teamId: string;
  /** A channel bound to a team (so flows that need a binding run past that check); its check-in of `week` is posted. */
  channelId: string;
  /** The team key that channel is bound to. */
  teamKey: string;
  /** Program team keys other than `teamKey` (for cards claiming another team). */
  otherTeamKeys: string[];
  /** A channel bound to `otherTeamKey` (cards that would be valid there are never pressed in it). */
  otherChannelId: string;
  otherTeamKey: string;
  /** A channel bound to the steering group. */
  steeringChannelId: string;
  /** A steering member (by Entra object id). Decision payloads sent as this person carry a defect. */
  steeringUser: TeamsUser;
  /** Stored action ids of `teamKey`, and of `otherTeamKey`. */
  actionIds: string[];
  otherActionIds: string[];
  /** The bot clock's ISO week (`2026-W48`). */
  week: string;
  /** Stored decisions of the bot clock's year. */
  decisions: {
    /** Affects `otherTeamKey`, follow-up open: marking it done is a write for the steering group or that team. */
    openFollowUpOfOtherTeam: string;
    /** Affects `teamKey`, no follow-up. */
    noFollowUp: string;
    /** Affects `teamKey`, follow-up done already (marking it again writes nothing). */
    followUpDone: string;
    /** Revoked, affects `teamKey`, no follow-up (cannot be amended or revoked again). */
    revoked: string;
  };
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

const CONTROL_CHARS = [
  ...Array.from({ length: 32 }, (_, i) => String.fromCharCode(i)),
  '\u007f',
  '\u0085',
  '\u2028',
  '\u2029',
];
const SPECIAL_CHARS = [
  '\u200b',
  '\u200e',
  '\u202e',
  '\u00a0',
  '\ufeff',
  '\ud800',
  '\udfff',
  '😀',
  '👩‍👩‍👧',
  'å',
  'Ä',
  'ö',
  '"',
  "'",
  '\\',
  '<',
  '>',
  '&',
  '%',
  '#',
  '?',
  '/',
  '$',
  '{',
  '}',
  '`',
];
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
  fc.constantFrom(
    'BOS-999',
    'XXX-01',
    'bos-01',
    'BOS-01 ',
    ' BOS-01',
    'BOS-01\u0000',
    'D-2026-999',
    'D-1999-001',
    '../BOS-01',
    'BOS-01%2F..',
  ),
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
  protocol: ['protokoll', 'protocol'],
  brief: ['inför mötet', 'brief'],
  admin: ['admin', 'administratör'],
};

/**
 * Commands with malformed arguments that the bot must refuse or answer without writing; the
 * fuzz test sends these (in the team channel and the steering channel, as a team member or a
 * steering member, and in a personal chat). What each does with junk:
 * - `link` never gets a real team or role name (that would bind the channel: a valid write), and
 *   the fuzz test also drops any text that resolves to a role;
 * - `checkin` in a team channel whose check-in of the week is posted answers with a pointer to it
 *   (no write); only the exact words for "post anew" (`ANEW` in bot/flows/checkin.flow.ts: `ny`,
 *   `igen`, `new`, …) post again, and the fuzz test drops those. In a team channel with no
 *   check-in yet it posts one: that is `checkinCommandText`'s separate property;
 * - `decision` opens a form (steering member, steering channel), shows a decision (a number), or
 *   says where and by whom decisions are logged: never a write (the form's submit is one);
 * - `decisions`, `digest`, `protocol` and `brief` only read.
 */
export const COMMAND_ARGS: Partial<Record<CommandName, fc.Arbitrary<string>>> = {
  help: fc.oneof(nastyText, invalidDate),
  link: fc.oneof(
    nastyText,
    unknownId,
    fc.constantFrom('', 'fotboll', 'bostäder2', 'styrgrupp styrgrupp', 'kommunikation!', '*', '%'),
  ),
  actions: fc.oneof(nastyText, unknownId, invalidDate),
  checkin: fc.oneof(
    nastyText,
    invalidDate,
    unknownId,
    fc.tuple(unknownId, fc.constantFrom('på väg', 'klar', 'x', 'ny ny', 'new!'), nastyText).map((p) => p.join(' ')),
  ),
  decision: fc.oneof(
    nastyText,
    invalidDate,
    fc.tuple(invalidDate, nastyText).map((p) => p.join(' ')),
    unknownId,
    fc.constantFrom('D-2026-999', 'd-2026-9999999', 'D-2026-001 D-2026-002', ': ', '\u0000', 'D-2026-0'),
  ),
  decisions: fc.oneof(
    nastyText,
    invalidDate,
    unknownId,
    fc.constantFrom(
      'fotboll 2026',
      '1999-2030',
      '2026-02-30..2026-03-01',
      'vecka 54',
      'bostäder vecka 99',
      '2026-12-31 2026-01-01',
    ),
  ),
  digest: fc.oneof(
    nastyText,
    invalidDate,
    fc.constantFrom('2026-W54', 'vecka 99', 'week -1', '2026-W00', 'förra året', '2099-W01', 'vecka 53 2025', '0'),
  ),
  protocol: fc.oneof(
    nastyText,
    invalidDate,
    fc.constantFrom('2026-02-30', 'igår', '0000-00-00', 'idag idag', '2026-13-01'),
  ),
  brief: fc.oneof(nastyText, invalidDate, unknownId, fc.constantFrom('i morgon', 'vecka 99', 'förra mötet')),
  // Never a person to add (that is a valid write): no target, junk, or someone who is not an admin to remove.
  admin: fc.oneof(
    nastyText,
    fc
      .tuple(
        fc.constantFrom('lägg till', 'add', 'ta bort', 'remove'),
        fc.oneof(nastyText, fc.constantFrom('', 'nobody', '<at>Kraftsamla</at>', 'not-an-id')),
      )
      .map((p) => p.join(' ')),
    fc.constantFrom(
      'ta bort nobody@nowhere.example',
      'remove 00000000-0000-4000-8000-000000000000',
      'lista',
      'visa allt',
    ),
  ),
};

/** `<command word><separator><malformed args>` for the commands in `args` (default `COMMAND_ARGS`). */
export function commandTextFor(
  args: Partial<Record<CommandName, fc.Arbitrary<string>>> = COMMAND_ARGS,
): fc.Arbitrary<string> {
  const names = Object.keys(args) as CommandName[];
  return fc
    .constantFrom(...names)
    .chain((name) =>
      fc.tuple(
        fc.constantFrom(...COMMAND_WORDS[name]),
        args[name]!,
        fc.constantFrom(' ', ': ', '  ', '\t', '\n', ' :'),
      ),
    )
    .map(([word, a, sep]) => `${word}${sep}${a}`);
}

export const commandText: fc.Arbitrary<string> = commandTextFor();

/** `incheckning <junk>`: for the property that expects exactly one post in a channel with no check-in yet. */
export const checkinCommandText: fc.Arbitrary<string> = commandTextFor({ checkin: COMMAND_ARGS.checkin! });

// ---------------------------------------------------------------------------------------------
// Card payloads, keyed by verb (cards/verbs)
// ---------------------------------------------------------------------------------------------

/** Field names some payload schema knows: an extra field must not be one of them (it could repair a defect). */
const KNOWN_FIELDS = new Set([
  'verb',
  'teamKey',
  'week',
  'actionId',
  'page',
  'number',
  'etag',
  'reason',
  'formId',
  'channelId',
  'from',
  'to',
  'period',
  'team',
  'title',
  'text',
  'rationale',
  'meetingName',
  'meetingDate',
  'teams',
  'actions',
  'followUpOwner',
  'followUpDue',
  'actionEdit.actionId',
  'actionEdit.title',
  'actionEdit.ownerName',
  'actionEdit.ownerEmail',
  'actionEdit.due',
  'actionEdit.description',
  'uploadId',
  'hash',
]);

/** Payload fields that make any payload wrong: unknown fields, a verb that disagrees, junk. */
const extraFields: fc.Arbitrary<Record<string, unknown>> = fc.dictionary(
  fc
    .oneof(
      fc.string({ minLength: 1, maxLength: 10 }),
      fc.constantFrom('__proto__', 'constructor', 'programId', 'tenantId', 'isAdmin', 'role'),
    )
    .filter((k) => !KNOWN_FIELDS.has(k)),
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

/** Values that are not of a field's JSON type (what `breakPayload`'s `wrongType` may not guarantee). */
export const notA = {
  string: fc.oneof(
    fc.constant(null),
    fc.boolean(),
    fc.integer(),
    fc.double({ noNaN: true, noDefaultInfinity: true }),
    fc.array(fc.jsonValue({ maxDepth: 1 }), { maxLength: 2 }),
    fc.constant({ $ne: null }),
  ),
  number: fc.oneof(
    fc.constant(null),
    fc.boolean(),
    nastyText,
    fc.constantFrom('0', '1', ''),
    fc.array(fc.integer(), { maxLength: 2 }),
    fc.constant({ $gt: 0 }),
  ),
  /** Card inputs arrive as strings (numbers and booleans from older clients): anything else. */
  input: fc.oneof(
    fc.constant(null),
    fc.array(fc.jsonValue({ maxDepth: 1 }), { maxLength: 2 }),
    fc.constant({ value: 'x' }),
  ),
};

/** Numbers a `page` (0–1000, integer) must refuse. */
const badPage = fc.oneof(fc.constantFrom(-1, 1001, 1.5, 2 ** 31, -0.0001, 1e308), notA.number);

/** Weeks with the right shape (`YYYY-Www`) that are not in the calendar. */
const weekNotInCalendar = fc.constantFrom('2026-W54', '2026-W00', '2025-W53', '2026-W99', '0000-W00');
/** Weeks of the wrong shape (invalid dates included: `2026-02-30`). */
const weekWrongShape = fc.oneof(
  invalidDate.filter((d) => !/^\d{4}-W\d{2}$/.test(d)),
  fc.constantFrom('2026-w48', '2026W48', '2026-W4', '2026-W048', 'W48'),
);

/** Dates `parseLocalDate` refuses (it also takes `31/12/2026` and `2026-1-1`, so these are picked). */
export const impossibleDate = fc.constantFrom(
  '2026-02-30',
  '2026-02-29',
  '2026-13-01',
  '2026-00-10',
  '2026-04-31',
  '2026-12-32',
  '0000-00-00',
  '99999-01-01',
  '31/02/2026',
  'igår',
  'NaN',
  '2026-W10',
  '30 februari',
);

/** Decision numbers that are no decision: never stored, or not a number at all. */
const unknownDecisionNumber = fc.constantFrom('D-2026-999', 'D-1999-001', 'D-2027-001', 'D-2026-999999');
const malformedDecisionNumber = fc.oneof(
  fc.constantFrom('D-26-001', 'd-2026-001', 'D-2026-01', 'D-2026-0000001', 'D-2026-001 ', 'D_2026_001', '2026-001', ''),
  nastyText,
  notA.string,
);

/** Text of `min`..`max` characters that stays that long after cleaning (letters, then a little hostile text). */
const longText = (min: number, max: number) =>
  fc
    .tuple(fc.integer({ min, max }), fc.constantFrom('å', 'x', 'ö ', '😀'), nastyText)
    .map(([n, unit, tail]) => `${unit.repeat(Math.ceil(n / unit.length))}${tail}`);

/** A change that makes a payload fail on its own (a later defect never repairs an earlier one). */
type Defect = (payload: Record<string, unknown>) => Record<string, unknown>;

/** A would-be-valid payload with at least one defect applied (the defect decides the outcome). */
function withDefect(
  base: fc.Arbitrary<Record<string, unknown>>,
  defects: fc.Arbitrary<Defect>,
  extraDefects = fc.array(defects, { maxLength: 1 }),
): fc.Arbitrary<Record<string, unknown>> {
  return fc
    .tuple(base, defects, extraDefects)
    .map(([payload, defect, more]) => [defect, ...more].reduce((p, d) => d(p), { ...payload }));
}

const set =
  (field: string, value: unknown): Defect =>
  (p) => ({ ...p, [field]: value });
const drop =
  (field: string): Defect =>
  (p) => {
    const copy = { ...p };
    delete copy[field];
    return copy;
  };

/** Free text that is acceptable but hostile: control characters (stripped), markup (shown literally), bidi marks. */
const hostileText = fc.oneof(
  nastyText,
  fc.constantFrom(
    '',
    ' ',
    'Detaljplan klar',
    '<at>Kraftsamla</at> klar',
    '[Klicka](https://evil.example)',
    '${process.env.MICROSOFT_APP_PASSWORD}',
  ),
);

/** One card button press: who presses, where, and the data. */
export interface CardRequest {
  data: Record<string, unknown>;
  /** The channel the card is in (default: the target's team channel). */
  channelId?: string;
  /** Who presses (default: the default user, a member of the team channel without the steering role). */
  from?: TeamsUser;
}

export type PayloadArbitrary = (target: FuzzTarget) => fc.Arbitrary<CardRequest>;

/** Lower-case hex of exactly `n` digits (upload ids and content hashes). */
const hex = (n: number): fc.Arbitrary<string> =>
  fc.string({ unit: fc.constantFrom(...'0123456789abcdef'), minLength: n, maxLength: n });

/** Requests in the target's team channel, as a team member. */
const inTeamChannel = (data: fc.Arbitrary<Record<string, unknown>>): fc.Arbitrary<CardRequest> =>
  data.map((d) => ({ data: d }));
/** Requests in any of `channels`, as the default user or the steering member. */
const anywhere = (
  target: FuzzTarget,
  data: fc.Arbitrary<Record<string, unknown>>,
  channels = [target.channelId, target.steeringChannelId, target.otherChannelId],
): fc.Arbitrary<CardRequest> =>
  fc
    .tuple(data, fc.constantFrom(...channels), fc.constantFrom(DEFAULT_USER as TeamsUser, target.steeringUser))
    .map(([d, channelId, from]) => ({ data: d, channelId, from }));

// -- check-in card -----------------------------------------------------------------------------

/** The answer form of one action as the card sends it, acceptable values only (plus hostile text). */
function answerBase(target: FuzzTarget): fc.Arbitrary<Record<string, unknown>> {
  return fc
    .record({
      actionId: fc.constantFrom(...target.actionIds),
      status: fc.constantFrom('', ...ACTION_STATUSES),
      progress: fc.oneof(
        fc.constant(''),
        fc.integer({ min: 0, max: 100 }).map(String),
        fc.integer({ min: 0, max: 100 }),
      ),
      comment: hostileText,
      blockers: hostileText,
      next: hostileText,
      highlight: fc.constantFrom('true', 'false', true, false),
      comms: hostileText,
      page: fc.option(fc.nat(3), { nil: undefined }),
    })
    .map(({ actionId, page, ...fields }) => ({
      teamKey: target.teamKey,
      week: target.week,
      actionId,
      ...(page === undefined ? {} : { page }),
      ...Object.fromEntries(Object.entries(fields).map(([k, v]) => [`${actionId}.${k}`, v])),
    }));
}

/** Sets one answer field of the payload's own action. */
const answerField =
  (field: string, value: unknown): Defect =>
  (p) => ({ ...p, [`${String(p.actionId)}.${field}`]: value });

/** Moves the answer to another action id (its input keys follow, as a card for that action would send them). */
const rekey =
  (actionId: unknown, teamKey?: unknown): Defect =>
  (p) => {
    const out: Record<string, unknown> = { ...p, actionId, ...(teamKey === undefined ? {} : { teamKey }) };
    for (const [k, v] of Object.entries(p)) {
      const m = /^(.*)\.(status|progress|comment|blockers|next|highlight|comms)$/.exec(k);
      if (m && typeof actionId === 'string') {
        delete out[k];
        out[`${actionId}.${m[2]}`] = v;
      }
    }
    return out;
  };

function answerDefects(target: FuzzTarget): fc.Arbitrary<Defect> {
  const known = new Set([...target.actionIds, ...target.otherActionIds]);
  return fc.oneof(
    weekNotInCalendar.map((w) => set('week', w)),
    weekWrongShape.map((w) => set('week', w)),
    // an action that does not exist
    unknownId.filter((id) => !known.has(id.trim())).map((id) => rekey(id)),
    // another team's action under this team's key
    fc.constantFrom(...target.otherActionIds).map((id) => rekey(id)),
    // a card from another team: its key and its action, pressed in this channel
    fc.constantFrom(...target.otherActionIds).map((id) => rekey(id, target.otherTeamKey)),
    fc
      .tuple(fc.constantFrom(...target.otherTeamKeys), fc.constantFrom(...target.actionIds))
      .map(([team, id]) => rekey(id, team)),
    // a team the program does not have
    fc
      .oneof(unknownId, nastyText, fc.constant('x'.repeat(41)))
      .filter((k) => k !== target.teamKey && !target.otherTeamKeys.includes(k))
      .map((k) => set('teamKey', k)),
    // (an invisible character is stripped like in any text, so `done` + a zero-width space is `done`;
    // a combining accent is not invisible: `donê` is no status)
    fc
      .constantFrom('klar', 'DONE', 'finished', '1', 'on track', 'ontrack', 'done\u0301', 'på väg', '<b>done</b>')
      .map((v) => answerField('status', v)),
    fc
      .constantFrom('150', '-1', '1.5', 'abc', '101', '50%', 'NaN', 'Infinity', 'true', 1000, -3, 12.5, true)
      .map((v) => answerField('progress', v)),
    // text over the field limits (1 000; 300 for comms), and over the payload's 10 000
    fc.tuple(fc.constantFrom('comment', 'blockers', 'next'), longText(1001, 9000)).map(([f, v]) => answerField(f, v)),
    longText(301, 2000).map((v) => answerField('comms', v)),
    fc
      .tuple(fc.constantFrom('comment', 'blockers', 'next', 'comms', 'status'), longText(10_001, 12_000))
      .map(([f, v]) => answerField(f, v)),
    // inputs of a type no card sends
    fc
      .tuple(fc.constantFrom('status', 'progress', 'comment', 'blockers', 'next', 'highlight', 'comms'), notA.input)
      .map(([f, v]) => answerField(f, v)),
    // fields no form has
    fc.constantFrom('evil', 'status.x', 'owner', 'teamKey').map((f) => answerField(f, 'x')),
    extraFields.map((extra): Defect => (p) => ({ ...p, ...extra })),
    fc.constantFrom('teamKey', 'week', 'actionId').map(drop),
    fc.tuple(fc.constantFrom('teamKey', 'week', 'actionId'), notA.string).map(([f, v]) => set(f, v)),
    badPage.map((v) => set('page', v)),
  );
}

// -- add/edit action form ----------------------------------------------------------------------

const EDIT = {
  title: 'actionEdit.title',
  ownerName: 'actionEdit.ownerName',
  ownerEmail: 'actionEdit.ownerEmail',
  due: 'actionEdit.due',
  description: 'actionEdit.description',
  pick: 'actionEdit.actionId',
} as const;

function actionFormBase(target: FuzzTarget): fc.Arbitrary<Record<string, unknown>> {
  return fc
    .record({
      actionId: fc.option(fc.constantFrom(...target.actionIds), { nil: undefined }),
      title: fc
        .tuple(fc.constantFrom('Trygghetsvandring', 'Ny åtgärd', '<b>Åtgärd</b>'), nastyText)
        .map(([a, b]) => `${a} ${b}`.slice(0, 150)),
      ownerName: fc.oneof(
        fc.constant(''),
        nastyText.map((x) => x.slice(0, 60)),
      ),
      ownerEmail: fc.constantFrom('', 'anna@harnosand.se', 'Anna.Strom@Harnosand.SE'),
      due: fc.constantFrom('', '2027-06-30', '31/12/2026', '2026-1-1'),
      description: hostileText,
    })
    .map(({ actionId, ...v }) => ({
      teamKey: target.teamKey,
      ...(actionId ? { actionId } : {}),
      [EDIT.title]: v.title,
      [EDIT.ownerName]: v.ownerName,
      [EDIT.ownerEmail]: v.ownerEmail,
      [EDIT.due]: v.due,
      [EDIT.description]: v.description,
    }));
}

function actionFormDefects(target: FuzzTarget): fc.Arbitrary<Defect> {
  const known = new Set([...target.actionIds, ...target.otherActionIds]);
  return fc.oneof(
    // a card from another team
    fc.constantFrom(...target.otherTeamKeys).map((k) => set('teamKey', k)),
    fc
      .constantFrom(...target.otherActionIds)
      .map((id): Defect => (p) => ({ ...p, teamKey: target.otherTeamKey, actionId: id })),
    // another team's action under this team's key, or one that does not exist
    fc.constantFrom(...target.otherActionIds).map((id) => set('actionId', id)),
    unknownId.filter((id) => !known.has(id)).map((id) => set('actionId', id)),
    fc
      .oneof(unknownId, nastyText)
      .filter((k) => k !== target.teamKey && !target.otherTeamKeys.includes(k))
      .map((k) => set('teamKey', k)),
    impossibleDate.map((d) => set(EDIT.due, d)),
    fc.oneof(fc.constantFrom('', ' ', '\u0000\u0007', '\n\t'), longText(201, 3000)).map((v) => set(EDIT.title, v)),
    longText(101, 3000).map((v) => set(EDIT.ownerName, v)),
    fc
      .constantFrom(
        'anna@',
        'not an email',
        'a b@c.se',
        '@harnosand.se',
        'anna@harnosand',
        '<anna@harnosand.se>',
        'x'.repeat(250) + '@harnosand.se',
      )
      .map((v) => set(EDIT.ownerEmail, v)),
    longText(2001, 9000).map((v) => set(EDIT.description, v)),
    // an edit from a form opened before someone else's change
    fc
      .tuple(
        fc.constantFrom(...target.actionIds),
        fc.constantFrom('W/"datetime\'2020-01-01T00%3A00%3A00.0000000Z\'"', 'stale', '*'),
      )
      .map(([id, etag]): Defect => (p) => ({ ...p, actionId: id, etag })),
    fc
      .tuple(
        fc.constantFrom(
          EDIT.title,
          EDIT.ownerName,
          EDIT.ownerEmail,
          EDIT.due,
          EDIT.description,
          'actionId',
          'etag',
          'teamKey',
        ),
        notA.string,
      )
      .map(([f, v]) => set(f, v)),
    longText(10_001, 11_000).map((v) => set(EDIT.title, v)),
    extraFields.map((extra): Defect => (p) => ({ ...p, ...extra })),
    fc.constant(drop('teamKey')),
  );
}

// -- decision forms ----------------------------------------------------------------------------

function decisionFormBase(): fc.Arbitrary<Record<string, unknown>> {
  return fc.record({
    title: fc
      .tuple(fc.constantFrom('Beslut om', 'Ny <b>riktning</b>', 'Budget'), nastyText)
      .map(([a, b]) => `${a} ${b}`.slice(0, 150)),
    text: fc
      .tuple(fc.constantFrom('Styrgruppen beslutar', '[Länk](https://evil.example)'), nastyText)
      .map(([a, b]) => `${a} ${b}`),
    rationale: hostileText,
    meetingName: fc.constantFrom('', 'Styrgruppsmöte', 'KLG'),
    meetingDate: fc.constantFrom('2026-11-23', '23/11/2026', '2026-01-05'),
    teams: fc.constantFrom('', 'bostäder', 'bostader, industrimark', 'Bostäder;Trygghet'),
    actions: fc.constantFrom('', 'BOS-01', 'bos-01'),
    followUpOwner: fc.constantFrom('', 'Anna Ström'),
    followUpDue: fc.constantFrom('', '2027-01-31'),
  });
}

/** Defects `validateDraft` refuses (the form comes back with what to fix), and some its payload schema refuses first. */
const decisionDraftDefects: fc.Arbitrary<Defect> = fc.oneof(
  fc.constantFrom('title', 'text', 'meetingDate').map((f) => set(f, '')),
  fc.constantFrom('title', 'text').map((f) => set(f, '\u0000\u0007 \u001b')),
  longText(201, 1900).map((v) => set('title', v)),
  longText(4001, 9000).map((v) => set('text', v)),
  longText(2001, 9000).map((v) => set('rationale', v)),
  longText(121, 900).map((v) => set('meetingName', v)),
  longText(121, 900).map((v) => set('followUpOwner', v)),
  impossibleDate.map((d) => set('meetingDate', d)),
  impossibleDate.map((d) => set('followUpDue', d)),
  fc.constantFrom('fotboll', 'bostäder, fotboll', 'styrgrupp', '*', 'bostader2').map((v) => set('teams', v)),
  fc
    .constantFrom(
      'BOS-999',
      'XXX-01',
      'BOS-01 BOS-999',
      'x'.repeat(41),
      Array.from({ length: 51 }, (_, i) => `BOS-${i}`).join(','),
    )
    .map((v) => set('actions', v)),
);
/** The payload schema's own limits and types. */
const decisionPayloadDefects: fc.Arbitrary<Defect> = fc.oneof(
  fc
    .tuple(
      fc.constantFrom(
        'title',
        'text',
        'rationale',
        'meetingName',
        'meetingDate',
        'teams',
        'actions',
        'followUpOwner',
        'followUpDue',
      ),
      notA.string,
    )
    .map(([f, v]) => set(f, v)),
  longText(20_001, 21_000).map((v) => set('text', v)),
  fc.constantFrom('short', '', 'x'.repeat(81)).map((v) => set('formId', v)),
  extraFields.map((extra): Defect => (p) => ({ ...p, ...extra })),
);
const decisionFormDefects: fc.Arbitrary<Defect> = fc.oneof(
  { weight: 3, arbitrary: decisionDraftDefects },
  { weight: 1, arbitrary: decisionPayloadDefects },
);

/** What makes an amend or revoke refused (the reason is required, 1–1 000 characters). */
const reasonDefects: fc.Arbitrary<Defect> = fc.oneof(
  fc
    .constantFrom(undefined, '', ' ', '\u0000\u0007')
    .map((v): Defect => (v === undefined ? drop('reason') : set('reason', v))),
  longText(1001, 4900).map((v) => set('reason', v)),
  longText(5001, 6000).map((v) => set('reason', v)),
);

/** A stale etag: the decision changed since the card was shown. */
const staleEtag = fc
  .constantFrom('W/"datetime\'2020-01-01T00%3A00%3A00.0000000Z\'"', 'W/"stale"')
  .map((e) => set('etag', e));

// ---------------------------------------------------------------------------------------------

/**
 * Malformed payloads for each card verb, with the channel and person pressing. Each generator
 * names what makes its payloads refused; where a payload would be valid, it is pressed by someone
 * without the role (the default user is a member of the team channel only, not of the steering
 * group, not a program admin).
 */
export const CARD_PAYLOADS: Record<string, PayloadArbitrary> = {
  'actions.page': (target) =>
    inTeamChannel(
      fc.oneof(
        breakPayload({ teamKey: target.teamKey, page: 0 }),
        fc.record({ teamKey: fc.constant(target.teamKey), page: badPage }),
        fc.record({ teamKey: fc.oneof(unknownId, nastyText, fc.constant('x'.repeat(41))), page: fc.nat(3) }),
        // a card claiming another team: answered read-only (the action plan is not secret)
        fc.record({
          teamKey: fc.constantFrom(...target.otherTeamKeys),
          page: fc.nat(2),
          verb: fc.constant('actions.page'),
        }),
      ),
    ),

  // Writes when valid: every payload carries a defect; pressed in the team channel or elsewhere.
  'checkin.answer': (target) =>
    anywhere(target, withDefect(answerBase(target), answerDefects(target)), [
      target.channelId,
      target.steeringChannelId,
    ]),

  // Read-only: any team, any week shape.
  'checkin.page': (target) =>
    anywhere(
      target,
      fc.oneof(
        breakPayload({ teamKey: target.teamKey, week: target.week, page: 0 }),
        fc.record({
          teamKey: fc.constantFrom(target.teamKey, ...target.otherTeamKeys),
          week: fc.oneof(weekNotInCalendar, weekWrongShape),
          page: fc.nat(2),
        }),
        fc.record({
          teamKey: fc.constantFrom(target.teamKey, ...target.otherTeamKeys),
          week: fc.constant(target.week),
          page: badPage,
        }),
        fc.record({ teamKey: fc.oneof(unknownId, nastyText), week: fc.constant(target.week), page: fc.nat(2) }),
      ),
    ),

  // Writes (posts anew) when pressed in the channel it names, for that channel's team: never generated.
  'checkin.repost': (target) =>
    anywhere(
      target,
      fc.oneof(
        // another team's channel, pressed here (the pointer card lives in the channel it posts to)
        fc.record({
          teamKey: fc.constant(target.otherTeamKey),
          week: fc.constant(target.week),
          channelId: fc.constant(target.otherChannelId),
        }),
        // a channel that is not that team's, or not bound at all
        fc.record({
          teamKey: fc.constantFrom(...target.otherTeamKeys),
          week: fc.constant(target.week),
          channelId: fc.constant(target.channelId),
        }),
        fc.record({
          teamKey: fc.constantFrom(target.teamKey, target.otherTeamKey),
          week: fc.constant(target.week),
          channelId: fc.oneof(fc.constant(target.steeringChannelId), unknownId, fc.constant('19:nowhere@thread.tacv2')),
        }),
        breakPayload({ teamKey: target.teamKey, week: target.week, channelId: target.otherChannelId }),
        fc.record({
          teamKey: fc.constant(target.teamKey),
          week: fc.oneof(weekWrongShape, notA.string),
          channelId: fc.constant(target.channelId),
        }),
        fc.record({
          teamKey: fc.constant(target.teamKey),
          week: fc.constant(target.week),
          channelId: fc.oneof(fc.constant(''), fc.constant('x'.repeat(201)), notA.string),
        }),
      ),
      [target.channelId, target.steeringChannelId],
    ),

  // Writes when a team marks its own open follow-up done in its own channel: never generated
  // (the only open follow-up is another team's; the others have none, or are done).
  'checkin.followup.done': (target) =>
    inTeamChannel(
      fc.oneof(
        fc.record({
          teamKey: fc.constantFrom(target.teamKey, target.otherTeamKey),
          week: fc.constant(target.week),
          number: fc.constantFrom(
            target.decisions.openFollowUpOfOtherTeam,
            target.decisions.noFollowUp,
            target.decisions.followUpDone,
            target.decisions.revoked,
          ),
        }),
        fc.record({
          teamKey: fc.constant(target.teamKey),
          week: fc.constant(target.week),
          number: fc.oneof(unknownDecisionNumber, malformedDecisionNumber),
        }),
        fc.record({
          teamKey: fc.constant(target.teamKey),
          week: fc.oneof(weekWrongShape, weekNotInCalendar),
          number: fc.constant(target.decisions.openFollowUpOfOtherTeam),
        }),
        breakPayload({
          teamKey: target.otherTeamKey,
          week: target.week,
          number: target.decisions.openFollowUpOfOtherTeam,
        }),
        fc.record({
          teamKey: fc.constant(target.teamKey),
          week: fc.constant(target.week),
          number: fc.constant(target.decisions.followUpDone),
          page: badPage,
        }),
      ),
    ),

  // Read-only (opens the form), refused for another team's actions.
  'actionEdit.open': (target) =>
    anywhere(
      target,
      fc.oneof(
        fc.record({ teamKey: fc.constantFrom(...target.otherTeamKeys) }),
        fc.record({ teamKey: fc.constant(target.otherTeamKey), actionId: fc.constantFrom(...target.otherActionIds) }),
        fc.record({
          teamKey: fc.constant(target.teamKey),
          actionId: fc.oneof(fc.constantFrom(...target.otherActionIds), unknownId),
        }),
        fc.record({
          teamKey: fc.constant(target.teamKey),
          [EDIT.pick]: fc.oneof(unknownId, nastyText, fc.constant('x'.repeat(41))),
        }),
        fc.record({ teamKey: fc.oneof(unknownId, nastyText, fc.constant('')) }),
        breakPayload({ teamKey: target.teamKey, actionId: target.actionIds[0]!, page: 0 }),
        fc.record({ teamKey: fc.constant(target.teamKey), page: badPage }),
      ),
    ),

  // Writes when valid: every payload carries a defect.
  'actionEdit.save': (target) =>
    anywhere(target, withDefect(actionFormBase(target), actionFormDefects(target)), [
      target.channelId,
      target.steeringChannelId,
    ]),

  // Writes for a steering member with a valid form: the steering member's forms carry a defect;
  // the team member's may be valid (refused: no steering role).
  'decision.submit': (target) =>
    fc.oneof(
      anywhere(target, withDefect(decisionFormBase(), decisionFormDefects)).map((r) => ({
        ...r,
        from: target.steeringUser,
      })),
      fc
        .tuple(decisionFormBase(), fc.constantFrom(target.channelId, target.steeringChannelId))
        .map(([data, channelId]) => ({ data, channelId })),
      // a required field missing, or of the wrong type
      fc
        .tuple(fc.constantFrom('title', 'text', 'meetingDate'), fc.option(notA.string, { nil: undefined }))
        .map(([f, v]) => {
          const data: Record<string, unknown> = { title: 'Beslut', text: 'Text', meetingDate: '2026-11-23' };
          if (v === undefined) delete data[f];
          else data[f] = v;
          return { data, channelId: target.steeringChannelId, from: target.steeringUser };
        }),
    ),

  // Read-only.
  'decision.show': (target) =>
    anywhere(
      target,
      fc.oneof(
        fc.record({ number: fc.oneof(unknownDecisionNumber, malformedDecisionNumber) }),
        fc.record({ number: fc.constantFrom(...Object.values(target.decisions)) }),
        breakPayload({ number: target.decisions.noFollowUp }),
      ),
    ),
  // Read-only (opens the amend form or the revoke card).
  'decision.amend': (target) =>
    anywhere(
      target,
      fc.oneof(
        fc.record({
          number: fc.oneof(
            unknownDecisionNumber,
            malformedDecisionNumber,
            fc.constantFrom(...Object.values(target.decisions)),
          ),
        }),
        breakPayload({ number: target.decisions.noFollowUp }),
      ),
    ),
  'decision.revoke': (target) =>
    anywhere(
      target,
      fc.oneof(
        fc.record({
          number: fc.oneof(
            unknownDecisionNumber,
            malformedDecisionNumber,
            fc.constantFrom(...Object.values(target.decisions)),
          ),
        }),
        breakPayload({ number: target.decisions.noFollowUp }),
      ),
    ),

  // Writes for a steering member with a valid form, reason and etag: the steering member's carry a defect.
  'decision.amend.save': (target) => {
    const base = fc
      .tuple(
        decisionFormBase(),
        fc.constantFrom(
          target.decisions.noFollowUp,
          target.decisions.followUpDone,
          target.decisions.openFollowUpOfOtherTeam,
        ),
      )
      .map(([form, number]) => ({ ...form, number, reason: 'Ändrat efter mötet' }));
    const defects = fc.oneof(
      decisionFormDefects,
      reasonDefects,
      staleEtag,
      fc.oneof(unknownDecisionNumber, malformedDecisionNumber).map((n) => set('number', n)),
      fc.constant(set('number', target.decisions.revoked)),
    );
    return fc.oneof(
      anywhere(target, withDefect(base, defects)).map((r) => ({ ...r, from: target.steeringUser })),
      base.map((data) => ({ data, channelId: target.steeringChannelId })),
    );
  },

  'decision.revoke.save': (target) => {
    const base = fc
      .constantFrom(
        target.decisions.noFollowUp,
        target.decisions.followUpDone,
        target.decisions.openFollowUpOfOtherTeam,
      )
      .map((number) => ({ number, reason: 'Inaktuellt' }));
    const defects = fc.oneof(
      reasonDefects,
      staleEtag,
      fc.oneof(unknownDecisionNumber, malformedDecisionNumber).map((n) => set('number', n)),
      fc.constant(set('number', target.decisions.revoked)),
      extraFields.map((extra): Defect => (p) => ({ ...p, ...extra })),
    );
    return fc.oneof(
      anywhere(target, withDefect(base, defects)).map((r) => ({ ...r, from: target.steeringUser })),
      base.map((data) => ({ data, channelId: target.steeringChannelId })),
    );
  },

  // Writes when the steering group (or the affected team, in its channel) marks an open follow-up
  // done: the open one is only pressed by the team member outside the affected team's channel.
  'decision.followup.done': (target) =>
    fc.oneof(
      anywhere(
        target,
        fc.record({
          number: fc.oneof(
            unknownDecisionNumber,
            malformedDecisionNumber,
            fc.constantFrom(target.decisions.noFollowUp, target.decisions.followUpDone, target.decisions.revoked),
          ),
        }),
      ),
      fc
        .constantFrom(target.channelId, target.steeringChannelId)
        .map((channelId) => ({ data: { number: target.decisions.openFollowUpOfOtherTeam }, channelId })),
      anywhere(target, breakPayload({ number: target.decisions.noFollowUp })),
    ),

  // Read-only.
  'decision.log.page': (target) =>
    anywhere(
      target,
      fc.oneof(
        fc.record({
          from: impossibleDate,
          to: fc.constant('2026-12-31'),
          period: fc.constantFrom('default', 'year', 'week', 'range'),
          page: fc.nat(2),
        }),
        fc.record({
          from: fc.constant('2026-01-01'),
          to: impossibleDate,
          period: fc.constantFrom('range', 'week'),
          page: fc.nat(2),
        }),
        fc.record({
          from: fc.constant('2026-12-31'),
          to: fc.constant('2026-01-01'),
          period: fc.constant('range'),
          page: fc.nat(2),
        }),
        fc.record({
          from: fc.constant('1900-01-01'),
          to: fc.constant('2026-12-31'),
          period: fc.constant('range'),
          page: fc.nat(2),
        }),
        fc.record({
          from: fc.constant('2026-01-01'),
          to: fc.constant('2026-12-31'),
          team: fc.oneof(unknownId, nastyText, fc.constant('fotboll')),
          period: fc.constant('year'),
          page: fc.nat(2),
        }),
        fc.record({
          from: fc.constant('2026-01-01'),
          to: fc.constant('2026-12-31'),
          period: fc.oneof(nastyText, fc.constantFrom('month', 'YEAR', '')),
          page: fc.nat(2),
        }),
        fc.record({
          from: fc.constant('2026-01-01'),
          to: fc.constant('2026-12-31'),
          period: fc.constant('year'),
          page: badPage,
        }),
        breakPayload({ from: '2026-01-01', to: '2026-12-31', period: 'year', page: 0 }),
      ),
    ),

  // Read-only.
  'digest.page': (target) =>
    anywhere(
      target,
      fc.oneof(
        fc.record({
          week: fc.oneof(weekNotInCalendar, weekWrongShape, fc.constantFrom('2099-W01', '2027-W01')),
          page: fc.nat(3),
        }),
        fc.record({ week: fc.constant(target.week), page: badPage }),
        breakPayload({ week: target.week, page: 0 }),
      ),
    ),

  // Writes when valid (applies or drops a plan upload): pressed by someone who is not a program
  // admin, or with a malformed upload id or content hash.
  ...Object.fromEntries(
    ['plan.import', 'plan.cancel'].map((verb) => [
      verb,
      (target: FuzzTarget) =>
        anywhere(
          target,
          fc.oneof(
            fc.record({ uploadId: hex(32), hash: hex(64) }),
            fc.record({
              uploadId: fc.oneof(unknownId, nastyText, fc.constant('A'.repeat(32))),
              hash: fc.constant('0'.repeat(64)),
            }),
            breakPayload({ uploadId: '0'.repeat(32), hash: '0'.repeat(64) }),
          ),
        ),
    ]),
  ),
};

/**
 * For a verb with no entry in `CARD_PAYLOADS` yet: junk that no payload schema accepts (random
 * keys with values of any type, or nothing but the verb and a stray field).
 */
export const genericMalformedPayload: fc.Arbitrary<Record<string, unknown>> = fc.oneof(
  extraFields,
  fc.dictionary(fc.string({ maxLength: 12 }), wrongType, { minKeys: 1, maxKeys: 6 }),
  fc.record({
    teamKey: wrongType,
    week: invalidDate,
    actionId: unknownId,
    number: unknownId,
    page: wrongType,
    junk: wrongType,
  }),
);

/** Every verb the bot registers (cards/verbs) and every verb with generators. */
export function allCardVerbs(): string[] {
  return [...new Set([...Object.keys(CARD_PAYLOADS), ...Object.values(VERBS)])];
}

/** A verb's own malformed requests, or generic junk in the team channel until it has some. */
export function cardPayloadFor(target: FuzzTarget, verb: string): fc.Arbitrary<CardRequest> {
  return CARD_PAYLOADS[verb]?.(target) ?? inTeamChannel(genericMalformedPayload);
}

/** Verbs the bot does not know (and near misses of ones it does). */
export const unknownVerb: fc.Arbitrary<string> = fc.oneof(
  fc.constantFrom(
    'actions.Page',
    'actions.page ',
    'actions',
    'checkin.submit.x',
    'decision.delete',
    'admin.wipe',
    '',
    '__proto__',
    'constructor',
    'toString',
  ),
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
    value: fc.oneof(
      wrongType,
      invalidDate,
      fc.constantFrom(
        'message',
        'invoke',
        'installationUpdate',
        'conversationUpdate',
        'event',
        'typing',
        'endOfConversation',
        'trace',
        'delete',
        'MESSAGE',
      ),
    ),
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
  const strangerTeam = fc
    .string({ unit: fc.constantFrom(...'0123456789abcdef'), minLength: 8, maxLength: 8 })
    .map((h) => `19:fuzz${h}@thread.tacv2`);
  return fc.oneof(
    fc.tuple(commandText, locale).map(([text, loc]) => ({
      activity: channelMessage({ ...common, text, teamId: target.teamId, channelId: target.channelId, locale: loc }),
    })),
    fc.tuple(nastyText, locale).map(([text, loc]) => ({ activity: personalMessage({ ...common, text, locale: loc }) })),
    fc.tuple(unknownVerb, wrongType).map(([verb, data]) => ({
      activity: actionExecuteInvoke({
        ...common,
        verb,
        data: data as Record<string, unknown>,
        teamId: target.teamId,
        channelId: target.channelId,
      }),
    })),
    strangerTeam.map((teamId) => ({ activity: installationUpdateAdd({ ...common, teamId }), recordsTeam: teamId })),
    strangerTeam.map((teamId) => ({ activity: installationUpdateRemove({ ...common, teamId }) })),
    strangerTeam.map((teamId) => ({ activity: botAddedToTeam({ ...common, teamId }), recordsTeam: teamId })),
    strangerTeam.map((teamId) => ({ activity: botRemovedFromTeam({ ...common, teamId }) })),
  );
}

/** A card button press as Teams delivers it: `Action.Execute` (invoke) or `Action.Submit` (message). */
export function cardActivity(
  target: FuzzTarget,
  verb: string,
  request: CardRequest,
  how: 'execute' | 'submit',
): TeamsActivity {
  const where = {
    serviceUrl: target.serviceUrl,
    teamId: target.teamId,
    channelId: request.channelId ?? target.channelId,
    ...(request.from ? { from: request.from } : {}),
  };
  return how === 'execute'
    ? actionExecuteInvoke({ ...where, verb, data: request.data })
    : actionSubmitMessage({ ...where, verb, data: request.data, cardActivityId: '1700000000001' });
}

/** Activities of every kind with malformed content; `target` says where they point. */
export function fuzzCase(target: FuzzTarget): fc.Arbitrary<FuzzCase> {
  const inBoundChannel = { serviceUrl: target.serviceUrl, teamId: target.teamId, channelId: target.channelId };
  const cardVerb = fc.constantFrom(...allCardVerbs());
  const payloadFor = (verb: string) => cardPayloadFor(target, verb);

  // Commands in the team channel or the steering channel, by a team member or a steering member.
  const command = fc
    .tuple(
      commandText,
      locale,
      fc.constantFrom(target.channelId, target.steeringChannelId),
      fc.constantFrom(DEFAULT_USER as TeamsUser, target.steeringUser),
    )
    .map(([text, loc, channelId, from]): FuzzCase => ({
      kind: 'command',
      body: channelMessage({ ...inBoundChannel, channelId, from, text, locale: loc }),
    }));
  const personal = fc.tuple(fc.oneof(commandText, nastyText), locale).map(([text, loc]): FuzzCase => ({
    kind: 'personal',
    body: personalMessage({ serviceUrl: target.serviceUrl, text, locale: loc }),
  }));
  const noMention = nastyText.map((text): FuzzCase => ({
    kind: 'text',
    body: channelMessage({ ...inBoundChannel, text, mention: false }),
  }));

  const huge = fc
    .tuple(
      fc.oneof(nastyText, fc.constantFrom('x', 'å', '😀', '\u0000', 'hjälp ')),
      fc.double({ min: 0.5, max: 1.1, noNaN: true }),
      fc.boolean(),
    )
    .map(([unit, share, asCommand]): FuzzCase => {
      // Scale the text so the whole JSON body (text, its html copy, escapes) is `share` of the limit.
      const make = (n: number) =>
        channelMessage({ ...inBoundChannel, text: `${asCommand ? 'åtgärder ' : ''}${(unit || 'x').repeat(n)}` });
      const probe =
        Buffer.byteLength(JSON.stringify(make(64)), 'utf8') - Buffer.byteLength(JSON.stringify(make(0)), 'utf8');
      const overhead = Buffer.byteLength(JSON.stringify(make(0)), 'utf8');
      const n = Math.max(1, Math.floor(((target.maxBodyBytes * share - overhead) * 64) / Math.max(1, probe)));
      return { kind: share > 1 ? 'huge:over' : 'huge', body: make(n) };
    });

  const execute = cardVerb.chain((verb) =>
    payloadFor(verb).map((r): FuzzCase => ({
      kind: `execute:${verb}`,
      body: cardActivity(target, verb, r, 'execute'),
    })),
  );
  const submit = cardVerb.chain((verb) =>
    payloadFor(verb).map((r): FuzzCase => ({ kind: `submit:${verb}`, body: cardActivity(target, verb, r, 'submit') })),
  );
  const unknownExecute = fc
    .tuple(unknownVerb, fc.dictionary(fc.string({ maxLength: 8 }), wrongType, { maxKeys: 4 }))
    .map(([verb, data]): FuzzCase => ({
      kind: 'execute:unknown',
      body: actionExecuteInvoke({ ...inBoundChannel, verb, data }),
    }));
  const unknownSubmit = fc
    .tuple(unknownVerb, fc.dictionary(fc.string({ maxLength: 8 }), wrongType, { maxKeys: 4 }))
    .map(([verb, data]): FuzzCase => ({
      kind: 'submit:unknown',
      body: actionSubmitMessage({ ...inBoundChannel, verb, data }),
    }));
  const strangeInvoke = fc
    .tuple(
      fc.constantFrom(
        'adaptiveCard/action',
        'composeExtension/query',
        'task/fetch',
        'signin/verifyState',
        'config/fetch',
        'unknown/name',
        '',
      ),
      wrongType,
    )
    .map(([name, value]): FuzzCase => {
      const a = actionExecuteInvoke({
        ...inBoundChannel,
        verb: 'actions.page',
        data: { teamKey: target.teamKey, page: 0 },
      }) as unknown as Record<string, unknown>;
      a.name = name;
      a.value = value;
      return { kind: 'invoke:strange', body: a };
    });

  const envelope = fc
    .tuple(baseActivity(target), fc.array(mutation, { minLength: 1, maxLength: 4 }))
    .map(([base, mutations]): FuzzCase => {
      const a = structuredClone(base.activity) as unknown as Record<string, unknown>;
      for (const m of mutations) applyMutation(a, m);
      // Only Teams' fields decide whether a team may be recorded: note the id if it survived as a string.
      const team = (a.channelData as { team?: { id?: unknown } } | undefined)?.team?.id;
      return { kind: 'envelope', body: a, recordsTeam: typeof team === 'string' ? team : base.recordsTeam };
    });

  // A message or card press in the known team, retyped to an event with the fields that make it
  // one missing or unknown: no install action, no membership, no event type. None of them is an
  // install or rename, so the stored team must stay as it is.
  const retyped = fc
    .tuple(
      fc.oneof(
        commandText.map((text) => channelMessage({ ...inBoundChannel, text })),
        cardVerb.map((verb) => actionExecuteInvoke({ ...inBoundChannel, verb, data: {} })),
      ),
      fc.constantFrom(
        'installationUpdate',
        'conversationUpdate',
        'event',
        'endOfConversation',
        'messageReaction',
        'messageUpdate',
        'messageDelete',
        'typing',
        'handoff',
        'trace',
      ),
      fc.option(fc.oneof(wrongType, fc.constantFrom('', 'added', 'install', 'upgrade', 'ADD', 'removeAll')), {
        nil: undefined,
      }),
    )
    .map(([base, type, action]): FuzzCase => {
      const a = structuredClone(base) as unknown as Record<string, unknown>;
      a.type = type;
      if (action === undefined) delete a.action;
      else a.action = action;
      return { kind: 'retyped', body: a };
    });

  const raw = fc
    .oneof(
      fc.constantFrom(
        '',
        'null',
        '[]',
        '"message"',
        '{',
        '{"type":',
        '{"type":"message"',
        'type=message',
        '\u0000',
        '{"type":"message","text":"\\ud800"}',
        `${'['.repeat(5000)}${']'.repeat(5000)}`,
        `{"type":"message","a":${'{"a":'.repeat(3000)}1${'}'.repeat(3000)}}`,
      ),
      fc.string({ maxLength: 200 }),
      fc.jsonValue({ maxDepth: 3 }).map((v) => JSON.stringify(v)),
    )
    .chain((body) =>
      fc
        .constantFrom(
          'application/json',
          'text/plain',
          'application/x-www-form-urlencoded',
          'application/json; charset=latin1',
        )
        .map((contentType): FuzzCase => ({ kind: 'raw', raw: body, contentType })),
    );

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
    { weight: 1, arbitrary: retyped },
    { weight: 1, arbitrary: raw },
  );
}
