/**
 * The brief before the steering group's meeting, as data: what needs the group's attention, each
 * item with the place it lives (the team's check-in card, the decision). Words are the cards'
 * business: statuses and flags are keys.
 */
import type { ActionStatus, DecisionState } from '../types';

/** Why an action is in the brief; an action can be both off track and overdue. */
export type BriefActionFlag = 'off_track' | 'at_risk' | 'overdue';

/** A team's check-in card of the period: where its actions are answered. */
export interface BriefCheckIn {
  teamKey: string;
  /** `2026-W48`. */
  week: string;
  channelId: string;
  /** Activity id of the posted card. */
  messageId: string;
}

export interface BriefAction {
  id: string;
  title: string;
  teamKey: string;
  teamName: string;
  owner: string;
  status: ActionStatus;
  flags: BriefActionFlag[];
  /** `YYYY-MM-DD`, when the plan gives one. */
  due?: string;
  /** The plan's timeline as written ("Hösten 2026"). */
  timeline?: string;
  /** Days past the due date, for an overdue action. */
  daysLate?: number;
  /** The comment of the latest answer, when it had one: who wrote it and on which local date. */
  comment?: { text: string; by: string; date: string };
}

export interface BriefFollowUp {
  /** The decision that asked for it: `D-2026-004`. */
  number: string;
  title: string;
  owner: string;
  /** `YYYY-MM-DD`, on or before the brief's date. */
  due: string;
  /** 0 when due today. */
  daysLate: number;
  teams: { key: string; name: string }[];
  state: DecisionState;
}

export interface BriefIndicator {
  id: string;
  name: string;
  unit: string;
  latest: { period: string; value: number };
  target: number;
  targetYear: number | null;
}

/** A team whose check-in of the period asked about its actions and got no answer. */
export interface BriefSilentTeam {
  key: string;
  name: string;
  /** Actions the card asked about. */
  asked: number;
}

export interface Brief {
  programId: string;
  programName: string;
  /** The local date the brief is for: `2026-11-23`. */
  date: string;
  /** The check-in week whose answers it looks at (the latest check-in at or before the brief). */
  period: string;
  generatedAt: string;
  actions: BriefAction[];
  followUps: BriefFollowUp[];
  indicators: BriefIndicator[];
  silentTeams: BriefSilentTeam[];
  /** The posted check-in cards of the period, by team: where an action or a team links to. */
  checkIns: Record<string, BriefCheckIn>;
  /** Nothing to bring up: every section is empty. */
  allClear: boolean;
}
