/**
 * Assertions on card JSON that print only what was looked for (and the card's length) when they
 * fail, never the whole card.
 */
export function has(haystack: string, part: string): void {
  expect(haystack.includes(part) ? part : `«${part}» not in ${haystack.length} chars: ${haystack.slice(0, 160)}…`).toBe(
    part,
  );
}

export function lacks(haystack: string, part: string): void {
  const i = haystack.indexOf(part);
  expect(i < 0 ? 'absent' : `«${part}» found: …${haystack.slice(Math.max(0, i - 80), i + part.length + 80)}…`).toBe(
    'absent',
  );
}

export function matches(haystack: string, re: RegExp): void {
  expect(
    re.exec(haystack)?.[0] ?? `no match for ${re} in ${haystack.length} chars: ${haystack.slice(0, 160)}…`,
  ).toMatch(re);
}

export function lacksMatch(haystack: string, re: RegExp): void {
  expect(re.exec(haystack)?.[0] ?? 'absent').toBe('absent');
}
