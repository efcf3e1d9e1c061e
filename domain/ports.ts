/**
 * What the domain needs from the outside world, as small interfaces. `storage/` implements the
 * repositories on Azure Table Storage; `bot/` implements the messenger on the Bot Framework. The
 * domain and its tests only ever see these.
 */
import type {
  Action,
  ChannelBinding,
  CheckIn,
  Decision,
  Indicator,
  InstalledTeam,
  LogEvent,
  WeekStatusSummary,
} from './types';
// The delivery records' own file, not the delivery index: the fan-out behind that index imports this file.
import type { DeliveryRepository } from './delivery/records';
import type { MeetingRepository } from './meetings';
import type { StoredProgramTeam } from './plan/program-teams';
import type { PlanUploadRepository } from './plan/upload-record';

export interface Logger {
  debug(obj: object, msg?: string): void;
  info(obj: object, msg?: string): void;
  warn(obj: object, msg?: string): void;
  error(obj: object, msg?: string): void;
  child(bindings: object): Logger;
}

export interface InstalledTeamRepository {
  upsert(team: InstalledTeam): Promise<void>;
  /** Inserts only if the team has no row yet; false when it already had one (someone else won). */
  insertIfAbsent(team: InstalledTeam): Promise<boolean>;
  get(teamsTeamId: string): Promise<InstalledTeam | undefined>;
  list(): Promise<InstalledTeam[]>;
  /** Marks the team inactive, keeping its data (removal, or 403 MessageWritesBlocked). */
  markInactive(teamsTeamId: string, at: string): Promise<void>;
}

export interface ChannelBindingRepository {
  /** Binds (or re-binds) a channel; a channel has exactly one role. */
  put(binding: ChannelBinding): Promise<void>;
  get(programId: string, channelId: string): Promise<ChannelBinding | undefined>;
  list(programId: string): Promise<ChannelBinding[]>;
  /** Channels bound to a program team, comms or steering. */
  findByRole(programId: string, role: ChannelBinding['role']): Promise<ChannelBinding[]>;
  remove(programId: string, channelId: string): Promise<void>;
}

export interface ActionRepository {
  get(programId: string, actionId: string): Promise<Action | undefined>;
  list(programId: string): Promise<Action[]>;
  listByTeam(programId: string, teamKey: string): Promise<Action[]>;
  /** Inserts; throws ConcurrencyError if the id exists. Returns the stored action with its etag. */
  create(action: Action): Promise<Action>;
  /** Replaces when `action.etag` still matches; otherwise throws ConcurrencyError. */
  update(action: Action): Promise<Action>;
  /**
   * Writes a batch atomically where the store allows (Table Storage: 100 operations per
   * transaction, one partition). Creates rows without etag, replaces rows with one.
   */
  saveAll(actions: Action[]): Promise<void>;
}

export interface EventQuery {
  programId: string;
  /** ISO week `2026-W48`: reads exactly one partition. */
  week: string;
}

export interface EventLog {
  /**
   * Appends events. Each event's `eventId` is unique: appending an event whose id is already in
   * that week's log is a no-op returning `false` (idempotent redelivery).
   */
  append(event: LogEvent): Promise<boolean>;
  /**
   * Appends many events, atomically with their markers where the store allows (Table Storage: 50
   * events of one week to a transaction). Events whose ids are already in their week's log are
   * left out, as `append` does; returns how many were appended.
   */
  appendAll(events: LogEvent[]): Promise<number>;
  /** Events of one ISO week, oldest first. */
  listWeek(query: EventQuery): Promise<LogEvent[]>;
  /** Whether the event id is already in that week's log. */
  has(programId: string, week: string, eventId: string): Promise<boolean>;
  /** The event with that id in that week's log (two point reads, not the week). */
  get(programId: string, week: string, eventId: string): Promise<LogEvent | undefined>;
  /** The summary kept for a week by `keepWeekSummary`, if there is one. */
  weekSummary(programId: string, week: string): Promise<WeekStatusSummary | undefined>;
  /**
   * Keeps the summary of a week that is over beside its log (created once: a summary already
   * there stays as it is). Only for a closed week, whose log no longer changes.
   */
  keepWeekSummary(programId: string, week: string, summary: WeekStatusSummary): Promise<void>;
}

/** The change one request made to a decision (its marker row). */
export interface DecisionRequestMark {
  number: string;
  change: 'logged' | 'amended' | 'revoked' | 'superseded';
  /** The decision's history length right after the change (0 for `logged`). */
  revision: number;
}

/** Local dates, both included (`2026-11-23` to `2026-11-29`), and the zone that makes them days. */
export interface DecisionDateRange {
  from: string;
  to: string;
  timeZone: string;
}

export interface DecisionRepository {
  /**
   * Stores a new decision with the next gap-free number of `year` (`D-2026-001`), atomically with
   * the year's counter: concurrent calls get distinct consecutive numbers.
   */
  createNumbered(draft: Omit<Decision, 'number' | 'sequence' | 'etag'>): Promise<Decision>;
  /**
   * As `createNumbered`, with the request's marker in the same transaction: of all calls with one
   * `requestKey`, at once or one after another, exactly one creates; the others get the decision
   * it created (`created: false`).
   */
  createForRequest(
    draft: Omit<Decision, 'number' | 'sequence' | 'etag'>,
    requestKey: string,
  ): Promise<{ decision: Decision; created: boolean }>;
  /**
   * Replaces when the etag matches, with the request's marker in the same transaction. When the
   * marker is already there (this request changed it before), nothing is written: `applied` is
   * false, with the decision as stored now and the marker found. Any other refusal throws
   * ConcurrencyError.
   */
  updateForRequest(
    decision: Decision,
    requestKey: string,
    mark: DecisionRequestMark,
  ): Promise<{ decision: Decision; applied: true } | { decision: Decision; applied: false; mark: DecisionRequestMark }>;
  /** The marker of a request, when that request changed a decision of `year`. */
  findRequest(programId: string, year: number, requestKey: string): Promise<DecisionRequestMark | undefined>;
  get(programId: string, number: string): Promise<Decision | undefined>;
  /** Newest first. */
  listYear(programId: string, year: number): Promise<Decision[]>;
  /**
   * The decisions of `year` whose meeting date is in the range, or that were logged on a day of
   * the range in its time zone; newest first. What a week's digest shows, without reading the year.
   */
  listDuring(programId: string, year: number, range: DecisionDateRange): Promise<Decision[]>;
  /**
   * The decisions of `year` with an open follow-up (a due date, not done, neither revoked nor
   * superseded); newest first. What a check-in card and the brief show, without reading the year.
   */
  listOpenFollowUps(programId: string, year: number): Promise<Decision[]>;
  /** Replaces when the etag matches; throws ConcurrencyError otherwise. */
  update(decision: Decision): Promise<Decision>;
}

export interface IndicatorRepository {
  get(programId: string, id: string): Promise<Indicator | undefined>;
  list(programId: string): Promise<Indicator[]>;
  /** Creates or replaces (etag-checked when present). */
  save(indicator: Indicator): Promise<Indicator>;
}

export interface CheckInRepository {
  get(programId: string, week: string, teamKey: string): Promise<CheckIn | undefined>;
  listWeek(programId: string, week: string): Promise<CheckIn[]>;
  /** Inserts; throws ConcurrencyError if one exists for that team and week. */
  create(checkIn: CheckIn): Promise<CheckIn>;
  /** Replaces when the etag matches; throws ConcurrencyError otherwise. */
  update(checkIn: CheckIn): Promise<CheckIn>;
  /** Deletes when the etag matches (a claim whose card never went out); throws ConcurrencyError otherwise. */
  remove(checkIn: CheckIn): Promise<void>;
}

/** An admin given in Teams (the first installer, or added by an admin). */
export interface AdminEntry {
  /** Entra object id or UPN, as it is compared. */
  id: string;
  /** Display name, when known. */
  name?: string;
  source: 'installer' | 'teams';
  addedBy: string;
  addedAt: string;
}

export interface AdminRepository {
  list(programId: string): Promise<AdminEntry[]>;
  /** Whether the program's first install was recorded (whoever it was). */
  installerRecorded(programId: string): Promise<boolean>;
  /** Records the first installer as admin, once per program (atomic): false when one was recorded already. */
  claimInstaller(programId: string, entry: AdminEntry): Promise<boolean>;
  /** False when the id was an admin already. */
  add(programId: string, entry: AdminEntry): Promise<boolean>;
  /** False when the id was not an admin given in Teams. */
  remove(programId: string, id: string): Promise<boolean>;
}

/** Program teams made at import from the plan's areas (beside the program file's teams). */
export interface ProgramTeamRepository {
  list(programId: string): Promise<StoredProgramTeam[]>;
  /** Creates them all in one transaction; ConcurrencyError when any key is taken (nothing is written). */
  createAll(teams: StoredProgramTeam[]): Promise<void>;
}

export interface Repositories {
  deliveries: DeliveryRepository;
  /** Program teams made at import (`--create-teams`). */
  programTeams: ProgramTeamRepository;
  /** Program admins given in Teams (the first installer, and those an admin added). */
  admins: AdminRepository;
  teams: InstalledTeamRepository;
  bindings: ChannelBindingRepository;
  actions: ActionRepository;
  events: EventLog;
  decisions: DecisionRepository;
  indicators: IndicatorRepository;
  checkIns: CheckInRepository;
  /** Plan files sent to the bot in Teams, between the preview and "Importera". */
  uploads: PlanUploadRepository;
  /** The steering meetings the bot noted in a bound chat (start and end events). */
  meetings: MeetingRepository;
  /** Answers whether the store is reachable (for /healthz). */
  ping(): Promise<boolean>;
}
