/**
 * The `Messenger` port on the Bot Framework: proactive posts, thread replies, card updates and
 * the team roster, through the adapter's `continueConversationAsync`. Connector errors become
 * `DeliveryError`s (status, Teams error code, Retry-After) for the domain's retry policy; the
 * SDK's own retry policy is off (see adapter.ts) so each attempt is counted once.
 *
 * Every call first waits for the send limiter (the app's limits across instances), then runs
 * with a timeout that aborts the HTTP request: a request left running could still create the
 * message after we gave up on it. A post or reply that may have reached Teams (timeout, broken
 * connection, 500, 504, an answer without an id) is flagged `mayHaveBeenDelivered`, so it is
 * never retried; a card update is idempotent and may be.
 */
import {
  CardFactory,
  TeamsInfo,
  TurnContext,
  type Activity,
  type ConversationReference,
  type Entity,
} from 'botbuilder';
import type { TeamsAdapter } from '@microsoft/teams-ai';
import type { ConnectorClient } from 'botframework-connector';
import {
  type ChannelTarget,
  DeliveryError,
  mayHaveReachedTeams,
  type Messenger,
  type OutgoingMessage,
  type PostedMessage,
  type RosterMember,
  type SendLimiter,
} from '../domain/delivery';
import { toChannel } from './turn';

const SEND_TIMEOUT_MS = 15000;

/** The channel a conversation id belongs to (`<channel>;messageid=<root>` for a thread). */
function channelOf(conversationId: string): string {
  return conversationId.split(';messageid=')[0] ?? conversationId;
}

function headerValue(headers: unknown, name: string): string | undefined {
  if (!headers) return undefined;
  const h = headers as { get?: (n: string) => string | undefined } & Record<string, unknown>;
  if (typeof h.get === 'function') return h.get(name) ?? undefined;
  const v = h[name] ?? h[name.toLowerCase()];
  return typeof v === 'string' ? v : undefined;
}

/**
 * Maps whatever the connector client threw to a DeliveryError. `creates`: the call makes a
 * message, so a failure after which it may exist is flagged as possibly delivered.
 */
function toDeliveryError(err: unknown, creates: boolean): DeliveryError {
  if (err instanceof DeliveryError) return err;
  const e = err as {
    name?: string;
    statusCode?: number;
    status?: number;
    code?: string;
    message?: string;
    response?: { headers?: unknown; parsedBody?: unknown; bodyAsText?: string };
    body?: unknown;
  };
  if (e.name === 'AbortError')
    return new DeliveryError(e.message ?? 'aborted', undefined, 'Aborted', undefined, creates);
  const status = e.statusCode ?? e.status;
  let code: string | undefined;
  const body = (e.response?.parsedBody ?? e.body) as { error?: { code?: string; subCode?: string } } | undefined;
  // Teams puts the specific reason in `subCode` (403 Forbidden / MessageWritesBlocked).
  code = body?.error?.subCode ?? body?.error?.code;
  if (!code && e.response?.bodyAsText) {
    try {
      code = (JSON.parse(e.response.bodyAsText) as { error?: { code?: string } }).error?.code;
    } catch {
      code = undefined;
    }
  }
  const retryAfter = headerValue(e.response?.headers, 'retry-after');
  let retryAfterMs: number | undefined;
  if (retryAfter) {
    const seconds = Number(retryAfter);
    retryAfterMs = Number.isFinite(seconds) ? seconds * 1000 : Math.max(0, new Date(retryAfter).getTime() - Date.now());
  }
  const networkCode = status === undefined ? e.code : undefined;
  return new DeliveryError(
    e.message ?? 'delivery failed',
    status,
    code ?? networkCode,
    retryAfterMs,
    creates && mayHaveReachedTeams(status, networkCode),
  );
}

function toActivity(message: OutgoingMessage): Partial<Activity> {
  const entities: Entity[] = (message.mentions ?? []).map((m) => ({
    type: 'mention',
    text: `<at>${m.name}</at>`,
    mentioned: { id: m.id, name: m.name },
  }));
  return {
    type: 'message',
    text: message.text,
    summary: message.summary,
    attachments: message.card ? [CardFactory.adaptiveCard(message.card)] : undefined,
    entities: entities.length ? entities : undefined,
  };
}

/** A target that is a group or meeting chat (bound as steering there), not a team's channel. */
function isChat(target: ChannelTarget): boolean {
  const type = (target.reference as Partial<ConversationReference> | undefined)?.conversation?.conversationType;
  return type === 'groupChat' || (!target.teamsTeamId && type !== 'channel');
}

function referenceFor(target: ChannelTarget, conversationId: string): Partial<ConversationReference> {
  return toChannel(target.reference as Partial<ConversationReference>, conversationId);
}

interface Call {
  /** The channel or chat whose send limit the call counts against. */
  thread: string;
  /** The call creates a message (post, reply). */
  creates: boolean;
}

export class BotMessenger implements Messenger {
  constructor(
    private readonly adapter: TeamsAdapter,
    private readonly botAppId: string,
    private readonly timeoutMs = SEND_TIMEOUT_MS,
    /** The running bot's send limiter; none in tests that look at single calls. */
    private readonly limiter?: SendLimiter,
  ) {}

  private async inConversation<T>(
    reference: Partial<ConversationReference>,
    call: Call,
    fn: (context: TurnContext, signal: AbortSignal) => Promise<T>,
  ): Promise<T> {
    const release = await this.limiter?.acquire(call.thread);
    let result: T | undefined;
    // The adapter hands errors thrown in the callback to `onTurnError` (set by app.error) and
    // resolves: without catching them here a 429 or 403 would look like success with no result.
    let failed = false;
    let failure: unknown;
    const controller = new AbortController();
    const timeout = new DeliveryError(
      `no answer from the Bot Connector within ${this.timeoutMs} ms; the request was aborted`,
      undefined,
      'Timeout',
      undefined,
      call.creates,
    );
    const timer = setTimeout(() => controller.abort(timeout), this.timeoutMs);
    // Settles (rejects) only on the timeout, also when the adapter hangs before the request.
    const timedOut = new Promise<never>((_, reject) =>
      controller.signal.addEventListener('abort', () => reject(timeout), { once: true }),
    );
    timedOut.catch(() => undefined);
    try {
      await Promise.race([
        this.adapter.continueConversationAsync(this.botAppId, reference, async (context) => {
          try {
            result = await fn(context, controller.signal);
          } catch (err) {
            failed = true;
            failure = err;
          }
        }),
        timedOut,
      ]);
    } catch (err) {
      throw toDeliveryError(err, call.creates);
    } finally {
      clearTimeout(timer);
      // The answer is in (or the wait for it is over): from now on the request has arrived.
      release?.();
    }
    if (failed) throw toDeliveryError(controller.signal.aborted ? timeout : failure, call.creates);
    return result as T;
  }

  /** The connector client botbuilder made for this proactive turn. */
  private client(context: TurnContext): ConnectorClient {
    const adapter = context.adapter as unknown as { ConnectorClientKey: symbol };
    return context.turnState.get(adapter.ConnectorClientKey) as ConnectorClient;
  }

  async post(target: ChannelTarget, message: OutgoingMessage): Promise<PostedMessage> {
    if (isChat(target)) return this.postInChat(target, message);
    // A new thread in a channel is createConversation with the channel id.
    return this.inConversation(
      referenceFor(target, target.channelId),
      { thread: target.channelId, creates: true },
      async (context, abortSignal) => {
        const ref = target.reference as Partial<ConversationReference>;
        const response = await this.client(context).conversations.createConversation(
          {
            isGroup: true,
            bot: ref.bot,
            channelData: { channel: { id: target.channelId } },
            tenantId: ref.conversation?.tenantId,
            activity: toActivity(message) as Activity,
          } as never,
          { abortSignal },
        );
        const messageId = response.activityId ?? (response.id ?? '').split(';messageid=')[1] ?? '';
        // Teams answered success: the message may exist although we cannot name it.
        if (!messageId)
          throw new DeliveryError('the Bot Connector returned no message id', undefined, 'NoId', undefined, true);
        return {
          messageId,
          threadId:
            response.id && response.id.includes(';messageid=')
              ? response.id
              : `${target.channelId};messageid=${messageId}`,
        };
      },
    );
  }

  /** A group or meeting chat (bound as steering) has no threads: the message goes into the chat. */
  private async postInChat(target: ChannelTarget, message: OutgoingMessage): Promise<PostedMessage> {
    return this.inConversation(
      referenceFor(target, target.channelId),
      { thread: target.channelId, creates: true },
      async (context, abortSignal) => {
        const ref = target.reference as Partial<ConversationReference>;
        const response = await this.client(context).conversations.sendToConversation(
          target.channelId,
          { ...toActivity(message), from: ref.bot, conversation: { id: target.channelId } } as Activity,
          { abortSignal },
        );
        if (!response.id)
          throw new DeliveryError('the Bot Connector returned no message id', undefined, 'NoId', undefined, true);
        return { messageId: response.id, threadId: target.channelId };
      },
    );
  }

  async reply(target: ChannelTarget, threadId: string, message: OutgoingMessage): Promise<{ messageId: string }> {
    return this.inConversation(
      referenceFor(target, threadId),
      { thread: channelOf(threadId), creates: true },
      async (context, abortSignal) => {
        const ref = target.reference as Partial<ConversationReference>;
        const response = await this.client(context).conversations.sendToConversation(
          threadId,
          {
            ...toActivity(message),
            from: ref.bot,
            conversation: { id: threadId },
          } as Activity,
          { abortSignal },
        );
        return { messageId: response.id ?? '' };
      },
    );
  }

  async update(target: ChannelTarget, threadId: string, messageId: string, message: OutgoingMessage): Promise<void> {
    await this.inConversation(
      referenceFor(target, threadId),
      { thread: channelOf(threadId), creates: false },
      async (context, abortSignal) => {
        const ref = target.reference as Partial<ConversationReference>;
        await this.client(context).conversations.updateActivity(
          threadId,
          messageId,
          {
            ...toActivity(message),
            id: messageId,
            from: ref.bot,
            conversation: { id: threadId },
          } as Activity,
          { abortSignal },
        );
      },
    );
  }

  async members(target: ChannelTarget): Promise<RosterMember[]> {
    return this.inConversation(
      referenceFor(target, target.channelId),
      { thread: target.channelId, creates: false },
      async (context) => {
        const out: RosterMember[] = [];
        let token: string | undefined;
        do {
          // Each further page is one more request against the limits.
          const release = token ? await this.limiter?.acquire(target.channelId) : undefined;
          const page = await TeamsInfo.getPagedTeamMembers(context, target.teamsTeamId, 500, token).finally(() =>
            release?.(),
          );
          for (const m of page.members) {
            out.push({
              id: m.id,
              aadObjectId: m.aadObjectId,
              name: m.name,
              email: m.email ?? undefined,
              userPrincipalName: m.userPrincipalName ?? undefined,
            });
          }
          token = page.continuationToken;
        } while (token);
        return out;
      },
    );
  }

  /**
   * The person's entry in the channel's own roster (the team's for a standard channel, its own for
   * a private one); undefined when they are not on it (404).
   */
  async channelMember(target: ChannelTarget, userId: string): Promise<RosterMember | undefined> {
    return this.inConversation(
      referenceFor(target, target.channelId),
      { thread: target.channelId, creates: false },
      async (context) => {
        try {
          // The proactive turn's conversation is the channel (no team in its channelData), so this asks that conversation.
          const m = await TeamsInfo.getMember(context, userId);
          return {
            id: m.id,
            aadObjectId: m.aadObjectId,
            name: m.name,
            email: m.email ?? undefined,
            userPrincipalName: m.userPrincipalName ?? undefined,
          };
        } catch (err) {
          if ((err as { statusCode?: number }).statusCode === 404) return undefined;
          throw err;
        }
      },
    );
  }
}
