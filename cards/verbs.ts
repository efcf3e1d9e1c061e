/**
 * Every card verb and the payload it carries, in one place; payloads are validated with zod when
 * they come back, so a forged or stale card gets a clear answer instead of a crash.
 */
import { z } from 'zod';

export const VERBS = {
  actionsPage: 'actions.page',
} as const;

export type Verb = (typeof VERBS)[keyof typeof VERBS];

/** The verb itself: present in `data` (we put it there for Action.Submit), routed by teams-ai. */
const verbField = z.string().max(40).optional();

export const actionsPagePayload = z
  .object({
    verb: verbField,
    teamKey: z.string().min(1).max(40),
    page: z.number().int().min(0).max(1000),
  })
  .strict();
