/** Verbs and payloads of the plan import card (a plan file sent to the bot in personal chat). */
import { z } from 'zod';
import { verbField } from './shared';

export const PLAN_VERBS = {
  planImport: 'plan.import',
  planCancel: 'plan.cancel',
} as const;

/** Names the pending upload and the content it previewed (SHA-256, hex). */
export const planUploadPayload = z
  .object({
    verb: verbField,
    uploadId: z.string().regex(/^[0-9a-f]{32}$/),
    hash: z.string().regex(/^[0-9a-f]{64}$/),
  })
  .strict();

export type PlanUploadPayload = z.infer<typeof planUploadPayload>;
