/**
 * Step 3 of the plan import, applying it: reads the stored state, validates every row
 * (`planRowsFrom`, ./rows.ts), plans the changes (`planChanges`, ./plan-changes.ts) and writes
 * only when no row has an error — teams and indicators first, then per chunk the log events
 * (./plan-events.ts) before the actions with their ETags, a few chunks at once. What it did
 * comes back as the import's report (./import-result.ts).
 *
 * Plans as municipalities keep them: the header may sit under title rows (./header.ts), the
 * columns go by the names plans use (Insatsområde, Åtgärd, Mål, Delmål, Tidplan, Nr, Indikator,
 * Målvärde …), timelines are kept as written with a due date derived from them (./timeline.ts),
 * indicators are named by name, id or Kolada id (./indicators.ts). Areas that are no team
 * become teams with `createTeams`; actions of the file's teams that the file no longer has are
 * listed, and retired with `retireMissing`.
 */
import { createHash } from 'node:crypto';
import * as path from 'node:path';
import { withStoredTeams } from '../program';
import { localDate } from '../time';
import type { Action, Program } from '../types';
import { INDICATOR_COLUMNS } from './indicator-import';
import { planIndicators } from './indicators';
import {
  type CreatedTeam,
  type ImportChange,
  type ImportedActionRef,
  type ImportInput,
  type ImportResult,
  emptyResult,
} from './import-result';
import { type ImportIssue, issue, writeIssue } from './issues';
import { type PlannedChange, planChanges } from './plan-changes';
import { eventsFor } from './plan-events';
import { type StoredProgramTeam, teamFromArea } from './program-teams';
import { PLAN_COLUMNS, PLAN_SHEETS, planRowsFrom } from './rows';
import type { Table } from './table';
import { readTable } from './tabular';

/** Actions written per step: one Table Storage transaction. */
const CHUNK = 100;
/** Chunks whose log events are on their way at once (their actions are stored one chunk after another). */
const IN_FLIGHT = 4;

/** Every column name the plan and indicator importers know: they mark the header row. */
export const HEADER_NAMES: readonly string[] = [...PLAN_COLUMNS, ...INDICATOR_COLUMNS].flatMap((c) => c.names);

/** Imports an action plan file. Any error → nothing written (see `ImportResult.errors`). */
export async function importPlan(input: ImportInput): Promise<ImportResult> {
  const read = await readTable(input.fileName, input.content, {
    sheet: input.sheet,
    preferredSheets: PLAN_SHEETS,
    headerNames: HEADER_NAMES,
  });
  const file = path.basename(input.fileName);
  if (!read.ok) return { ...emptyResult('plan', file, !!input.dryRun), errors: [read.error] };
  return importPlanTable(read.table, input);
}

/** The teams to make from the file's unknown areas; an area no team can be made of is an error. */
function teamsForAreas(
  areas: Map<string, number[]>,
  program: Program,
  ctx: { file: string; column?: string; at: string; by: string },
) {
  const keys = program.teams.map((t) => t.key);
  const prefixes = program.teams.map((t) => t.actionPrefix);
  const teams: StoredProgramTeam[] = [];
  const errors: ImportIssue[] = [];
  for (const [area, rows] of areas) {
    const team = teamFromArea(area, { keys, prefixes });
    if (!team) {
      errors.push(issue(ctx.file, 'cell.areaName', { value: area }, { row: rows[0], column: ctx.column }));
      continue;
    }
    keys.push(team.key);
    prefixes.push(team.actionPrefix);
    teams.push({ ...team, programId: program.id, createdAt: ctx.at, createdBy: ctx.by });
  }
  return { teams, errors };
}

const refOf = (a: Action): ImportedActionRef => ({ id: a.id, title: a.title, teamKey: a.teamKey });

/** Imports a table already read (used by `importFile` after it has looked at the header). */
export async function importPlanTable(table: Table, input: ImportInput): Promise<ImportResult> {
  const { repositories, clock } = input;
  const dryRun = !!input.dryRun;
  const result: ImportResult = {
    ...emptyResult('plan', table.file, dryRun),
    sheet: table.sheet,
    rows: table.rows.length,
    headerRow: table.headerRow,
  };
  // Every problem says which sheet of a workbook it is on.
  const finish = (r: ImportResult): ImportResult => {
    if (table.format === 'xlsx' && table.sheet)
      for (const i of [...r.errors, ...r.warnings]) if (i.row !== undefined) i.sheet ??= table.sheet;
    return r;
  };
  const now = clock.now();
  const at = now.toISOString();
  const by = input.by ?? `import:${table.file}`;
  const program = withStoredTeams(input.program, await repositories.programTeams.list(input.program.id));
  const today = localDate(now, program.timezone);

  let parsed = planRowsFrom(table, program, { today });
  result.unknownColumns = parsed.warnings.filter((w) => w.code === 'header.unknownColumn').map((w) => w.column!);
  result.unknownAreas = [...parsed.unknownAreas.keys()];
  let createdTeams: StoredProgramTeam[] = [];
  let planProgram = program;
  if (parsed.unknownAreas.size > 0 && input.createTeams) {
    const made = teamsForAreas(parsed.unknownAreas, program, { file: table.file, column: parsed.labels.team, at, by });
    result.errors.push(...made.errors);
    createdTeams = made.teams;
    planProgram = {
      ...program,
      teams: [
        ...program.teams,
        ...made.teams.map(({ key, name, actionPrefix, aliases }) => ({ key, name, actionPrefix, aliases })),
      ],
    };
    parsed = planRowsFrom(table, planProgram, { today });
  }
  result.createdTeams = createdTeams.map(({ key, name, actionPrefix }): CreatedTeam => ({ key, name, actionPrefix }));
  result.warnings.push(...parsed.warnings);
  result.errors.push(...parsed.errors);
  if (parsed.errors.some((e) => e.code.startsWith('header.'))) return finish(result);
  if (table.rows.length === 0) {
    result.errors.push(issue(table.file, 'file.noRows'));
    return finish(result);
  }

  const [stored, indicators] = await Promise.all([
    repositories.actions.list(program.id),
    repositories.indicators.list(program.id),
  ]);
  const fromPlan = planIndicators(
    parsed.rows.filter((r) => r.indicatorCells).map((r) => ({ rowNumber: r.rowNumber, cells: r.indicatorCells! })),
    indicators,
    { programId: program.id, file: table.file, labels: parsed.labels },
  );
  result.errors.push(...fromPlan.errors);
  result.warnings.push(...fromPlan.warnings);
  for (const row of parsed.rows) {
    const ids = fromPlan.idsByRow.get(row.rowNumber);
    if (ids) row.values.indicatorIds = ids;
  }
  const diff = planChanges(parsed, stored, planProgram, { at, by, retireMissing: input.retireMissing });
  result.warnings.push(...diff.warnings);
  result.errors.push(...diff.errors);
  result.unchanged = diff.unchanged;
  result.notInFile = diff.notInFile;
  result.changes = diff.changes.map(toChange);
  result.indicators = fromPlan.report;
  if (input.retireMissing) result.retired = diff.missing.map(refOf);
  else result.missing = diff.missing.map(refOf);
  const planned = {
    added: diff.changes.filter((c) => c.change === 'created').length,
    updated: diff.changes.filter((c) => c.change === 'updated').length,
  };
  if (result.errors.length > 0) {
    // A file with any error is refused whole: nothing would change.
    return finish({ ...result, changes: [], createdTeams: [], retired: [], indicators: [] });
  }
  if (dryRun) return finish({ ...result, ...planned });

  // Teams and indicators first: the actions refer to them. A re-run after a failure finds them
  // stored and leaves them.
  try {
    if (createdTeams.length > 0) await repositories.programTeams.createAll(createdTeams);
    for (const indicator of fromPlan.writes) await repositories.indicators.save(indicator);
  } catch (err) {
    const failed = writeIssue(
      table.file,
      err,
      [...createdTeams.map((t) => t.key), ...fromPlan.writes.map((i) => i.id)].join(', '),
      { written: 0, total: diff.changes.length },
    );
    if (!failed) throw err;
    return finish({ ...result, errors: [failed], changes: [], retired: [] });
  }

  const all = [...diff.changes, ...diff.retirements];
  const retirements = new Set(diff.retirements);
  const written = await writeChanges(all, retirements, { input, table, program, at, by }, result);
  const total = all.length;
  if (written < total) {
    const done = all.slice(0, written);
    result.changes = done.filter((c) => !retirements.has(c)).map(toChange);
    const retiredDone = new Set(done.filter((c) => retirements.has(c)).map((c) => c.action.id));
    result.retired = result.retired.filter((r) => retiredDone.has(r.id));
  }
  return finish(result);
}

/**
 * Writes the planned changes in chunks of `CHUNK` actions: per chunk the log events first (each
 * in one transaction with its marker), then the actions in one transaction, with their ETags, so
 * no action is stored before its log entries and an action someone edited meanwhile refuses its
 * chunk. The events of up to `IN_FLIGHT` chunks are on their way at once, but the actions are
 * stored chunk after chunk, in the file's order: what is stored is always the first `written`
 * changes, so a re-run of the same file after a failure gives the rest the same ids (new actions
 * are numbered after the stored ones) and the same event ids, and the log leaves out those an
 * earlier run logged. Counts what was written into `result` and returns how many changes were; a
 * chunk that fails stops there, reported in `result.errors` with how far it got.
 */
async function writeChanges(
  all: readonly PlannedChange[],
  retirements: ReadonlySet<PlannedChange>,
  ctx: { input: ImportInput; table: Table; program: Program; at: string; by: string },
  result: ImportResult,
): Promise<number> {
  const { input, table, program, at, by } = ctx;
  const { repositories } = input;
  const total = all.length;
  if (total === 0) return 0;
  const contentHash = createHash('sha256').update(input.content).digest('hex');
  const chunks: PlannedChange[][] = [];
  for (let i = 0; i < total; i += CHUNK) chunks.push(all.slice(i, i + CHUNK));
  // Settles with whether chunk k's actions were stored; chunk k + 1 stores its own only after.
  const stored = chunks.map(() => {
    let settle!: (ok: boolean) => void;
    const promise = new Promise<boolean>((resolve) => (settle = resolve));
    return { promise, settle };
  });
  let written = 0;
  const failures: { k: number; err: unknown }[] = [];

  const writeChunk = async (k: number) => {
    const chunk = chunks[k]!;
    let ok = false;
    try {
      const events = chunk.flatMap((c) => eventsFor(c, { programId: program.id, at, by, contentHash }));
      // Log first: if the actions then fail to save, a re-run recomputes the same changes with
      // the same event ids, and the log leaves out those it has.
      const logged = await repositories.events.appendAll(events);
      if (k > 0 && !(await stored[k - 1]!.promise)) return;
      await repositories.actions.saveAll(chunk.map((c) => c.action));
      ok = true;
      written += chunk.length;
      result.events += logged;
      const planChunk = chunk.filter((c) => !retirements.has(c));
      result.added += planChunk.filter((c) => c.change === 'created').length;
      result.updated += planChunk.filter((c) => c.change === 'updated').length;
      input.onProgress?.({ phase: 'write', done: written, total, rows: table.rows.length });
    } catch (err) {
      failures.push({ k, err });
    } finally {
      stored[k]!.settle(ok);
    }
  };
  let next = 0;
  const worker = async () => {
    while (failures.length === 0 && next < chunks.length) await writeChunk(next++);
  };
  await Promise.all(Array.from({ length: Math.min(IN_FLIGHT, chunks.length) }, worker));

  if (failures.length > 0) {
    // The first chunk that failed is the one reported (the chunks after it stored nothing);
    // anything but a refusal or an unavailable store is a bug, thrown on whichever chunk met it.
    failures.sort((a, b) => a.k - b.k);
    const problems = failures.map(({ k, err }) => {
      const ids = chunks[k]!.map((c) => c.action.id);
      const named = ids.length > 5 ? `${ids.slice(0, 5).join(', ')} … (${ids.length})` : ids.join(', ');
      return writeIssue(table.file, err, named, { written, total });
    });
    const bug = failures.find((_, i) => !problems[i]);
    if (bug) throw bug.err;
    result.errors.push(problems[0]!);
  }
  return written;
}

function toChange(c: PlannedChange): ImportChange {
  return {
    id: c.action.id,
    row: c.row,
    change: c.change,
    fields: Object.keys(c.fields),
    ...(c.generatedId ? { generatedId: true } : {}),
    title: c.action.title,
    teamKey: c.action.teamKey,
  };
}
