/**
 * The decision log for the municipality's registry (diarium): CSV for Swedish Excel (UTF-8 with
 * BOM, `;` between fields, CRLF, RFC 4180 quoting) and XLSX. Swedish column headers whatever the
 * locale: the registry is Swedish. Every decision in the period is included, revoked and
 * superseded ones too, oldest first, with a summary of its changes and, where one decision
 * replaced another, the number each points to.
 */
import { toSheet } from '../spreadsheet';
import { listDecisions } from './log';
import { teamNames } from './views';
import { localDate, localStamp } from '../time';
import type { Repositories } from '../ports';
import type { Decision, DecisionState, Program } from '../types';

export const EXPORT_COLUMNS = [
  'Nummer',
  'Datum',
  'Möte',
  'Rubrik',
  'Beslut',
  'Motivering',
  'Berörda team',
  'Berörda åtgärder',
  'Uppföljning ansvarig',
  'Uppföljning datum',
  'Status',
  'Loggat av',
  'Loggat',
  'Ändringar',
  'Ersätter',
  'Ersatt av',
] as const;

const STATE: Record<DecisionState, string> = {
  active: 'Gällande',
  amended: 'Ändrat',
  revoked: 'Upphävt',
  superseded: 'Ersatt',
};

const CHANGE: Record<Decision['history'][number]['change'], string> = {
  amended: 'ändrat',
  revoked: 'upphävt',
  superseded: 'ersatt',
};

const stampText = (iso: string, timeZone: string) => {
  const s = localStamp(iso, timeZone);
  return `${s.date} ${s.time}`;
};

/**
 * `2: ändrat 2026-03-04 14:05 av Anna Ström (skäl); upphävt …` — empty when never changed. A
 * replacement reads `ersatt 2026-05-02 10:00 av D-2026-009 (Anna Ström)`.
 */
export function changesSummary(d: Decision, timeZone: string): string {
  if (d.history.length === 0) return '';
  const parts = d.history.map((h) =>
    h.change === 'superseded'
      ? `${CHANGE.superseded} ${stampText(h.at, timeZone)} av ${h.supersededBy ?? ''} (${h.by})`
      : `${CHANGE[h.change]} ${stampText(h.at, timeZone)} av ${h.by}${h.reason ? ` (${h.reason})` : ''}`,
  );
  return `${d.history.length}: ${parts.join('; ')}`;
}

/** Retired actions → the local date they left the plan, for marking them where decisions name them. */
export type RetiredActions = ReadonlyMap<string, string>;

/**
 * The affected actions as the registry reads them: an action a yearly revision has since retired
 * keeps its place in the decision, marked with the date it left the plan ("BOS-04 (avförd ur
 * planen 2026-12-03)").
 */
export function affectedActionsText(ids: readonly string[], retired: RetiredActions): string {
  return ids.map((id) => (retired.has(id) ? `${id} (avförd ur planen ${retired.get(id)!})` : id)).join(', ');
}

/** The program's retired actions, with the local date each was retired. */
export async function retiredActions(
  repos: Pick<Repositories, 'actions'>,
  programId: string,
  timeZone: string,
): Promise<RetiredActions> {
  const actions = await repos.actions.list(programId);
  return new Map(actions.filter((a) => a.retiredAt).map((a) => [a.id, localDate(new Date(a.retiredAt!), timeZone)]));
}

/** One row per decision, in the order of `EXPORT_COLUMNS`. */
export function exportRow(d: Decision, program: Program, retired: RetiredActions = new Map()): string[] {
  return [
    d.number,
    d.meeting.date,
    d.meeting.name,
    d.title,
    d.text,
    d.rationale,
    teamNames(program, d.affectedTeams).join(', '),
    affectedActionsText(d.affectedActions, retired),
    d.followUp?.owner ?? '',
    d.followUp?.due ?? '',
    STATE[d.state],
    d.loggedBy,
    stampText(d.loggedAt, program.timezone),
    changesSummary(d, program.timezone),
    d.supersedes ?? '',
    d.supersededBy ?? '',
  ];
}

export function exportTable(decisions: Decision[], program: Program, retired: RetiredActions = new Map()): string[][] {
  return [[...EXPORT_COLUMNS], ...decisions.map((d) => exportRow(d, program, retired))];
}

export { csvField, guardFormula, toCsv } from '../spreadsheet';

const WIDTHS: Record<(typeof EXPORT_COLUMNS)[number], number> = {
  Nummer: 13,
  Datum: 12,
  Möte: 22,
  Rubrik: 40,
  Beslut: 70,
  Motivering: 50,
  'Berörda team': 28,
  'Berörda åtgärder': 20,
  'Uppföljning ansvarig': 22,
  'Uppföljning datum': 16,
  Status: 11,
  'Loggat av': 22,
  Loggat: 17,
  Ändringar: 50,
  Ersätter: 13,
  'Ersatt av': 13,
};

/** An XLSX workbook with one sheet, `Beslut`: bold, frozen header row, filter, wrapped text. */
export function toXlsx(rows: string[][], meta: { title?: string; created?: Date } = {}): Promise<Buffer> {
  return toSheet(rows, { ...meta, sheet: 'Beslut', width: (h) => WIDTHS[h as keyof typeof WIDTHS] ?? 20 });
}

export interface ExportPeriod {
  /** Meeting dates, inclusive, `YYYY-MM-DD`. */
  from: string;
  to: string;
}

/** The decisions of the period (by meeting date), oldest first: the registry's order. */
export async function decisionsForExport(
  repos: Pick<Repositories, 'decisions'>,
  programId: string,
  period: ExportPeriod,
): Promise<Decision[]> {
  // The list reads a replaced decision as superseded even while that marking is being written.
  const list = await listDecisions(repos, programId, { from: period.from, to: period.to });
  return list.sort((a, b) => a.year - b.year || a.sequence - b.sequence);
}
