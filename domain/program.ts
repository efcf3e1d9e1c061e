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
import { type Params, t, type TextKey } from './i18n';
import { type FieldIssue, fieldIssueText, isTextKey, zodFieldIssues } from './i18n/issues';
import {
  BRIEF_WEEKS,
  type ChannelRole,
  type Locale,
  type Program,
  type ProgramTeamDefinition,
  type Schedules,
} from './types';

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
  { message: 'program.issue.cron' satisfies TextKey },
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
  { message: 'program.issue.timezone' satisfies TextKey },
);

/**
 * The brief before the steering group's meeting: the program has no meeting day of its own, so by
 * default it comes on Monday at 07:30 of every even ISO week (the group meets every other week).
 */
export const DEFAULT_BRIEF_SCHEDULE = { brief: '30 7 * * 1', briefWeeks: 'even' } as const satisfies Pick<
  Schedules,
  'brief' | 'briefWeeks'
>;

const teamSchema = z
  .object({
    key: z.string().regex(/^[a-z][a-z0-9-]{1,39}$/, 'program.issue.teamKey' satisfies TextKey),
    name: z.string().trim().min(1).max(80),
    actionPrefix: z.string().regex(/^[A-Z]{2,5}$/, 'program.issue.actionPrefix' satisfies TextKey),
    aliases: z.array(z.string().trim().min(1).max(80)).default([]),
  })
  .strict();

const httpsUrl = z
  .string()
  .trim()
  .max(2048)
  .regex(/^https:\/\/[^\s/?#]+\.[^\s/?#]+(?:[/?#]\S*)?$/i, 'program.issue.httpsUrl' satisfies TextKey);

/** The Teams manifest's `developer`: its schema allows 32 characters of name and 2 048 of URL. */
const developerSchema = z
  .object({
    name: z.string().trim().min(1).max(32),
    websiteUrl: httpsUrl,
    privacyUrl: httpsUrl,
    termsOfUseUrl: httpsUrl,
  })
  .strict();

const programSchema = z
  .object({
    id: z.string().regex(/^[a-z][a-z0-9]{1,30}$/, 'program.issue.id' satisfies TextKey),
    name: z.string().trim().min(1).max(120),
    municipality: z.string().trim().min(1).max(120),
    locale: z.enum(['sv-SE', 'en-US']).default('sv-SE'),
    timezone: timezone.default('Europe/Stockholm'),
    schedules: z
      .object({
        checkIn: cron,
        reminder: cron,
        digest: cron,
        // The brief before the steering group's meeting; a file written before it had one gets the default.
        brief: cron.default(DEFAULT_BRIEF_SCHEDULE.brief),
        briefWeeks: z.enum(BRIEF_WEEKS).default(DEFAULT_BRIEF_SCHEDULE.briefWeeks),
      })
      .strict()
      .default({ checkIn: '0 9 * * 1', reminder: '0 9 * * 3', digest: '0 13 * * 5', ...DEFAULT_BRIEF_SCHEDULE }),
    steeringMembers: z.array(z.string().trim().min(1)).default([]),
    admins: z.array(z.string().trim().min(1)).default([]),
    teams: z.array(teamSchema).min(1).max(50),
    developer: developerSchema.optional(),
  })
  .strict()
  .superRefine((p, ctx) => {
    const seen = new Set<string>();
    p.teams.forEach((t, i) => {
      for (const [field, value] of [
        ['key', t.key],
        ['actionPrefix', t.actionPrefix],
      ] as const) {
        const id = `${field}:${value}`;
        if (seen.has(id)) {
          ctx.addIssue({
            code: z.ZodIssueCode.custom,
            path: ['teams', i, field],
            message: 'program.issue.duplicate' satisfies TextKey,
            params: { field, value },
          });
        }
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

/** What is wrong with a program file, as data: the header and the field problems under it. */
interface ProgramProblem {
  text: { key: TextKey; params: Params };
  issues: readonly FieldIssue[];
}

function problemText(locale: Locale, problem: ProgramProblem): string {
  return [
    t(locale, problem.text.key, problem.text.params),
    ...problem.issues.map((i) => `  - ${fieldIssueText(locale, i)}`),
  ].join('\n');
}

/**
 * A program file that cannot be used. No program means no known language: the message is in
 * Swedish with the same in English under it; `details.text` and `details.issues` keep the
 * problem as data for `describeProgramError`, which writes it in one language.
 */
function programError(
  source: string,
  text: ProgramProblem['text'],
  issues: readonly FieldIssue[] = [],
  extra: Record<string, unknown> = {},
): ValidationError {
  const problem: ProgramProblem = { text, issues };
  return new ValidationError(`${problemText('sv-SE', problem)}\n${problemText('en-US', problem)}`, {
    source,
    ...extra,
    text,
    issues,
  });
}

function isProgramProblem(details: Record<string, unknown>): details is Record<string, unknown> & ProgramProblem {
  const { text, issues } = details as { text?: { key?: unknown; params?: unknown }; issues?: unknown };
  return (
    typeof text === 'object' &&
    text !== null &&
    isTextKey(text.key) &&
    typeof text.params === 'object' &&
    Array.isArray(issues) &&
    issues.every(
      (i: { path?: unknown; key?: unknown } | null) =>
        typeof i === 'object' && i !== null && typeof i.path === 'string' && isTextKey(i.key),
    )
  );
}

/**
 * A program file's problem in one language (the CLIs' `--lang`), or undefined when the error is
 * not about a program file: `/x/program.json: programdefinitionen är inte giltig\n  - teams.0.key: …`.
 */
export function describeProgramError(err: unknown, locale: Locale): string | undefined {
  return err instanceof ValidationError && isProgramProblem(err.details) ? problemText(locale, err.details) : undefined;
}

/** Validates a parsed program object; throws ValidationError naming every bad field. */
export function parseProgram(raw: unknown, source = 'program'): Program {
  const result = programSchema.safeParse(raw);
  if (!result.success) {
    const issues = zodFieldIssues(result.error, raw);
    throw programError(source, { key: 'program.invalid', params: { source } }, issues, {
      // In Swedish, the default language; describeProgramError gives any language.
      problems: issues.map((i) => fieldIssueText('sv-SE', i)),
      field: result.error.issues[0]?.path.join('.'),
    });
  }
  return result.data;
}

/** Loads the program file (or the default), merging extra steering members/admins from config. */
export function loadProgram(
  file?: string,
  extra: { steeringMembers?: readonly string[]; admins?: readonly string[] } = {},
): Program {
  const target = file ? path.resolve(file) : resolveDefaultProgramFile();
  let text: string;
  try {
    text = fs.readFileSync(target, 'utf8');
  } catch (err) {
    throw programError(target, {
      key: 'program.cannotRead',
      params: { source: target, reason: (err as Error).message },
    });
  }
  let raw: unknown;
  try {
    raw = JSON.parse(text.replace(/^\uFEFF/, ''));
  } catch (err) {
    throw programError(target, { key: 'program.notJson', params: { source: target, reason: (err as Error).message } });
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

/** The team's display name; the key itself for a team the program does not have. */
export function teamName(program: Pick<Program, 'teams'>, key: string): string {
  return program.teams.find((x) => x.key === key)?.name ?? key;
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

/**
 * The program's teams: the program file's, then those made at import and stored (a stored team
 * whose key or action prefix the file now has is left out: the file wins).
 */
export function withStoredTeams(program: Program, stored: readonly ProgramTeamDefinition[]): Program {
  const keys = new Set(program.teams.map((x) => x.key));
  const prefixes = new Set(program.teams.map((x) => x.actionPrefix));
  const extra: ProgramTeamDefinition[] = [];
  for (const s of stored) {
    if (keys.has(s.key) || prefixes.has(s.actionPrefix)) continue;
    keys.add(s.key);
    prefixes.add(s.actionPrefix);
    extra.push({ key: s.key, name: s.name, actionPrefix: s.actionPrefix, aliases: [...(s.aliases ?? [])] });
  }
  return extra.length === 0 ? program : { ...program, teams: [...program.teams, ...extra] };
}

/** The program with the teams stored by imports, read now. */
export async function programWithStoredTeams(
  program: Program,
  teams: { list(programId: string): Promise<ProgramTeamDefinition[]> },
): Promise<Program> {
  return withStoredTeams(program, await teams.list(program.id));
}

/**
 * `resolveChannelRole`, and when the name is no team the program knows, again with the teams
 * imports stored since (a team made by `--create-teams` can be linked without a restart). The
 * program it resolved against comes back for the team's name.
 */
export async function resolveChannelRoleWithStored(
  program: Program,
  name: string,
  teams: { list(programId: string): Promise<ProgramTeamDefinition[]> },
): Promise<{ role?: ChannelRole; program: Program }> {
  const role = resolveChannelRole(program, name);
  if (role) return { role, program };
  const fresh = await programWithStoredTeams(program, teams);
  return { role: resolveChannelRole(fresh, name), program: fresh };
}
