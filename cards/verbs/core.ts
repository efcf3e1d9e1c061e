/** Verbs of the foundation's cards (action list paging). */
import { z } from 'zod';
import { verbField } from './shared';

export const CORE_VERBS = {
  actionsPage: 'actions.page',
} as const;

export const actionsPagePayload = z
  .object({
    verb: verbField,
    teamKey: z.string().min(1).max(40),
    page: z.number().int().min(0).max(1000),
  })
  .strict();
