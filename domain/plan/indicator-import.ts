/**
 * Importing indicators (and their measured values) from CSV or XLSX: one row per indicator and
 * period value; the definition columns (name, unit, baseline, target …) may repeat on every row
 * or be given once. Same rules as the plan import: every row is validated before anything is
 * written, numbers as Swedes write them (`12,5`, `30 000`), re-importing the same file writes
 * nothing. Values are merged by period: periods not in the file are kept.
 *
 * Unlike the plan, an empty definition cell means "as stored": rows repeat, and a blank
 * repetition should not clear what an earlier row (or an earlier import) set.
 */
import * as path from 'node:path';
import { ID_PATTERN, charLength, cleanText, parseNumber } from './cells';
import { type ColumnSpec, headerHas, mapHeader } from './header';
import { type ImportChange, type ImportInput, type ImportResult, emptyResult } from './import-result';
import { type ImportIssue, type IssueCode, issue, writeIssue } from './issues';
import type { Table } from './table';
import { readTable } from './tabular';
import { formatIsoWeek, parseIsoWeek, parseLocalDate } from '../time';
import type { Indicator, IndicatorValue, Program } from '../types';

export const INDICATOR_SHEETS = ['Indikatorer', 'Indicators'] as const;

export type IndicatorColumn =
  'id' | 'name' | 'unit' | 'baseline' | 'target' | 'targetYear' | 'period' | 'value' | 'kolada';

export const INDICATOR_COLUMNS: readonly ColumnSpec<IndicatorColumn>[] = [
  { key: 'id', names: ['Indikator-id', 'Indicator id'], required: true },
  { key: 'name', names: ['Namn', 'Name', 'Indikatornamn'] },
  { key: 'unit', names: ['Enhet', 'Unit'] },
  { key: 'baseline', names: ['Utgångsvärde', 'Baseline'] },
  { key: 'target', names: ['Målvärde', 'Target'] },
  { key: 'targetYear', names: ['Målår', 'Target year'] },
  { key: 'period', names: ['Period', 'År', 'Year'] },
  { key: 'value', names: ['Värde', 'Value', 'Utfall'] },
  { key: 'kolada', names: ['Kolada', 'Kolada KPI', 'Kolada-id'] },
];

export function isIndicatorHeader(header: readonly string[]): boolean {
  return headerHas(header, INDICATOR_COLUMNS[0]!.names);
}

const MAX_TEXT = 200;

/**
 * Normalises a period: `2026`, `2026-03`, `2026-Q1` (also `2026 K1`, `Q1 2026`), `2026-T2`
 * (tertial), `2026-H1`, `2026-W12`, or a date. Undefined when it is none of these.
 */
export function parsePeriod(text: string): string | undefined {
  const s = text.trim();
  let m: RegExpExecArray | null;
  if (/^\d{4}$/.test(s)) return s;
  if ((m = /^(\d{4})-(\d{1,2})$/.exec(s))) {
    const month = Number(m[2]);
    return month >= 1 && month <= 12 ? `${m[1]}-${String(month).padStart(2, '0')}` : undefined;
  }
  if ((m = /^(\d{4})\s*[-\s]?\s*[QqKk]([1-4])$/.exec(s)) || (m = /^[QqKk]([1-4])\s*[-\s]?\s*(\d{4})$/.exec(s))) {
    const [year, q] = /^\d{4}$/.test(m[1]!) ? [m[1], m[2]] : [m[2], m[1]];
    return `${year}-Q${q}`;
  }
  if ((m = /^(\d{4})\s*[-\s]?\s*[Tt]([1-3])$/.exec(s))) return `${m[1]}-T${m[2]}`;
  if ((m = /^(\d{4})\s*[-\s]?\s*[Hh]([12])$/.exec(s))) return `${m[1]}-H${m[2]}`;
  if (/^\d{4}-?[Ww]\d{1,2}$/.test(s)) {
    try {
      const w = parseIsoWeek(s);
      return formatIsoWeek(w.year, w.week);
    } catch {
      return undefined;
    }
  }
  try {
    return parseLocalDate(s);
  } catch {
    return undefined;
  }
}

type Definition = Partial<Pick<Indicator, 'name' | 'unit' | 'koladaKpi' | 'baseline' | 'target' | 'targetYear'>>;

interface IndicatorGroup {
  id: string;
  firstRow: number;
  definition: Definition;
  /** Which row set each definition field, for "differs from row N". */
  definedAt: Partial<Record<keyof Definition, number>>;
  values: Map<string, { value: number; row: number }>;
}

export interface IndicatorRows {
  groups: IndicatorGroup[];
  labels: Partial<Record<IndicatorColumn, string>>;
  errors: ImportIssue[];
  warnings: ImportIssue[];
}

const DEFINITION_COLUMN: Record<keyof Definition, IndicatorColumn> = {
  name: 'name',
  unit: 'unit',
  koladaKpi: 'kolada',
  baseline: 'baseline',
  target: 'target',
  targetYear: 'targetYear',
};

/** Validates every row and groups them by indicator. Pure. */
export function indicatorRowsFrom(table: Table): IndicatorRows {
  const file = table.file;
  const header = mapHeader(table, INDICATOR_COLUMNS);
  const labels: Partial<Record<IndicatorColumn, string>> = {};
  for (const [key, col] of Object.entries(header.columns) as [IndicatorColumn, { label: string }][])
    labels[key] = col.label;
  const out: IndicatorRows = {
    groups: [],
    labels,
    errors: [...header.errors],
    warnings: [...table.warnings, ...header.warnings],
  };
  if (header.errors.length > 0) return out;
  const groups = new Map<string, IndicatorGroup>();

  for (const row of table.rows) {
    const where = (key: IndicatorColumn) => ({
      row: row.rowNumber,
      column: labels[key] ?? INDICATOR_COLUMNS.find((c) => c.key === key)!.names[0],
    });
    const fail = (key: IndicatorColumn, code: IssueCode, params: Record<string, string | number> = {}) =>
      out.errors.push(issue(file, code, params, where(key)));
    const text = (key: IndicatorColumn): string => {
      const col = header.columns[key];
      const v = col ? cleanText(row.cells[col.index] ?? '') : '';
      const length = charLength(v);
      if (length > MAX_TEXT) fail(key, 'cell.tooLong', { length, max: MAX_TEXT });
      return v;
    };
    const number = (key: IndicatorColumn): number | undefined => {
      const v = text(key);
      if (v === '') return undefined;
      const n = parseNumber(v);
      if (n === undefined) fail(key, 'cell.badNumber', { value: v });
      return n;
    };

    const id = text('id');
    if (id === '') {
      fail('id', 'cell.required');
      continue;
    }
    if (!ID_PATTERN.test(id)) fail('id', 'cell.badId', { value: id });
    const definition: Definition = {};
    const name = text('name');
    if (name) definition.name = name;
    const unit = text('unit');
    if (unit) definition.unit = unit;
    const kolada = text('kolada').toUpperCase();
    if (kolada) {
      if (!/^[A-Z]\d{5}$/.test(kolada))
        out.warnings.push(issue(file, 'cell.badKolada', { value: kolada }, where('kolada')));
      definition.koladaKpi = kolada;
    }
    const baseline = number('baseline');
    if (baseline !== undefined) definition.baseline = baseline;
    const target = number('target');
    if (target !== undefined) definition.target = target;
    const yearText = text('targetYear');
    if (yearText) {
      const y = parseNumber(yearText);
      if (y === undefined || !Number.isInteger(y) || y < 1900 || y > 2200)
        fail('targetYear', 'cell.badYear', { value: yearText });
      else definition.targetYear = y;
    }
    const periodText = text('period');
    const period = periodText ? parsePeriod(periodText) : undefined;
    if (periodText && !period) fail('period', 'cell.badPeriod', { value: periodText });
    const valueText = text('value');
    const value = number('value');
    if (valueText && !periodText) fail('period', 'cell.valueWithoutPeriod');
    if (periodText && !valueText) fail('value', 'cell.periodWithoutValue', { value: periodText });

    const key = id.toUpperCase();
    let group = groups.get(key);
    if (!group) {
      group = { id, firstRow: row.rowNumber, definition: {}, definedAt: {}, values: new Map() };
      groups.set(key, group);
    }
    for (const field of Object.keys(definition) as (keyof Definition)[]) {
      const mine = definition[field];
      const theirs = group.definition[field];
      if (theirs === undefined) {
        (group.definition as Record<string, unknown>)[field] = mine;
        group.definedAt[field] = row.rowNumber;
      } else if (theirs !== mine) {
        fail(DEFINITION_COLUMN[field], 'row.conflictingDefinition', {
          other: group.definedAt[field]!,
          value: String(mine),
          otherValue: String(theirs),
        });
      }
    }
    if (period && value !== undefined) {
      const earlier = group.values.get(period);
      if (earlier && earlier.value !== value)
        fail('value', 'row.duplicatePeriod', { value: period, id: group.id, other: earlier.row });
      else if (!earlier) group.values.set(period, { value, row: row.rowNumber });
    }
  }
  out.groups = [...groups.values()];
  return out;
}

interface IndicatorChange {
  row: number;
  change: 'created' | 'updated';
  indicator: Indicator;
  fields: string[];
  valuesAdded: number;
  valuesUpdated: number;
}

/** Compares the file's indicators with the stored ones. Pure. */
export function indicatorChanges(
  parsed: IndicatorRows,
  stored: readonly Indicator[],
  program: Program,
  file: string,
): { changes: IndicatorChange[]; unchanged: number; notInFile: number; errors: ImportIssue[] } {
  const byId = new Map(stored.map((i) => [i.id.toUpperCase(), i]));
  const changes: IndicatorChange[] = [];
  const errors: ImportIssue[] = [];
  let unchanged = 0;
  for (const g of parsed.groups) {
    const before = byId.get(g.id.toUpperCase());
    if (!before && !g.definition.name) {
      errors.push(issue(file, 'row.nameRequired', {}, { row: g.firstRow, column: parsed.labels.name ?? 'Namn' }));
      continue;
    }
    const next: Indicator = before
      ? { ...before, values: [...before.values] }
      : { programId: program.id, id: g.id, name: g.definition.name!, unit: g.definition.unit ?? '', values: [] };
    const fields: string[] = [];
    for (const field of Object.keys(g.definition) as (keyof Definition)[]) {
      const value = g.definition[field];
      if (value !== undefined && next[field] !== value) {
        (next as unknown as Record<string, unknown>)[field] = value;
        fields.push(field);
      }
    }
    if (!before) for (const f of ['name', 'unit']) if (!fields.includes(f)) fields.push(f);
    const values = new Map(next.values.map((v) => [v.period, v.value]));
    let valuesAdded = 0;
    let valuesUpdated = 0;
    for (const [period, { value }] of g.values) {
      const old = values.get(period);
      if (old === undefined) valuesAdded++;
      else if (old !== value) valuesUpdated++;
      else continue;
      values.set(period, value);
    }
    if (valuesAdded + valuesUpdated > 0) {
      fields.push('values');
      next.values = [...values]
        .map(([period, value]): IndicatorValue => ({ period, value }))
        .sort((a, b) => a.period.localeCompare(b.period));
    }
    if (before && fields.length === 0) {
      unchanged++;
      continue;
    }
    changes.push({
      row: g.firstRow,
      change: before ? 'updated' : 'created',
      indicator: next,
      fields,
      valuesAdded,
      valuesUpdated,
    });
  }
  const inFile = new Set(parsed.groups.map((g) => g.id.toUpperCase()));
  const notInFile = stored.filter((i) => !inFile.has(i.id.toUpperCase())).length;
  return { changes, unchanged, notInFile, errors };
}

/** Imports an indicator file. Any error → nothing written. */
export async function importIndicators(input: ImportInput): Promise<ImportResult> {
  const read = await readTable(input.fileName, input.content, {
    sheet: input.sheet,
    preferredSheets: INDICATOR_SHEETS,
  });
  if (!read.ok)
    return { ...emptyResult('indicators', path.basename(input.fileName), !!input.dryRun), errors: [read.error] };
  return importIndicatorTable(read.table, input);
}

export async function importIndicatorTable(table: Table, input: ImportInput): Promise<ImportResult> {
  const { program, repositories } = input;
  const result: ImportResult = {
    ...emptyResult('indicators', table.file, !!input.dryRun),
    sheet: table.sheet,
    rows: table.rows.length,
    values: { added: 0, updated: 0 },
  };
  const parsed = indicatorRowsFrom(table);
  result.errors.push(...parsed.errors);
  result.warnings.push(...parsed.warnings);
  if (parsed.errors.some((e) => e.code.startsWith('header.'))) return result;
  if (table.rows.length === 0) {
    result.errors.push(issue(table.file, 'file.noRows'));
    return result;
  }
  const stored = await repositories.indicators.list(program.id);
  const diff = indicatorChanges(parsed, stored, program, table.file);
  result.errors.push(...diff.errors);
  result.unchanged = diff.unchanged;
  result.notInFile = diff.notInFile;
  if (result.errors.length > 0) return result;
  const toChange = (c: IndicatorChange): ImportChange => ({
    id: c.indicator.id,
    row: c.row,
    change: c.change,
    fields: c.fields,
  });
  const count = (cs: IndicatorChange[]) => ({
    added: cs.filter((c) => c.change === 'created').length,
    updated: cs.filter((c) => c.change === 'updated').length,
    values: { added: cs.reduce((n, c) => n + c.valuesAdded, 0), updated: cs.reduce((n, c) => n + c.valuesUpdated, 0) },
  });
  if (input.dryRun) return { ...result, ...count(diff.changes), changes: diff.changes.map(toChange) };

  const done: IndicatorChange[] = [];
  for (const c of diff.changes) {
    try {
      // `save` creates when there is no etag and replaces only while the etag matches.
      await repositories.indicators.save(c.indicator);
    } catch (err) {
      const failed = writeIssue(
        table.file,
        err,
        c.indicator.id,
        { written: done.length, total: diff.changes.length },
        { row: c.row },
      );
      if (!failed) throw err;
      result.errors.push(failed);
      break;
    }
    done.push(c);
    input.onProgress?.({ phase: 'write', done: done.length, total: diff.changes.length, rows: table.rows.length });
  }
  return { ...result, ...count(done), changes: done.map(toChange) };
}
