/** Verbs and payloads of the decision cards. */
export const DECISION_VERBS = {} as const;
