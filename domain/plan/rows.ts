/**
 * Step 1 of the plan import: the columns a plan may have (by the names municipalities use), the
 * status words, and `planRowsFrom`, which validates every cell of every row. Pure: no storage.
 * The rest of the import is ./plan-changes.ts (matching, diffing) and ./plan-import.ts (writing).
 */
import type { PlanIndicatorCells } from './indicators';
import { splitIndicatorCell, parseTarget } from './indicators';
import { findTeam, foldName } from '../program';
import { ID_PATTERN, charLength, cleanText, looksLikeEmail, parseNumber } from './cells';
import { foldHeader, mapHeader } from './header';
import { type ImportIssue, issue } from './issues';
import type { Table } from './table';
import { excelSerialToDate } from './xlsx';
import { parseLocalDate } from '../time';
import { parseTimeline } from './timeline';
import { type ActionStatus, type Program } from '../types';

export * from './columns';
import { canonicalId, CREATE_TEAMS_FLAG, LIMITS, PLAN_COLUMNS, parseStatus, type PlanColumn } from './columns';

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
  /** As written ('' cleared); `ongoing` comes with it. */
  timeline: string;
  ongoing: boolean;
  goal: string;
  subGoal: string;
  planNumber: string;
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
  /** What the row's indicator cells say (matched to indicators by `planIndicators`). */
  indicatorCells?: PlanIndicatorCells;
  /** The `Utgått` column: undefined when missing; '' when empty; else the date it says. */
  retired?: string;
}

export interface PlanRows {
  file: string;
  sheet?: string;
  rows: PlanRow[];
  /** Column labels as written in the file, for messages. */
  labels: Partial<Record<PlanColumn, string>>;
  errors: ImportIssue[];
  warnings: ImportIssue[];
  /** Areas that are no team of the program, with the rows that name them. */
  unknownAreas: Map<string, number[]>;
}

/** A date cell: a date as written, or an Excel serial day number. */
function dateOf(text: string): string {
  if (/^\d{5}(\.\d+)?$/.test(text)) {
    const d = excelSerialToDate(Number(text));
    if (d) return d;
  }
  return parseLocalDate(text);
}

const looksLikeBadDate = (v: string) => /^\d{4}-\d{1,2}-\d{1,2}$|^\d{1,2}[/.]\d{1,2}[/.\s]/.test(v);

/** Step 1: validates every cell of every row. Pure: no storage, no clock (`today` places yearless timelines). */
export function planRowsFrom(table: Table, program: Program, options: { today?: string } = {}): PlanRows {
  const file = table.file;
  const header = mapHeader(table, PLAN_COLUMNS);
  const labels: Partial<Record<PlanColumn, string>> = {};
  for (const [key, col] of Object.entries(header.columns) as [PlanColumn, { label: string }][]) labels[key] = col.label;
  const out: PlanRows = {
    file,
    sheet: table.sheet,
    rows: [],
    labels,
    errors: [...header.errors],
    warnings: [...table.warnings, ...header.warnings],
    unknownAreas: new Map(),
  };
  if (header.errors.length > 0) return out;
  // `Mål 2030`: the column's year is the target year of its values.
  const targetHeaderYear = /(19|20)\d\d$/.exec(foldHeader(labels.target ?? ''))?.[0];

  const idRows = new Map<string, number>();
  for (const row of table.rows) {
    const errorsBefore = out.errors.length;
    const at = (key: PlanColumn) => ({ row: row.rowNumber, column: labels[key] });
    const fail = (key: PlanColumn, code: Parameters<typeof issue>[1], params: Record<string, string | number> = {}) =>
      out.errors.push(issue(file, code, params, at(key)));
    const warn = (key: PlanColumn, code: Parameters<typeof issue>[1], params: Record<string, string | number> = {}) =>
      out.warnings.push(issue(file, code, params, at(key)));
    const raw = (key: PlanColumn): string | undefined => {
      const col = header.columns[key];
      return col ? (row.cells[col.index] ?? '') : undefined;
    };
    const text = (key: PlanColumn, max: number, multiline = false): string | undefined => {
      const r = raw(key);
      if (r === undefined) return undefined;
      // The plan export puts an apostrophe before text a spreadsheet would run as a formula
      // (`'=…`, `'-…`): reading it back, the apostrophe goes again.
      const v = cleanText(r, multiline).replace(/^'(?=[=+\-@])/, '');
      const length = charLength(v);
      if (length > max) fail(key, 'cell.tooLong', { length, max });
      return v;
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
    else if (!team) {
      const known = [...out.unknownAreas.keys()].find((k) => foldName(k) === foldName(teamText)) ?? teamText;
      out.unknownAreas.set(known, [...(out.unknownAreas.get(known) ?? []), row.rowNumber]);
    }

    const title = text('title', LIMITS.title) ?? '';
    if (!title) fail('title', 'cell.required');

    const description = text('description', LIMITS.description, true);
    if (description !== undefined) values.description = description;
    for (const key of ['goal', 'subGoal', 'planNumber'] as const) {
      const v = text(key, key === 'planNumber' ? 40 : LIMITS.other);
      if (v !== undefined) values[key] = v;
    }
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

    const start = text('start', LIMITS.other);
    if (start !== undefined) {
      if (start === '') values.start = '';
      else {
        try {
          values.start = dateOf(start);
        } catch {
          fail('start', looksLikeBadDate(start) ? 'cell.noSuchDate' : 'cell.notStartDate', { value: start });
        }
      }
    }

    // Slutdatum holds a date, or (as plans write it) a timeline; Tidplan holds a timeline. A date
    // in Slutdatum wins; otherwise the due date is the end of the period the timeline names.
    const dueText = text('due', LIMITS.other);
    const timelineText = text('timeline', LIMITS.other);
    let dueDate: string | undefined;
    let timelineFrom: { text: string; key: PlanColumn } | undefined;
    if (dueText) {
      try {
        dueDate = dateOf(dueText);
      } catch {
        if (looksLikeBadDate(dueText)) fail('due', 'cell.noSuchDate', { value: dueText });
        else if (!timelineText) timelineFrom = { text: dueText, key: 'due' };
        else fail('due', 'cell.notDate', { value: dueText });
      }
    }
    if (timelineText) timelineFrom = { text: timelineText, key: 'timeline' };
    if (timelineFrom) {
      const parsed = parseTimeline(timelineFrom.text, { today: options.today });
      values.timeline = parsed.timeline;
      values.ongoing = parsed.ongoing;
      if (!parsed.ongoing && !parsed.due && !dueDate)
        warn(timelineFrom.key, 'cell.timelineNoDue', { value: parsed.timeline });
      dueDate ??= parsed.due;
    } else if (timelineText !== undefined) {
      values.timeline = '';
      values.ongoing = false;
    }
    if (dueText !== undefined || timelineText !== undefined) values.due = dueDate ?? '';

    const financing = text('financing', LIMITS.other);
    if (financing !== undefined) values.financing = financing;

    let status: ActionStatus | undefined;
    const statusText = text('status', LIMITS.other);
    if (statusText) {
      status = parseStatus(statusText);
      // An unknown word does not stop the plan: the status stays as it is.
      if (!status) warn('status', 'cell.badStatus', { value: statusText });
    }

    let progress: number | undefined;
    const progressText = text('progress', LIMITS.other);
    if (progressText) {
      const n = parseNumber(progressText);
      if (n === undefined || n < 0 || n > 100) fail('progress', 'cell.badProgress', { value: progressText });
      else progress = Math.round(n);
    }

    const indicatorText = text('indicators', LIMITS.description, true);
    const targetText = text('target', LIMITS.other, true);
    const koladaText = text('kolada', LIMITS.other);
    let indicatorCells: PlanIndicatorCells | undefined;
    if (indicatorText !== undefined || koladaText !== undefined) {
      const refs = splitIndicatorCell(indicatorText ?? '');
      for (const bad of refs.filter((r) => charLength(r) > LIMITS.other))
        fail('indicators', 'cell.tooLong', { length: charLength(bad), max: LIMITS.other });
      indicatorCells = { refs };
      if (targetText) {
        const targets: NonNullable<PlanIndicatorCells['targets']> = [];
        for (const part of targetText
          .split(/[;\n]+/)
          .map((p) => p.trim())
          .filter((p) => p !== '')) {
          const t = parseTarget(part);
          if (!t) fail('target', 'cell.badTarget', { value: part });
          else targets.push({ ...t, text: part });
        }
        indicatorCells.targets = targets;
      }
      const yearText = text('targetYear', LIMITS.other) || targetHeaderYear;
      if (yearText) {
        const y = parseNumber(yearText);
        if (y === undefined || !Number.isInteger(y) || y < 1900 || y > 2200)
          fail('targetYear', 'cell.badYear', { value: yearText });
        else indicatorCells.targetYear = y;
      }
      if (koladaText) {
        const kolada = koladaText
          .split(/[;,\s]+/)
          .filter((k) => k !== '')
          .map((k) => k.toUpperCase());
        for (const k of kolada) if (!/^[A-Z]\d{5}$/.test(k)) fail('kolada', 'cell.badKolada', { value: k });
        indicatorCells.kolada = kolada;
      }
    } else if (targetText)
      fail('target', 'cell.targetWithoutIndicator', {
        column: PLAN_COLUMNS.find((c) => c.key === 'indicators')!.names[0]!,
      });

    let retired: string | undefined;
    const retiredText = text('retired', LIMITS.other);
    if (retiredText !== undefined) {
      retired = '';
      if (retiredText !== '') {
        try {
          retired = dateOf(retiredText.replace(/^(utgått|retired)\s*/i, ''));
        } catch {
          fail('retired', 'cell.notDate', { value: retiredText });
        }
      }
    }

    if (out.errors.length === errorsBefore && team) {
      out.rows.push({
        rowNumber: row.rowNumber,
        id,
        values: { ...values, teamKey: team.key, title },
        status,
        progress,
        indicatorCells,
        retired,
      });
    }
  }
  for (const [area, rows] of out.unknownAreas) {
    out.errors.push(
      issue(
        file,
        'cell.unknownArea',
        {
          value: area,
          rows: rows.join(', '),
          known: program.teams.map((t) => t.name).join(', '),
          flag: CREATE_TEAMS_FLAG,
        },
        { row: rows[0], column: labels.team },
      ),
    );
  }
  // In the order of the file (a sort is stable: a row's problems keep the order of its columns).
  out.errors.sort((a, b) => (a.row ?? 0) - (b.row ?? 0));
  return out;
}
