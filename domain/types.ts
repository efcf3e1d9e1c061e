/**
 * The domain model of Kraftsamla. Plain types: nothing here knows about Teams,
 * botbuilder or Table Storage, so the bot layer can be replaced without touching the domain.
 */

export type Locale = 'sv-SE' | 'en-US';

export const ACTION_STATUSES = ['not_started', 'on_track', 'at_risk', 'off_track', 'done', 'paused'] as const;
export type ActionStatus = (typeof ACTION_STATUSES)[number];

/** A cron expression (5 fields) evaluated in the program's time zone. */
export interface Schedules {
  checkIn: string;
  reminder: string;
  digest: string;
  /** The brief before the steering group's meeting, in the steering conversation(s). */
  brief: string;
  /** In which ISO weeks the brief's schedule holds: every week, or only the even or odd ones. */
  briefWeeks: BriefWeeks;
}

export const BRIEF_WEEKS = ['every', 'even', 'odd'] as const;
export type BriefWeeks = (typeof BRIEF_WEEKS)[number];

export interface ProgramTeamDefinition {
  /** Stable key, ASCII: `bostader`. */
  key: string;
  /** Display name: `Bostäder`. */
  name: string;
  /** Prefix for generated action ids: `BOS`. */
  actionPrefix: string;
  /** Other names people may type for this team (English name, short forms). */
  aliases: string[];
}

export interface Program {
  id: string;
  name: string;
  municipality: string;
  locale: Locale;
  timezone: string;
  schedules: Schedules;
  teams: ProgramTeamDefinition[];
  /** Entra object ids or UPNs allowed to log decisions; empty means "members of the steering team". */
  steeringMembers: string[];
  /** Entra object ids or UPNs with the program admin role. */
  admins: string[];
  /** Who publishes the Teams app (the manifest's `developer`); the packaged manifest's otherwise. */
  developer?: ProgramDeveloper;
}

/** The publisher Teams shows on the app's page: a name (≤ 32 characters) and three https addresses. */
export interface ProgramDeveloper {
  name: string;
  websiteUrl: string;
  privacyUrl: string;
  termsOfUseUrl: string;
}

/** What a channel is bound to: a program team, or one of the two program-wide roles. */
export type ChannelRole = { kind: 'team'; teamKey: string } | { kind: 'comms' } | { kind: 'steering' };

/**
 * Where the bot can post proactively. `reference` is an opaque, JSON-serialisable conversation
 * reference owned by the bot layer; the domain only stores and hands it back.
 */
export interface ChannelBinding {
  programId: string;
  /** Teams channel (conversation) id, the thread root. */
  channelId: string;
  teamsTeamId: string;
  channelName: string;
  role: ChannelRole;
  reference: unknown;
  boundBy: string;
  boundAt: string;
}

/** A Teams team in which the bot is installed. */
export interface InstalledTeam {
  teamsTeamId: string;
  name: string;
  tenantId: string;
  active: boolean;
  /** Opaque conversation reference to the team's General channel. */
  reference: unknown;
  channels: { id: string; name: string }[];
  installedAt: string;
  removedAt?: string;
}

export interface Owner {
  name: string;
  email?: string;
  /** Teams / Entra ids once the person has been seen. */
  aadObjectId?: string;
  teamsUserId?: string;
}

export interface Action {
  programId: string;
  id: string;
  teamKey: string;
  title: string;
  description: string;
  owner: Owner;
  responsibleBody: string;
  /** ISO dates (YYYY-MM-DD), local to the program. */
  start?: string;
  /** Derived from `timeline` when the plan gives a period ("Hösten 2026" → 2026-11-30), or given as a date. */
  due?: string;
  /**
   * The timeline as the plan writes it ("Hösten 2026", "Löpande", "2026–2027"), kept verbatim
   * and shown wherever the due date is shown. `ongoing` timelines have no due date and are never overdue.
   */
  timeline?: string;
  ongoing?: boolean;
  /** The plan's goal and sub-goal the action serves (Mål, Delmål). */
  goal?: string;
  subGoal?: string;
  /** The plan's own number for the action (Nr), when it has one. */
  planNumber?: string;
  financing: string;
  status: ActionStatus;
  progress: number;
  indicatorIds: string[];
  /** `eventId`: the log event it came from, so one answer is applied once. */
  lastUpdate?: { at: string; by: string; checkInWeek?: string; eventId?: string };
  /**
   * Set when a yearly revision dropped the action: it leaves check-ins, lists and current digests,
   * and stays in the log, in decisions and in exports (marked retired).
   */
  retiredAt?: string;
  /** Opaque concurrency token from storage; pass it back to update. */
  etag?: string;
}

export type EventSource = 'card' | 'chat' | 'import' | 'system';

export interface StatusUpdate {
  type: 'status';
  actionId: string;
  teamKey: string;
  status: ActionStatus;
  previousStatus?: ActionStatus;
  progress: number;
  comment: string;
  blockers: string;
  nextStep: string;
  forComms: string;
  checkInWeek?: string;
}

/**
 * A week's status updates in short: what the next week's digest compares with. Kept beside the
 * log of a week that is over (its log no longer changes), so the digest reads one row, not the week.
 */
export interface WeekStatusSummary {
  /** Status updates logged, distinct actions updated, actions whose status changed, teams reporting. */
  activity: { updates: number; actionsUpdated: number; statusChanges: number; teamsReporting: number };
  /** Each updated action's last status in the week, as [action id, status] pairs. */
  lastStatus: [string, ActionStatus][];
}

export interface ActionChanged {
  type: 'action';
  actionId: string;
  teamKey: string;
  change: 'created' | 'updated';
  /** Field name → new value, only the fields that changed. */
  fields: Record<string, unknown>;
  /**
   * For `updated`: field name → the value before the change (null when it had none), for the
   * fields in `fields`. A past week's plan is rebuilt from today's by undoing later changes.
   */
  previous?: Record<string, unknown>;
}

export interface DecisionLogged {
  type: 'decision';
  number: string;
  change: 'logged' | 'amended' | 'revoked';
  affectedTeams: string[];
}

export interface CardPosted {
  type: 'card';
  kind: 'checkin' | 'reminder' | 'digest' | 'decision' | 'welcome' | 'brief';
  channelId: string;
  messageId?: string;
  teamKey?: string;
}

/** Who may do what changed: a channel bound (or moved), an admin added or removed, the first installer recorded. */
export interface AccessChanged {
  type: 'access';
  change: 'bound' | 'adminAdded' | 'adminRemoved' | 'installer';
  channelId?: string;
  teamsTeamId?: string;
  role?: ChannelRole;
  previousRole?: ChannelRole;
  /** The admin added or removed (object id or UPN). */
  subject?: string;
}

export type LogPayload = StatusUpdate | ActionChanged | DecisionLogged | CardPosted | AccessChanged;

/** One append-only log entry. */
export type LogEvent = LogPayload & {
  programId: string;
  /** ISO timestamp (UTC). */
  at: string;
  /** Display name or id of who did it; `system` for the bot itself. */
  by: string;
  source: EventSource;
  /** Unique id; also used to make repeated deliveries idempotent. */
  eventId: string;
};

export type DecisionState = 'active' | 'amended' | 'revoked' | 'superseded';

export interface DecisionRevision {
  at: string;
  by: string;
  /** `superseded`: a later decision replaced this one (`supersededBy`); who logged that one, and when. */
  change: 'amended' | 'revoked' | 'superseded';
  previous: {
    title: string;
    text: string;
    rationale: string;
    /** The other fields as they were, when an amendment changed them. */
    meeting?: { name: string; date: string };
    affectedTeams?: string[];
    affectedActions?: string[];
    followUp?: { owner: string; due?: string; done: boolean };
  };
  reason: string;
  /** For `superseded`: the number of the decision that replaced this one. */
  supersededBy?: string;
}

export interface Decision {
  programId: string;
  /** `D-2026-007`, gap-free per year. */
  number: string;
  year: number;
  sequence: number;
  title: string;
  text: string;
  rationale: string;
  /** `id`: the Teams meeting it was logged in, when it was logged in the meeting's chat while it ran. */
  meeting: { name: string; date: string; id?: string };
  affectedTeams: string[];
  affectedActions: string[];
  followUp?: { owner: string; due?: string; done: boolean; doneBy?: string; doneAt?: string };
  loggedBy: string;
  loggedAt: string;
  state: DecisionState;
  /** The earlier decision this one replaces (`D-2026-003`); that one points back with `supersededBy`. */
  supersedes?: string;
  /** The later decision that replaced this one; its state is then `superseded`. */
  supersededBy?: string;
  history: DecisionRevision[];
  /** Idempotency key of the submit that logged it (the form card's id, else the activity id). */
  requestId?: string;
  etag?: string;
}

export interface IndicatorValue {
  period: string;
  value: number;
}

export interface Indicator {
  programId: string;
  id: string;
  name: string;
  unit: string;
  koladaKpi?: string;
  baseline?: number;
  target?: number;
  targetYear?: number;
  values: IndicatorValue[];
  etag?: string;
}

export interface CheckIn {
  programId: string;
  teamKey: string;
  /** `2026-W48`. */
  week: string;
  channelId: string;
  /** Activity id of the posted card, once posted. */
  messageId?: string;
  /** Conversation id of the thread (channel;messageid=...). */
  threadId?: string;
  postedAt?: string;
  answeredActionIds: string[];
  reminderSentAt?: string;
  /**
   * Set while a run posts the card (before `messageId`): who claimed it and when. Taken with the
   * row's create or ETag, so one run posts; a claim older than the check-in's claim time-out is
   * left by a process that stopped, and another run may take it.
   */
  posting?: { id: string; at: string };
  etag?: string;
}
