/**
 * Decision numbers as people type and read them: `D-<year>-<sequence>`, the sequence at least three
 * digits. The storage hands out the numbers (gap-free per year); this reads them.
 */

/** `d-2026-4`, `D-2026-004` → `D-2026-004`; undefined when it is not a decision number. */
export function normaliseDecisionNumber(text: string): string | undefined {
  const m = /^d-(\d{4})-(\d{1,6})$/i.exec(text.trim());
  if (!m) return undefined;
  return `D-${m[1]}-${m[2]!.padStart(3, '0')}`;
}

/** The year of a decision number (`D-2026-004` → 2026); undefined when it is none. */
export function yearOfNumber(number: string): number | undefined {
  const m = /^D-(\d{4})-/.exec(number);
  return m ? Number(m[1]) : undefined;
}
