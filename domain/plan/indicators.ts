/**
 * Indicators named in an action plan's cells: `Indikator` ("Antal färdigställda bostäder",
 * "INV", "N00914"; several separated by `;` or line breaks), `Målvärde` ("85", "75 %", "40 ha",
 * "42 000", one per indicator in the same order) or a `Mål 2030` column (the year is the target
 * year), and `Kolada`. A name matches a stored indicator ignoring case and spacing, an id or a
 * Kolada id matches as written; a name that matches none becomes a new indicator (its id made
 * from its name), as does a Kolada id. An unknown id-like reference (`INV`, upper case without
 * spaces) stays a reference with a warning, as before indicators could be created from a plan.
 * Pure: the caller writes what comes back.
 */
import { ID_PATTERN, parseNumber } from './cells';
import type { IndicatorFromPlan } from './import-result';
import { type ImportIssue, issue } from './issues';
import type { Indicator } from '../types';

/** What one plan row says about indicators (cells split, not yet matched). */
export interface PlanIndicatorCells {
  refs: string[];
  targets?: { value: number; unit: string; text: string }[];
  targetYear?: number;
  kolada?: string[];
}

export const KOLADA_ID = /^[NU]\d{5}$/i;
const ID_LIKE = /^[A-Z0-9][A-Z0-9._-]*$/;

/** Splits an indicator cell: `;` and line breaks always, commas only between id-like parts. */
export function splitIndicatorCell(text: string): string[] {
  const parts = text
    .split(/[;\n\r]+/)
    .map((s) => s.trim())
    .filter((s) => s !== '');
  return [
    ...new Set(
      parts.flatMap((p) => {
        const commaParts = p
          .split(',')
          .map((s) => s.trim())
          .filter((s) => s !== '');
        return commaParts.length > 1 && commaParts.every((c) => !/\s/.test(c)) ? commaParts : [p];
      }),
    ),
  ];
}

/** `85` → 85; `75 %` → 75 '%'; `40 ha`; `42 000`; undefined when it does not start with a number. */
export function parseTarget(text: string): { value: number; unit: string } | undefined {
  const m = /^([+\-\u2212]?[\d\s\u00a0\u202f.,']*\d)\s*(.*)$/.exec(text.trim());
  if (!m) return undefined;
  const value = parseNumber(m[1]!);
  if (value === undefined) return undefined;
  return { value, unit: m[2]!.trim() };
}

/** Names compared as people read them: case and spacing do not matter. */
export function foldIndicatorName(s: string): string {
  return s.normalize('NFC').toLowerCase().replace(/\s+/g, ' ').trim();
}

/** An id made from a name: `Antal färdigställda bostäder` → `ANTAL-FARDIGSTALLDA-BOSTADER`. */
export function indicatorIdFromName(name: string, taken: ReadonlySet<string>): string {
  const words = name
    .toUpperCase()
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/[^A-Z0-9]+/g, ' ')
    .trim()
    .split(' ')
    .filter((w) => w !== '');
  let base = '';
  for (const w of words) {
    const next = base ? `${base}-${w}` : w;
    if (next.length > 36) break;
    base = next;
  }
  if (base === '') base = 'IND';
  let id = base;
  for (let n = 2; taken.has(id.toUpperCase()); n++) id = `${base}-${n}`;
  return id;
}

export interface PlanIndicatorResult {
  /** The indicator ids of each row (by row number), spelled as stored. */
  idsByRow: Map<number, string[]>;
  /** Indicators to write: new ones without etag, changed ones with theirs. */
  writes: Indicator[];
  report: IndicatorFromPlan[];
  errors: ImportIssue[];
  warnings: ImportIssue[];
}

/** Matches every row's indicator cells to stored indicators and says what to create or change. */
export function planIndicators(
  rows: readonly { rowNumber: number; cells: PlanIndicatorCells }[],
  stored: readonly Indicator[],
  context: { programId: string; file: string; labels: { indicators?: string; target?: string; kolada?: string } },
): PlanIndicatorResult {
  const { file, labels } = context;
  const out: PlanIndicatorResult = { idsByRow: new Map(), writes: [], report: [], errors: [], warnings: [] };
  // Working copies: what each indicator will be once written, and which row set each field.
  const current = new Map<string, Indicator>(stored.map((i) => [i.id.toUpperCase(), { ...i }]));
  const setAt = new Map<
    string,
    Partial<Record<'target' | 'unit' | 'targetYear' | 'koladaKpi', { row: number; value: string }>>
  >();
  const changed = new Map<string, { row: number; fields: Set<string>; created: boolean }>();
  const byName = () => new Map([...current.values()].map((i) => [foldIndicatorName(i.name), i]));
  const byKolada = () =>
    new Map([...current.values()].filter((i) => i.koladaKpi).map((i) => [i.koladaKpi!.toUpperCase(), i]));

  for (const { rowNumber: row, cells } of rows) {
    const at = (column: string | undefined) => ({ row, column });
    let refs = cells.refs;
    if (refs.length === 0 && cells.kolada && cells.kolada.length > 0) refs = cells.kolada;
    if (cells.targets && cells.targets.length > 0) {
      if (refs.length === 0) {
        out.errors.push(
          issue(file, 'cell.targetWithoutIndicator', { column: labels.indicators ?? 'Indikator' }, at(labels.target)),
        );
        continue;
      }
      if (cells.targets.length !== refs.length) {
        out.errors.push(
          issue(
            file,
            'cell.targetCount',
            { targets: cells.targets.length, indicators: refs.length },
            at(labels.target),
          ),
        );
        continue;
      }
    }
    if (cells.kolada && cells.kolada.length > 0 && cells.kolada.length !== refs.length) {
      out.errors.push(
        issue(file, 'cell.koladaCount', { kolada: cells.kolada.length, indicators: refs.length }, at(labels.kolada)),
      );
      continue;
    }
    const ids: string[] = [];
    refs.forEach((ref, i) => {
      const target = cells.targets?.[i];
      const kolada = (cells.kolada?.[i] ?? (KOLADA_ID.test(ref) ? ref : undefined))?.toUpperCase();
      let found =
        current.get(ref.toUpperCase()) ??
        (kolada ? byKolada().get(kolada) : undefined) ??
        byName().get(foldIndicatorName(ref));
      if (!found) {
        if (ID_LIKE.test(ref) && !kolada && !target) {
          // An id reference to an indicator not imported yet: kept, as the indicator file may follow.
          out.warnings.push(issue(file, 'cell.unknownIndicator', { value: ref }, at(labels.indicators)));
          ids.push(ref);
          return;
        }
        const isKolada = KOLADA_ID.test(ref);
        const id = isKolada
          ? ref.toUpperCase()
          : ID_PATTERN.test(ref) && ID_LIKE.test(ref)
            ? ref
            : indicatorIdFromName(ref, new Set(current.keys()));
        found = {
          programId: context.programId,
          id,
          name: ref,
          unit: '',
          values: [],
          ...(kolada ? { koladaKpi: kolada } : {}),
        };
        current.set(id.toUpperCase(), found);
        changed.set(id.toUpperCase(), {
          row,
          fields: new Set(['name', ...(kolada ? ['koladaKpi'] : [])]),
          created: true,
        });
      }
      const key = found.id.toUpperCase();
      const fieldsOf = () => {
        let c = changed.get(key);
        if (!c) changed.set(key, (c = { row, fields: new Set(), created: false }));
        return c.fields;
      };
      const put = (
        field: 'target' | 'unit' | 'targetYear' | 'koladaKpi',
        value: number | string,
        column: string | undefined,
      ) => {
        const marks = setAt.get(key) ?? {};
        setAt.set(key, marks);
        const earlier = marks[field];
        if (earlier && earlier.value !== String(value)) {
          out.errors.push(
            issue(
              file,
              'row.conflictingDefinition',
              { other: earlier.row, value: String(value), otherValue: earlier.value },
              at(column),
            ),
          );
          return;
        }
        marks[field] = { row, value: String(value) };
        if ((found as unknown as Record<string, unknown>)[field] !== value) {
          (found as unknown as Record<string, unknown>)[field] = value;
          fieldsOf().add(field);
        }
      };
      if (target) {
        put('target', target.value, labels.target);
        if (target.unit) put('unit', target.unit, labels.target);
        if (cells.targetYear !== undefined) put('targetYear', cells.targetYear, labels.target);
      }
      if (kolada && found.koladaKpi?.toUpperCase() !== kolada)
        put('koladaKpi', kolada, labels.kolada ?? labels.indicators);
      if (!ids.includes(found.id)) ids.push(found.id);
    });
    out.idsByRow.set(row, ids);
  }
  if (out.errors.length > 0) return { ...out, writes: [], report: [] };
  for (const [key, c] of changed) {
    if (!c.created && c.fields.size === 0) continue;
    const indicator = current.get(key)!;
    out.writes.push(indicator);
    out.report.push({
      id: indicator.id,
      name: indicator.name,
      change: c.created ? 'created' : 'updated',
      row: c.row,
      fields: [...c.fields],
    });
  }
  return out;
}
