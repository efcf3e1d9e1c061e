/**
 * The decision log (issue 4): the steering group logs decisions in its channel; each gets the next
 * gap-free number of its year (`D-2026-007`), the teams it affects are told, and the log can be
 * read, filtered, amended, revoked and exported. Nothing is ever deleted: an amendment or a
 * revocation keeps what was there before in the decision's history.
 *
 * Pure domain code: the bot layer checks who may act (`domain/roles.ts`) and supplies the cards
 * (`NoticeRenderer`) and the messenger; everything else is here and tested without Teams.
 */
import { z } from 'zod';
import { type Messenger, type OutgoingMessage, targetOf } from '../delivery/delivery';
import { ConcurrencyError, NotFoundError, StorageUnavailableError, ValidationError } from '../errors';
import { fanOut, type FanOutReport } from '../delivery/fanout';
import { formatDate, formatWeek, t, type TextKey } from '../i18n';
import type { DecisionRequestMark, Logger, Repositories } from '../ports';
import { findTeam, teamName } from '../program';
import { cleanText } from '../text';
import { addDays, formatIsoWeek, isoWeekOfDate, localParts, localStamp, mondayOfIsoWeek, parseIsoWeek, parseLocalDate, type Clock, type LocalStamp } from '../time';
import type { Decision, DecisionRevision, DecisionState, LogEvent, Locale, Program } from '../types';

// ---------------------------------------------------------------------------------------------
// Limits and the form
// ---------------------------------------------------------------------------------------------

export const DECISION_LIMITS = {
  title: 200,
  text: 4000,
  rationale: 2000,
  meetingName: 120,
  followUpOwner: 120,
  reason: 1000,
  /** Affected actions per decision. */
  actions: 50,
} as const;

/** Title length when a title is cut from the text (`beslut: <text>`). */
export const PREFILL_TITLE_MAX = 120;

/** The meeting's default name, in the program's language (the log is the program's record). */
export const DEFAULT_MEETING_NAME: Record<Locale, string> = { 'sv-SE': 'Styrgruppsmöte', 'en-US': 'Steering group meeting' };

/** What the form card sends back: every input as the string Teams delivers (absent when empty). */
export interface DecisionFormInput {
  title?: string;
  text?: string;
  rationale?: string;
  meetingName?: string;
  meetingDate?: string;
  /** Multi-select choice set: team keys, comma-separated. */
  teams?: string;
  /** Action ids, comma- or space-separated. */
  actions?: string;
  followUpOwner?: string;
  followUpDue?: string;
}

/** The values a form shows (all strings, as typed), for a new form, a pre-filled one or a retry. */
export type DecisionFormValues = Required<DecisionFormInput> & { reason: string };

export interface DecisionDraft {
  title: string;
  text: string;
  rationale: string;
  meeting: { name: string; date: string };
  affectedTeams: string[];
  affectedActions: string[];
  followUp?: { owner: string; due?: string; done: boolean };
}

/** A single line: control characters out, line breaks and runs of spaces become one space. */
function oneLine(value: string): string {
  return cleanText(value).replace(/\s+/g, ' ');
}

function splitList(value: string): string[] {
  return [
    ...new Set(
      value
        .split(/[,;\s]+/)
        .map((s) => s.trim())
        .filter((s) => s.length > 0),
    ),
  ];
}

/** `beslut: <text>` → a title (first sentence, at most 120 characters) and the text. */
export function prefillFromText(raw: string): { title: string; text: string } {
  const text = cleanText(raw).slice(0, DECISION_LIMITS.text);
  const firstLine = text.split('\n')[0] ?? '';
  const sentence = (/^(.+?[.!?])(?:\s|$)/.exec(firstLine)?.[1] ?? firstLine).trim();
  let title = sentence.replace(/\s+/g, ' ');
  if (title.length > PREFILL_TITLE_MAX) {
    const cut = title.slice(0, PREFILL_TITLE_MAX - 1);
    const space = cut.lastIndexOf(' ');
    title = `${(space > 40 ? cut.slice(0, space) : cut).trimEnd()}…`;
  }
  return { title, text };
}

export function emptyFormValues(today: string, program: Program): DecisionFormValues {
  return {
    title: '',
    text: '',
    rationale: '',
    meetingName: DEFAULT_MEETING_NAME[program.locale],
    meetingDate: today,
    teams: '',
    actions: '',
    followUpOwner: '',
    followUpDue: '',
    reason: '',
  };
}

export function formValuesOf(decision: Decision): DecisionFormValues {
  return {
    title: decision.title,
    text: decision.text,
    rationale: decision.rationale,
    meetingName: decision.meeting.name,
    meetingDate: decision.meeting.date,
    teams: decision.affectedTeams.join(','),
    actions: decision.affectedActions.join(', '),
    followUpOwner: decision.followUp?.owner ?? '',
    followUpDue: decision.followUp?.due ?? '',
    reason: '',
  };
}

/** The submitted values back into form values (to show the form again with a problem). */
export function formValuesFromInput(input: DecisionFormInput & { reason?: string }, fallback: DecisionFormValues): DecisionFormValues {
  const pick = (v: string | undefined, f: string) => (v === undefined ? f : v);
  return {
    title: pick(input.title, fallback.title),
    text: pick(input.text, fallback.text),
    rationale: pick(input.rationale, fallback.rationale),
    meetingName: pick(input.meetingName, fallback.meetingName),
    meetingDate: pick(input.meetingDate, fallback.meetingDate),
    teams: pick(input.teams, fallback.teams),
    actions: pick(input.actions, fallback.actions),
    followUpOwner: pick(input.followUpOwner, fallback.followUpOwner),
    followUpDue: pick(input.followUpDue, fallback.followUpDue),
    reason: pick(input.reason, fallback.reason),
  };
}

// ---------------------------------------------------------------------------------------------
// Validation
// ---------------------------------------------------------------------------------------------

type Field = keyof DecisionFormInput | 'reason';

/** The words for each form field, as the form and its problems name them. */
export const DECISION_FIELD_LABEL: Record<Field, TextKey> = {
  title: 'decision.field.title',
  text: 'decision.field.text',
  rationale: 'decision.field.rationale',
  meetingName: 'decision.field.meetingName',
  meetingDate: 'decision.field.meetingDate',
  teams: 'decision.field.teams',
  actions: 'decision.field.actions',
  followUpOwner: 'decision.field.followUpOwner',
  followUpDue: 'decision.field.followUpDue',
  reason: 'decision.field.reason',
};

const dateField = (required: boolean) =>
  z
    .string()
    .transform(oneLine)
    .transform((v, ctx) => {
      if (v === '') {
        if (required) ctx.addIssue({ code: z.ZodIssueCode.custom, message: 'required' });
        return undefined;
      }
      try {
        return parseLocalDate(v);
      } catch {
        ctx.addIssue({ code: z.ZodIssueCode.custom, message: 'date', params: { value: v.slice(0, 40) } });
        return z.NEVER;
      }
    });

const textField = (max: number, required: boolean, multiline: boolean) =>
  z
    .string()
    .transform(multiline ? cleanText : oneLine)
    .superRefine((v, ctx) => {
      if (required && v.length === 0) ctx.addIssue({ code: z.ZodIssueCode.custom, message: 'required' });
      if (v.length > max) ctx.addIssue({ code: z.ZodIssueCode.custom, message: 'tooLong', params: { max, length: v.length } });
    });

function draftSchema(program: Program) {
  return z.object({
    title: textField(DECISION_LIMITS.title, true, false),
    text: textField(DECISION_LIMITS.text, true, true),
    rationale: textField(DECISION_LIMITS.rationale, false, true),
    meetingName: textField(DECISION_LIMITS.meetingName, false, false),
    meetingDate: dateField(true),
    teams: z
      .string()
      .transform(splitList)
      .transform((keys, ctx) => {
        const out: string[] = [];
        for (const k of keys) {
          const team = program.teams.find((x) => x.key === k) ?? findTeam(program, k);
          if (!team) ctx.addIssue({ code: z.ZodIssueCode.custom, message: 'team', params: { value: k.slice(0, 40) } });
          else if (!out.includes(team.key)) out.push(team.key);
        }
        return out;
      }),
    actions: z
      .string()
      .transform(splitList)
      .superRefine((ids, ctx) => {
        if (ids.length > DECISION_LIMITS.actions) ctx.addIssue({ code: z.ZodIssueCode.custom, message: 'tooMany', params: { max: DECISION_LIMITS.actions } });
        const bad = ids.find((id) => id.length > 40);
        if (bad) ctx.addIssue({ code: z.ZodIssueCode.custom, message: 'action', params: { value: bad.slice(0, 40) } });
      }),
    followUpOwner: textField(DECISION_LIMITS.followUpOwner, false, false),
    followUpDue: dateField(false),
  });
}

function problemText(issue: z.ZodIssue, locale: Locale): string {
  const field = (issue.path[0] ?? 'title') as Field;
  const label = t(locale, DECISION_FIELD_LABEL[field] ?? 'decision.field.title');
  const params = ((issue as { params?: Record<string, string | number> }).params ?? {}) as Record<string, string | number>;
  switch (issue.message) {
    case 'required':
      return t(locale, 'decision.invalid.required', { field: label });
    case 'tooLong':
      return t(locale, 'decision.invalid.tooLong', { field: label, max: params.max ?? '', length: params.length ?? '' });
    case 'tooMany':
      return t(locale, 'decision.invalid.tooMany', { field: label, max: params.max ?? '' });
    case 'date':
      return t(locale, 'decision.invalid.date', { field: label, value: params.value ?? '' });
    case 'team':
      return t(locale, 'decision.invalid.team', { value: params.value ?? '' });
    case 'action':
      return t(locale, 'decision.invalid.action', { value: params.value ?? '' });
    default:
      return t(locale, 'decision.invalid.field', { field: label });
  }
}

function invalid(problems: string[]): ValidationError {
  return new ValidationError(`invalid decision: ${problems.length} problem(s)`, { problem: problems.join(' '), problems });
}

/**
 * Validates what the form sent: lengths (title ≤ 200, text ≤ 4000, rationale ≤ 2000), real dates,
 * known teams and existing actions; control characters are stripped. Throws ValidationError with
 * a localised `problem` naming every field at fault.
 */
export async function validateDraft(input: DecisionFormInput, program: Program, repos: Pick<Repositories, 'actions'>, locale: Locale): Promise<DecisionDraft> {
  const raw = {
    title: input.title ?? '',
    text: input.text ?? '',
    rationale: input.rationale ?? '',
    meetingName: input.meetingName ?? '',
    meetingDate: input.meetingDate ?? '',
    teams: input.teams ?? '',
    actions: input.actions ?? '',
    followUpOwner: input.followUpOwner ?? '',
    followUpDue: input.followUpDue ?? '',
  };
  const parsed = draftSchema(program).safeParse(raw);
  if (!parsed.success) throw invalid(parsed.error.issues.map((i) => problemText(i, locale)));
  const v = parsed.data;

  // Action ids must exist. People type `bos-3` as often as `BOS-03`: try as typed, then upper case.
  const actions = await Promise.all(
    v.actions.map(async (id) => {
      const found = (await repos.actions.get(program.id, id)) ?? (id !== id.toUpperCase() ? await repos.actions.get(program.id, id.toUpperCase()) : undefined);
      return { id, found };
    }),
  );
  const unknown = actions.filter((a) => !a.found).map((a) => a.id);
  if (unknown.length > 0) throw invalid([t(locale, 'decision.invalid.unknownActions', { ids: unknown.join(', ') })]);

  const followUp = v.followUpOwner || v.followUpDue ? { owner: v.followUpOwner, ...(v.followUpDue ? { due: v.followUpDue } : {}), done: false } : undefined;
  return {
    title: v.title,
    text: v.text,
    rationale: v.rationale,
    meeting: { name: v.meetingName || DEFAULT_MEETING_NAME[program.locale], date: v.meetingDate as string },
    affectedTeams: v.teams,
    affectedActions: [...new Set(actions.map((a) => a.found!.id))],
    ...(followUp ? { followUp } : {}),
  };
}

/** A reason for an amendment or revocation: required, one to 1000 characters, cleaned. */
export function validateReason(raw: string | undefined, locale: Locale): string {
  const reason = cleanText(raw ?? '');
  if (!reason) throw invalid([t(locale, 'decision.invalid.required', { field: t(locale, 'decision.field.reason') })]);
  if (reason.length > DECISION_LIMITS.reason) {
    throw invalid([t(locale, 'decision.invalid.tooLong', { field: t(locale, 'decision.field.reason'), max: DECISION_LIMITS.reason, length: reason.length })]);
  }
  return reason;
}

/** `d-2026-4`, `D-2026-004` → `D-2026-004`; undefined when it is not a decision number. */
export function normaliseDecisionNumber(text: string): string | undefined {
  const m = /^d-(\d{4})-(\d{1,6})$/i.exec(text.trim());
  if (!m) return undefined;
  return `D-${m[1]}-${m[2]!.padStart(3, '0')}`;
}

// ---------------------------------------------------------------------------------------------
// Logging, amending, revoking
// ---------------------------------------------------------------------------------------------

export interface DecisionDeps {
  program: Program;
  repos: Repositories;
  clock: Clock;
  logger: Logger;
}

function decisionEvent(deps: DecisionDeps, d: Decision, change: 'logged' | 'amended' | 'revoked', by: string, at: string, eventId: string, teams = d.affectedTeams): LogEvent {
  return { type: 'decision', number: d.number, change, affectedTeams: teams, programId: deps.program.id, at, by, source: 'card', eventId };
}

/** The event id that makes a submit idempotent: one per form (or per activity, without a form id). */
export const loggedEventId = (requestId: string) => `decision-logged|${requestId}`;

export interface LogResult {
  decision: Decision;
  /** True when this request had already logged the decision (redelivery, double click). */
  duplicate: boolean;
  /**
   * Whether the caller posts the notices: it made the change, or the change is old enough that
   * the run that made it is not posting them any more (the rule `resumeDecisionNotices` follows).
   * A delivery that arrives while the first is still posting leaves them to it.
   */
  notify: boolean;
}

/** A change younger than `RESUME_MIN_AGE_MS`: its notices are left to the run that made it. */
function changedRecently(d: Decision, now: Date): boolean {
  return now.getTime() - new Date(changedAt(d)).getTime() < RESUME_MIN_AGE_MS;
}

/** The teams a revision's notice and event name: those affected before it and right after it. */
function teamsOfRevision(d: Decision, revision: number): string[] {
  const entry = d.history[revision - 1];
  const after = d.history[revision]?.previous.affectedTeams ?? d.affectedTeams;
  return [...new Set([...(entry?.change === 'amended' ? (entry.previous.affectedTeams ?? []) : []), ...after])];
}

/**
 * A request that an earlier (or simultaneous) delivery carried out: its event is written in case
 * that delivery stopped before it (a no-op when it is there), and the decision is the answer.
 */
async function answerDuplicate(deps: DecisionDeps, d: Decision, mark: DecisionRequestMark, eventId: string, now: Date): Promise<LogResult> {
  const revision = d.history[mark.revision - 1];
  if (mark.change === 'logged') await deps.repos.events.append(decisionEvent(deps, d, 'logged', d.loggedBy, d.loggedAt, eventId));
  else if (revision) await deps.repos.events.append(decisionEvent(deps, d, mark.change, revision.by, revision.at, eventId, teamsOfRevision(d, mark.revision)));
  return { decision: d, duplicate: true, notify: !changedRecently(d, now) };
}

/**
 * Stores a new decision with the next number of its meeting's year and logs a `DecisionLogged`
 * event. Idempotent per `requestId` (the form's id, or the activity id): the request's marker is
 * written in the same transaction as the decision and its year's counter, so of two deliveries of
 * one form, at the same moment on two instances or one after the other, one numbers the decision
 * and the other fails its transaction, finds the marker and answers with that decision.
 *
 * Order: create numbered (with the marker) → append the event. A crash after the create and
 * before the event leaves a decision without its event; the next delivery of the same request
 * finds the marker and writes the event then.
 */
export async function logDecision(deps: DecisionDeps, input: { draft: DecisionDraft; by: string; requestId: string }): Promise<LogResult> {
  const { program, repos, clock } = deps;
  const now = clock.now();
  const at = now.toISOString();
  const year = Number(input.draft.meeting.date.slice(0, 4));
  const requestId = input.requestId.slice(0, 200);
  const eventId = loggedEventId(requestId);

  const { decision, created } = await repos.decisions.createForRequest(
    {
      programId: program.id,
      year,
      title: input.draft.title,
      text: input.draft.text,
      rationale: input.draft.rationale,
      meeting: input.draft.meeting,
      affectedTeams: input.draft.affectedTeams,
      affectedActions: input.draft.affectedActions,
      ...(input.draft.followUp ? { followUp: input.draft.followUp } : {}),
      loggedBy: input.by,
      loggedAt: at,
      state: 'active',
      history: [],
      requestId,
    },
    eventId,
  );
  try {
    if (!created) return await answerDuplicate(deps, decision, { number: decision.number, change: 'logged', revision: 0 }, eventId, now);
    await repos.events.append(decisionEvent(deps, decision, 'logged', input.by, at, eventId));
  } catch (err) {
    // The decision has its number and is stored; only its log row is missing. Say so (not
    // "nothing was saved"): sending the same form again finds it and writes the row.
    if (err instanceof StorageUnavailableError) throw new StorageUnavailableError(err.message, { ...err.details, saved: true, number: decision.number });
    throw err;
  }
  deps.logger.info({ number: decision.number, teams: decision.affectedTeams.length }, 'decision logged');
  return { decision, duplicate: false, notify: true };
}

/** The decision by its number; NotFoundError (naming it in `locale`) when there is none. */
export async function getDecision(deps: Pick<DecisionDeps, 'program' | 'repos'>, number: string, locale: Locale): Promise<Decision> {
  const d = await deps.repos.decisions.get(deps.program.id, number);
  if (!d) throw new NotFoundError(`decision ${number}`, { what: t(locale, 'decision.notFound', { number }) });
  return d;
}

function checkEtag(current: Decision, etag: string | undefined): void {
  // The card carries the etag it was built from: someone who changed it in between wins, and
  // this person is told so instead of overwriting their change.
  if (etag && current.etag && etag !== current.etag) {
    throw new ConcurrencyError(`decision ${current.number} changed since the card was shown`, { number: current.number });
  }
}

function previousOf(d: Decision): DecisionRevision['previous'] {
  return {
    title: d.title,
    text: d.text,
    rationale: d.rationale,
    meeting: d.meeting,
    affectedTeams: d.affectedTeams,
    affectedActions: d.affectedActions,
    ...(d.followUp ? { followUp: { owner: d.followUp.owner, due: d.followUp.due, done: d.followUp.done } } : {}),
  };
}

export interface ChangeInput {
  number: string;
  /** Etag of the card the person saw. */
  etag?: string;
  reason: string;
  by: string;
  /** The activity id: a redelivered save is answered with the saved decision. */
  requestId: string;
  locale: Locale;
}

/** The year of a decision number (`D-2026-004` → 2026); undefined when it is none. */
function yearOfNumber(number: string): number | undefined {
  const m = /^D-(\d{4})-/.exec(number);
  return m ? Number(m[1]) : undefined;
}

/**
 * The start of an amend or revoke: the decision as it is now, or (when this request was carried
 * out by an earlier delivery) the decision to answer with. A revoked decision or a card built
 * from an older version is refused. The marker read here only answers a late redelivery early;
 * what makes the change happen once is the marker written in the change's own transaction.
 */
async function beginChange(
  deps: DecisionDeps,
  input: ChangeInput,
  change: 'amended' | 'revoked',
): Promise<{ duplicate: Decision; mark: DecisionRequestMark; eventId: string; now: Date } | { current: Decision; at: string; eventId: string; now: Date }> {
  const now = deps.clock.now();
  const eventId = `decision-${change}|${input.requestId.slice(0, 200)}`;
  const year = yearOfNumber(input.number);
  const [current, mark] = await Promise.all([
    getDecision(deps, input.number, input.locale),
    year === undefined ? undefined : deps.repos.decisions.findRequest(deps.program.id, year, eventId),
  ]);
  if (mark) return { duplicate: current, mark, eventId, now };
  if (current.state === 'revoked') throw invalid([t(input.locale, 'decision.error.revoked', { number: current.number })]);
  checkEtag(current, input.etag);
  return { current, at: now.toISOString(), eventId, now };
}

/** Saves a change with its request's marker; a delivery that lost to an earlier one gets its answer. */
async function saveChange(deps: DecisionDeps, next: Decision, change: 'amended' | 'revoked', eventId: string, now: Date, teams: string[]): Promise<LogResult> {
  const mark: DecisionRequestMark = { number: next.number, change, revision: next.history.length };
  const result = await deps.repos.decisions.updateForRequest(next, eventId, mark);
  if (!result.applied) return answerDuplicate(deps, result.decision, result.mark, eventId, now);
  const saved = result.decision;
  const revision = saved.history[saved.history.length - 1]!;
  await deps.repos.events.append(decisionEvent(deps, saved, change, revision.by, revision.at, eventId, teams));
  deps.logger.info({ number: saved.number, revisions: saved.history.length }, `decision ${change}`);
  return { decision: saved, duplicate: false, notify: true };
}

/**
 * Amends a decision: the number stays, the state becomes `amended`, and what it said before is
 * kept in its history with who, when and why. The year of the number does not move even when the
 * meeting date does. One amendment per request, however often it is delivered.
 */
export async function amendDecision(deps: DecisionDeps, input: ChangeInput & { draft: DecisionDraft }): Promise<LogResult> {
  const start = await beginChange(deps, input, 'amended');
  if ('duplicate' in start) return answerDuplicate(deps, start.duplicate, start.mark, start.eventId, start.now);
  const { current, at, eventId, now } = start;

  const draft = input.draft;
  const sameFollowUp = current.followUp && draft.followUp && current.followUp.owner === draft.followUp.owner && current.followUp.due === draft.followUp.due;
  const followUp = draft.followUp ? (sameFollowUp ? current.followUp : draft.followUp) : undefined;
  const revision: DecisionRevision = { at, by: input.by, change: 'amended', previous: previousOf(current), reason: input.reason };
  const { followUp: _old, ...rest } = current;
  const next: Decision = {
    ...rest,
    title: draft.title,
    text: draft.text,
    rationale: draft.rationale,
    meeting: draft.meeting,
    affectedTeams: draft.affectedTeams,
    affectedActions: draft.affectedActions,
    ...(followUp ? { followUp } : {}),
    state: 'amended',
    history: [...current.history, revision],
  };
  return saveChange(deps, next, 'amended', eventId, now, [...new Set([...current.affectedTeams, ...draft.affectedTeams])]);
}

/** Revokes a decision: state `revoked`, with the reason; the decision and its text stay in the log. One revocation per request. */
export async function revokeDecision(deps: DecisionDeps, input: ChangeInput): Promise<LogResult> {
  const start = await beginChange(deps, input, 'revoked');
  if ('duplicate' in start) return answerDuplicate(deps, start.duplicate, start.mark, start.eventId, start.now);
  const { current, at, eventId, now } = start;
  const revision: DecisionRevision = { at, by: input.by, change: 'revoked', previous: { title: current.title, text: current.text, rationale: current.rationale }, reason: input.reason };
  return saveChange(deps, { ...current, state: 'revoked', history: [...current.history, revision] }, 'revoked', eventId, now, current.affectedTeams);
}

/** Marks a decision's follow-up done (from the decision card or the team's check-in card). */
export async function markFollowUpDone(deps: DecisionDeps, input: { number: string; by: string; locale: Locale }): Promise<Decision> {
  const current = await getDecision(deps, input.number, input.locale);
  if (!current.followUp) throw invalid([t(input.locale, 'decision.error.noFollowUp', { number: current.number })]);
  if (current.followUp.done) return current;
  const saved = await deps.repos.decisions.update({
    ...current,
    followUp: { ...current.followUp, done: true, doneBy: input.by, doneAt: deps.clock.now().toISOString() },
  });
  deps.logger.info({ number: saved.number }, 'decision follow-up done');
  return saved;
}

// ---------------------------------------------------------------------------------------------
// Reading: filter, list, follow-ups
// ---------------------------------------------------------------------------------------------

/** A period (meeting dates, inclusive) and optionally a team. */
export interface DecisionFilter {
  from: string;
  to: string;
  teamKey?: string;
  /** How the period was asked for, to describe it: `2026`, `2026-W47` or a range. */
  period?: { kind: 'default' } | { kind: 'year'; year: number } | { kind: 'week'; week: string } | { kind: 'range' };
}

/** Reading more years than this at once is refused (each is a partition read). */
export const MAX_FILTER_YEARS = 10;

export function defaultFilter(today: string): DecisionFilter {
  const year = Number(today.slice(0, 4));
  return { from: `${year - 1}-01-01`, to: `${year}-12-31`, period: { kind: 'default' } };
}

function weekRange(year: number, week: number): { from: string; to: string } {
  const from = mondayOfIsoWeek(year, week);
  return { from, to: addDays(from, 6) };
}

/**
 * Reads what follows `beslutslogg`: a team (`bostäder`), a period (`2026`, `vecka 47`,
 * `vecka 47 2025`, `2026-W47`, `2026-01-01..2026-06-30`), or both, in any order.
 */
export function parseDecisionFilter(args: string, program: Program, today: string, locale: Locale): DecisionFilter {
  let rest = ` ${cleanText(args).replace(/\s+/g, ' ')} `;
  let filter: DecisionFilter = defaultFilter(today);
  const take = (re: RegExp): RegExpExecArray | null => {
    const m = re.exec(rest);
    if (m) rest = `${rest.slice(0, m.index)} ${rest.slice(m.index + m[0].length)}`;
    return m;
  };
  const bad = (value: string) => invalid([t(locale, 'decision.filter.invalid', { value: value.trim().slice(0, 60) })]);

  let m: RegExpExecArray | null;
  if ((m = take(/\s(\S+?)\s*\.\.\s*(\S+)\s/))) {
    let from: string;
    let to: string;
    try {
      from = parseLocalDate(m[1]!);
      to = parseLocalDate(m[2]!);
    } catch {
      throw bad(m[0]);
    }
    if (from > to) [from, to] = [to, from];
    filter = { from, to, period: { kind: 'range' } };
  } else if ((m = take(/\s(\d{4})-?[wW](\d{1,2})\s/)) || (m = take(/\s(?:vecka|veckan|v\.?|week|wk|w)\s*(\d{1,2})(?:\s+(\d{4}))?\s/i))) {
    const isoForm = /^\s\d{4}/.test(m[0]);
    const weekNo = Number(isoForm ? m[2] : m[1]);
    const todayWeek = isoWeekOfDate(Number(today.slice(0, 4)), Number(today.slice(5, 7)), Number(today.slice(8, 10)));
    const year = isoForm ? Number(m[1]) : m[2] ? Number(m[2]) : todayWeek.year;
    let parsed: { year: number; week: number };
    try {
      parsed = parseIsoWeek(formatIsoWeek(year, weekNo));
    } catch {
      throw bad(m[0]);
    }
    filter = { ...weekRange(parsed.year, parsed.week), period: { kind: 'week', week: formatIsoWeek(parsed.year, parsed.week) } };
  } else if ((m = take(/\s(\d{4})\s/))) {
    const year = Number(m[1]);
    if (year < 2000 || year > 2200) throw bad(m[0]);
    filter = { from: `${year}-01-01`, to: `${year}-12-31`, period: { kind: 'year', year } };
  }
  const teamName = rest.trim();
  if (teamName) {
    const team = findTeam(program, teamName);
    if (!team) throw invalid([t(locale, 'decision.filter.unknown', { value: teamName.slice(0, 60), teams: program.teams.map((x) => x.name).join(', ') })]);
    filter = { ...filter, teamKey: team.key };
  }
  if (Number(filter.to.slice(0, 4)) - Number(filter.from.slice(0, 4)) >= MAX_FILTER_YEARS) {
    throw invalid([t(locale, 'decision.filter.tooLong', { years: MAX_FILTER_YEARS })]);
  }
  return filter;
}

/** `teamet Bostäder · 2026` / `vecka 47 2026` / `1 januari 2026 – 30 juni 2026`. */
export function describeFilter(filter: DecisionFilter, program: Program, locale: Locale): string {
  const parts: string[] = [];
  if (filter.teamKey) parts.push(teamName(program, filter.teamKey));
  const p = filter.period ?? { kind: 'range' };
  if (p.kind === 'default') parts.push(t(locale, 'decision.filter.default', { previous: Number(filter.to.slice(0, 4)) - 1, current: filter.to.slice(0, 4) }));
  else if (p.kind === 'year') parts.push(String(p.year));
  else if (p.kind === 'week') parts.push(formatWeek(locale, p.week, true));
  else parts.push(`${formatDate(locale, filter.from)} – ${formatDate(locale, filter.to)}`);
  return parts.join(' · ');
}

function yearsOf(from: string, to: string): number[] {
  const out: number[] = [];
  for (let y = Number(to.slice(0, 4)); y >= Number(from.slice(0, 4)); y--) out.push(y);
  return out;
}

/** Decisions whose meeting date falls in the filter's period (and that affect its team), newest first. */
export async function listDecisions(repos: Pick<Repositories, 'decisions'>, programId: string, filter: DecisionFilter): Promise<Decision[]> {
  const years = yearsOf(filter.from, filter.to).slice(0, MAX_FILTER_YEARS);
  const perYear = await Promise.all(years.map((y) => repos.decisions.listYear(programId, y)));
  return perYear
    .flat()
    .filter((d) => d.meeting.date >= filter.from && d.meeting.date <= filter.to)
    .filter((d) => !filter.teamKey || d.affectedTeams.includes(filter.teamKey))
    .sort((a, b) => b.year - a.year || b.sequence - a.sequence);
}

export interface OpenFollowUp {
  number: string;
  title: string;
  owner: string;
  /** `YYYY-MM-DD`. */
  due: string;
  state: DecisionState;
}

/**
 * The follow-ups with a due date that fall to a team and are not done yet, soonest first: the
 * team's check-in card shows them until they are marked done (verb `decision.followup.done`).
 * Revoked decisions have no follow-ups left. Pass the current year, or the current and previous.
 */
export async function openFollowUpsForTeam(repos: Pick<Repositories, 'decisions'>, programId: string, teamKey: string, years: number | number[]): Promise<OpenFollowUp[]> {
  const list = Array.isArray(years) ? [...new Set(years)] : [years];
  const perYear = await Promise.all(list.map((y) => repos.decisions.listYear(programId, y)));
  return perYear
    .flat()
    .filter((d) => d.state !== 'revoked' && d.affectedTeams.includes(teamKey) && d.followUp?.due && !d.followUp.done)
    .map((d) => ({ number: d.number, title: d.title, owner: d.followUp!.owner, due: d.followUp!.due!, state: d.state }))
    .sort((a, b) => a.due.localeCompare(b.due) || a.number.localeCompare(b.number));
}

// ---------------------------------------------------------------------------------------------
// View models for the cards
// ---------------------------------------------------------------------------------------------

export interface RevisionView {
  at: LocalStamp;
  by: string;
  change: 'amended' | 'revoked';
  reason: string;
  previous: { title: string; text: string; rationale: string };
}

export interface DecisionView {
  number: string;
  title: string;
  text: string;
  rationale: string;
  meetingName: string;
  meetingDate: string;
  state: DecisionState;
  teams: string[];
  actions: string[];
  followUp?: { owner: string; due?: string; done: boolean; doneBy?: string; doneAt?: LocalStamp; overdue: boolean };
  loggedBy: string;
  loggedAt: LocalStamp;
  history: RevisionView[];
  etag?: string;
}

export function teamNames(program: Program, keys: string[]): string[] {
  return keys.map((k) => teamName(program, k));
}

export function decisionView(d: Decision, program: Program, today: string): DecisionView {
  const tz = program.timezone;
  return {
    number: d.number,
    title: d.title,
    text: d.text,
    rationale: d.rationale,
    meetingName: d.meeting.name,
    meetingDate: d.meeting.date,
    state: d.state,
    teams: teamNames(program, d.affectedTeams),
    actions: d.affectedActions,
    ...(d.followUp
      ? {
          followUp: {
            owner: d.followUp.owner,
            due: d.followUp.due,
            done: d.followUp.done,
            doneBy: d.followUp.doneBy,
            doneAt: d.followUp.doneAt ? localStamp(d.followUp.doneAt, tz) : undefined,
            overdue: !d.followUp.done && !!d.followUp.due && d.followUp.due < today && d.state !== 'revoked',
          },
        }
      : {}),
    loggedBy: d.loggedBy,
    loggedAt: localStamp(d.loggedAt, tz),
    history: d.history.map((h) => ({ at: localStamp(h.at, tz), by: h.by, change: h.change, reason: h.reason, previous: { title: h.previous.title, text: h.previous.text, rationale: h.previous.rationale } })),
    etag: d.etag,
  };
}

export interface DecisionLogItem {
  number: string;
  title: string;
  text: string;
  meetingName: string;
  meetingDate: string;
  state: DecisionState;
  teams: string[];
}

export function logItemOf(d: Decision, program: Program): DecisionLogItem {
  return { number: d.number, title: d.title, text: d.text, meetingName: d.meeting.name, meetingDate: d.meeting.date, state: d.state, teams: teamNames(program, d.affectedTeams) };
}

export interface DecisionNoticeView {
  number: string;
  change: 'logged' | 'amended' | 'revoked';
  title: string;
  text: string;
  meetingName: string;
  meetingDate: string;
  teamName: string;
  reason?: string;
  followUp?: { owner: string; due?: string };
}

export function noticeView(d: Decision, program: Program, teamKey: string, change: 'logged' | 'amended' | 'revoked'): DecisionNoticeView {
  const last = d.history[d.history.length - 1];
  return {
    number: d.number,
    change,
    title: d.title,
    text: d.text,
    meetingName: d.meeting.name,
    meetingDate: d.meeting.date,
    teamName: teamName(program, teamKey),
    ...(change !== 'logged' && last ? { reason: last.reason } : {}),
    ...(d.followUp && !d.followUp.done && change !== 'revoked' ? { followUp: { owner: d.followUp.owner, due: d.followUp.due } } : {}),
  };
}

// ---------------------------------------------------------------------------------------------
// Telling the affected teams
// ---------------------------------------------------------------------------------------------

export type NoticeRenderer = (view: DecisionNoticeView, locale: Locale) => OutgoingMessage;

export interface NotifyDeps extends DecisionDeps {
  messenger: Messenger;
}

export function latestChange(d: Decision): 'logged' | 'amended' | 'revoked' {
  return d.history[d.history.length - 1]?.change ?? 'logged';
}

/** The fan-out batch of a decision's change: `decision|D-2026-004` for the first notice. */
export function noticeBatch(d: Decision, change = latestChange(d)): string {
  if (change === 'logged') return `decision|${d.number}`;
  return `decision|${d.number}|${change}|${d.history.length}`;
}

/**
 * Posts the short notice to every channel bound to an affected team (a delivery record per
 * channel, so a second run posts only what the first did not). Amendments reach the teams
 * affected before and after; a revocation the teams it affected.
 */
export async function notifyDecision(deps: NotifyDeps, d: Decision, render: NoticeRenderer, change = latestChange(d)): Promise<FanOutReport> {
  const { program, repos } = deps;
  const previous = change === 'amended' ? (d.history[d.history.length - 1]?.previous.affectedTeams ?? []) : [];
  const teamKeys = [...new Set([...d.affectedTeams, ...previous])];
  const items = (
    await Promise.all(
      teamKeys.map(async (teamKey) =>
        (await repos.bindings.findByRole(program.id, { kind: 'team', teamKey })).map((b) => ({
          key: `${teamKey}|${b.channelId}`,
          teamKey,
          target: targetOf(b),
          message: () => render(noticeView(d, program, teamKey, change), program.locale),
        })),
      ),
    )
  ).flat();
  if (items.length === 0) return { sent: 0, alreadySent: 0, failed: 0, blocked: 0, uncertain: 0, retries: 0, retryable: 0, skippedInactive: 0 };
  const report = await fanOut({
    programId: program.id,
    batch: noticeBatch(d, change),
    items,
    messenger: deps.messenger,
    deliveries: repos.deliveries,
    teams: repos.teams,
    clock: deps.clock,
    logger: deps.logger,
    onPosted: async (item, posted) => {
      const teamKey = items.find((i) => i.key === item.key)?.teamKey;
      await repos.events.append({
        type: 'card',
        kind: 'decision',
        channelId: item.target.channelId,
        messageId: posted.messageId,
        ...(teamKey ? { teamKey } : {}),
        programId: program.id,
        at: deps.clock.now().toISOString(),
        by: 'system',
        source: 'system',
        eventId: `card|${noticeBatch(d, change)}|${item.key}`,
      });
    },
  });
  deps.logger.info({ number: d.number, change, ...report }, 'decision notices posted');
  return report;
}

/** Notices younger than this are left to the run that is posting them. */
export const RESUME_MIN_AGE_MS = 5 * 60 * 1000;
/** Notices older than this are not retried any more. */
export const RESUME_MAX_AGE_MS = 2 * 24 * 60 * 60 * 1000;

function changedAt(d: Decision): string {
  return d.history[d.history.length - 1]?.at ?? d.loggedAt;
}

/**
 * Finishes notices that a crash or a long Teams outage left unposted: re-runs the latest change's
 * fan-out of every decision changed in the last two days (sent deliveries are skipped).
 */
export async function resumeDecisionNotices(deps: NotifyDeps, render: NoticeRenderer): Promise<number> {
  const now = deps.clock.now().getTime();
  const year = localParts(deps.clock.now(), deps.program.timezone).year;
  const recent = (await Promise.all([year, year - 1].map((y) => deps.repos.decisions.listYear(deps.program.id, y))))
    .flat()
    .filter((d) => {
      const age = now - new Date(changedAt(d)).getTime();
      return age >= RESUME_MIN_AGE_MS && age <= RESUME_MAX_AGE_MS;
    });
  let resumed = 0;
  for (const d of recent) {
    const report = await notifyDecision(deps, d, render);
    resumed += report.sent;
  }
  return resumed;
}
