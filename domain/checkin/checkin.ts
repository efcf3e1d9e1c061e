/**
 * Check-ins: the weekly status card of each team, the answers given on it, the reminder, and
 * adding or editing an action from a card. No botbuilder here: posting goes through the
 * `Messenger` port and `fanOut`, cards are rendered by an injected renderer.
 *
 * Rules that shape the code:
 * - One check-in per team and ISO week (the CheckIns row); posting again happens only when asked.
 * - The log is the record: every answer is a StatusUpdate event whose id comes from the invoke,
 *   so a redelivered invoke logs once; the action's current state is then updated with its ETag,
 *   and an answer never overwrites a later one.
 */
import { teamName } from '../program';
import { actionRowView, isRetired, type ActionRowView } from '../actions/action';
import { RowCombiner } from '../combine';
import { openFollowUpsForTeam, type OpenFollowUp } from '../decisions';
import { type ChannelTarget, DeliveryError, defaultRetryPolicy, targetOf, withRetry, type Mention, type Messenger, type PostedMessage, type RetryPolicy, type RosterMember } from '../delivery/delivery';
import { ConcurrencyError, StorageUnavailableError, ValidationError } from '../errors';
import { fanOut, type FanOutItem, type FanOutReport } from '../delivery/fanout';
import { formatWeek, t, type Params, type TextKey } from '../i18n';
import type { Logger, Repositories } from '../ports';
import { cleanText } from '../text';
import { isoWeek, localDate, localStamp, parseIsoWeek, parseLocalDate, type Clock } from '../time';
import { ACTION_STATUSES, type Action, type ActionChanged, type ActionStatus, type ChannelBinding, type CheckIn, type Locale, type LogEvent, type Program, type StatusUpdate } from '../types';

// ---------------------------------------------------------------------------------------------
// View model
// ---------------------------------------------------------------------------------------------

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

export interface CheckInFollowUpView {
  number: string;
  title: string;
  owner: string;
  due: string;
  overdue: boolean;
}

/** Limits of the answer form (the card sets them as `maxLength`; answers are checked again). */
export const ANSWER_LIMITS = { comment: 1000, blockers: 1000, nextStep: 1000, forComms: 300 } as const;

/** Limits of the add/edit action form. */
export const ACTION_EDIT_LIMITS = { title: 200, ownerName: 100, ownerEmail: 254, description: 2000 } as const;

/** Renders the card that is posted (the domain does not know Adaptive Cards). */
export interface CheckInRenderer {
  card(view: CheckInView, locale: Locale): object;
}

const pad = (n: number) => String(n).padStart(2, '0');

function byDueThenId(a: Action, b: Action): number {
  return (a.due ?? '9999').localeCompare(b.due ?? '9999') || a.id.localeCompare(b.id);
}

/** Whether the action was answered in the check-in of `week`. */
export function answeredIn(action: Action, week: string, checkIn?: CheckIn): boolean {
  return action.lastUpdate?.checkInWeek === week || !!checkIn?.answeredActionIds.includes(action.id);
}

/** The actions a week's card shows: everything not done, and what was marked done that week; never a retired action. */
export function actionsOnCard(actions: readonly Action[], week: string, timeZone: string, checkIn?: CheckIn): Action[] {
  return actions
    .filter((a) => !isRetired(a))
    .filter((a) => a.status !== 'done' || answeredIn(a, week, checkIn) || (!!a.lastUpdate && isoWeek(new Date(a.lastUpdate.at), timeZone) === week))
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
    followUps: followUps.map((f) => ({ number: f.number, title: f.title, owner: f.owner, due: f.due, overdue: f.due < today })),
  };
}

/** Decision years whose follow-ups a week's card shows: the week's year, and the year before early in the year. */
export function followUpYears(week: string): number[] {
  const { year, week: n } = parseIsoWeek(week);
  return n <= 13 ? [year, year - 1] : [year];
}

// ---------------------------------------------------------------------------------------------
// Validating what comes back from a card
// ---------------------------------------------------------------------------------------------

/** A reason an answer or form was refused, translated by `problemsText`. */
export interface Problem {
  key: TextKey;
  params?: Params;
  /** A text key whose translation fills `{field}`. */
  fieldKey?: TextKey;
}

export function problemsText(locale: Locale, problems: readonly Problem[]): string {
  return problems.map((p) => t(locale, p.key, { ...(p.params ?? {}), ...(p.fieldKey ? { field: t(locale, p.fieldKey) } : {}) })).join('; ');
}

export interface AnswerFields {
  status?: unknown;
  progress?: unknown;
  comment?: unknown;
  blockers?: unknown;
  next?: unknown;
  highlight?: unknown;
  comms?: unknown;
}

export interface ParsedAnswer {
  status: ActionStatus;
  progress: number;
  comment: string;
  blockers: string;
  nextStep: string;
  forComms: string;
}

function asText(value: unknown): string {
  if (typeof value === 'string') return cleanText(value);
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return '';
}

/**
 * Validates one action's answer. Missing status or progress keep the action's current value
 * (the form is prefilled with them); text is cleaned of control characters and length-checked.
 */
export function parseAnswer(fields: AnswerFields, current: Pick<Action, 'status' | 'progress' | 'title'>): { ok: true; value: ParsedAnswer } | { ok: false; problems: Problem[] } {
  const problems: Problem[] = [];
  let status = current.status;
  const rawStatus = asText(fields.status);
  if (rawStatus !== '') {
    if ((ACTION_STATUSES as readonly string[]).includes(rawStatus)) status = rawStatus as ActionStatus;
    else problems.push({ key: 'checkin.invalid.status' });
  }
  let progress = current.progress;
  const rawProgress = asText(fields.progress);
  if (rawProgress !== '') {
    const n = Number(rawProgress.replace(',', '.'));
    if (Number.isInteger(n) && n >= 0 && n <= 100) progress = n;
    else problems.push({ key: 'checkin.invalid.progress' });
  }
  const text = (value: unknown, max: number, fieldKey: TextKey): string => {
    const s = asText(value);
    if (s.length > max) problems.push({ key: 'checkin.invalid.tooLong', params: { max }, fieldKey });
    return s;
  };
  const comment = text(fields.comment, ANSWER_LIMITS.comment, 'checkin.field.comment');
  const blockers = text(fields.blockers, ANSWER_LIMITS.blockers, 'checkin.field.blockers');
  const nextStep = text(fields.next, ANSWER_LIMITS.nextStep, 'checkin.field.nextStep');
  const comms = text(fields.comms, ANSWER_LIMITS.forComms, 'checkin.field.forComms');
  const highlight = fields.highlight === true || asText(fields.highlight).toLowerCase() === 'true';
  if (problems.length) return { ok: false, problems };
  // "Highlight for comms" with no line of its own uses the comment, or at least names the action.
  const forComms = highlight ? comms || comment || current.title : '';
  return { ok: true, value: { status, progress, comment, blockers, nextStep, forComms } };
}

export interface ActionFormValues {
  title: string;
  ownerName: string;
  ownerEmail: string;
  /** `YYYY-MM-DD`, or what the person typed when it was refused. */
  due: string;
  description: string;
}

export interface ParsedActionForm {
  title: string;
  owner: { name: string; email?: string };
  due?: string;
  description: string;
}

const EMAIL = /^[^\s@<>"]+@[^\s@<>"]+\.[^\s@<>"]+$/;

export function parseActionForm(values: Partial<ActionFormValues>): { ok: true; value: ParsedActionForm } | { ok: false; problems: Problem[] } {
  const problems: Problem[] = [];
  const title = asText(values.title).replace(/\s+/g, ' ');
  if (title.length === 0 || title.length > ACTION_EDIT_LIMITS.title) problems.push({ key: 'actionEdit.invalid.title', params: { max: ACTION_EDIT_LIMITS.title } });
  const ownerName = asText(values.ownerName).replace(/\s+/g, ' ');
  if (ownerName.length > ACTION_EDIT_LIMITS.ownerName) problems.push({ key: 'actionEdit.invalid.ownerName', params: { max: ACTION_EDIT_LIMITS.ownerName } });
  const ownerEmail = asText(values.ownerEmail);
  if (ownerEmail && (ownerEmail.length > ACTION_EDIT_LIMITS.ownerEmail || !EMAIL.test(ownerEmail))) {
    problems.push({ key: 'actionEdit.invalid.ownerEmail', params: { value: ownerEmail.slice(0, 80) } });
  }
  const rawDue = asText(values.due);
  let due: string | undefined;
  if (rawDue) {
    try {
      due = parseLocalDate(rawDue);
    } catch (err) {
      const notADate = err instanceof ValidationError && err.details.expected !== undefined;
      problems.push({ key: notADate ? 'actionEdit.invalid.dueFormat' : 'actionEdit.invalid.dueMissing', params: { value: rawDue.slice(0, 40) } });
    }
  }
  const description = asText(values.description);
  if (description.length > ACTION_EDIT_LIMITS.description) problems.push({ key: 'actionEdit.invalid.description', params: { max: ACTION_EDIT_LIMITS.description } });
  if (problems.length) return { ok: false, problems };
  return { ok: true, value: { title, owner: ownerEmail ? { name: ownerName, email: ownerEmail } : { name: ownerName }, due, description } };
}

/** The next free id for a team: its prefix and one more than the highest number in use (`BOS-08`). */
export function nextActionId(prefix: string, existingIds: Iterable<string>, skip = 0): string {
  let max = 0;
  const re = new RegExp(`^${prefix}-(\\d+)$`, 'i');
  for (const id of existingIds) {
    const m = re.exec(id);
    if (m) max = Math.max(max, Number(m[1]));
  }
  return `${prefix}-${pad(max + 1 + skip)}`;
}

// ---------------------------------------------------------------------------------------------
// Who may answer and edit: the team's channel, or a program admin
// ---------------------------------------------------------------------------------------------

// ---------------------------------------------------------------------------------------------
// Outcomes
// ---------------------------------------------------------------------------------------------

export interface Actor {
  /** Entra object id or Teams id. */
  id: string;
  name: string;
}

export type AnswerOutcome =
  | { kind: 'saved' | 'duplicate'; view: CheckInView; actionId: string }
  | { kind: 'invalid'; view: CheckInView; problems: Problem[] }
  | { kind: 'unknownAction'; view: CheckInView }
  | { kind: 'unknownTeam' };

/**
 * `taken`: another run (a second person at the same moment, another instance, the schedule)
 * posted this week's card; `posting`: another run is posting it and had not finished when we
 * stopped waiting.
 */
export type PostOutcome = { kind: 'posted'; checkIn?: CheckIn } | { kind: 'taken'; checkIn: CheckIn } | { kind: 'posting' } | { kind: 'blocked' } | { kind: 'failed' };

export type SaveActionOutcome =
  | { kind: 'created' | 'duplicate'; action: Action }
  | { kind: 'updated'; action: Action; fields: string[] }
  | { kind: 'unchanged'; action: Action }
  | { kind: 'invalid'; problems: Problem[] }
  | { kind: 'conflict'; action: Action }
  | { kind: 'unknownAction' }
  | { kind: 'unknownTeam' };

export interface ReminderReport {
  sent: number;
  skipped: number;
  failed: number;
}

// ---------------------------------------------------------------------------------------------
// The service
// ---------------------------------------------------------------------------------------------

export interface CheckInServiceDeps {
  program: Program;
  repos: Repositories;
  messenger: Messenger;
  clock: Clock;
  logger: Logger;
  render: CheckInRenderer;
  /** Retry policy for posts and updates (tests shorten it). */
  policy?: RetryPolicy;
  fanOut?: { concurrency?: number; minIntervalMs?: number; maxRuns?: number };
  /** Runs work after the request (an answer logged while storage went away is applied later). */
  background?: { run(label: string, fn: () => Promise<void>): void; pause(ms: number): Promise<void> };
}

/** About half a minute in all: storage that is back by then gets the answer applied. */
const COMPLETION_DELAYS_MS = [500, 1000, 2000, 4000, 8000, 16000] as const;

/** Attempts for an ETag-guarded read-modify-write before giving up with ConcurrencyError. */
const MAX_ATTEMPTS = 8;

/**
 * A claim on posting a week's card (`CheckIn.posting`) older than this was left by a process
 * that stopped before it posted; another run may then take it over. As long as the scheduler's
 * lease: a post with all its retries ends well within it.
 */
export const POSTING_CLAIM_TTL_MS = 5 * 60 * 1000;

/** How long `incheckning` waits for another run's card before saying it is on its way. */
const POSTING_WAIT_MS = 5000;
const POSTING_POLL_MS = 150;

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** The row with its posting claim given up (the card is out, or the post failed). */
function withoutClaim(row: CheckIn): CheckIn {
  const { posting: _claim, ...rest } = row;
  return rest;
}

interface TeamChannel {
  teamKey: string;
  binding: ChannelBinding;
  target: ChannelTarget;
}

const combinerOptions = { attempts: MAX_ATTEMPTS, backoff: (attempt: number) => sleep(5 + Math.floor(Math.random() * 20 * attempt)) };

export class CheckInService {
  /** Answers to one action (and first answers to one check-in) are written together, in order. */
  private readonly actionWrites: RowCombiner<Action>;
  private readonly checkInWrites: RowCombiner<CheckIn>;

  constructor(private readonly deps: CheckInServiceDeps) {
    const { repos } = deps;
    this.actionWrites = new RowCombiner<Action>({ read: (id) => repos.actions.get(this.programId, id), write: (a) => repos.actions.update(a) }, combinerOptions);
    this.checkInWrites = new RowCombiner<CheckIn>(
      {
        read: (key) => {
          const [week, teamKey] = key.split('|') as [string, string];
          return repos.checkIns.get(this.programId, week, teamKey);
        },
        write: (row) => repos.checkIns.update(row),
      },
      combinerOptions,
    );
  }

  private get programId(): string {
    return this.deps.program.id;
  }

  currentWeek(): string {
    return isoWeek(this.deps.clock.now(), this.deps.program.timezone);
  }

  hasTeam(teamKey: string): boolean {
    return this.deps.program.teams.some((x) => x.key === teamKey);
  }

  /** The card's content; `checkIn`, when the caller has just read the week's row, spares reading it again. */
  async view(teamKey: string, week: string, checkIn?: CheckIn): Promise<CheckInView> {
    const [actions, row, followUps] = await Promise.all([
      this.deps.repos.actions.listByTeam(this.programId, teamKey),
      checkIn ?? this.deps.repos.checkIns.get(this.programId, week, teamKey),
      openFollowUpsForTeam(this.deps.repos, this.programId, teamKey, followUpYears(week)),
    ]);
    return buildCheckInView(this.deps.program, teamKey, week, actions, row, this.deps.clock.now(), followUps);
  }

  // -- posting ----------------------------------------------------------------------------------

  /**
   * The channel each program team posts to: its bound channel, skipping teams from which the
   * bot was removed. A team bound in several channels gets one check-in a week (the CheckIns
   * row is per team and week), in the channel bound last.
   */
  async teamChannels(): Promise<TeamChannel[]> {
    const [bindings, teams] = await Promise.all([this.deps.repos.bindings.list(this.programId), this.deps.repos.teams.list()]);
    const inactive = new Set(teams.filter((x) => !x.active).map((x) => x.teamsTeamId));
    const byTeam = new Map<string, ChannelBinding>();
    for (const b of bindings) {
      if (b.role.kind !== 'team' || !this.hasTeam(b.role.teamKey) || inactive.has(b.teamsTeamId)) continue;
      const previous = byTeam.get(b.role.teamKey);
      if (!previous || previous.boundAt < b.boundAt) byTeam.set(b.role.teamKey, b);
    }
    return [...byTeam.entries()]
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([teamKey, binding]) => ({ teamKey, binding, target: targetOf(binding) }));
  }

  private item(channel: TeamChannel, week: string): FanOutItem {
    return {
      key: `${channel.teamKey}|${channel.binding.channelId}`,
      target: channel.target,
      // Built right before posting, so answers given meanwhile show.
      message: async () => ({
        card: this.deps.render.card(await this.view(channel.teamKey, week), this.deps.program.locale),
        summary: t(this.deps.program.locale, 'checkin.title', { team: teamName(this.deps.program, channel.teamKey) }),
      }),
    };
  }

  private async runFanOut(batch: string, week: string, channels: TeamChannel[], by: string, maxRuns?: number): Promise<FanOutReport> {
    const byKey = new Map(channels.map((c) => [`${c.teamKey}|${c.binding.channelId}`, c]));
    return fanOut({
      programId: this.programId,
      batch,
      items: channels.map((c) => this.item(c, week)),
      messenger: this.deps.messenger,
      deliveries: this.deps.repos.deliveries,
      clock: this.deps.clock,
      logger: this.deps.logger,
      policy: this.deps.policy,
      concurrency: this.deps.fanOut?.concurrency,
      minIntervalMs: this.deps.fanOut?.minIntervalMs,
      maxRuns: maxRuns ?? this.deps.fanOut?.maxRuns,
      onPosted: async (item, posted) => {
        const c = byKey.get(item.key);
        if (c) await this.recordPosted(c.teamKey, week, c.binding.channelId, posted, by);
      },
      teams: this.deps.repos.teams,
    });
  }

  /**
   * The scheduled run: one card per team channel that has no check-in this week. Deliveries are
   * recorded per channel (batch `checkin|<week>`), so a run after a crash posts only what is
   * missing. Throws when a delivery failed and may be retried, so the scheduler runs it again.
   */
  async postScheduled(week: string): Promise<FanOutReport> {
    const [channels, rows] = await Promise.all([this.teamChannels(), this.deps.repos.checkIns.listWeek(this.programId, week)]);
    const posted = new Set(rows.filter((r) => r.messageId).map((r) => r.teamKey));
    const open = channels.filter((c) => !posted.has(c.teamKey));
    // The same claim as `incheckning`: a team someone is posting for right now is left to them.
    const claimId = `schedule|${week}|${this.deps.clock.now().toISOString()}|${Math.random().toString(36).slice(2, 10)}`;
    const claims = await Promise.all(open.map((c) => this.claimPosting(c, week, claimId)));
    const todo = open.filter((_, i) => claims[i]!.won);
    const elsewhere = claims.filter((c) => !c.won && !c.row.messageId).length;
    const batch = `checkin|${week}`;
    let report: FanOutReport;
    try {
      report = await this.runFanOut(batch, week, todo, 'system');
      await this.reconcile(batch, week, todo);
    } finally {
      await Promise.all(todo.map((c) => this.releasePosting(c.teamKey, week, claimId)));
    }
    this.deps.logger.info({ week, ...report, skipped: channels.length - todo.length, postingElsewhere: elsewhere }, 'check-ins posted');
    if (report.retryable > 0) throw new Error(`${report.retryable} check-in deliveries failed; the next run retries them`);
    // Another run is posting some: the next run checks that their cards went out.
    if (elsewhere > 0) throw new Error(`${elsewhere} check-ins are being posted by another run; the next run checks them`);
    return report;
  }

  /**
   * Claims posting the team's card of the week: creates its CheckIns row with `posting` (only one
   * create wins), or takes over a row that has no card and no live claim, with the row's ETag.
   * Whoever does not win gets the row as it is (a card, or someone else's live claim).
   */
  private async claimPosting(channel: TeamChannel, week: string, claimId: string): Promise<{ won: true } | { won: false; row: CheckIn }> {
    const { repos } = this.deps;
    const now = this.deps.clock.now();
    const posting = { id: claimId, at: now.toISOString() };
    for (let attempt = 1; ; attempt++) {
      try {
        await repos.checkIns.create({ programId: this.programId, teamKey: channel.teamKey, week, channelId: channel.binding.channelId, answeredActionIds: [], posting });
        return { won: true };
      } catch (err) {
        if (!(err instanceof ConcurrencyError)) throw err;
      }
      const row = await repos.checkIns.get(this.programId, week, channel.teamKey);
      if (row) {
        const live = !!row.posting && row.posting.id !== claimId && now.getTime() - new Date(row.posting.at).getTime() < POSTING_CLAIM_TTL_MS;
        if (row.messageId || live) return { won: false, row };
        try {
          await repos.checkIns.update({ ...row, posting });
          if (row.posting) this.deps.logger.warn({ teamKey: channel.teamKey, week, claimedAt: row.posting.at }, 'took over a check-in post claimed by a run that did not finish');
          return { won: true };
        } catch (err) {
          if (!(err instanceof ConcurrencyError)) throw err;
        }
      }
      if (attempt >= MAX_ATTEMPTS) throw new ConcurrencyError(`could not claim the check-in of ${channel.teamKey} ${week}`, { teamKey: channel.teamKey, week });
    }
  }

  /**
   * Gives a claim up when no card went out (a failed or blocked post), so a later run may post.
   * A row that holds nothing but the claim is deleted: the week has no check-in, as before.
   */
  private async releasePosting(teamKey: string, week: string, claimId: string): Promise<void> {
    try {
      const row = await this.deps.repos.checkIns.get(this.programId, week, teamKey);
      if (!row || row.messageId || row.posting?.id !== claimId) return;
      if (row.answeredActionIds.length === 0 && !row.reminderSentAt) await this.deps.repos.checkIns.remove(row);
      else await this.deps.repos.checkIns.update(withoutClaim(row));
    } catch (err) {
      // Left as it is, the claim runs out after POSTING_CLAIM_TTL_MS.
      this.deps.logger.warn({ err: { message: (err as Error).message }, teamKey, week }, 'could not release the check-in post claim');
    }
  }

  /** Another run claimed the card: wait a little for it to go out, then point at it. */
  private async otherRunsCard(teamKey: string, week: string, row: CheckIn): Promise<PostOutcome> {
    // Real time, not the program's clock: this is how long a person waits for the answer.
    const until = Date.now() + POSTING_WAIT_MS;
    for (let current: CheckIn | undefined = row; ; ) {
      if (current?.messageId) return { kind: 'taken', checkIn: current };
      // Released without a card: the other run could not post (Teams did not answer).
      if (!current?.posting) return { kind: 'failed' };
      if (Date.now() >= until) return { kind: 'posting' };
      await sleep(POSTING_POLL_MS);
      current = await this.deps.repos.checkIns.get(this.programId, week, teamKey);
    }
  }

  /**
   * A post can reach Teams and the process stop before the CheckIns row is written; the delivery
   * record (written first) still has the message id, so the row is completed from it.
   */
  private async reconcile(batch: string, week: string, channels: TeamChannel[]): Promise<void> {
    if (channels.length === 0) return;
    const wanted = new Map(channels.map((c) => [`${c.teamKey}|${c.binding.channelId}`, c]));
    for (const record of await this.deps.repos.deliveries.list(this.programId, batch)) {
      const c = wanted.get(record.key);
      if (!c || record.status !== 'sent' || !record.messageId || !record.threadId) continue;
      const row = await this.deps.repos.checkIns.get(this.programId, week, c.teamKey);
      if (row?.messageId) continue;
      await this.recordPosted(c.teamKey, week, c.binding.channelId, { messageId: record.messageId, threadId: record.threadId }, 'system');
    }
  }

  /** Creates or updates the team's CheckIns row with the posted message, and logs CardPosted. */
  async recordPosted(teamKey: string, week: string, channelId: string, posted: PostedMessage, by: string): Promise<CheckIn> {
    const now = this.deps.clock.now().toISOString();
    let saved: CheckIn | undefined;
    for (let attempt = 1; !saved; attempt++) {
      const current = await this.deps.repos.checkIns.get(this.programId, week, teamKey);
      try {
        saved = current
          ? await this.deps.repos.checkIns.update({ ...withoutClaim(current), channelId, messageId: posted.messageId, threadId: posted.threadId, postedAt: now })
          : await this.deps.repos.checkIns.create({ programId: this.programId, teamKey, week, channelId, messageId: posted.messageId, threadId: posted.threadId, postedAt: now, answeredActionIds: [] });
      } catch (err) {
        if (!(err instanceof ConcurrencyError) || attempt >= MAX_ATTEMPTS) throw err;
      }
    }
    await this.deps.repos.events.append({
      type: 'card',
      kind: 'checkin',
      channelId,
      messageId: posted.messageId,
      teamKey,
      programId: this.programId,
      at: now,
      by,
      source: by === 'system' ? 'system' : 'chat',
      eventId: `card|checkin|${week}|${teamKey}|${posted.messageId}`,
    });
    return saved;
  }

  /**
   * Posts a channel's check-in now (`incheckning`). With `anew`, a new card is posted even when
   * one exists this week (its own delivery batch, keyed by the request, so a redelivered request
   * posts once); the CheckIns row then points at the new card and keeps the answers.
   */
  async postForChannel(binding: ChannelBinding, week: string, options: { anew: boolean; requestId: string; by: string }): Promise<PostOutcome> {
    if (binding.role.kind !== 'team') return { kind: 'failed' };
    const channel: TeamChannel = { teamKey: binding.role.teamKey, binding, target: targetOf(binding) };
    const attempt = async (batch: string): Promise<PostOutcome> => {
      // Asked for by a person: a delivery that failed in earlier runs is tried again.
      await this.runFanOut(batch, week, [channel], options.by, Number.MAX_SAFE_INTEGER);
      await this.reconcile(batch, week, [channel]);
      const record = await this.deps.repos.deliveries.get(this.programId, batch, `${channel.teamKey}|${binding.channelId}`);
      if (record?.status === 'sent') return { kind: 'posted', checkIn: await this.deps.repos.checkIns.get(this.programId, week, channel.teamKey) };
      return { kind: record?.status === 'blocked' ? 'blocked' : 'failed' };
    };
    if (options.anew) return attempt(`checkin|${week}|anew|${options.requestId}`);
    // One card per team and week: only the run that claims the row posts; the others point at its card.
    const claimId = `request|${options.requestId}|${Math.random().toString(36).slice(2, 10)}`;
    const claim = await this.claimPosting(channel, week, claimId);
    if (!claim.won) return this.otherRunsCard(channel.teamKey, week, claim.row);
    try {
      const outcome = await attempt(`checkin|${week}`);
      if (outcome.kind === 'blocked') {
        // Blocked in an earlier run, but the team has the bot again (it was re-added): try afresh.
        const team = await this.deps.repos.teams.get(binding.teamsTeamId);
        if (team?.active) return await attempt(`checkin|${week}|anew|${options.requestId}`);
      }
      return outcome;
    } finally {
      await this.releasePosting(channel.teamKey, week, claimId);
    }
  }

  /** Replaces the posted card in place with the current state, for everyone. */
  async refreshPosted(teamKey: string, week: string, options: { skipMessageId?: string } = {}): Promise<void> {
    const row = await this.deps.repos.checkIns.get(this.programId, week, teamKey);
    if (!row?.messageId || !row.threadId || row.messageId === options.skipMessageId) return;
    const binding = await this.deps.repos.bindings.get(this.programId, row.channelId);
    if (!binding) return;
    const view = await this.view(teamKey, week, row);
    const card = this.deps.render.card(view, this.deps.program.locale);
    try {
      await withRetry(() => this.deps.messenger.update(targetOf(binding), row.threadId!, row.messageId!, { card }), { ...(this.deps.policy ?? defaultRetryPolicy), attempts: 3 });
    } catch (err) {
      // The answer is saved; a card that could not be refreshed shows the new state next time.
      this.deps.logger.warn({ err: { message: (err as Error).message }, teamKey, week }, 'could not update the posted check-in card');
      if (err instanceof DeliveryError && err.writesBlocked) await this.deps.repos.teams.markInactive(binding.teamsTeamId, this.deps.clock.now().toISOString());
    }
  }

  // -- answers ----------------------------------------------------------------------------------

  /**
   * Records one answer from the card. `requestId` identifies the delivery (the invoke's activity
   * id): the same request logs once, however often it arrives.
   */
  async recordAnswer(
    input: { teamKey: string; week: string; actionId: string; fields: AnswerFields },
    actor: Actor,
    requestId: string,
    options: { authorize?: () => Promise<void> } = {},
  ): Promise<AnswerOutcome> {
    if (!this.hasTeam(input.teamKey)) return { kind: 'unknownTeam' };
    try {
      parseIsoWeek(input.week);
    } catch {
      return { kind: 'invalid', view: await this.view(input.teamKey, this.currentWeek()), problems: [{ key: 'checkin.invalid.week', params: { week: input.week.slice(0, 20) } }] };
    }
    // The role check (which throws) runs beside the action's read, so the answer path waits no longer for it.
    // The action is read with its team's list: the same read the refreshed cards of everyone
    // answering this team right now make, so concurrent answers share it (storage/coalesce.ts).
    const [teamActions] = await Promise.all([this.deps.repos.actions.listByTeam(this.programId, input.teamKey), options.authorize?.()]);
    const action = teamActions.find((a) => a.id === input.actionId);
    // A retired action is no longer asked about; an old card's answer to it is refused like an unknown one.
    if (!action || action.teamKey !== input.teamKey || isRetired(action)) return { kind: 'unknownAction', view: await this.view(input.teamKey, input.week) };
    const parsed = parseAnswer(input.fields, action);
    if (!parsed.ok) return { kind: 'invalid', view: await this.view(input.teamKey, input.week), problems: parsed.problems };

    const now = this.deps.clock.now();
    const logWeek = isoWeek(now, this.deps.program.timezone);
    const eventId = `status|${requestId}|${action.id}`;
    let event: LogEvent & StatusUpdate = {
      type: 'status',
      actionId: action.id,
      teamKey: action.teamKey,
      status: parsed.value.status,
      previousStatus: action.status,
      progress: parsed.value.progress,
      comment: parsed.value.comment,
      blockers: parsed.value.blockers,
      nextStep: parsed.value.nextStep,
      forComms: parsed.value.forComms,
      checkInWeek: input.week,
      programId: this.programId,
      at: now.toISOString(),
      by: actor.name,
      source: 'card',
      eventId,
    };
    // The append is the duplicate check: an event id already in the week's log fails it.
    const duplicate = !(await this.deps.repos.events.append(event));
    let apply = true;
    if (duplicate) {
      // Logged by an earlier delivery. Its state change is applied unless it already was (the
      // earlier delivery may have stopped between the log and the action).
      const logged = await this.deps.repos.events.get(this.programId, logWeek, eventId);
      if (logged?.type === 'status') event = logged;
      else apply = false;
    }
    if (apply) {
      try {
        await this.applyAnswer(event, duplicate, action);
      } catch (err) {
        // Logged, but storage went away before the action took it. The log is the record: the
        // action is brought up to it in the background, and the person is told it is saved
        // (telling them "nothing was saved" would make them send it again, logging it twice).
        if (!(err instanceof StorageUnavailableError) || !this.deps.background) throw err;
        this.completeLater(event, input.week);
        throw new StorageUnavailableError(err.message, { ...err.details, saved: true, actionId: action.id });
      }
    }
    try {
      // The CheckIns row only changes the first time an action is answered in the week.
      if (apply && (action.lastUpdate?.checkInWeek !== input.week || duplicate)) await this.markAnswered(input.teamKey, input.week, action.id);
      return { kind: duplicate ? 'duplicate' : 'saved', view: await this.view(input.teamKey, input.week), actionId: action.id };
    } catch (err) {
      // Logged and applied: the answer is saved and shows on the card (the action's lastUpdate),
      // even if the CheckIns row's answered list missed it (a redelivery completes that). Say so,
      // rather than "nothing was saved", or the person sends it again and it is logged twice.
      if (err instanceof StorageUnavailableError) throw new StorageUnavailableError(err.message, { ...err.details, saved: true, actionId: action.id });
      throw err;
    }
  }

  /** Applies a logged answer once storage answers again (a few attempts, then it is left to the log). */
  private completeLater(event: StatusUpdate & LogEvent, week: string): void {
    const background = this.deps.background;
    background?.run(`complete-answer|${event.eventId}`, async () => {
      for (const [i, delay] of COMPLETION_DELAYS_MS.entries()) {
        // Cut short on shutdown: the remaining attempts run at once, then the log keeps it.
        await background.pause(delay);
        try {
          await this.applyAnswer(event, true);
          await this.markAnswered(event.teamKey, week, event.actionId);
          this.deps.logger.info({ actionId: event.actionId, attempt: i + 1 }, 'logged answer applied after storage came back');
          return;
        } catch (err) {
          if (!(err instanceof StorageUnavailableError) && !(err instanceof ConcurrencyError)) throw err;
        }
      }
      this.deps.logger.error({ actionId: event.actionId, eventId: event.eventId }, 'a logged answer could not be applied to its action; the log holds it');
    });
  }

  /**
   * Writes the answer into the action's current state unless it is there already or a later
   * answer is. The action names the event it last took (`lastUpdate.eventId`), so two deliveries
   * of one answer (on two instances, both past the log) write it once: whichever comes second,
   * or retries after the first one's write, finds its own event there and leaves the row.
   */
  private async applyAnswer(event: StatusUpdate & LogEvent, duplicate: boolean, known?: Action): Promise<void> {
    await this.actionWrites.apply(
      event.actionId,
      (current) => {
        const last = current.lastUpdate;
        if (last?.eventId === event.eventId) return undefined;
        // Rows written before actions named their event: the same instant means this answer.
        if (last && (last.at > event.at || (duplicate && !last.eventId && last.at === event.at))) return undefined;
        return { ...current, status: event.status, progress: event.progress, lastUpdate: { at: event.at, by: event.by, checkInWeek: event.checkInWeek, eventId: event.eventId } };
      },
      known,
    );
  }

  private async markAnswered(teamKey: string, week: string, actionId: string): Promise<void> {
    await this.checkInWrites.apply(`${week}|${teamKey}`, (row) =>
      row.answeredActionIds.includes(actionId) ? undefined : { ...row, answeredActionIds: [...row.answeredActionIds, actionId] },
    );
  }

  // -- reminders --------------------------------------------------------------------------------

  /**
   * One reply per check-in of the week that still has unanswered actions, @mentioning their
   * owners (resolved by e-mail/UPN against the team roster; named in plain text otherwise).
   * Once per check-in: the delivery record and `reminderSentAt` guard against a second one.
   * A check-in posted after `dueAt` (a late catch-up) gets no reminder right behind it.
   */
  async sendReminders(week: string, dueAt?: Date): Promise<ReminderReport> {
    const report: ReminderReport = { sent: 0, skipped: 0, failed: 0 };
    const [rows, teams] = await Promise.all([this.deps.repos.checkIns.listWeek(this.programId, week), this.deps.repos.teams.list()]);
    const inactive = new Set(teams.filter((x) => !x.active).map((x) => x.teamsTeamId));
    const batch = `reminder|${week}`;
    for (const row of rows) {
      if (!row.messageId || !row.threadId || row.reminderSentAt || (dueAt && row.postedAt && new Date(row.postedAt) > dueAt)) {
        report.skipped++;
        continue;
      }
      const binding = await this.deps.repos.bindings.get(this.programId, row.channelId);
      if (!binding || inactive.has(binding.teamsTeamId)) {
        report.skipped++;
        continue;
      }
      const previous = await this.deps.repos.deliveries.get(this.programId, batch, row.teamKey);
      // `uncertain`: an earlier reply may be in the thread already; it is not sent again.
      if (previous?.status === 'sent' || previous?.status === 'blocked' || previous?.status === 'uncertain') {
        if (previous.status === 'sent') await this.markReminded(row.teamKey, week);
        report.skipped++;
        continue;
      }
      const actions = await this.deps.repos.actions.listByTeam(this.programId, row.teamKey);
      const pending = actionsOnCard(actions, week, this.deps.program.timezone, row).filter((a) => a.status !== 'done' && !answeredIn(a, week, row));
      if (pending.length === 0) {
        report.skipped++;
        continue;
      }
      const target = targetOf(binding);
      const runs = (previous?.runs ?? 0) + 1;
      const base = { key: row.teamKey, channelId: row.channelId, runs, retries: previous?.retries ?? 0 };
      await this.deps.repos.deliveries.save(this.programId, batch, { ...base, status: 'pending', updatedAt: this.deps.clock.now().toISOString() });
      try {
        const message = await this.reminderMessage(target, week, pending);
        const { value } = await withRetry(() => this.deps.messenger.reply(target, row.threadId!, message), this.deps.policy);
        await this.deps.repos.deliveries.save(this.programId, batch, { ...base, status: 'sent', messageId: value.messageId, threadId: row.threadId, updatedAt: this.deps.clock.now().toISOString() });
        await this.markReminded(row.teamKey, week);
        await this.deps.repos.events.append({
          type: 'card',
          kind: 'reminder',
          channelId: row.channelId,
          messageId: value.messageId,
          teamKey: row.teamKey,
          programId: this.programId,
          at: this.deps.clock.now().toISOString(),
          by: 'system',
          source: 'system',
          eventId: `card|reminder|${week}|${row.teamKey}`,
        });
        report.sent++;
      } catch (err) {
        const blocked = err instanceof DeliveryError && err.writesBlocked;
        await this.deps.repos.deliveries.save(this.programId, batch, {
          ...base,
          status: blocked ? 'blocked' : err instanceof DeliveryError && err.mayHaveBeenDelivered ? 'uncertain' : 'failed',
          error: err instanceof DeliveryError ? `${err.status ?? 'network'} ${err.code ?? ''}`.trim() : (err as Error).message,
          updatedAt: this.deps.clock.now().toISOString(),
        });
        if (blocked) await this.deps.repos.teams.markInactive(binding.teamsTeamId, this.deps.clock.now().toISOString());
        this.deps.logger.warn({ err: { message: (err as Error).message }, teamKey: row.teamKey, week }, 'reminder not delivered');
        report.failed++;
      }
    }
    this.deps.logger.info({ week, ...report }, 'reminders done');
    return report;
  }

  private async reminderMessage(target: ChannelTarget, week: string, pending: Action[]): Promise<{ text: string; mentions: Mention[] }> {
    const locale = this.deps.program.locale;
    let roster: RosterMember[] = [];
    try {
      roster = (await withRetry(() => this.deps.messenger.members(target), this.deps.policy)).value;
    } catch (err) {
      this.deps.logger.warn({ err: { message: (err as Error).message }, channelId: target.channelId }, 'could not read the team roster; naming owners in plain text');
    }
    const seen = new Set<string>();
    const mentions: Mention[] = [];
    const names: string[] = [];
    for (const action of pending) {
      const owner = action.owner;
      const email = owner.email?.trim().toLowerCase();
      const member = roster.find(
        (m) =>
          (!!email && [m.email, m.userPrincipalName].some((x) => x?.trim().toLowerCase() === email)) ||
          (!!owner.aadObjectId && m.aadObjectId === owner.aadObjectId),
      );
      const key = member ? `m:${member.id}` : `n:${email || owner.name.trim().toLowerCase()}`;
      if (seen.has(key) || (!member && !owner.name.trim() && !email)) continue;
      seen.add(key);
      if (member) {
        // The mention entity's text must appear verbatim in the message text.
        const name = member.name.replace(/[<>]/g, '');
        mentions.push({ id: member.id, name });
        names.push(`<at>${name}</at>`);
      } else {
        names.push(cleanText(owner.name || owner.email || '').replace(/[<>]/g, ''));
      }
    }
    const and = t(locale, 'checkin.and');
    const joined = names.length <= 1 ? (names[0] ?? '') : `${names.slice(0, -1).join(', ')} ${and} ${names[names.length - 1]}`;
    const text = t(locale, 'checkin.reminder', { week: formatWeek(locale, week), names: joined, count: pending.length, actions: pending.map((a) => a.id).join(', ') });
    return { text, mentions };
  }

  private async markReminded(teamKey: string, week: string): Promise<void> {
    await this.checkInWrites.apply(`${week}|${teamKey}`, (row) => (row.reminderSentAt ? undefined : { ...row, reminderSentAt: this.deps.clock.now().toISOString() }));
  }

  // -- adding and editing actions ---------------------------------------------------------------

  /**
   * Adds (no `actionId`) or edits an action from the form. Logged as an ActionChanged event whose
   * id comes from the request, so a redelivered request neither logs nor creates twice. An edit
   * made from a form opened before someone else's change (`etag` differs) is refused as a
   * conflict rather than overwriting it.
   */
  async saveAction(
    input: { teamKey: string; actionId?: string; etag?: string; values: Partial<ActionFormValues> },
    actor: Actor,
    requestId: string,
  ): Promise<SaveActionOutcome> {
    const team = this.deps.program.teams.find((x) => x.key === input.teamKey);
    if (!team) return { kind: 'unknownTeam' };
    const now = this.deps.clock.now();
    const logWeek = isoWeek(now, this.deps.program.timezone);
    const eventId = `action|${requestId}|${input.actionId ?? 'new'}`;
    const logged = await this.deps.repos.events.get(this.programId, logWeek, eventId);
    const loggedAction = logged?.type === 'action' ? await this.deps.repos.actions.get(this.programId, logged.actionId) : undefined;
    if (loggedAction) return { kind: 'duplicate', action: loggedAction };
    let existing: Action | undefined;
    if (input.actionId) {
      existing = await this.deps.repos.actions.get(this.programId, input.actionId);
      if (!existing || existing.teamKey !== input.teamKey) return { kind: 'unknownAction' };
      if (input.etag && existing.etag !== input.etag) return { kind: 'conflict', action: existing };
    }
    const parsed = parseActionForm(input.values);
    if (!parsed.ok) return { kind: 'invalid', problems: parsed.problems };
    const form = parsed.value;
    const at = now.toISOString();
    const log = async (action: Action, change: ActionChanged['change'], fields: Record<string, unknown>, previous?: Record<string, unknown>) =>
      this.deps.repos.events.append({ type: 'action', actionId: action.id, teamKey: action.teamKey, change, fields, ...(previous ? { previous } : {}), programId: this.programId, at, by: actor.name, source: 'card', eventId });

    if (!existing) {
      const ids = (await this.deps.repos.actions.list(this.programId)).map((a) => a.id);
      for (let skip = 0; ; skip++) {
        const draft: Action = {
          programId: this.programId,
          id: nextActionId(team.actionPrefix, ids, skip),
          teamKey: team.key,
          title: form.title,
          description: form.description,
          owner: form.owner,
          responsibleBody: '',
          due: form.due,
          financing: '',
          status: 'not_started',
          progress: 0,
          indicatorIds: [],
        };
        try {
          const created = await this.deps.repos.actions.create(draft);
          await log(created, 'created', { title: form.title, owner: form.owner, due: form.due ?? null, description: form.description });
          return { kind: 'created', action: created };
        } catch (err) {
          // Someone took the id meanwhile: the next number.
          if (!(err instanceof ConcurrencyError) || skip >= MAX_ATTEMPTS) throw err;
        }
      }
    }

    const fields: Record<string, unknown> = {};
    if (form.title !== existing.title) fields.title = form.title;
    if (form.owner.name !== existing.owner.name || (form.owner.email ?? '') !== (existing.owner.email ?? '')) fields.owner = form.owner;
    if ((form.due ?? '') !== (existing.due ?? '')) fields.due = form.due ?? null;
    if (form.description !== existing.description) fields.description = form.description;
    if (Object.keys(fields).length === 0) return { kind: 'unchanged', action: existing };
    // A changed e-mail means another person: the Teams ids seen for the old owner no longer apply.
    const owner = 'owner' in fields && (form.owner.email ?? '').toLowerCase() !== (existing.owner.email ?? '').toLowerCase() ? form.owner : { ...existing.owner, ...form.owner };
    let updated: Action;
    try {
      updated = await this.deps.repos.actions.update({ ...existing, title: form.title, description: form.description, owner, due: form.due });
    } catch (err) {
      if (!(err instanceof ConcurrencyError)) throw err;
      const latest = await this.deps.repos.actions.get(this.programId, existing.id);
      if (!latest) return { kind: 'unknownAction' };
      return { kind: 'conflict', action: latest };
    }
    // The values before, so a past week's plan can be rebuilt from today's (domain/plan/history.ts).
    const before = existing as unknown as Record<string, unknown>;
    await log(updated, 'updated', fields, Object.fromEntries(Object.keys(fields).map((k) => [k, before[k] ?? null])));
    return { kind: 'updated', action: updated, fields: Object.keys(fields) };
  }
}
