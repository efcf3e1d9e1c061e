/**
 * The answer path: one action's answer from the card. The log is the record: every answer is a
 * StatusUpdate event whose id comes from the invoke, so a redelivered invoke logs once; the
 * action's current state is then updated with its ETag (answers to one action combined into one
 * write), and an answer never overwrites a later one.
 */
import { isRetired } from '../actions';
import type { Actor, Problem } from '../card-input';
import { ConcurrencyError, StorageUnavailableError } from '../errors';
import { isoWeek, parseIsoWeek } from '../time';
import type { Action, LogEvent, StatusUpdate } from '../types';
import { parseAnswer, type AnswerFields } from './answer';
import type { CheckInContext, CheckInServiceDeps } from './context';
import type { CheckInView } from './view';

export type AnswerOutcome =
  | { kind: 'saved' | 'duplicate'; view: CheckInView; actionId: string }
  | { kind: 'invalid'; view: CheckInView; problems: Problem[] }
  | { kind: 'unknownAction'; view: CheckInView }
  | { kind: 'unknownTeam' };

/** About half a minute in all: storage that is back by then gets the answer applied. */
const COMPLETION_DELAYS_MS = [500, 1000, 2000, 4000, 8000, 16000] as const;

export class CheckInAnswers {
  constructor(private readonly ctx: CheckInContext) {}

  private get deps(): CheckInServiceDeps {
    return this.ctx.deps;
  }

  private get programId(): string {
    return this.ctx.programId;
  }

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
    if (!this.ctx.hasTeam(input.teamKey)) return { kind: 'unknownTeam' };
    try {
      parseIsoWeek(input.week);
    } catch {
      return {
        kind: 'invalid',
        view: await this.ctx.view(input.teamKey, this.ctx.currentWeek()),
        problems: [{ key: 'checkin.invalid.week', params: { week: input.week.slice(0, 20) } }],
      };
    }
    // The role check (which throws) runs beside the action's read, so the answer path waits no longer for it.
    // The action is read with its team's list: the same read the refreshed cards of everyone
    // answering this team right now make, so concurrent answers share it (storage/coalesce.ts).
    const [teamActions] = await Promise.all([
      this.deps.repos.actions.listByTeam(this.programId, input.teamKey),
      options.authorize?.(),
    ]);
    const action = teamActions.find((a) => a.id === input.actionId);
    // A retired action is no longer asked about; an old card's answer to it is refused like an unknown one.
    if (!action || action.teamKey !== input.teamKey || isRetired(action))
      return { kind: 'unknownAction', view: await this.ctx.view(input.teamKey, input.week) };
    const parsed = parseAnswer(input.fields, action);
    if (!parsed.ok)
      return { kind: 'invalid', view: await this.ctx.view(input.teamKey, input.week), problems: parsed.problems };

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
      if (apply && (action.lastUpdate?.checkInWeek !== input.week || duplicate))
        await this.markAnswered(input.teamKey, input.week, action.id);
      return {
        kind: duplicate ? 'duplicate' : 'saved',
        view: await this.ctx.view(input.teamKey, input.week),
        actionId: action.id,
      };
    } catch (err) {
      // Logged and applied: the answer is saved and shows on the card (the action's lastUpdate),
      // even if the CheckIns row's answered list missed it (a redelivery completes that). Say so,
      // rather than "nothing was saved", or the person sends it again and it is logged twice.
      if (err instanceof StorageUnavailableError)
        throw new StorageUnavailableError(err.message, { ...err.details, saved: true, actionId: action.id });
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
          this.deps.logger.info(
            { actionId: event.actionId, attempt: i + 1 },
            'logged answer applied after storage came back',
          );
          return;
        } catch (err) {
          if (!(err instanceof StorageUnavailableError) && !(err instanceof ConcurrencyError)) throw err;
        }
      }
      this.deps.logger.error(
        { actionId: event.actionId, eventId: event.eventId },
        'a logged answer could not be applied to its action; the log holds it',
      );
    });
  }

  /**
   * Writes the answer into the action's current state unless it is there already or a later
   * answer is. The action names the event it last took (`lastUpdate.eventId`), so two deliveries
   * of one answer (on two instances, both past the log) write it once: whichever comes second,
   * or retries after the first one's write, finds its own event there and leaves the row.
   */
  private async applyAnswer(event: StatusUpdate & LogEvent, duplicate: boolean, known?: Action): Promise<void> {
    await this.ctx.actionWrites.apply(
      event.actionId,
      (current) => {
        const last = current.lastUpdate;
        if (last?.eventId === event.eventId) return undefined;
        // Rows written before actions named their event: the same instant means this answer.
        if (last && (last.at > event.at || (duplicate && !last.eventId && last.at === event.at))) return undefined;
        return {
          ...current,
          status: event.status,
          progress: event.progress,
          lastUpdate: { at: event.at, by: event.by, checkInWeek: event.checkInWeek, eventId: event.eventId },
        };
      },
      known,
    );
  }

  private async markAnswered(teamKey: string, week: string, actionId: string): Promise<void> {
    await this.ctx.checkInWrites.apply(`${week}|${teamKey}`, (row) =>
      row.answeredActionIds.includes(actionId)
        ? undefined
        : { ...row, answeredActionIds: [...row.answeredActionIds, actionId] },
    );
  }
}
