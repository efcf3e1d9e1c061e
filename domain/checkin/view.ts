/**
 * What a week's check-in card shows of a team: its open actions (and those marked done that
 * week), who answered each this week, and the steering group's open follow-ups. Pure: the
 * service reads the rows, this builds the view, an injected renderer turns it into a card.
 */
import { actionRowView, byDueThenId, isRetired, type ActionRowView } from '../actions';
import { teamName } from '../program';
import { isoWeek, localDate, localStamp } from '../time';
import type { Action, CheckIn, Locale, Program } from '../types';
import { followUpViews, type CheckInFollowUpView, type OpenFollowUp } from './follow-ups';

export interface CheckInActionView extends ActionRowView {
  /** Set when the action was answered in this week's check-in: who, local date and time. */
  answered?: { by: string; date: string; time: string };
}

export interface CheckInView {
  teamKey: string;
  teamName: string;
  /** `2026-W48`. */
  week: string;
  actions: CheckInActionView[];
  /** Actions on the card answered this week. */
  answered: number;
  total: number;
  /** Steering group follow-ups for this team with a due date, not yet done (shown until marked done). */
  followUps: CheckInFollowUpView[];
}

/** Renders the card that is posted (the domain does not know Adaptive Cards). */
export interface CheckInRenderer {
  card(view: CheckInView, locale: Locale): object;
}

/** Whether the action was answered in the check-in of `week`. */
export function answeredIn(action: Action, week: string, checkIn?: CheckIn): boolean {
  return action.lastUpdate?.checkInWeek === week || !!checkIn?.answeredActionIds.includes(action.id);
}

/** The actions a week's card shows: everything not done, and what was marked done that week; never a retired action. */
export function actionsOnCard(actions: readonly Action[], week: string, timeZone: string, checkIn?: CheckIn): Action[] {
  return actions
    .filter((a) => !isRetired(a))
    .filter(
      (a) =>
        a.status !== 'done' ||
        answeredIn(a, week, checkIn) ||
        (!!a.lastUpdate && isoWeek(new Date(a.lastUpdate.at), timeZone) === week),
    )
    .sort(byDueThenId);
}

/** Pure: the check-in card's view of a team's actions. */
export function buildCheckInView(
  program: Program,
  teamKey: string,
  week: string,
  actions: readonly Action[],
  checkIn: CheckIn | undefined,
  now: Date,
  followUps: readonly OpenFollowUp[] = [],
): CheckInView {
  const today = localDate(now, program.timezone);
  const shown = actionsOnCard(actions, week, program.timezone, checkIn);
  const items = shown.map((a): CheckInActionView => {
    const item: CheckInActionView = actionRowView(a, today);
    if (answeredIn(a, week, checkIn) && a.lastUpdate) {
      item.answered = { by: a.lastUpdate.by, ...localStamp(a.lastUpdate.at, program.timezone) };
    }
    return item;
  });
  return {
    teamKey,
    teamName: teamName(program, teamKey),
    week,
    actions: items,
    answered: items.filter((i) => i.answered).length,
    total: items.length,
    followUps: followUpViews(followUps, today),
  };
}
