/** Verbs and payloads of the checkin cards. */
export const CHECKIN_VERBS = {} as const;
