/**
 * Getting messages out to Teams, as the domain sees it. Code outside this folder imports delivery
 * from here.
 *
 * Inside: ./delivery.ts is the messenger port, its error and the retry policy; ./fanout.ts posts
 * one message to many channels with a delivery record per target (./records.ts), so a crash
 * half-way resumes without posting twice; ./rate-limit.ts keeps the app's send limits across
 * instances; ./scheduler.ts runs the weekly jobs once per occurrence; ./background.ts tracks the
 * work that follows a request without holding up its answer.
 */
export {
  DeliveryError,
  defaultRetryPolicy,
  mayHaveReachedTeams,
  retryDelay,
  targetOf,
  withRetry,
  type ChannelTarget,
  type Mention,
  type Messenger,
  type OutgoingMessage,
  type PostedMessage,
  type RetryOutcome,
  type RetryPolicy,
  type RosterMember,
} from './delivery';
export type { DeliveryRecord, DeliveryRepository, DeliveryStatus } from './records';
export {
  DEFAULT_FANOUT_CONCURRENCY,
  DEFAULT_LEASE_MS,
  fanOut,
  type FanOutItem,
  type FanOutOptions,
  type FanOutReport,
} from './fanout';
export {
  InstanceRegistry,
  RateLimiter,
  TEAMS_RATE_RULES,
  type AcquireOptions,
  type InstanceRegistryOptions,
  type InstanceRepository,
  type RateLimiterOptions,
  type RateRule,
  type Release,
  type SendLimiter,
} from './rate-limit';
export {
  latestOccurrence,
  nextOccurrence,
  Scheduler,
  type JobRunRepository,
  type LeaseRepository,
  type Occurrence,
  type ScheduledJob,
  type SchedulerDeps,
} from './scheduler';
export { BackgroundTasks } from './background';
export { broadcastCard, type Broadcast, type BroadcastDeps } from './broadcast';
