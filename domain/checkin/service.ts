/**
 * The check-in service: one object for the bot and the tests, made of the parts in this folder
 * (posting, answering, reminders), which share one context. No botbuilder here: posting goes
 * through the `Messenger` port and `fanOut`, cards are rendered by an injected renderer.
 */
import type { Actor } from '../card-input';
import type { PostedMessage } from '../delivery';
import type { FanOutReport } from '../delivery';
import type { ChannelBinding, CheckIn } from '../types';
import type { AnswerFields } from './answer';
import { CheckInAnswers, type AnswerOutcome } from './answering';
import { CheckInContext, type CheckInServiceDeps, type TeamChannel } from './context';
import { CheckInPosting, type PostOutcome } from './posting';
import { CheckInReminders, type ReminderReport } from './reminders';
import type { CheckInView } from './view';

export class CheckInService {
  private readonly ctx: CheckInContext;
  private readonly posting: CheckInPosting;
  private readonly answers: CheckInAnswers;
  private readonly reminders: CheckInReminders;

  constructor(deps: CheckInServiceDeps) {
    this.ctx = new CheckInContext(deps);
    this.posting = new CheckInPosting(this.ctx);
    this.answers = new CheckInAnswers(this.ctx);
    this.reminders = new CheckInReminders(this.ctx);
  }

  currentWeek(): string {
    return this.ctx.currentWeek();
  }

  hasTeam(teamKey: string): boolean {
    return this.ctx.hasTeam(teamKey);
  }

  /** The card's content; `checkIn`, when the caller has just read the week's row, spares reading it again. */
  view(teamKey: string, week: string, checkIn?: CheckIn): Promise<CheckInView> {
    return this.ctx.view(teamKey, week, checkIn);
  }

  /** The channel each program team posts to (see CheckInPosting.teamChannels). */
  teamChannels(): Promise<TeamChannel[]> {
    return this.posting.teamChannels();
  }

  /** The scheduled run: one card per team channel that has no check-in this week. */
  postScheduled(week: string): Promise<FanOutReport> {
    return this.posting.postScheduled(week);
  }

  /** Creates or updates the team's CheckIns row with the posted message, and logs CardPosted. */
  recordPosted(teamKey: string, week: string, channelId: string, posted: PostedMessage, by: string): Promise<CheckIn> {
    return this.posting.recordPosted(teamKey, week, channelId, posted, by);
  }

  /** Posts a channel's check-in now (`incheckning`); with `anew`, even when one exists this week. */
  postForChannel(
    binding: ChannelBinding,
    week: string,
    options: { anew: boolean; requestId: string; by: string },
  ): Promise<PostOutcome> {
    return this.posting.postForChannel(binding, week, options);
  }

  /** Replaces the posted card in place with the current state, for everyone. */
  refreshPosted(teamKey: string, week: string, options: { skipMessageId?: string } = {}): Promise<void> {
    return this.posting.refreshPosted(teamKey, week, options);
  }

  /** Records one answer from the card; the same request logs once, however often it arrives. */
  recordAnswer(
    input: { teamKey: string; week: string; actionId: string; fields: AnswerFields },
    actor: Actor,
    requestId: string,
    options: { authorize?: () => Promise<void> } = {},
  ): Promise<AnswerOutcome> {
    return this.answers.recordAnswer(input, actor, requestId, options);
  }

  /** One reminder per check-in of the week that still has unanswered actions. */
  sendReminders(week: string, dueAt?: Date): Promise<ReminderReport> {
    return this.reminders.sendReminders(week, dueAt);
  }
}
