/**
 * The weekly digest as data: what moved in one ISO week, with the figures against the week before.
 * It is plain data (JSON-safe, schema `kraftsamla.digest/1`); ./assemble.ts computes it and the
 * renderers (./document.ts and the Markdown, HTML and JSON renderers beside it, the card in
 * cards/digest/) turn it into text.
 */
import type { ActionStatus, DecisionState } from '../types';

export const DIGEST_SCHEMA = 'kraftsamla.digest/1';
/** "Deadlines in the next N days". */
export const UPCOMING_DAYS = 14;

export type StatusCounts = Record<ActionStatus, number>;

export interface WeekActivity {
  /** Status updates logged (answers, chat, card). */
  updates: number;
  /** Distinct actions with at least one update. */
  actionsUpdated: number;
  /** Actions whose status differs at the end of the week from its start. */
  statusChanges: number;
  /** Teams with at least one update. */
  teamsReporting: number;
}

export interface DigestOverview extends WeekActivity {
  /** Actions at the end of the week (the current state for this week). */
  total: number;
  byStatus: StatusCounts;
  /** At the end of the week before (reconstructed from this week's updates). */
  previousByStatus: StatusCounts;
  /** byStatus − previousByStatus. */
  change: StatusCounts;
  /** Actions created this week (not counted the week before). */
  newActions: number;
  highlights: number;
  blockers: number;
  overdue: number;
  upcoming: number;
  previousWeek: WeekActivity;
  answers: AnswerRate;
}

export interface AnswerRate {
  /** Teams that had a check-in this week. */
  checkIns: number;
  asked: number;
  answered: number;
  /** Whole per cent, or null when nothing was asked. */
  rate: number | null;
}

export interface DigestUpdate {
  actionId: string;
  title: string;
  /** Status at the start of the week; null when unknown (first report, or created this week). */
  from: ActionStatus | null;
  to: ActionStatus;
  changed: boolean;
  progress: number;
  comment: string;
  nextStep: string;
  /** Updates of this action in the week (the latest is shown). */
  count: number;
  by: string;
  at: string;
}

export interface DigestNote {
  actionId: string;
  title: string;
  text: string;
  by: string;
  at: string;
}

export interface DigestDeadline {
  actionId: string;
  title: string;
  owner: string;
  due: string;
  /** The plan's timeline as written ("Hösten 2026"), when it has one; `due` is derived from it. */
  timeline: string | null;
  status: ActionStatus;
  /** For overdue actions: days past due at the digest's reference date. */
  daysLate?: number;
}

export interface TeamCheckIn {
  posted: boolean;
  asked: number;
  answered: number;
  rate: number | null;
  /** The week before, for the trend; null when there was no check-in then. */
  previousRate: number | null;
}

export interface DigestTeam {
  key: string;
  name: string;
  actions: number;
  /** No update and no decision concerning the team this week. */
  nothingNew: boolean;
  updates: DigestUpdate[];
  highlights: DigestNote[];
  blockers: DigestNote[];
  overdue: DigestDeadline[];
  upcoming: DigestDeadline[];
  /** Numbers of this week's decisions that affect the team. */
  decisions: string[];
  checkIn: TeamCheckIn;
}

export interface DigestDecision {
  number: string;
  title: string;
  text: string;
  meeting: { name: string; date: string };
  loggedAt: string;
  loggedBy: string;
  state: DecisionState;
  affectedTeams: { key: string; name: string }[];
  affectedActions: string[];
  /** Affected actions a revision has retired by the end of the week, with the local date. */
  retiredActions: { id: string; date: string }[];
  followUp: { owner: string; due: string | null; done: boolean } | null;
  supersedes: string | null;
}

export interface DigestIndicator {
  id: string;
  name: string;
  unit: string;
  baseline: number | null;
  target: number | null;
  targetYear: number | null;
  latest: { period: string; value: number } | null;
  previous: { period: string; value: number } | null;
  /** (latest − baseline) / (target − baseline), whole per cent; null when it cannot be computed. */
  progressPercent: number | null;
  trend: 'up' | 'down' | 'flat' | null;
  /** Whether the latest move goes toward the target; null when unknown. */
  towardTarget: boolean | null;
  /**
   * Against the target: `reached` when the latest value is at or past it (in the direction from
   * the baseline, else from the previous value); otherwise `on_track` when the latest move goes
   * toward it and `off_track` when it goes away or stands still; null without a target, a value,
   * or a direction to judge by.
   */
  targetStatus: 'reached' | 'on_track' | 'off_track' | null;
  /** Every value in period order, for the trend chart; set by the digest (the brief leaves it out). */
  values?: { period: string; value: number }[];
}

/** The digest grouped by the plan's goals (`groupBy: 'goal'`): one entry per goal, in plan order. */
export interface DigestGoal {
  /** The goal as the plan writes it; null for actions with no goal. */
  goal: string | null;
  /** The sub-goals of the goal's actions, as written, each once. */
  subGoals: string[];
  actions: number;
  byStatus: StatusCounts;
  updates: DigestUpdate[];
  overdue: DigestDeadline[];
  upcoming: DigestDeadline[];
}

/** How the digest's action sections are grouped: by team (default) or by the plan's goal. */
export type DigestGrouping = 'team' | 'goal';

export interface Digest {
  schema: typeof DIGEST_SCHEMA;
  programId: string;
  programName: string;
  /** `2026-W48`. */
  week: string;
  /** Monday and Sunday of the week (local dates). */
  weekStart: string;
  weekEnd: string;
  /** Reference date for "overdue" and "coming up": today for the current week, else the Monday after. */
  asOf: string;
  generatedAt: string;
  overview: DigestOverview;
  teams: DigestTeam[];
  decisions: DigestDecision[];
  indicators: DigestIndicator[];
  groupBy: DigestGrouping;
  /** Set when grouped by goal: the same updates and deadlines as `teams`, per goal. */
  goals?: DigestGoal[];
  /** "Veckan i korthet"; set by `buildDigest`, absent from `assembleDigest`. */
  summary?: DigestSummary;
}

/** "Veckan i korthet": the paragraph on top of the digest (./summary.ts writes it). */
export interface DigestSummary {
  text: string;
  /** `rules`: built from the figures; `ai`: written by a language model from them. */
  source: 'rules' | 'ai';
}
