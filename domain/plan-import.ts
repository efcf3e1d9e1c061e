/**
 * Importing the action plan (handlingsplan) from CSV or XLSX. Three steps, each testable alone:
 *
 *  1. `planRowsFrom(table, program)`: header mapping and per-cell validation, no storage.
 *  2. `planChanges(rows, stored, ...)`: matches rows to stored actions (by Id, or by team + title
 *     when the Id cell is empty), generates ids, and diffs field by field.
 *  3. `importPlan(...)`: reads the stored state, runs 1–2, and writes only when no row has an
 *     error — log events first (deterministic ids, so a re-run after a crash does not log twice),
 *     then the actions with their ETags.
 *
 * Empty cells: a column that is missing from the file leaves that field alone; a present column
 * with an empty cell clears the field — except Status and Framdrift, where empty means "as is".
 */
import { createHash } from 'node:crypto';
import * as path from 'node:path';
import { importIndicatorTable, isIndicatorHeader, INDICATOR_SHEETS } from './indicator-import';
import type { Repositories } from './ports';
import { findTeam, foldName } from './program';
import {
  type ColumnSpec,
  type ImportChange,
  type ImportIssue,
  type ImportProgress,
  type ImportResult,
  type Table,
  ID_PATTERN,
  charLength,
  cleanText,
  emptyResult,
  headerHas,
  issue,
  looksLikeEmail,
  writeIssue,
  mapHeader,
  parseNumber,
  readTable,
} from './tabular';
import { type Clock, isoWeek, parseLocalDate } from './time';
import { ACTION_STATUSES, type Action, type ActionStatus, type LogEvent, type Program } from './types';

export const PLAN_SHEETS = ['Handlingsplan', 'Actions'] as const;

export type PlanColumn =
  | 'id'
  | 'team'
  | 'title'
  | 'description'
  | 'owner'
  | 'email'
  | 'responsibleBody'
  | 'start'
  | 'due'
  | 'financing'
  | 'status'
  | 'progress'
  | 'indicators';

/** Swedish name first (used in messages about a missing column), then aliases. */
export const PLAN_COLUMNS: readonly ColumnSpec<PlanColumn>[] = [
  { key: 'id', names: ['Id', 'Insats-id', 'Action id'] },
  { key: 'team', names: ['Team', 'Arbetsgrupp'], required: true },
  { key: 'title', names: ['Insats', 'Åtgärd', 'Action', 'Titel', 'Title'], required: true },
  { key: 'description', names: ['Beskrivning', 'Description'] },
  { key: 'owner', names: ['Ansvarig', 'Owner'] },
  { key: 'email', names: ['E-post', 'Email', 'E-mail', 'Mejl'] },
  { key: 'responsibleBody', names: ['Ansvarig nämnd', 'Responsible body', 'Nämnd', 'Förvaltning'] },
  { key: 'start', names: ['Start', 'Startdatum', 'Start date'] },
  { key: 'due', names: ['Slutdatum', 'Due', 'Due date', 'Klart senast'] },
  { key: 'financing', names: ['Finansiering', 'Financing', 'Funding'] },
  { key: 'status', names: ['Status'] },
  { key: 'progress', names: ['Framdrift', 'Progress'] },
  { key: 'indicators', names: ['Indikator', 'Indikatorer', 'Indicator', 'Indicators'] },
];

export const LIMITS = { title: 200, description: 2000, other: 200 } as const;

const STATUS_WORDS: Record<string, ActionStatus> = (() => {
  const m: Record<string, ActionStatus> = {};
  const add = (status: ActionStatus, ...words: string[]) => words.forEach((w) => (m[foldStatus(w)] = status));
  for (const s of ACTION_STATUSES) add(s, s, s.replace('_', ' '));
  add('not_started', 'Ej påbörjad', 'Ej påbörjat', 'Inte påbörjad', 'Not started');
  add('on_track', 'Enligt plan', 'Pågår', 'On track');
  add('at_risk', 'Risk', 'I riskzonen', 'At risk');
  add('off_track', 'Avviker', 'Försenad', 'Off track');
  add('done', 'Klar', 'Klart', 'Avslutad', 'Done', 'Completed');
  add('paused', 'Pausad', 'Vilande', 'Paused', 'On hold');
  return m;
})();

function foldStatus(s: string): string {
  return foldName(s).replace(/[\s_-]+/g, ' ');
}

export function parseStatus(text: string): ActionStatus | undefined {
  return STATUS_WORDS[foldStatus(text)];
}

/** `bos-3`, `BOS-003` → `BOS-03`: the form generated ids have, for the program's team prefixes. */
export function canonicalId(program: Program, id: string): string {
  const m = /^([A-Z]+)-0*(\d+)$/.exec(id.toUpperCase());
  if (!m || !program.teams.some((t) => t.actionPrefix === m[1])) return id;
  return `${m[1]}-${m[2]!.padStart(2, '0')}`;
}

/** Values a row sets; a key is present only when its column is in the file. */
export interface PlanValues {
  teamKey: string;
  title: string;
  description: string;
  ownerName: string;
  ownerEmail: string;
  responsibleBody: string;
  /** `YYYY-MM-DD` or '' (cleared). */
  start: string;
  due: string;
  financing: string;
  indicatorIds: string[];
}

export interface PlanRow {
  rowNumber: number;
  /** Upper-cased Id from the file; undefined when the cell is empty (generate or match by title). */
  id?: string;
  values: Partial<PlanValues> & Pick<PlanValues, 'teamKey' | 'title'>;
  /** Undefined: the cell is empty (or the column missing): keep what is stored. */
  status?: ActionStatus;
  progress?: number;
}

export interface PlanRows {
  file: string;
  sheet?: string;
  rows: PlanRow[];
  /** Column labels as written in the file, for messages. */
  labels: Partial<Record<PlanColumn, string>>;
  errors: ImportIssue[];
  warnings: ImportIssue[];
}

/** Step 1: validates every cell of every row. Pure: no storage, no clock. */
export function planRowsFrom(table: Table, program: Program): PlanRows {
  const file = table.file;
  const header = mapHeader(table, PLAN_COLUMNS);
  const labels: Partial<Record<PlanColumn, string>> = {};
  for (const [key, col] of Object.entries(header.columns) as [PlanColumn, { label: string }][]) labels[key] = col.label;
  const out: PlanRows = { file, sheet: table.sheet, rows: [], labels, errors: [...header.errors], warnings: [...table.warnings, ...header.warnings] };
  if (header.errors.length > 0) return out;

  const knownTeams = program.teams.map((t) => t.name).join(', ');
  const idRows = new Map<string, number>();
  for (const row of table.rows) {
    const errorsBefore = out.errors.length;
    const at = (key: PlanColumn) => ({ row: row.rowNumber, column: labels[key] });
    const fail = (key: PlanColumn, code: Parameters<typeof issue>[1], params: Record<string, string | number> = {}) =>
      out.errors.push(issue(file, code, params, at(key)));
    const raw = (key: PlanColumn): string | undefined => {
      const col = header.columns[key];
      return col ? (row.cells[col.index] ?? '') : undefined;
    };
    const text = (key: PlanColumn, max: number, multiline = false): string | undefined => {
      const r = raw(key);
      if (r === undefined) return undefined;
      const v = cleanText(r, multiline);
      const length = charLength(v);
      if (length > max) fail(key, 'cell.tooLong', { length, max });
      return v;
    };
    const date = (key: 'start' | 'due'): string | undefined => {
      const v = text(key, LIMITS.other);
      if (v === undefined || v === '') return v;
      try {
        return parseLocalDate(v);
      } catch {
        fail(key, /^\d{4}-\d{1,2}-\d{1,2}$|^\d{1,2}[/.]\d{1,2}[/.\s]/.test(v) ? 'cell.noSuchDate' : 'cell.notDate', { value: v });
        return '';
      }
    };

    const values: Partial<PlanValues> = {};

    let id: string | undefined = text('id', 40)?.toUpperCase();
    if (id === '') id = undefined;
    if (id !== undefined) id = canonicalId(program, id);
    if (id !== undefined && !ID_PATTERN.test(id)) fail('id', 'cell.badId', { value: id });
    else if (id !== undefined) {
      const first = idRows.get(id);
      if (first !== undefined) fail('id', 'row.duplicateId', { value: id, other: first });
      else idRows.set(id, row.rowNumber);
    }

    const teamText = text('team', LIMITS.other) ?? '';
    const team = teamText ? findTeam(program, teamText) : undefined;
    if (!teamText) fail('team', 'cell.required');
    else if (!team) fail('team', 'cell.unknownTeam', { value: teamText, known: knownTeams });

    const title = text('title', LIMITS.title) ?? '';
    if (!title) fail('title', 'cell.required');

    const description = text('description', LIMITS.description, true);
    if (description !== undefined) values.description = description;
    const ownerName = text('owner', LIMITS.other);
    if (ownerName !== undefined) values.ownerName = ownerName;
    let email = text('email', LIMITS.other);
    if (email !== undefined) {
      email = email.replace(/^mailto:/i, '');
      if (email !== '' && !looksLikeEmail(email)) fail('email', 'cell.badEmail', { value: email });
      values.ownerEmail = email;
    } else if (ownerName && looksLikeEmail(ownerName)) {
      // No e-mail column, but the owner cell holds an address: that is the e-mail.
      values.ownerEmail = ownerName;
    }
    const body = text('responsibleBody', LIMITS.other);
    if (body !== undefined) values.responsibleBody = body;
    const start = date('start');
    if (start !== undefined) values.start = start;
    const due = date('due');
    if (due !== undefined) values.due = due;
    const financing = text('financing', LIMITS.other);
    if (financing !== undefined) values.financing = financing;

    let status: ActionStatus | undefined;
    const statusText = text('status', LIMITS.other);
    if (statusText) {
      status = parseStatus(statusText);
      if (!status) fail('status', 'cell.badStatus', { value: statusText });
    }

    let progress: number | undefined;
    const progressText = text('progress', LIMITS.other);
    if (progressText) {
      const n = parseNumber(progressText);
      if (n === undefined || n < 0 || n > 100) fail('progress', 'cell.badProgress', { value: progressText });
      else progress = Math.round(n);
    }

    const indicatorText = text('indicators', LIMITS.other);
    if (indicatorText !== undefined) {
      const ids = [...new Set(indicatorText.split(/[,;]/).map((s) => s.trim()).filter((s) => s !== ''))];
      for (const bad of ids.filter((s) => !ID_PATTERN.test(s))) fail('indicators', 'cell.badId', { value: bad });
      values.indicatorIds = ids;
    }

    if (out.errors.length === errorsBefore && team) {
      out.rows.push({ rowNumber: row.rowNumber, id, values: { ...values, teamKey: team.key, title }, status, progress });
    }
  }
  return out;
}

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
  options: { at: string; by: string; indicatorIds?: readonly string[] },
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
    for (const key of ['start', 'due'] as const) {
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
      for (const key of Object.keys(fields)) if (fields[key] === '' || fields[key] === null) delete fields[key];
      fields.teamKey = next.teamKey;
      fields.title = next.title;
    }
    changes.push({ row: row.rowNumber, change: target ? 'updated' : 'created', action: next, before: target, fields, statusChanged, generatedId: generated });
  }

  const inFile = new Set(matched.filter((m) => m.target).map((m) => m.target!.id));
  const notInFile = stored.filter((a) => !inFile.has(a.id)).length;
  return { changes, unchanged, notInFile, errors, warnings };
}

export interface ImportPlanInput {
  fileName: string;
  content: Buffer;
  program: Program;
  repositories: Pick<Repositories, 'actions' | 'events' | 'indicators'>;
  clock: Clock;
  /** Who is logged as the author; `import:<file name>` by default. */
  by?: string;
  /** Validate and report what would change, write nothing. */
  dryRun?: boolean;
  /** Workbook sheet to read (default: "Handlingsplan"/"Actions", else the first). */
  sheet?: string;
  onProgress?: (p: ImportProgress) => void;
}

/** Deterministic event id: the same file content and action always give the same id. */
export function importEventId(contentHash: string, actionId: string, kind: 'action' | 'status'): string {
  return `imp-${createHash('sha256').update(`${contentHash}\u0000${actionId}\u0000${kind}`).digest('hex').slice(0, 40)}`;
}

/** Actions written per step: one Table Storage transaction. */
const CHUNK = 100;

/** Imports an action plan file. Any error → nothing written (see `ImportResult.errors`). */
export async function importPlan(input: ImportPlanInput): Promise<ImportResult> {
  const read = await readTable(input.fileName, input.content, { sheet: input.sheet, preferredSheets: PLAN_SHEETS });
  const file = path.basename(input.fileName);
  if (!read.ok) return { ...emptyResult('plan', file, !!input.dryRun), errors: [read.error] };
  return importPlanTable(read.table, input);
}

/** Imports a table already read (used by `importFile` after it has looked at the header). */
export async function importPlanTable(table: Table, input: ImportPlanInput): Promise<ImportResult> {
  const { program, repositories, clock } = input;
  const dryRun = !!input.dryRun;
  const result: ImportResult = { ...emptyResult('plan', table.file, dryRun), sheet: table.sheet, rows: table.rows.length };
  const parsed = planRowsFrom(table, program);
  result.warnings.push(...parsed.warnings);
  result.errors.push(...parsed.errors);
  if (parsed.errors.some((e) => e.code.startsWith('header.'))) return result;
  if (table.rows.length === 0) {
    result.errors.push(issue(table.file, 'file.noRows'));
    return result;
  }

  const now = clock.now();
  const at = now.toISOString();
  const by = input.by ?? `import:${table.file}`;
  const [stored, indicators] = await Promise.all([repositories.actions.list(program.id), repositories.indicators.list(program.id)]);
  const diff = planChanges(parsed, stored, program, { at, by, indicatorIds: indicators.map((i) => i.id) });
  result.warnings.push(...diff.warnings);
  result.errors.push(...diff.errors);
  result.unchanged = diff.unchanged;
  result.notInFile = diff.notInFile;
  result.changes = diff.changes.map(toChange);
  const planned = { added: diff.changes.filter((c) => c.change === 'created').length, updated: diff.changes.filter((c) => c.change === 'updated').length };
  if (result.errors.length > 0) {
    result.changes = [];
    return result;
  }
  if (dryRun) return { ...result, ...planned };

  const contentHash = createHash('sha256').update(input.content).digest('hex');
  const week = isoWeek(now, program.timezone);
  // Events already logged by an earlier run of this same file that stopped part-way.
  const logged = new Set((await repositories.events.listWeek({ programId: program.id, week })).map((e) => e.eventId));
  const total = diff.changes.length;
  let written = 0;
  for (let i = 0; i < total; i += CHUNK) {
    const chunk = diff.changes.slice(i, i + CHUNK);
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
    result.added += chunk.filter((c) => c.change === 'created').length;
    result.updated += chunk.filter((c) => c.change === 'updated').length;
    input.onProgress?.({ phase: 'write', done: written, total, rows: table.rows.length });
  }
  if (written < total) result.changes = result.changes.slice(0, written);
  return result;
}

function toChange(c: PlannedChange): ImportChange {
  return { id: c.action.id, row: c.row, change: c.change, fields: Object.keys(c.fields), ...(c.generatedId ? { generatedId: true } : {}) };
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
  const read = await readTable(input.fileName, input.content, { sheet: input.sheet, preferredSheets: [...PLAN_SHEETS, ...INDICATOR_SHEETS] });
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
