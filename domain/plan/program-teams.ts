/**
 * Program teams made at import time from the plan's areas (`--create-teams`): an area such as
 * "Turism" or "Kultur och fritid" that is no team of the program file becomes a team with a key,
 * a display name and an action prefix derived from its name. They are stored (the
 * `ProgramTeams` table), so the running bot and every later import see them beside the program
 * file's teams (`withStoredTeams` in ./program.ts).
 */
import { foldName } from '../program';
import type { ProgramTeamDefinition } from '../types';

export interface StoredProgramTeam extends ProgramTeamDefinition {
  programId: string;
  /** ISO timestamp of the import that made it. */
  createdAt: string;
  /** Who ran that import (`import:<file>` or the admin's name). */
  createdBy: string;
}

const KEY_PATTERN = /^[a-z][a-z0-9-]{1,39}$/;
const PREFIX_PATTERN = /^[A-Z]{2,5}$/;

/** ASCII letters and digits of a name: `Kultur och fritid` → `kultur och fritid`. */
function ascii(name: string): string {
  return foldName(name)
    .replace(/æ/g, 'ae')
    .replace(/ø/g, 'o')
    .replace(/ß/g, 'ss')
    .replace(/[^a-z0-9]+/g, ' ')
    .trim();
}

/**
 * The team an area name becomes. Key: the name in ASCII, words joined by `-` (`kultur-och-fritid`);
 * a taken key gets `-2`, `-3`, …. Action prefix: the first three letters (`KUL`); when taken, the
 * initials of the words, then four and five letters, then two letters and one more.
 */
export function teamFromArea(
  name: string,
  taken: { keys: Iterable<string>; prefixes: Iterable<string> },
): ProgramTeamDefinition | undefined {
  const words = ascii(name)
    .split(' ')
    .filter((w) => w !== '');
  const letters = words.join('').replace(/[^a-z]/g, '');
  if (letters.length < 2) return undefined;
  const keys = new Set(taken.keys);
  const prefixes = new Set(taken.prefixes);
  let base = words.join('-').slice(0, 36).replace(/-+$/, '');
  if (!/^[a-z]/.test(base)) base = `t-${base}`.slice(0, 36);
  let key = base;
  for (let n = 2; keys.has(key); n++) key = `${base}-${n}`;
  if (!KEY_PATTERN.test(key)) return undefined;
  const initials = words.map((w) => w.replace(/[^a-z]/g, '')[0] ?? '').join('');
  const candidates = [
    letters.slice(0, 3),
    initials.length >= 2 ? initials.slice(0, 5) : '',
    letters.slice(0, 4),
    letters.slice(0, 5),
  ];
  for (const c of 'abcdefghijklmnopqrstuvwxyz') candidates.push(`${letters.slice(0, 2)}${c}`);
  const actionPrefix = candidates.map((c) => c.toUpperCase()).find((c) => PREFIX_PATTERN.test(c) && !prefixes.has(c));
  if (!actionPrefix) return undefined;
  return { key, name: name.trim(), actionPrefix, aliases: [] };
}
