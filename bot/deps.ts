import type { Config } from '../config/config';
import type { BackgroundTasks, ChannelTarget, Messenger, RosterMember, Scheduler } from '../domain/delivery';
import type { Logger, Repositories } from '../domain/ports';
import type { Telemetry } from '../domain/telemetry';
import type { Clock } from '../domain/time';
import type { Program } from '../domain/types';

/** Everything a flow needs, passed in (no globals), so each flow is testable on its own. */
export interface BotDeps {
  config: Config;
  program: Program;
  repos: Repositories;
  clock: Clock;
  logger: Logger;
  /** Proactive posts (new threads, replies, card updates, roster), and a channel's own roster. */
  messenger: Messenger & { channelMember(target: ChannelTarget, userId: string): Promise<RosterMember | undefined> };
  /** Flows add their scheduled jobs here when they register. */
  scheduler: Scheduler;
  /** Work after the answer (card refreshes, notices); drained on shutdown. */
  background: BackgroundTasks;
  /** Traces and metrics (counts of answers and decisions); records nothing unless configured. */
  telemetry: Telemetry;
}
