/** Texts of the digest area: Swedish first, English typed by it (see core.ts). */
export const sv = {} as const;

export const en: Record<keyof typeof sv, string> = {};
