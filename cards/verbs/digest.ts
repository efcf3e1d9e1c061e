/** Verbs and payloads of the digest cards. */
import { z } from 'zod';
import { verbField } from './shared';

export const DIGEST_VERBS = {
  digestPage: 'digest.page',
} as const;

/** Switches the digest card to another page of the same week. */
export const digestPagePayload = z
  .object({
    verb: verbField,
    week: z.string().regex(/^\d{4}-W\d{2}$/),
    page: z.number().int().min(0).max(1000),
    /** The digest grouped by the plan's goals; absent: by team. */
    group: z.literal('goal').optional(),
  })
  .strict();
