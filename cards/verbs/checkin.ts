/**
 * Verbs and payloads of the check-in card and of the add/edit action card. The check-in card's
 * inputs are named `<actionId>.<field>` (unique per card, several actions per card), so the answer
 * payload accepts exactly those extra keys and nothing else.
 */
import { z } from 'zod';
import { verbField } from './shared';

export const CHECKIN_VERBS = {
  checkinAnswer: 'checkin.answer',
  checkinPage: 'checkin.page',
  checkinRepost: 'checkin.repost',
  checkinFollowUpDone: 'checkin.followup.done',
  actionEditOpen: 'actionEdit.open',
  actionEditSave: 'actionEdit.save',
} as const;

/** The fields of one action's answer form; input id = `<actionId>.<field>`. */
const ANSWER_FIELDS = ['status', 'progress', 'comment', 'blockers', 'next', 'highlight', 'comms'] as const;
export type AnswerField = (typeof ANSWER_FIELDS)[number];

export function answerInputId(actionId: string, field: AnswerField): string {
  return `${actionId}.${field}`;
}

const teamKey = z.string().min(1).max(40);
const week = z.string().regex(/^\d{4}-W\d{2}$/);
const actionId = z.string().min(1).max(40);
const page = z.number().int().min(0).max(1000);
/** What an input sends: Teams sends strings; older clients and tests may send numbers/booleans. */
const inputValue = z.union([z.string().max(10000), z.number(), z.boolean()]);
const INPUT_KEY = new RegExp(`^[\\p{L}\\p{N}][\\p{L}\\p{N}._-]{0,39}\\.(${ANSWER_FIELDS.join('|')})$`, 'u');

// The keys are checked on the payload as it came: zod builds its output by assignment, so a key
// like `__proto__` would be gone from the output (and its value unchecked) before a refinement
// there could see it.
export const checkinAnswerPayload = z
  .unknown()
  .superRefine((raw, ctx) => {
    if (!raw || typeof raw !== 'object' || Array.isArray(raw)) return; // the object schema names the type
    for (const key of Object.keys(raw)) {
      if (['verb', 'teamKey', 'week', 'actionId', 'page'].includes(key)) continue;
      if (!INPUT_KEY.test(key)) ctx.addIssue({ code: z.ZodIssueCode.unrecognized_keys, keys: [key], path: [] });
    }
  })
  .pipe(z.object({ verb: verbField, teamKey, week, actionId, page: page.optional() }).catchall(inputValue));

export const checkinPagePayload = z.object({ verb: verbField, teamKey, week, page }).strict();

export const checkinFollowUpDonePayload = z
  .object({ verb: verbField, teamKey, week, page: page.optional(), number: z.string().regex(/^D-\d{4}-\d{3,}$/) })
  .strict();

export const checkinRepostPayload = z
  .object({ verb: verbField, teamKey, week, channelId: z.string().min(1).max(200) })
  .strict();

/** Input ids of the add/edit action card. */
export const ACTION_EDIT_INPUTS = {
  pick: 'actionEdit.actionId',
  title: 'actionEdit.title',
  ownerName: 'actionEdit.ownerName',
  ownerEmail: 'actionEdit.ownerEmail',
  due: 'actionEdit.due',
  description: 'actionEdit.description',
} as const;

/** Opens the form: for a new action (no id), or for the id given or picked in the list's choice set. */
export const actionEditOpenPayload = z
  .object({
    verb: verbField,
    teamKey,
    actionId: actionId.optional(),
    [ACTION_EDIT_INPUTS.pick]: z.string().max(40).optional(),
    page: page.optional(),
  })
  .strict();

export const actionEditSavePayload = z
  .object({
    verb: verbField,
    teamKey,
    actionId: actionId.optional(),
    /** The etag of the action when the form was opened: a change in between is a conflict. */
    etag: z.string().max(200).optional(),
    [ACTION_EDIT_INPUTS.title]: z.string().max(10000).optional(),
    [ACTION_EDIT_INPUTS.ownerName]: z.string().max(10000).optional(),
    [ACTION_EDIT_INPUTS.ownerEmail]: z.string().max(10000).optional(),
    [ACTION_EDIT_INPUTS.due]: z.string().max(10000).optional(),
    [ACTION_EDIT_INPUTS.description]: z.string().max(10000).optional(),
  })
  .strict();
