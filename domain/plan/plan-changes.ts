/**
 * Step 2 of the plan import, planning it: matches the file's rows to the stored actions (by Id, or
 * by team + title when the Id cell is empty), generates ids for new actions, and diffs field by
 * field. Pure: the caller reads the stored plan and writes what comes back.
 *
 * Empty cells: a column that is missing from the file leaves that field alone; a present column
 * with an empty cell clears the field — except Status and Framdrift, where empty means "as is".
 */
import { foldName } from '../program';
import type { Action, Program } from '../types';
import { type ImportIssue, issue } from './issues';
import type { PlanRow, PlanRows } from './rows';

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

const sameList = (a: readonly string[], b: readonly string[]) =>
  a.length === b.length && [...a].sort().join('\u0000') === [...b].sort().join('\u0000');

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
  const indicatorSpelling = options.indicatorIds
    ? new Map(options.indicatorIds.map((i) => [i.toUpperCase(), i]))
    : undefined;

  // Rows with an Id claim their action first, so a row without Id cannot take it by title.
  const claimed = new Map<string, number>();
  for (const row of parsed.rows) {
    if (row.id === undefined) continue;
    const first = claimed.get(row.id);
    if (first !== undefined)
      errors.push(
        issue(file, 'row.duplicateId', { value: row.id, other: first }, { row: row.rowNumber, column: labels.id }),
      );
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
      errors.push(
        issue(
          file,
          'row.sameAction',
          { value: row.values.title, other: sameTitleRow },
          { row: row.rowNumber, column: labels.title },
        ),
      );
      continue;
    }
    titlesInFile.set(titleKey, row.rowNumber);
    const candidates = byTitle.get(titleKey) ?? [];
    if (candidates.length > 1) {
      const ids = candidates
        .map((c) => c.id)
        .sort()
        .join(', ');
      errors.push(
        issue(
          file,
          'row.ambiguousTitle',
          { value: row.values.title, ids },
          { row: row.rowNumber, column: labels.title },
        ),
      );
      continue;
    }
    const target = candidates[0];
    if (target) {
      const other = claimed.get(target.id.toUpperCase());
      if (other !== undefined) {
        errors.push(
          issue(file, 'row.sameAction', { value: target.id, other }, { row: row.rowNumber, column: labels.title }),
        );
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
        if (!known)
          warnings.push(
            issue(file, 'cell.unknownIndicator', { value: i }, { row: row.rowNumber, column: labels.indicators }),
          );
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
    const set = <K extends 'teamKey' | 'title' | 'description' | 'responsibleBody' | 'financing'>(
      key: K,
      value: string | undefined,
    ) => {
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
      const samePerson =
        email !== ''
          ? email.toLowerCase() === (base.owner.email ?? '').toLowerCase()
          : name === base.owner.name && !base.owner.email;
      // Teams ids belong to a person: keep them only while the owner is the same person.
      next.owner = samePerson
        ? { ...base.owner, name, email: email || undefined }
        : { name, ...(email ? { email } : {}) };
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
      errors.push(
        issue(
          file,
          'cell.dateOrder',
          { start: next.start, due: next.due },
          { row: row.rowNumber, column: labels.due ?? labels.start },
        ),
      );
      continue;
    }
    if (target && Object.keys(fields).length === 0) {
      unchanged++;
      continue;
    }
    if (statusChanged) next.lastUpdate = { at: options.at, by: options.by };
    if (!target) {
      // A created action: its log entry lists everything it was created with.
      for (const key of Object.keys(fields))
        if (fields[key] === '' || fields[key] === null || fields[key] === false) delete fields[key];
      fields.teamKey = next.teamKey;
      fields.title = next.title;
    }
    changes.push({
      row: row.rowNumber,
      change: target ? 'updated' : 'created',
      action: next,
      before: target,
      fields,
      statusChanged,
      generatedId: generated,
    });
  }

  const inFile = new Set(matched.filter((m) => m.target).map((m) => m.target!.id));
  // Retired actions are no longer part of the plan: a file without them does not miss them.
  const notInFile = stored.filter((a) => !inFile.has(a.id) && !a.retiredAt).length;
  // A revision covers the teams it has rows for: their stored actions it no longer has are missing.
  const covered = new Set(parsed.rows.map((r) => r.values.teamKey));
  const missing = stored
    .filter((a) => covered.has(a.teamKey) && !inFile.has(a.id) && !a.retiredAt)
    .sort((a, b) => a.id.localeCompare(b.id, 'sv'));
  const retirements: PlannedChange[] = options.retireMissing
    ? missing.map((a) => ({
        row: 0,
        change: 'updated',
        action: { ...a, retiredAt: options.at },
        before: a,
        fields: { retiredAt: options.at },
        statusChanged: false,
        generatedId: false,
      }))
    : [];
  return { changes, unchanged, notInFile, missing, retirements, errors, warnings };
}
