/**
 * The decision form: its limits, the values it shows (new, pre-filled from `beslut: <text>`, an
 * amendment, or sent back after a refused save), and the validation of what it sends. A refused
 * form throws the problems as text keys (`problems.ts`); the form card puts them into words.
 */
import { z } from 'zod';
import type { TextKey } from '../i18n';
import type { Repositories } from '../ports';
import { findTeam } from '../program';
import { cleanText } from '../text';
import { parseLocalDate } from '../time';
import type { Decision, Locale, Program } from '../types';
import { normaliseDecisionNumber } from './number';
import { type DecisionProblem, invalidDecision } from './problems';

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
export const DEFAULT_MEETING_NAME: Record<Locale, string> = {
  'sv-SE': 'Styrgruppsmöte',
  'en-US': 'Steering group meeting',
};

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
  /** The number of an earlier decision this one replaces (new decisions only). */
  supersedes?: string;
}

/** The values a form shows (all strings, as typed), for a new form, a pre-filled one or a retry. */
export type DecisionFormValues = Required<DecisionFormInput> & { reason: string };

export interface DecisionDraft {
  title: string;
  text: string;
  rationale: string;
  meeting: Decision['meeting'];
  affectedTeams: string[];
  affectedActions: string[];
  followUp?: { owner: string; due?: string; done: boolean };
  /** The earlier decision this one replaces, as `D-2026-003`. */
  supersedes?: string;
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
    supersedes: '',
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
    supersedes: decision.supersedes ?? '',
    reason: '',
  };
}

/** The submitted values back into form values (to show the form again with a problem). */
export function formValuesFromInput(
  input: DecisionFormInput & { reason?: string },
  fallback: DecisionFormValues,
): DecisionFormValues {
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
    supersedes: pick(input.supersedes, fallback.supersedes),
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
  supersedes: 'decision.field.supersedes',
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
      if (v.length > max)
        ctx.addIssue({ code: z.ZodIssueCode.custom, message: 'tooLong', params: { max, length: v.length } });
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
        if (ids.length > DECISION_LIMITS.actions)
          ctx.addIssue({ code: z.ZodIssueCode.custom, message: 'tooMany', params: { max: DECISION_LIMITS.actions } });
        const bad = ids.find((id) => id.length > 40);
        if (bad) ctx.addIssue({ code: z.ZodIssueCode.custom, message: 'action', params: { value: bad.slice(0, 40) } });
      }),
    followUpOwner: textField(DECISION_LIMITS.followUpOwner, false, false),
    followUpDue: dateField(false),
    supersedes: z
      .string()
      .transform(oneLine)
      .transform((v, ctx) => {
        if (v === '') return undefined;
        const number = normaliseDecisionNumber(v);
        if (!number)
          ctx.addIssue({ code: z.ZodIssueCode.custom, message: 'supersedes', params: { value: v.slice(0, 40) } });
        return number;
      }),
  });
}

/** A schema issue as a problem key: the field it is about fills `{field}`. */
function problemOf(issue: z.ZodIssue): DecisionProblem {
  const field = (issue.path[0] ?? 'title') as Field;
  const fieldKey = DECISION_FIELD_LABEL[field] ?? 'decision.field.title';
  const params = ((issue as { params?: Record<string, string | number> }).params ?? {}) as Record<
    string,
    string | number
  >;
  switch (issue.message) {
    case 'required':
      return { key: 'decision.invalid.required', fieldKey };
    case 'tooLong':
      return {
        key: 'decision.invalid.tooLong',
        fieldKey,
        params: { max: params.max ?? '', length: params.length ?? '' },
      };
    case 'tooMany':
      return { key: 'decision.invalid.tooMany', fieldKey, params: { max: params.max ?? '' } };
    case 'date':
      return { key: 'decision.invalid.date', fieldKey, params: { value: params.value ?? '' } };
    case 'team':
      return { key: 'decision.invalid.team', params: { value: params.value ?? '' } };
    case 'action':
      return { key: 'decision.invalid.action', params: { value: params.value ?? '' } };
    case 'supersedes':
      return { key: 'decision.invalid.supersedes', fieldKey, params: { value: params.value ?? '' } };
    default:
      return { key: 'decision.invalid.field', fieldKey };
  }
}

/**
 * Validates what the form sent: lengths (title ≤ 200, text ≤ 4000, rationale ≤ 2000), real dates,
 * known teams, existing actions and the form of a superseded decision's number (whether that
 * decision may be replaced is checked when it is logged); control characters are stripped.
 * Throws ValidationError with a problem for every field at fault (`details.problems`).
 */
export async function validateDraft(
  input: DecisionFormInput,
  program: Program,
  repos: Pick<Repositories, 'actions'>,
): Promise<DecisionDraft> {
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
    supersedes: input.supersedes ?? '',
  };
  const parsed = draftSchema(program).safeParse(raw);
  if (!parsed.success) throw invalidDecision(parsed.error.issues.map(problemOf));
  const v = parsed.data;

  // Action ids must exist. People type `bos-3` as often as `BOS-03`: try as typed, then upper case.
  const actions = await Promise.all(
    v.actions.map(async (id) => {
      const found =
        (await repos.actions.get(program.id, id)) ??
        (id !== id.toUpperCase() ? await repos.actions.get(program.id, id.toUpperCase()) : undefined);
      return { id, found };
    }),
  );
  const unknown = actions.filter((a) => !a.found).map((a) => a.id);
  if (unknown.length > 0)
    throw invalidDecision([{ key: 'decision.invalid.unknownActions', params: { ids: unknown.join(', ') } }]);

  const followUp =
    v.followUpOwner || v.followUpDue
      ? { owner: v.followUpOwner, ...(v.followUpDue ? { due: v.followUpDue } : {}), done: false }
      : undefined;
  return {
    title: v.title,
    text: v.text,
    rationale: v.rationale,
    meeting: { name: v.meetingName || DEFAULT_MEETING_NAME[program.locale], date: v.meetingDate as string },
    affectedTeams: v.teams,
    affectedActions: [...new Set(actions.map((a) => a.found!.id))],
    ...(followUp ? { followUp } : {}),
    ...(v.supersedes ? { supersedes: v.supersedes } : {}),
  };
}

/** A reason for an amendment or revocation: required, one to 1000 characters, cleaned. */
export function validateReason(raw: string | undefined): string {
  const reason = cleanText(raw ?? '');
  if (!reason) throw invalidDecision([{ key: 'decision.invalid.required', fieldKey: 'decision.field.reason' }]);
  if (reason.length > DECISION_LIMITS.reason) {
    throw invalidDecision([
      {
        key: 'decision.invalid.tooLong',
        fieldKey: 'decision.field.reason',
        params: { max: DECISION_LIMITS.reason, length: reason.length },
      },
    ]);
  }
  return reason;
}
