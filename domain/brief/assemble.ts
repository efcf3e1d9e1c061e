/**
 * The brief from what was read (pure): the plan's actions, the latest answer's comment of each,
 * the open follow-ups of decisions, the indicators and the period's check-ins. Teams in program
 * order; within a section the most pressing first.
 */
import { actionsOnCard, answeredIn } from '../checkin';
import { indicatorView } from '../digest';
import type { DecisionWithOpenFollowUp } from '../decisions';
import { isOverdue, isRetired, byDueThenId } from '../actions';
import { teamName } from '../program';
import { localDate } from '../time';
import type { Action, CheckIn, Indicator, Program } from '../types';
import type {
  Brief,
  BriefAction,
  BriefActionFlag,
  BriefCheckIn,
  BriefFollowUp,
  BriefIndicator,
  BriefSilentTeam,
} from './model';

/** The comment of an action's latest answer. */
export interface LatestComment {
  text: string;
  by: string;
  /** ISO instant of the answer. */
  at: string;
}

export interface BriefInput {
  program: Program;
  now: Date;
  /** The check-in week looked at (./schedule.ts briefPeriod). */
  period: string;
  actions: readonly Action[];
  /** By action id; only actions whose latest answer had a comment. */
  comments: ReadonlyMap<string, LatestComment>;
  followUps: readonly DecisionWithOpenFollowUp[];
  indicators: readonly Indicator[];
  /** The check-ins of the period. */
  checkIns: readonly CheckIn[];
}

const FLAG_RANK: Record<BriefActionFlag, number> = { off_track: 0, at_risk: 1, overdue: 2 };

function daysBetween(from: string, to: string): number {
  return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000);
}

export function assembleBrief(input: BriefInput): Brief {
  const { program, now, period } = input;
  const tz = program.timezone;
  const today = localDate(now, tz);
  const teamOrder = new Map(program.teams.map((x, i) => [x.key, i]));
  const orderOf = (key: string) => teamOrder.get(key) ?? program.teams.length;

  const inPlan = input.actions.filter((a) => a.programId === program.id && !isRetired(a));
  const checkIns = input.checkIns.filter((c) => c.programId === program.id && c.week === period);
  const posted: Record<string, BriefCheckIn> = {};
  for (const c of checkIns)
    if (c.messageId)
      posted[c.teamKey] = { teamKey: c.teamKey, week: c.week, channelId: c.channelId, messageId: c.messageId };

  const actions: BriefAction[] = [];
  for (const a of inPlan) {
    if (a.status === 'done') continue;
    const flags: BriefActionFlag[] = [];
    if (a.status === 'off_track' || a.status === 'at_risk') flags.push(a.status);
    const overdue = isOverdue(a, today);
    if (overdue) flags.push('overdue');
    if (flags.length === 0) continue;
    const comment = input.comments.get(a.id);
    actions.push({
      id: a.id,
      title: a.title,
      teamKey: a.teamKey,
      teamName: teamName(program, a.teamKey),
      owner: a.owner.name,
      status: a.status,
      flags,
      ...(a.due ? { due: a.due } : {}),
      ...(a.timeline?.trim() ? { timeline: a.timeline.trim() } : {}),
      ...(overdue ? { daysLate: daysBetween(a.due!, today) } : {}),
      ...(comment
        ? { comment: { text: comment.text, by: comment.by, date: localDate(new Date(comment.at), tz) } }
        : {}),
    });
  }
  const byAction = new Map(inPlan.map((a) => [a.id, a]));
  actions.sort(
    (x, y) =>
      FLAG_RANK[x.flags[0]!] - FLAG_RANK[y.flags[0]!] ||
      orderOf(x.teamKey) - orderOf(y.teamKey) ||
      byDueThenId(byAction.get(x.id)!, byAction.get(y.id)!),
  );

  const followUps: BriefFollowUp[] = input.followUps
    .filter((d) => d.programId === program.id && d.followUp.due <= today)
    .map((d) => ({
      number: d.number,
      title: d.title,
      owner: d.followUp.owner,
      due: d.followUp.due,
      daysLate: daysBetween(d.followUp.due, today),
      teams: d.affectedTeams.map((key) => ({ key, name: teamName(program, key) })),
      state: d.state,
    }));

  const indicators: BriefIndicator[] = input.indicators
    .filter((i) => i.programId === program.id)
    .map(indicatorView)
    .filter((v) => v.targetStatus === 'off_track' && v.latest !== null && v.target !== null)
    .sort((a, b) => a.id.localeCompare(b.id))
    .map((v) => ({
      id: v.id,
      name: v.name,
      unit: v.unit,
      latest: v.latest!,
      target: v.target!,
      targetYear: v.targetYear,
    }));

  // A team is silent when its card of the period asked about something and nothing was answered.
  const silentTeams: BriefSilentTeam[] = checkIns
    .filter((c) => !!c.messageId)
    .map((c) => {
      const teamActions = inPlan.filter((a) => a.teamKey === c.teamKey);
      const asked = actionsOnCard(teamActions, period, tz, c);
      const answered = c.answeredActionIds.length > 0 || teamActions.some((a) => answeredIn(a, period, c));
      return { key: c.teamKey, name: teamName(program, c.teamKey), asked: asked.length, answered };
    })
    .filter((x) => x.asked > 0 && !x.answered)
    .sort((a, b) => orderOf(a.key) - orderOf(b.key))
    .map(({ key, name, asked }) => ({ key, name, asked }));

  // Only the cards something links to.
  const linked = new Set([...actions.map((a) => a.teamKey), ...silentTeams.map((x) => x.key)]);
  const linkedCheckIns = Object.fromEntries(Object.entries(posted).filter(([key]) => linked.has(key)));

  return {
    programId: program.id,
    programName: program.name,
    date: today,
    period,
    generatedAt: now.toISOString(),
    actions,
    followUps,
    indicators,
    silentTeams,
    checkIns: linkedCheckIns,
    allClear: actions.length === 0 && followUps.length === 0 && indicators.length === 0 && silentTeams.length === 0,
  };
}
