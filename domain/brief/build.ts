/**
 * The brief read from the repositories: the actions, the decisions of this year and the one
 * before (their open follow-ups), the indicators, the period's check-ins, and for each action the
 * brief names, the log entry of its latest answer (one point read each, never a whole week).
 */
import { openFollowUps } from '../decisions';
import type { ActionRepository, CheckInRepository, DecisionRepository, EventLog, IndicatorRepository } from '../ports';
import { isoWeek, localDate } from '../time';
import type { Action, Program } from '../types';
import { assembleBrief, type LatestComment } from './assemble';
import type { Brief } from './model';
import { briefPeriod } from './schedule';

/** What the brief reads: the repositories, nothing else. */
export interface BriefSources {
  actions: Pick<ActionRepository, 'list'>;
  events: Pick<EventLog, 'get'>;
  decisions: DecisionRepository;
  indicators: Pick<IndicatorRepository, 'list'>;
  checkIns: Pick<CheckInRepository, 'listWeek'>;
}

/** Whether the action could be in the brief (off track, at risk, or not done with a due date). */
function mayBeFlagged(a: Action): boolean {
  return (
    !a.retiredAt &&
    a.status !== 'done' &&
    (a.status === 'off_track' || a.status === 'at_risk' || (!!a.due && !a.ongoing))
  );
}

/** The comment of each action's latest answer, read from the log entry the action names. */
async function latestComments(
  events: BriefSources['events'],
  program: Program,
  actions: readonly Action[],
): Promise<Map<string, LatestComment>> {
  const found = await Promise.all(
    actions.map(async (a): Promise<[string, LatestComment] | undefined> => {
      const last = a.lastUpdate;
      if (!last?.eventId) return undefined;
      const event = await events.get(program.id, isoWeek(new Date(last.at), program.timezone), last.eventId);
      if (event?.type !== 'status' || event.comment.trim() === '') return undefined;
      return [a.id, { text: event.comment.trim(), by: event.by, at: event.at }];
    }),
  );
  return new Map(found.filter((x): x is [string, LatestComment] => !!x));
}

/** The brief as of `now`: what the steering group should look at before its meeting. */
export async function buildBrief(sources: BriefSources, program: Program, now: Date): Promise<Brief> {
  const period = briefPeriod(program, now);
  const year = Number(localDate(now, program.timezone).slice(0, 4));
  const [actions, followUps, indicators, checkIns] = await Promise.all([
    sources.actions.list(program.id),
    openFollowUps(sources, program.id, [year, year - 1]),
    sources.indicators.list(program.id),
    sources.checkIns.listWeek(program.id, period),
  ]);
  const comments = await latestComments(sources.events, program, actions.filter(mayBeFlagged));
  return assembleBrief({ program, now, period, actions, comments, followUps, indicators, checkIns });
}
