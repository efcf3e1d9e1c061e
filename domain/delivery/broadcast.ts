/**
 * One card to every conversation bound to a role (the weekly digest to the comms channels, the
 * brief to the steering conversations): a fan-out with one delivery record per conversation and
 * batch, and each post kept in the log as a `card` event.
 */
import type { Clock } from '../time';
import type { Logger, Repositories } from '../ports';
import type { CardPosted } from '../types';
import { type ChannelTarget, type Messenger, type OutgoingMessage, targetOf } from './delivery';
import { fanOut, type FanOutReport } from './fanout';

export interface BroadcastDeps {
  programId: string;
  messenger: Messenger;
  repos: Pick<Repositories, 'deliveries' | 'teams' | 'events'>;
  clock: Clock;
  logger: Logger;
}

export interface Broadcast {
  kind: CardPosted['kind'];
  /** Names the batch, e.g. `digest|2026-W48`: each conversation gets it once. */
  batch: string;
  bindings: readonly ChannelTarget[];
  /** Built once, and only if some conversation still needs it (a resumed run may have nothing to do). */
  message: () => Promise<OutgoingMessage>;
}

export async function broadcastCard(deps: BroadcastDeps, b: Broadcast): Promise<FanOutReport> {
  let message: Promise<OutgoingMessage> | undefined;
  return fanOut({
    programId: deps.programId,
    batch: b.batch,
    items: b.bindings.map((binding) => ({
      key: binding.channelId,
      target: targetOf(binding),
      message: () => (message ??= b.message()),
    })),
    messenger: deps.messenger,
    deliveries: deps.repos.deliveries,
    teams: deps.repos.teams,
    clock: deps.clock,
    logger: deps.logger,
    onPosted: async (item, posted) => {
      await deps.repos.events.append({
        type: 'card',
        kind: b.kind,
        channelId: item.target.channelId,
        messageId: posted.messageId,
        programId: deps.programId,
        at: deps.clock.now().toISOString(),
        by: 'system',
        source: 'system',
        eventId: `${b.batch}|${item.key}`,
      });
    },
  });
}
