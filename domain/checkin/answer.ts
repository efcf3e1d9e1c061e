/** One action's answer as the check-in card sends it back: its fields, their limits and checking them. */
import { inputText, type Problem } from '../card-input';
import type { TextKey } from '../i18n';
import { ACTION_STATUSES, type Action, type ActionStatus } from '../types';

/** Limits of the answer form (the card sets them as `maxLength`; answers are checked again). */
export const ANSWER_LIMITS = { comment: 1000, blockers: 1000, nextStep: 1000, forComms: 300 } as const;

export interface AnswerFields {
  status?: unknown;
  progress?: unknown;
  comment?: unknown;
  blockers?: unknown;
  next?: unknown;
  highlight?: unknown;
  comms?: unknown;
}

export interface ParsedAnswer {
  status: ActionStatus;
  progress: number;
  comment: string;
  blockers: string;
  nextStep: string;
  forComms: string;
}

/**
 * Validates one action's answer. Missing status or progress keep the action's current value
 * (the form is prefilled with them); text is cleaned of control characters and length-checked.
 */
export function parseAnswer(
  fields: AnswerFields,
  current: Pick<Action, 'status' | 'progress' | 'title'>,
): { ok: true; value: ParsedAnswer } | { ok: false; problems: Problem[] } {
  const problems: Problem[] = [];
  let status = current.status;
  const rawStatus = inputText(fields.status);
  if (rawStatus !== '') {
    if ((ACTION_STATUSES as readonly string[]).includes(rawStatus)) status = rawStatus as ActionStatus;
    else problems.push({ key: 'checkin.invalid.status' });
  }
  let progress = current.progress;
  const rawProgress = inputText(fields.progress);
  if (rawProgress !== '') {
    const n = Number(rawProgress.replace(',', '.'));
    if (Number.isInteger(n) && n >= 0 && n <= 100) progress = n;
    else problems.push({ key: 'checkin.invalid.progress' });
  }
  const text = (value: unknown, max: number, fieldKey: TextKey): string => {
    const s = inputText(value);
    if (s.length > max) problems.push({ key: 'checkin.invalid.tooLong', params: { max }, fieldKey });
    return s;
  };
  const comment = text(fields.comment, ANSWER_LIMITS.comment, 'checkin.field.comment');
  const blockers = text(fields.blockers, ANSWER_LIMITS.blockers, 'checkin.field.blockers');
  const nextStep = text(fields.next, ANSWER_LIMITS.nextStep, 'checkin.field.nextStep');
  const comms = text(fields.comms, ANSWER_LIMITS.forComms, 'checkin.field.forComms');
  const highlight = fields.highlight === true || inputText(fields.highlight).toLowerCase() === 'true';
  if (problems.length) return { ok: false, problems };
  // "Highlight for comms" with no line of its own uses the comment, or at least names the action.
  const forComms = highlight ? comms || comment || current.title : '';
  return { ok: true, value: { status, progress, comment, blockers, nextStep, forComms } };
}
