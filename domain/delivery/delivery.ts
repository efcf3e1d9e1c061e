/**
 * Posting to Teams, as the domain sees it: a `Messenger` port, the error it throws, and the retry
 * policy for the Teams send limits: 429 honours `Retry-After`, 408/412/502/503 (and, for calls
 * that create nothing, 500/504 and timeouts) back off exponentially with jitter, 403
 * `MessageWritesBlocked` stops at once. A call that created a message and may have reached Teams
 * (no answer in time, the connection lost after the request went out, 500, 504) is never retried:
 * Teams has no idempotency key, so a retry could post it twice.
 */

/** Where to post: the stored, opaque conversation reference of a channel. */
export interface ChannelTarget {
  teamsTeamId: string;
  channelId: string;
  reference: unknown;
}

/** Where to post for a linked channel (a binding, or anything shaped like one). */
export function targetOf(binding: ChannelTarget): ChannelTarget {
  return { teamsTeamId: binding.teamsTeamId, channelId: binding.channelId, reference: binding.reference };
}

export interface PostedMessage {
  messageId: string;
  /** Conversation id of the new thread: `<channelId>;messageid=<messageId>`. */
  threadId: string;
}

export interface Mention {
  /** Teams user id (29:…) or Entra object id. */
  id: string;
  name: string;
}

export interface OutgoingMessage {
  text?: string;
  mentions?: Mention[];
  card?: object;
  summary?: string;
}

export interface RosterMember {
  id: string;
  aadObjectId?: string;
  name: string;
  email?: string;
  userPrincipalName?: string;
}

export interface Messenger {
  /** Starts a new thread in the channel. */
  post(target: ChannelTarget, message: OutgoingMessage): Promise<PostedMessage>;
  /** Replies in an existing thread. */
  reply(target: ChannelTarget, threadId: string, message: OutgoingMessage): Promise<{ messageId: string }>;
  /** Replaces a posted card in place. */
  update(target: ChannelTarget, threadId: string, messageId: string, message: OutgoingMessage): Promise<void>;
  /** Members of the team the channel belongs to. */
  members(target: ChannelTarget): Promise<RosterMember[]>;
}

export class DeliveryError extends Error {
  constructor(
    message: string,
    readonly status: number | undefined,
    readonly code: string | undefined,
    readonly retryAfterMs: number | undefined,
    /**
     * The call creates a message (post, reply) and may have reached Teams although it did not
     * answer with success: it must not be sent again automatically.
     */
    readonly mayHaveBeenDelivered = false,
  ) {
    super(message);
    this.name = 'DeliveryError';
  }

  /** The bot was removed from the team or conversation: stop posting there. */
  get writesBlocked(): boolean {
    return (
      this.status === 403 &&
      (this.code === 'MessageWritesBlocked' ||
        this.code === 'ConversationBlockedByUser' ||
        this.code === 'BotNotInConversationRoster')
    );
  }

  get retryable(): boolean {
    if (this.mayHaveBeenDelivered) return false;
    if (this.status === undefined) return true; // network error before the request went out, or a call that creates nothing
    return [408, 412, 429, 500, 502, 503, 504].includes(this.status);
  }
}

/**
 * Failures after which a request may have been carried out by Teams: 500 and 504 (the service or
 * its gateway gave up, perhaps after the message was stored), no answer in time, a connection
 * that broke or was aborted after the request was written, and a success answer that lacked the
 * message id. A refused connection, a name that did not resolve, 408, 412, 429, 502 and 503 are
 * answered before anything is created: they may be retried.
 */
const UNCERTAIN_CODES = new Set([
  'Timeout',
  'Aborted',
  'NoId',
  'ECONNRESET',
  'EPIPE',
  'ETIMEDOUT',
  'ESOCKETTIMEDOUT',
  'ECONNABORTED',
  'REQUEST_SEND_ERROR',
]);

export function mayHaveReachedTeams(status: number | undefined, code: string | undefined): boolean {
  if (status !== undefined) return status === 500 || status === 504;
  return code !== undefined && UNCERTAIN_CODES.has(code);
}

export interface RetryPolicy {
  /** Attempts in all, including the first. */
  attempts: number;
  baseDelayMs: number;
  maxDelayMs: number;
  sleep(ms: number): Promise<void>;
  random(): number;
}

export const defaultRetryPolicy: RetryPolicy = {
  attempts: 5,
  baseDelayMs: 500,
  maxDelayMs: 30000,
  sleep: (ms) => new Promise((r) => setTimeout(r, ms)),
  random: Math.random,
};

/** Delay before retry number `retry` (1-based): `Retry-After` when given, else exponential with full jitter. */
export function retryDelay(err: DeliveryError, retry: number, policy: RetryPolicy): number {
  if (err.retryAfterMs !== undefined)
    return Math.min(policy.maxDelayMs, err.retryAfterMs + Math.floor(policy.random() * 250));
  const cap = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (retry - 1));
  return Math.floor(cap / 2 + policy.random() * (cap / 2));
}

export interface RetryOutcome<T> {
  value: T;
  retries: number;
}

/** Runs `fn`, retrying retryable DeliveryErrors; the last error is thrown with `retries` attached. */
export async function withRetry<T>(
  fn: () => Promise<T>,
  policy: RetryPolicy = defaultRetryPolicy,
  onRetry?: (err: DeliveryError, delayMs: number) => void,
): Promise<RetryOutcome<T>> {
  for (let attempt = 1; ; attempt++) {
    try {
      return { value: await fn(), retries: attempt - 1 };
    } catch (err) {
      if (!(err instanceof DeliveryError) || !err.retryable || attempt >= policy.attempts) {
        if (err instanceof Error) (err as Error & { retries?: number }).retries = attempt - 1;
        throw err;
      }
      const delay = retryDelay(err, attempt, policy);
      onRetry?.(err, delay);
      await policy.sleep(delay);
    }
  }
}
