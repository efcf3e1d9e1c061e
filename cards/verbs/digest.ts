/** Verbs and payloads of the digest cards. */
export const DIGEST_VERBS = {} as const;
