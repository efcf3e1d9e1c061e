/**
 * Every card verb and the payload it carries, in one module (one file per area beside this one);
 * payloads are validated with zod when they come back, so a forged or stale card gets a clear
 * answer instead of a crash.
 */
import { CHECKIN_VERBS } from './checkin';
import { CORE_VERBS } from './core';
import { DECISION_VERBS } from './decision';
import { DIGEST_VERBS } from './digest';
import { PLAN_VERBS } from './plan';

export * from './checkin';
export * from './core';
export * from './decision';
export * from './digest';
export * from './plan';
export { verbField } from './shared';

export const VERBS = { ...CORE_VERBS, ...CHECKIN_VERBS, ...DECISION_VERBS, ...DIGEST_VERBS, ...PLAN_VERBS } as const;
