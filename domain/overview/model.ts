/**
 * The program overview as data: the whole plan with each action's answers week by week, the
 * indicators against their targets, the decision log and the answer rates per team and week.
 * Plain, JSON-safe data, read-only; ./build.ts reads it through the repositories and the tab
 * (tab/) renders it.
 */
import type { ActionStatus, DecisionState, IndicatorValue } from '../types';

export type StatusCounts = Record<ActionStatus, number>;

/** One week's answer for an action: its last status update of that ISO week. */
export interface OverviewAnswer {
  /** `2026-W48`. */
  week: string;
  status: ActionStatus;
  progress: number;
  /** The answer's comment (user text: escape it wherever it is shown). */
  comment: string;
  blockers: string;
  by: string;
  /** ISO timestamp of the update. */
  at: string;
}

export interface OverviewAction {
  id: string;
  teamKey: string;
  title: string;
  owner: string;
  responsibleBody: string;
  goal?: string;
  subGoal?: string;
  planNumber?: string;
  status: ActionStatus;
  progress: number;
  /** ISO date. */
  due?: string;
  /** The plan's own words for the timeline ("Hösten 2026"). */
  timeline?: string;
  ongoing?: boolean;
  /** Past its due date and not done (the same rule as the check-in card). */
  overdue: boolean;
  /** at_risk or off_track. */
  atRisk: boolean;
  /** The latest answer's comment, when there is one. */
  lastComment?: string;
  lastUpdateAt?: string;
  /** Answers in the overview's weeks, oldest first, at most one per week. */
  history: OverviewAnswer[];
}

export interface OverviewTeam {
  key: string;
  name: string;
  counts: StatusCounts;
  total: number;
  overdue: number;
  atRisk: number;
  actions: OverviewAction[];
}

export interface OverviewIndicator {
  id: string;
  name: string;
  unit: string;
  koladaKpi?: string;
  baseline?: number;
  target?: number;
  targetYear?: number;
  /** Sorted by period. */
  values: IndicatorValue[];
  latest?: IndicatorValue;
  /** Per cent of the way from baseline to target at the latest value, null when it cannot be said. */
  progress: number | null;
}

export interface OverviewDecision {
  number: string;
  year: number;
  title: string;
  text: string;
  rationale: string;
  meeting: { name: string; date: string };
  affectedTeams: string[];
  affectedActions: string[];
  state: DecisionState;
  /** Amended at least once (its history holds an amendment). */
  amended: boolean;
  supersedes?: string;
  supersededBy?: string;
  loggedBy: string;
  loggedAt: string;
  followUp?: { owner: string; due?: string; done: boolean };
}

/** One team's check-in in one week. */
export interface EngagementCell {
  teamKey: string;
  /** Actions on the week's card, answered ones; null rate when the team had no check-in that week. */
  asked: number;
  answered: number;
  rate: number | null;
}

export interface EngagementWeek {
  week: string;
  teams: EngagementCell[];
  asked: number;
  answered: number;
  rate: number | null;
}

export interface Overview {
  programId: string;
  programName: string;
  generatedAt: string;
  /** The ISO week of `generatedAt` in the program's time zone. */
  currentWeek: string;
  /** The weeks the history and engagement cover, oldest first, ending with `currentWeek`. */
  weeks: string[];
  teams: OverviewTeam[];
  indicators: OverviewIndicator[];
  /** Every decision of the years the weeks touch, newest first. */
  decisions: OverviewDecision[];
  engagement: EngagementWeek[];
}
