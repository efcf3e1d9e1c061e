/**
 * Verbs and payloads of the decision cards. Inputs arrive as strings (absent or empty when not
 * filled in); their limits here are generous on purpose: the domain validates the real limits and
 * answers with the form again and a clear problem, instead of a bare payload error.
 */
import { z } from 'zod';
import { isValidDate } from '../../domain/time';
import { verbField } from './shared';

export const DECISION_VERBS = {
  /** The new-decision form's save button. */
  decisionSubmit: 'decision.submit',
  /** Show one decision (from the log, a notice, or "cancel" on a form). */
  decisionShow: 'decision.show',
  /** Open the amend form, pre-filled. */
  decisionAmend: 'decision.amend',
  decisionAmendSave: 'decision.amend.save',
  /** Open the revoke card (asks for a reason). */
  decisionRevoke: 'decision.revoke',
  decisionRevokeSave: 'decision.revoke.save',
  /** Mark the decision's follow-up done (decision card, and the team's check-in card). */
  decisionFollowUpDone: 'decision.followup.done',
  /** Another page of the decision log, same filter. */
  decisionLogPage: 'decision.log.page',
} as const;

const input = (max: number) => z.string().max(max).optional();
const number = z.string().regex(/^D-\d{4}-\d{3,6}$/, 'a decision number such as D-2026-004');
const etag = z.string().max(200).optional();
/** A real calendar date: `2026-04-31` is refused, not read as 1 May. */
const isoDate = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/)
  .refine((v) => {
    const [y, m, d] = v.split('-').map(Number) as [number, number, number];
    return isValidDate(y, m, d);
  }, 'not a date in the calendar');

/** The form's inputs (ids of the Input elements on cards/decisions/form.card.ts). */
const decisionFormFields = {
  title: input(2000),
  text: input(20000),
  rationale: input(10000),
  meetingName: input(1000),
  meetingDate: input(100),
  teams: input(2000),
  actions: input(4000),
  followUpOwner: input(1000),
  followUpDue: input(100),
  supersedes: input(100),
};

export const decisionSubmitPayload = z
  .object({
    verb: verbField,
    /** Identifies the form card: submitting the same form twice logs one decision. */
    formId: z.string().min(8).max(80).optional(),
    ...decisionFormFields,
  })
  .strict();

/**
 * What the message extension's dialog sends (`composeExtension/submitAction`, `value.data`): the
 * form's inputs, its id, and where to post the logged decision. Keys Teams adds are dropped.
 */
export const decisionDialogPayload = z.object({
  formId: z.string().min(8).max(80),
  postTo: z.enum(['here', 'steering']).optional(),
  ...decisionFormFields,
});

export type DecisionDialogPayload = z.infer<typeof decisionDialogPayload>;

export const decisionNumberPayload = z.object({ verb: verbField, number }).strict();

export const decisionAmendSavePayload = z
  .object({ verb: verbField, number, etag, reason: input(5000), ...decisionFormFields })
  .strict();

export const decisionRevokeSavePayload = z.object({ verb: verbField, number, etag, reason: input(5000) }).strict();

export const decisionLogPagePayload = z
  .object({
    verb: verbField,
    from: isoDate,
    to: isoDate,
    team: z.string().min(1).max(40).optional(),
    period: z.enum(['default', 'year', 'week', 'range']),
    page: z.number().int().min(0).max(1000),
  })
  .strict();

export type DecisionLogPagePayload = z.infer<typeof decisionLogPagePayload>;
