/**
 * The action plan as a file in the import's own shape (`npm run export -- plan`): one row per
 * action with its id, so next year's revision starts from the bot's copy and renamed actions are
 * matched by id. Retired actions are included, with the date in `Utgått`. Importing the file
 * again changes nothing.
 */
import { toCsv, toSheet } from '../spreadsheet';
import { PLAN_COLUMNS, type PlanColumn, STATUS_WORD } from './rows';
import { teamName } from '../program';
import { localDate } from '../time';
import type { Action, Indicator, Program } from '../types';

/** The columns written, in order (the first name of each in PLAN_COLUMNS). */
export const PLAN_EXPORT_COLUMNS: readonly PlanColumn[] = [
  'id',
  'planNumber',
  'team',
  'goal',
  'subGoal',
  'title',
  'description',
  'owner',
  'email',
  'responsibleBody',
  'start',
  'timeline',
  'due',
  'financing',
  'status',
  'progress',
  'indicators',
  'target',
  'retired',
];

const headerOf = (key: PlanColumn) => PLAN_COLUMNS.find((c) => c.key === key)!.names[0]!;

/** `75 %`, `40 ha`, `85`: a target as the import reads it back. */
function targetText(i: Indicator): string {
  return i.unit ? `${i.target} ${i.unit}` : String(i.target);
}

/** The rows of the export, header first. Teams in the program's order, then by number and id. */
export function planExportTable(
  actions: readonly Action[],
  indicators: readonly Indicator[],
  program: Program,
): string[][] {
  const order = new Map(program.teams.map((t, i) => [t.key, i]));
  const byId = new Map(indicators.map((i) => [i.id.toUpperCase(), i]));
  const sorted = [...actions].sort(
    (a, b) =>
      (order.get(a.teamKey) ?? 999) - (order.get(b.teamKey) ?? 999) ||
      (a.planNumber ?? '').localeCompare(b.planNumber ?? '', 'sv', { numeric: true }) ||
      a.id.localeCompare(b.id, 'sv', { numeric: true }),
  );
  const rows = sorted.map((a) => {
    const named = a.indicatorIds.map((id) => byId.get(id.toUpperCase()));
    // Targets only when every indicator has one: the import pairs them one to one.
    const targets =
      named.length > 0 && named.every((i) => i?.target !== undefined)
        ? named.map((i) => targetText(i!)).join('; ')
        : '';
    const cell: Record<PlanColumn, string> = {
      id: a.id,
      planNumber: a.planNumber ?? '',
      team: teamName(program, a.teamKey),
      goal: a.goal ?? '',
      subGoal: a.subGoal ?? '',
      title: a.title,
      description: a.description,
      owner: a.owner.name,
      email: a.owner.email ?? '',
      responsibleBody: a.responsibleBody,
      start: a.start ?? '',
      timeline: a.timeline ?? '',
      due: a.due ?? '',
      financing: a.financing,
      status: STATUS_WORD[a.status],
      progress: String(a.progress),
      indicators: a.indicatorIds.join('; '),
      target: targets,
      targetYear: '',
      kolada: '',
      retired: a.retiredAt
        ? localDate(new Date(a.retiredAt.length === 10 ? `${a.retiredAt}T12:00:00Z` : a.retiredAt), program.timezone)
        : '',
    };
    return PLAN_EXPORT_COLUMNS.map((k) => cell[k]);
  });
  return [PLAN_EXPORT_COLUMNS.map(headerOf), ...rows];
}

export function planToCsv(rows: string[][]): Buffer {
  return toCsv(rows);
}

const WIDTHS: Partial<Record<PlanColumn, number>> = {
  title: 40,
  description: 50,
  team: 20,
  goal: 30,
  subGoal: 30,
  owner: 20,
  email: 26,
  responsibleBody: 24,
  timeline: 16,
};

/** A workbook with one sheet, `Handlingsplan` (the sheet the import prefers): bold frozen header, filter. */
export function planToXlsx(rows: string[][], meta: { title?: string; created?: Date } = {}): Promise<Buffer> {
  return toSheet(rows, { ...meta, sheet: 'Handlingsplan', width: (_h, i) => WIDTHS[PLAN_EXPORT_COLUMNS[i]!] ?? 14 });
}
