/**
 * Importing a plan or an indicator file from CSV or XLSX, told apart by its header. Each step can
 * be tested alone: `planRowsFrom` (./rows.ts) validates the cells, `planChanges`
 * (./plan-changes.ts) plans what would change, `importPlanTable` (./plan-import.ts) writes it;
 * an indicator file goes to ./indicator-import.ts. Any error: nothing is written.
 */
import * as path from 'node:path';
import { importIndicatorTable, isIndicatorHeader, INDICATOR_SHEETS } from './indicator-import';
import { type ImportInput, type ImportResult, emptyResult } from './import-result';
import { headerHas } from './header';
import { issue } from './issues';
import { HEADER_NAMES, importPlanTable } from './plan-import';
import { PLAN_COLUMNS, PLAN_SHEETS, type PlanColumn } from './rows';
import { readTable } from './tabular';

/** Reads any supported file and imports it as a plan or an indicator file, by its header. */
export async function importFile(input: ImportInput): Promise<ImportResult> {
  const file = path.basename(input.fileName);
  const read = await readTable(input.fileName, input.content, {
    sheet: input.sheet,
    preferredSheets: [...PLAN_SHEETS, ...INDICATOR_SHEETS],
    headerNames: HEADER_NAMES,
  });
  if (!read.ok) return { ...emptyResult('plan', file, !!input.dryRun), errors: [read.error] };
  const { header } = read.table;
  // A plan may well have an "Indikator" column; only a header without plan columns is an indicator file.
  if (isIndicatorHeader(header) && !isPlanHeader(header)) return importIndicatorTable(read.table, input);
  if (isPlanHeader(header)) return importPlanTable(read.table, input);
  return {
    ...emptyResult('plan', file, !!input.dryRun),
    errors: [issue(file, 'file.unknownKind', {}, { row: read.table.headerRow })],
  };
}

export function isPlanHeader(header: readonly string[]): boolean {
  const names = (key: PlanColumn) => PLAN_COLUMNS.find((c) => c.key === key)!.names;
  return headerHas(header, names('team')) || headerHas(header, names('title'));
}
