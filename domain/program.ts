/**
 * The program definition: teams, schedules, locale. The default (Härnösand's nine teams) ships in
 * `config/program.default.json`; `PROGRAM_FILE` replaces it. A bad file is rejected with the path
 * of the field at fault.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import parser from 'cron-parser';
import { z } from 'zod';
import { ValidationError } from './errors';
import type { ChannelRole, Program, ProgramTeamDefinition } from './types';

const cron = z.string().refine(
  (v) => {
    if (v.trim().split(/\s+/).length !== 5) return false;
    try {
      parser.parseExpression(v, { tz: 'Europe/Stockholm' });
      return true;
    } catch {
      return false;
    }
  },
  { message: 'expected a 5-field cron expression, e.g. "0 9 * * 1" (Monday 09:00)' },
);

const timezone = z.string().refine(
  (tz) => {
    try {
      new Intl.DateTimeFormat('en', { timeZone: tz });
      return true;
    } catch {
      return false;
    }
  },
  { message: 'expected an IANA time zone such as Europe/Stockholm' },
);

const teamSchema = z
  .object({
    key: z.string().regex(/^[a-z][a-z0-9-]{1,39}$/, 'lower-case ASCII letters, digits and dashes, 2–40 characters'),
    name: z.string().trim().min(1).max(80),
    actionPrefix: z.string().regex(/^[A-Z]{2,5}$/, '2–5 capital letters, e.g. BOS'),
    aliases: z.array(z.string().trim().min(1).max(80)).default([]),
  })
  .strict();

const programSchema = z
  .object({
    id: z.string().regex(/^[a-z][a-z0-9]{1,30}$/, 'lower-case ASCII letters and digits, 2–31 characters'),
    name: z.string().trim().min(1).max(120),
    municipality: z.string().trim().min(1).max(120),
    locale: z.enum(['sv-SE', 'en-US']).default('sv-SE'),
    timezone: timezone.default('Europe/Stockholm'),
    schedules: z
      .object({ checkIn: cron, reminder: cron, digest: cron })
      .strict()
      .default({ checkIn: '0 9 * * 1', reminder: '0 9 * * 3', digest: '0 13 * * 5' }),
    steeringMembers: z.array(z.string().trim().min(1)).default([]),
    admins: z.array(z.string().trim().min(1)).default([]),
    teams: z.array(teamSchema).min(1).max(50),
  })
  .strict()
  .superRefine((p, ctx) => {
    const seen = new Set<string>();
    p.teams.forEach((t, i) => {
      for (const [field, value] of [['key', t.key], ['actionPrefix', t.actionPrefix]] as const) {
        const id = `${field}:${value}`;
        if (seen.has(id)) ctx.addIssue({ code: z.ZodIssueCode.custom, path: ['teams', i, field], message: `duplicate ${field} "${value}"` });
        seen.add(id);
      }
    });
  });

export const DEFAULT_PROGRAM_FILE = path.join(__dirname, '..', 'config', 'program.default.json');

function resolveDefaultProgramFile(): string {
  // Compiled code runs from dist/domain; the JSON stays in config/ at the repo root.
  const candidates = [DEFAULT_PROGRAM_FILE, path.join(__dirname, '..', '..', 'config', 'program.default.json')];
  return candidates.find((c) => fs.existsSync(c)) ?? DEFAULT_PROGRAM_FILE;
}

/** Validates a parsed program object; throws ValidationError naming every bad field. */
export function parseProgram(raw: unknown, source = 'program'): Program {
  const result = programSchema.safeParse(raw);
  if (!result.success) {
    const problems = result.error.issues.map((i) => `${i.path.length ? i.path.join('.') : '(root)'}: ${i.message}`);
    throw new ValidationError(`${source}: invalid program definition\n  - ${problems.join('\n  - ')}`, {
      source,
      problems,
      field: result.error.issues[0]?.path.join('.'),
    });
  }
  return result.data;
}

/** Loads the program file (or the default), merging extra steering members/admins from config. */
export function loadProgram(file?: string, extra: { steeringMembers?: readonly string[]; admins?: readonly string[] } = {}): Program {
  const target = file ? path.resolve(file) : resolveDefaultProgramFile();
  let text: string;
  try {
    text = fs.readFileSync(target, 'utf8');
  } catch (err) {
    throw new ValidationError(`${target}: cannot read the program file (${(err as Error).message})`, { source: target });
  }
  let raw: unknown;
  try {
    raw = JSON.parse(text.replace(/^\uFEFF/, ''));
  } catch (err) {
    throw new ValidationError(`${target}: not valid JSON (${(err as Error).message})`, { source: target });
  }
  const program = parseProgram(raw, target);
  return {
    ...program,
    steeringMembers: [...new Set([...program.steeringMembers, ...(extra.steeringMembers ?? [])])],
    admins: [...new Set([...program.admins, ...(extra.admins ?? [])])],
  };
}

/** Folds case and Swedish letters so `bostäder`, `Bostader` and `BOSTÄDER` all match. */
export function foldName(s: string): string {
  return s
    .trim()
    .toLowerCase()
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/\s+/g, ' ');
}

export function findTeam(program: Program, nameOrKey: string): ProgramTeamDefinition | undefined {
  const wanted = foldName(nameOrKey);
  if (!wanted) return undefined;
  return program.teams.find(
    (t) => foldName(t.key) === wanted || foldName(t.name) === wanted || t.aliases.some((a) => foldName(a) === wanted),
  );
}

const COMMS_NAMES = ['kommunikation', 'comms', 'communications', 'kommunikationsteamet'];
const STEERING_NAMES = ['styrgrupp', 'steering', 'styrgruppen', 'koncernledningsgrupp', 'klg'];

/** Resolves what `koppla <name>` means: a team, comms or steering. */
export function resolveChannelRole(program: Program, name: string): ChannelRole | undefined {
  const folded = foldName(name);
  if (COMMS_NAMES.includes(folded)) return { kind: 'comms' };
  if (STEERING_NAMES.includes(folded)) return { kind: 'steering' };
  const team = findTeam(program, name);
  return team ? { kind: 'team', teamKey: team.key } : undefined;
}
