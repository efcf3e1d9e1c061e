/**
 * Importing the action plan (handlingsplan) from CSV or XLSX. Three steps, each testable alone:
 *
 *  1. `planRowsFrom(table, program)` (./plan-rows.ts): header mapping and per-cell validation, no storage.
 *  2. `planChanges(rows, stored, ...)`: matches rows to stored actions (by Id, or by team + title
 *     when the Id cell is empty), generates ids, and diffs field by field.
 *  3. `importPlan(...)`: reads the stored state, runs 1–2, and writes only when no row has an
 *     error — log events first (deterministic ids, so a re-run after a crash does not log twice),
 *     then the actions with their ETags.
 *
 * Empty cells: a column that is missing from the file leaves that field alone; a present column
 * with an empty cell clears the field — except Status and Framdrift, where empty means "as is".
 *
 * Plans as municipalities keep them: the header may sit under title rows (./tabular.ts), the
 * columns go by the names plans use (Insatsområde, Åtgärd, Mål, Delmål, Tidplan, Nr, Indikator,
 * Målvärde …), timelines are kept as written with a due date derived from them (./timeline.ts),
 * indicators are named by name, id or Kolada id (./plan-indicators.ts). Areas that are no team
 * become teams with `createTeams`; actions of the file's teams that the file no longer has are
 * listed, and retired with `retireMissing`.
 */
import { createHash } from 'node:crypto';
import * as path from 'node:path';
import { importIndicatorTable, isIndicatorHeader, INDICATOR_COLUMNS, INDICATOR_SHEETS } from './indicator-import';
import { planIndicators } from './indicators';
import { PLAN_COLUMNS, PLAN_SHEETS, type PlanColumn, type PlanRow, type PlanRows, planRowsFrom } from './rows';
import type { Repositories } from '../ports';
import { foldName, withStoredTeams } from '../program';
import { type StoredProgramTeam, teamFromArea } from './program-teams';
import {
  type CreatedTeam,
  type ImportChange,
  type ImportedActionRef,
  type ImportIssue,
  type ImportProgress,
  type ImportResult,
  type Table,
  emptyResult,
  headerHas,
  issue,
  writeIssue,
  readTable,
} from './tabular';
import { type Clock, isoWeek, localDate } from '../time';
import type { Action, LogEvent, Program } from '../types';

export * from './rows';

export interface PlannedChange {
  row: number;
  change: 'created' | 'updated';
  /** The action to write: for updates, the stored one with the file's values and its ETag. */
  action: Action;
  before?: Action;
  /** Changed fields → new value (all set fields for a created action). */
  fields: Record<string, unknown>;
  statusChanged: boolean;
  generatedId: boolean;
}

export interface PlanDiff {
  changes: PlannedChange[];
  unchanged: number;
  notInFile: number;
  /** Stored actions of the teams the file covers that the file no longer has (not retired yet). */
  missing: Action[];
  /** With `retireMissing`: the missing actions, retired. */
  retirements: PlannedChange[];
  errors: ImportIssue[];
  warnings: ImportIssue[];
}

const sameList = (a: readonly string[], b: readonly string[]) => a.length === b.length && [...a].sort().join('\u0000') === [...b].sort().join('\u0000');

function nextNumbers(program: Program, ids: Iterable<string>): Map<string, number> {
  const max = new Map<string, number>(program.teams.map((t) => [t.actionPrefix, 0]));
  for (const id of ids) {
    const m = /^([A-Z]+)-(\d+)$/.exec(id);
    if (m && max.has(m[1]!)) max.set(m[1]!, Math.max(max.get(m[1]!)!, Number(m[2])));
  }
  return max;
}

/**
 * Step 2: matches rows to stored actions and computes what would change. Pure. `indicatorIds`
 * (when given) are the stored indicators: references to others give a warning, and references
 * are spelled as stored.
 */
export function planChanges(
  parsed: PlanRows,
  stored: readonly Action[],
  program: Program,
  options: { at: string; by: string; indicatorIds?: readonly string[]; retireMissing?: boolean },
): PlanDiff {
  const { file, labels } = parsed;
  const errors: ImportIssue[] = [];
  const warnings: ImportIssue[] = [];
  const byId = new Map(stored.map((a) => [a.id.toUpperCase(), a]));
  const byTitle = new Map<string, Action[]>();
  for (const a of stored) {
    const k = `${a.teamKey}|${foldName(a.title)}`;
    byTitle.set(k, [...(byTitle.get(k) ?? []), a]);
  }
  const indicatorSpelling = options.indicatorIds ? new Map(options.indicatorIds.map((i) => [i.toUpperCase(), i])) : undefined;

  // Rows with an Id claim their action first, so a row without Id cannot take it by title.
  const claimed = new Map<string, number>();
  for (const row of parsed.rows) {
    if (row.id === undefined) continue;
    const first = claimed.get(row.id);
    if (first !== undefined) errors.push(issue(file, 'row.duplicateId', { value: row.id, other: first }, { row: row.rowNumber, column: labels.id }));
    else claimed.set(row.id, row.rowNumber);
  }

  const counters = nextNumbers(program, [...byId.keys(), ...claimed.keys()]);
  const matched: { row: PlanRow; target?: Action; id: string; generated: boolean }[] = [];
  const titlesInFile = new Map<string, number>();
  for (const row of parsed.rows) {
    if (row.id !== undefined) {
      matched.push({ row, target: byId.get(row.id), id: byId.get(row.id)?.id ?? row.id, generated: false });
      continue;
    }
    const titleKey = `${row.values.teamKey}|${foldName(row.values.title)}`;
    const sameTitleRow = titlesInFile.get(titleKey);
    if (sameTitleRow !== undefined) {
      errors.push(issue(file, 'row.sameAction', { value: row.values.title, other: sameTitleRow }, { row: row.rowNumber, column: labels.title }));
      continue;
    }
    titlesInFile.set(titleKey, row.rowNumber);
    const candidates = byTitle.get(titleKey) ?? [];
    if (candidates.length > 1) {
      const ids = candidates.map((c) => c.id).sort().join(', ');
      errors.push(issue(file, 'row.ambiguousTitle', { value: row.values.title, ids }, { row: row.rowNumber, column: labels.title }));
      continue;
    }
    const target = candidates[0];
    if (target) {
      const other = claimed.get(target.id.toUpperCase());
      if (other !== undefined) {
        errors.push(issue(file, 'row.sameAction', { value: target.id, other }, { row: row.rowNumber, column: labels.title }));
        continue;
      }
      claimed.set(target.id.toUpperCase(), row.rowNumber);
      matched.push({ row, target, id: target.id, generated: false });
      continue;
    }
    const team = program.teams.find((t) => t.key === row.values.teamKey)!;
    const n = (counters.get(team.actionPrefix) ?? 0) + 1;
    counters.set(team.actionPrefix, n);
    matched.push({ row, id: `${team.actionPrefix}-${String(n).padStart(2, '0')}`, generated: true });
  }

  const changes: PlannedChange[] = [];
  let unchanged = 0;
  for (const { row, target, id, generated } of matched) {
    const v = row.values;
    let indicatorIds = v.indicatorIds;
    if (indicatorIds && indicatorSpelling) {
      indicatorIds = indicatorIds.map((i) => {
        const known = indicatorSpelling.get(i.toUpperCase());
        if (!known) warnings.push(issue(file, 'cell.unknownIndicator', { value: i }, { row: row.rowNumber, column: labels.indicators }));
        return known ?? i;
      });
    }
    const base: Action = target ?? {
      programId: program.id,
      id,
      teamKey: v.teamKey,
      title: v.title,
      description: '',
      owner: { name: '' },
      responsibleBody: '',
      financing: '',
      status: 'not_started',
      progress: 0,
      indicatorIds: [],
    };
    const next: Action = { ...base, owner: { ...base.owner } };
    const fields: Record<string, unknown> = {};
    const set = <K extends 'teamKey' | 'title' | 'description' | 'responsibleBody' | 'financing'>(key: K, value: string | undefined) => {
      if (value !== undefined && value !== base[key]) {
        next[key] = value;
        fields[key] = value;
      }
    };
    set('teamKey', v.teamKey);
    set('title', v.title);
    set('description', v.description);
    set('responsibleBody', v.responsibleBody);
    set('financing', v.financing);
    for (const key of ['start', 'due', 'timeline', 'goal', 'subGoal', 'planNumber'] as const) {
      const value = v[key];
      if (value !== undefined && value !== (base[key] ?? '')) {
        if (value === '') delete next[key];
        else next[key] = value;
        fields[key] = value === '' ? null : value;
      }
    }
    const name = v.ownerName ?? base.owner.name;
    const email = v.ownerEmail ?? base.owner.email ?? '';
    if (name !== base.owner.name || email !== (base.owner.email ?? '')) {
      const samePerson = email !== '' ? email.toLowerCase() === (base.owner.email ?? '').toLowerCase() : name === base.owner.name && !base.owner.email;
      // Teams ids belong to a person: keep them only while the owner is the same person.
      next.owner = samePerson ? { ...base.owner, name, email: email || undefined } : { name, ...(email ? { email } : {}) };
      if (!next.owner.email) delete next.owner.email;
      fields.owner = { name, email: email || null };
    }
    if (v.ongoing !== undefined && v.ongoing !== !!base.ongoing) {
      if (v.ongoing) next.ongoing = true;
      else delete next.ongoing;
      fields.ongoing = v.ongoing;
    }
    // A plan that has a retired action again brings it back, unless its Utgått cell says retired.
    if (base.retiredAt && !row.retired) {
      delete next.retiredAt;
      fields.retiredAt = null;
    } else if (!base.retiredAt && row.retired) {
      next.retiredAt = row.retired;
      fields.retiredAt = row.retired;
    }
    if (indicatorIds !== undefined && !sameList(indicatorIds, base.indicatorIds)) {
      next.indicatorIds = indicatorIds;
      fields.indicatorIds = indicatorIds;
    }
    let statusChanged = false;
    if (row.status !== undefined && row.status !== base.status) {
      next.status = row.status;
      fields.status = row.status;
      statusChanged = true;
    }
    if (row.progress !== undefined && row.progress !== base.progress) {
      next.progress = row.progress;
      fields.progress = row.progress;
      statusChanged = true;
    }

    if ((v.start !== undefined || v.due !== undefined) && next.start && next.due && next.start > next.due) {
      errors.push(issue(file, 'cell.dateOrder', { start: next.start, due: next.due }, { row: row.rowNumber, column: labels.due ?? labels.start }));
      continue;
    }
    if (target && Object.keys(fields).length === 0) {
      unchanged++;
      continue;
    }
    if (statusChanged) next.lastUpdate = { at: options.at, by: options.by };
    if (!target) {
      // A created action: its log entry lists everything it was created with.
      for (const key of Object.keys(fields)) if (fields[key] === '' || fields[key] === null || fields[key] === false) delete fields[key];
      fields.teamKey = next.teamKey;
      fields.title = next.title;
    }
    changes.push({ row: row.rowNumber, change: target ? 'updated' : 'created', action: next, before: target, fields, statusChanged, generatedId: generated });
  }

  const inFile = new Set(matched.filter((m) => m.target).map((m) => m.target!.id));
  // Retired actions are no longer part of the plan: a file without them does not miss them.
  const notInFile = stored.filter((a) => !inFile.has(a.id) && !a.retiredAt).length;
  // A revision covers the teams it has rows for: their stored actions it no longer has are missing.
  const covered = new Set(parsed.rows.map((r) => r.values.teamKey));
  const missing = stored.filter((a) => covered.has(a.teamKey) && !inFile.has(a.id) && !a.retiredAt).sort((a, b) => a.id.localeCompare(b.id, 'sv'));
  const retirements: PlannedChange[] = options.retireMissing
    ? missing.map((a) => ({ row: 0, change: 'updated', action: { ...a, retiredAt: options.at }, before: a, fields: { retiredAt: options.at }, statusChanged: false, generatedId: false }))
    : [];
  return { changes, unchanged, notInFile, missing, retirements, errors, warnings };
}

export interface ImportPlanInput {
  fileName: string;
  content: Buffer;
  /** The program as configured; teams stored by earlier imports are added to it. */
  program: Program;
  repositories: Pick<Repositories, 'actions' | 'events' | 'indicators' | 'programTeams'>;
  clock: Clock;
  /** Who is logged as the author; `import:<file name>` by default. */
  by?: string;
  /** Validate and report what would change, write nothing. */
  dryRun?: boolean;
  /** Workbook sheet to read (default: "Handlingsplan"/"Actions", else the first). */
  sheet?: string;
  /** Areas of the file that are no team become teams (stored); without it they are errors. */
  createTeams?: boolean;
  /** Actions of the file's teams that the file no longer has are retired; without it they are listed. */
  retireMissing?: boolean;
  onProgress?: (p: ImportProgress) => void;
}

/** Deterministic event id: the same file content and action always give the same id. */
export function importEventId(contentHash: string, actionId: string, kind: 'action' | 'status'): string {
  return `imp-${createHash('sha256').update(`${contentHash}\u0000${actionId}\u0000${kind}`).digest('hex').slice(0, 40)}`;
}

/** Actions written per step: one Table Storage transaction. */
const CHUNK = 100;

/** Every column name the plan and indicator importers know: they mark the header row. */
export const HEADER_NAMES: readonly string[] = [...PLAN_COLUMNS, ...INDICATOR_COLUMNS].flatMap((c) => c.names);

/** Imports an action plan file. Any error → nothing written (see `ImportResult.errors`). */
export async function importPlan(input: ImportPlanInput): Promise<ImportResult> {
  const read = await readTable(input.fileName, input.content, { sheet: input.sheet, preferredSheets: PLAN_SHEETS, headerNames: HEADER_NAMES });
  const file = path.basename(input.fileName);
  if (!read.ok) return { ...emptyResult('plan', file, !!input.dryRun), errors: [read.error] };
  return importPlanTable(read.table, input);
}

/** The teams to make from the file's unknown areas; an area no team can be made of is an error. */
function teamsForAreas(areas: Map<string, number[]>, program: Program, ctx: { file: string; column?: string; at: string; by: string }) {
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
export async function importPlanTable(table: Table, input: ImportPlanInput): Promise<ImportResult> {
  const { repositories, clock } = input;
  const dryRun = !!input.dryRun;
  const result: ImportResult = { ...emptyResult('plan', table.file, dryRun), sheet: table.sheet, rows: table.rows.length, headerRow: table.headerRow };
  // Every problem says which sheet of a workbook it is on.
  const finish = (r: ImportResult): ImportResult => {
    if (table.format === 'xlsx' && table.sheet) for (const i of [...r.errors, ...r.warnings]) if (i.row !== undefined) i.sheet ??= table.sheet;
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
    planProgram = { ...program, teams: [...program.teams, ...made.teams.map(({ key, name, actionPrefix, aliases }) => ({ key, name, actionPrefix, aliases }))] };
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

  const [stored, indicators] = await Promise.all([repositories.actions.list(program.id), repositories.indicators.list(program.id)]);
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
  const planned = { added: diff.changes.filter((c) => c.change === 'created').length, updated: diff.changes.filter((c) => c.change === 'updated').length };
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
    const failed = writeIssue(table.file, err, [...createdTeams.map((t) => t.key), ...fromPlan.writes.map((i) => i.id)].join(', '), { written: 0, total: diff.changes.length });
    if (!failed) throw err;
    return finish({ ...result, errors: [failed], changes: [], retired: [] });
  }

  const contentHash = createHash('sha256').update(input.content).digest('hex');
  const week = isoWeek(now, program.timezone);
  // Events already logged by an earlier run of this same file that stopped part-way.
  const logged = new Set((await repositories.events.listWeek({ programId: program.id, week })).map((e) => e.eventId));
  const all = [...diff.changes, ...diff.retirements];
  const retirements = new Set(diff.retirements);
  const total = all.length;
  let written = 0;
  for (let i = 0; i < total; i += CHUNK) {
    const chunk = all.slice(i, i + CHUNK);
    const events = chunk.flatMap((c) => eventsFor(c, { programId: program.id, at, by, contentHash })).filter((e) => !logged.has(e.eventId));
    try {
      // Log first: if the actions then fail to save, a re-run recomputes the same changes with
      // the same event ids and skips the entries already logged.
      if (events.length > 0) await repositories.events.appendAll(events);
      await repositories.actions.saveAll(chunk.map((c) => c.action));
    } catch (err) {
      const ids = chunk.map((c) => c.action.id);
      const failed = writeIssue(table.file, err, ids.length > 5 ? `${ids.slice(0, 5).join(', ')} … (${ids.length})` : ids.join(', '), { written, total });
      if (!failed) throw err;
      result.errors.push(failed);
      break;
    }
    for (const e of events) logged.add(e.eventId);
    result.events += events.length;
    written += chunk.length;
    const planChunk = chunk.filter((c) => !retirements.has(c));
    result.added += planChunk.filter((c) => c.change === 'created').length;
    result.updated += planChunk.filter((c) => c.change === 'updated').length;
    input.onProgress?.({ phase: 'write', done: written, total, rows: table.rows.length });
  }
  if (written < total) {
    const done = all.slice(0, written);
    result.changes = done.filter((c) => !retirements.has(c)).map(toChange);
    const retiredDone = new Set(done.filter((c) => retirements.has(c)).map((c) => c.action.id));
    result.retired = result.retired.filter((r) => retiredDone.has(r.id));
  }
  return finish(result);
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

function previousValues(before: Action, fields: Record<string, unknown>): Record<string, unknown> {
  const stored = before as unknown as Record<string, unknown>;
  return Object.fromEntries(Object.keys(fields).map((k) => [k, k === 'owner' ? { name: before.owner.name, email: before.owner.email ?? null } : (stored[k] ?? null)]));
}

function eventsFor(c: PlannedChange, ctx: { programId: string; at: string; by: string; contentHash: string }): LogEvent[] {
  const common = { programId: ctx.programId, at: ctx.at, by: ctx.by, source: 'import' as const };
  const events: LogEvent[] = [
    {
      ...common,
      type: 'action',
      actionId: c.action.id,
      teamKey: c.action.teamKey,
      change: c.change,
      fields: c.fields,
      // What each changed field was before, so the plan as it stood in a past week can be rebuilt.
      ...(c.before ? { previous: previousValues(c.before, c.fields) } : {}),
      eventId: importEventId(ctx.contentHash, c.action.id, 'action'),
    },
  ];
  if (c.statusChanged) {
    events.push({
      ...common,
      type: 'status',
      actionId: c.action.id,
      teamKey: c.action.teamKey,
      status: c.action.status,
      ...(c.before ? { previousStatus: c.before.status } : {}),
      progress: c.action.progress,
      comment: '',
      blockers: '',
      nextStep: '',
      forComms: '',
      eventId: importEventId(ctx.contentHash, c.action.id, 'status'),
    });
  }
  return events;
}

/** Reads any supported file and imports it as a plan or an indicator file, by its header. */
export async function importFile(input: ImportPlanInput): Promise<ImportResult> {
  const file = path.basename(input.fileName);
  const read = await readTable(input.fileName, input.content, { sheet: input.sheet, preferredSheets: [...PLAN_SHEETS, ...INDICATOR_SHEETS], headerNames: HEADER_NAMES });
  if (!read.ok) return { ...emptyResult('plan', file, !!input.dryRun), errors: [read.error] };
  const { header } = read.table;
  // A plan may well have an "Indikator" column; only a header without plan columns is an indicator file.
  if (isIndicatorHeader(header) && !isPlanHeader(header)) return importIndicatorTable(read.table, input);
  if (isPlanHeader(header)) return importPlanTable(read.table, input);
  return { ...emptyResult('plan', file, !!input.dryRun), errors: [issue(file, 'file.unknownKind', {}, { row: read.table.headerRow })] };
}

export function isPlanHeader(header: readonly string[]): boolean {
  const names = (key: PlanColumn) => PLAN_COLUMNS.find((c) => c.key === key)!.names;
  return headerHas(header, names('team')) || headerHas(header, names('title'));
}
