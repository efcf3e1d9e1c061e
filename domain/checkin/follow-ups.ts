/**
 * Steering group follow-ups on a team's check-in card: decisions that name the team, with a due
 * date and not yet marked done. They are shown until someone marks them done from the card.
 */
import { openFollowUps, openFollowUpsForTeam, type OpenFollowUp } from '../decisions';
import type { Repositories } from '../ports';
import { parseIsoWeek } from '../time';

export interface CheckInFollowUpView {
  number: string;
  title: string;
  owner: string;
  due: string;
  overdue: boolean;
}

export type { OpenFollowUp };

/** Decision years whose follow-ups a week's card shows: the week's year, and the year before early in the year. */
export function followUpYears(week: string): number[] {
  const { year, week: n } = parseIsoWeek(week);
  return n <= 13 ? [year, year - 1] : [year];
}

/** The open follow-ups of `teamKey` that the card of `week` shows. */
export function followUpsForWeek(
  repos: Repositories,
  programId: string,
  teamKey: string,
  week: string,
): Promise<OpenFollowUp[]> {
  return openFollowUpsForTeam(repos, programId, teamKey, followUpYears(week));
}

/**
 * The open follow-ups of every team for the cards of `week`, from one read: what
 * `followUpsForWeek` gives each team, for a run that builds many teams' cards.
 */
export async function followUpsOfEveryTeam(
  repos: Repositories,
  programId: string,
  week: string,
): Promise<(teamKey: string) => OpenFollowUp[]> {
  const open = await openFollowUps(repos, programId, followUpYears(week));
  return (teamKey) =>
    open
      .filter((d) => d.affectedTeams.includes(teamKey))
      .map((d) => ({ number: d.number, title: d.title, owner: d.followUp.owner, due: d.followUp.due, state: d.state }));
}

/** The follow-ups as the card shows them on `today` (a local `YYYY-MM-DD`). */
export function followUpViews(followUps: readonly OpenFollowUp[], today: string): CheckInFollowUpView[] {
  return followUps.map((f) => ({
    number: f.number,
    title: f.title,
    owner: f.owner,
    due: f.due,
    overdue: f.due < today,
  }));
}
