/**
 * Reading the log: the filter typed after `beslutslogg` (a team, a period, or both), the decisions
 * it lists, the open follow-ups (for the brief before the meeting) and those a team's check-in
 * card shows. A filter that cannot be read throws its problem as a text key (`problems.ts`).
 */
import type { Repositories } from '../ports';
import { findTeam } from '../program';
import { cleanText } from '../text';
import { formatIsoWeek, isoWeekDays, isoWeekOfDate, parseIsoWeek, parseLocalDate } from '../time';
import type { Decision, DecisionState, Program } from '../types';
import { invalidDecision } from './problems';
import { withSupersessions } from './supersede';

/** A period (meeting dates, inclusive) and optionally a team. */
export interface DecisionFilter {
  from: string;
  to: string;
  teamKey?: string;
  /** How the period was asked for, to describe it: `2026`, `2026-W47` or a range. */
  period?: { kind: 'default' } | { kind: 'year'; year: number } | { kind: 'week'; week: string } | { kind: 'range' };
}

/** Reading more years than this at once is refused (each is a partition read). */
export const MAX_FILTER_YEARS = 10;

export function defaultFilter(today: string): DecisionFilter {
  const year = Number(today.slice(0, 4));
  return { from: `${year - 1}-01-01`, to: `${year}-12-31`, period: { kind: 'default' } };
}

/**
 * Reads what follows `beslutslogg`: a team (`bostäder`), a period (`2026`, `vecka 47`,
 * `vecka 47 2025`, `2026-W47`, `2026-01-01..2026-06-30`), or both, in any order.
 */
export function parseDecisionFilter(args: string, program: Program, today: string): DecisionFilter {
  let rest = ` ${cleanText(args).replace(/\s+/g, ' ')} `;
  let filter: DecisionFilter = defaultFilter(today);
  const take = (re: RegExp): RegExpExecArray | null => {
    const m = re.exec(rest);
    if (m) rest = `${rest.slice(0, m.index)} ${rest.slice(m.index + m[0].length)}`;
    return m;
  };
  const bad = (value: string) =>
    invalidDecision([{ key: 'decision.filter.invalid', params: { value: value.trim().slice(0, 60) } }]);

  let m: RegExpExecArray | null;
  if ((m = take(/\s(\S+?)\s*\.\.\s*(\S+)\s/))) {
    let from: string;
    let to: string;
    try {
      from = parseLocalDate(m[1]!);
      to = parseLocalDate(m[2]!);
    } catch {
      throw bad(m[0]);
    }
    if (from > to) [from, to] = [to, from];
    filter = { from, to, period: { kind: 'range' } };
  } else if (
    (m = take(/\s(\d{4})-?[wW](\d{1,2})\s/)) ||
    (m = take(/\s(?:vecka|veckan|v\.?|week|wk|w)\s*(\d{1,2})(?:\s+(\d{4}))?\s/i))
  ) {
    const isoForm = /^\s\d{4}/.test(m[0]);
    const weekNo = Number(isoForm ? m[2] : m[1]);
    const todayWeek = isoWeekOfDate(Number(today.slice(0, 4)), Number(today.slice(5, 7)), Number(today.slice(8, 10)));
    const year = isoForm ? Number(m[1]) : m[2] ? Number(m[2]) : todayWeek.year;
    let parsed: { year: number; week: number };
    try {
      parsed = parseIsoWeek(formatIsoWeek(year, weekNo));
    } catch {
      throw bad(m[0]);
    }
    filter = {
      ...isoWeekDays(parsed.year, parsed.week),
      period: { kind: 'week', week: formatIsoWeek(parsed.year, parsed.week) },
    };
  } else if ((m = take(/\s(\d{4})\s/))) {
    const year = Number(m[1]);
    if (year < 2000 || year > 2200) throw bad(m[0]);
    filter = { from: `${year}-01-01`, to: `${year}-12-31`, period: { kind: 'year', year } };
  }
  const teamName = rest.trim();
  if (teamName) {
    const team = findTeam(program, teamName);
    if (!team)
      throw invalidDecision([
        {
          key: 'decision.filter.unknown',
          params: { value: teamName.slice(0, 60), teams: program.teams.map((x) => x.name).join(', ') },
        },
      ]);
    filter = { ...filter, teamKey: team.key };
  }
  if (Number(filter.to.slice(0, 4)) - Number(filter.from.slice(0, 4)) >= MAX_FILTER_YEARS) {
    throw invalidDecision([{ key: 'decision.filter.tooLong', params: { years: MAX_FILTER_YEARS } }]);
  }
  return filter;
}

function yearsOf(from: string, to: string): number[] {
  const out: number[] = [];
  for (let y = Number(to.slice(0, 4)); y >= Number(from.slice(0, 4)); y--) out.push(y);
  return out;
}

/**
 * Decisions whose meeting date falls in the filter's period (and that affect its team), newest
 * first. A decision replaced by one in the same years reads as superseded even while that
 * marking is still being written.
 */
export async function listDecisions(
  repos: Pick<Repositories, 'decisions'>,
  programId: string,
  filter: DecisionFilter,
): Promise<Decision[]> {
  const years = yearsOf(filter.from, filter.to).slice(0, MAX_FILTER_YEARS);
  const perYear = await Promise.all(years.map((y) => repos.decisions.listYear(programId, y)));
  return withSupersessions(perYear.flat())
    .filter((d) => d.meeting.date >= filter.from && d.meeting.date <= filter.to)
    .filter((d) => !filter.teamKey || d.affectedTeams.includes(filter.teamKey))
    .sort((a, b) => b.year - a.year || b.sequence - a.sequence);
}

export interface OpenFollowUp {
  number: string;
  title: string;
  owner: string;
  /** `YYYY-MM-DD`. */
  due: string;
  state: DecisionState;
}

/** A decision whose follow-up has a due date and is not done yet. */
export type DecisionWithOpenFollowUp = Decision & { followUp: NonNullable<Decision['followUp']> & { due: string } };

/** Whether the decision's follow-up is open: a due date, not done; revoked and superseded decisions have none left. */
export function hasOpenFollowUp(d: Pick<Decision, 'state' | 'followUp'>): d is DecisionWithOpenFollowUp {
  return d.state !== 'revoked' && d.state !== 'superseded' && !!d.followUp?.due && !d.followUp.done;
}

/**
 * The decisions of `years` whose follow-up has a due date and is not done, soonest due first.
 * Revoked and superseded decisions have no follow-ups left. Pass the current year, or the current and previous.
 */
export async function openFollowUps(
  repos: Pick<Repositories, 'decisions'>,
  programId: string,
  years: number | number[],
): Promise<DecisionWithOpenFollowUp[]> {
  const list = Array.isArray(years) ? [...new Set(years)] : [years];
  const perYear = await Promise.all(list.map((y) => repos.decisions.listOpenFollowUps(programId, y)));
  return perYear
    .flat()
    .filter(hasOpenFollowUp)
    .sort((a, b) => a.followUp.due.localeCompare(b.followUp.due) || a.number.localeCompare(b.number));
}

/**
 * The follow-ups with a due date that fall to a team and are not done yet, soonest first: the
 * team's check-in card shows them until they are marked done (verb `decision.followup.done`).
 */
export async function openFollowUpsForTeam(
  repos: Pick<Repositories, 'decisions'>,
  programId: string,
  teamKey: string,
  years: number | number[],
): Promise<OpenFollowUp[]> {
  return (await openFollowUps(repos, programId, years))
    .filter((d) => d.affectedTeams.includes(teamKey))
    .map((d) => ({ number: d.number, title: d.title, owner: d.followUp.owner, due: d.followUp.due, state: d.state }));
}
