/**
 * A local Bot Connector double for tests: a plain `node:http` server on 127.0.0.1 that answers
 * the `/v3/conversations...` and `/v3/teams/...` calls botframework-connector makes (the ones
 * botbuilder's CloudAdapter, `TurnContext.sendActivity` and `TeamsInfo` use), records every call,
 * and fails on demand (status codes, delays, hangs) or by Teams' per-thread rate limits.
 *
 * Give activities its `url` as `serviceUrl`; the bot then talks to it instead of Teams. Any path
 * prefix before `/v3/` is accepted (Teams service URLs look like `https://smba.../amer/`).
 *
 * Note for code under test: botframework-connector's HTTP pipeline (@azure/core-rest-pipeline
 * default retry policy) itself retries up to 3 times on 429/503 *with* a `Retry-After` header
 * (waiting that long), on 408 and 5xx except 501/505 (exponential, ~1 s base), and on connection
 * errors. A 429 without `Retry-After`, 403 and 412 reach the caller at once. It sets no request
 * timeout: a connector that never answers hangs the call unless the caller aborts it.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { randomBytes } from 'node:crypto';

import { DEFAULT_TEAM, DEFAULT_TENANT_ID, DEFAULT_USER, channelOfConversation } from './activities';
import { LimitWindows, TEAMS_PER_THREAD_LIMITS, type LimitCategory, type RateLimitRule } from './connector-limits';

// ---------------------------------------------------------------------------------------------
// Types
// ---------------------------------------------------------------------------------------------

/** The connector operation a request maps to (botframework-connector's method names). */
export type ConnectorRoute =
  | 'createConversation'
  | 'sendToConversation'
  | 'replyToActivity'
  | 'updateActivity'
  | 'deleteActivity'
  | 'getConversationMembers'
  | 'getConversationMember'
  | 'getConversationPagedMembers'
  | 'getActivityMembers'
  | 'fetchChannelList'
  | 'fetchTeamDetails'
  | 'unknown';

export interface RecordedCall {
  /** 1, 2, 3… in arrival order. */
  seq: number;
  method: string;
  /** Path with each segment URL-decoded (`/v3/conversations/19:abc@thread.tacv2/activities`). */
  path: string;
  /** Path and query exactly as received. */
  rawUrl: string;
  route: ConnectorRoute;
  /** Decoded route parameters. */
  params: { conversationId?: string; activityId?: string; memberId?: string; teamId?: string };
  query: Record<string, string>;
  /** Parsed JSON body (`undefined` when empty; the raw text when it is not JSON). */
  body: unknown;
  /** Request headers, lower-cased names. */
  headers: http.IncomingHttpHeaders;
  hasAuthorization: boolean;
  /** `Date.now()` at arrival. */
  time: number;
  /** Status answered; `undefined` while pending or when the call hung (timeout fault). */
  status?: number;
  responseBody?: unknown;
  /** Headers the double set beyond content-type/length (e.g. `Retry-After`). */
  responseHeaders?: Record<string, string>;
  /** Why the call did not get the normal answer. */
  fault?: 'injected' | 'rateLimited' | 'timeout';
  /** The client closed the connection before the answer was sent (it aborted the request). */
  clientClosed?: boolean;
}

/** What an injected fault answers. */
export interface Fault {
  /** Status to answer. Without it (and without `timeout`) the normal answer is sent, after `delayMs`. */
  status?: number;
  headers?: Record<string, string>;
  /** JSON body; a Bot Framework `{ error: { code, message } }` by default for status >= 400. */
  body?: unknown;
  /** Wait this long before answering. */
  delayMs?: number;
  /** Never answer: hold the request until the client gives up or the double is closed. */
  timeout?: boolean;
}

export type CallMatcher = (call: RecordedCall) => boolean;
export type FaultHook = (call: RecordedCall) => Fault | undefined | null | false;

export interface RosterMember {
  id: string;
  name: string;
  aadObjectId?: string;
  email?: string;
  userPrincipalName?: string;
  tenantId?: string;
  givenName?: string;
  surname?: string;
  userRole?: 'user' | 'guest' | 'anonymous';
}

export interface ChannelInfo {
  id: string;
  /** Teams returns `null` for the General channel (so clients can localize it). */
  name?: string | null;
}

export interface TeamDetailsInfo {
  name?: string;
  aadGroupId?: string;
}

export {
  busiest,
  earliestFinish,
  LimitWindows,
  TEAMS_APP_LIMIT,
  TEAMS_PER_THREAD_LIMITS,
  type LimitedRequest,
  type RateLimitRule,
} from './connector-limits';

export interface ConnectorDoubleOptions {
  /**
   * Roster for `/members` and `/pagedmembers`: one list for every conversation, or a function of
   * the conversation id (the channel part, without `;messageid=`; for a team, the team id).
   * Default: the example payloads' user.
   */
  members?: RosterMember[] | ((conversationId: string) => RosterMember[]);
  /** Channels per team id for `GET /v3/teams/{teamId}/conversations`. Default: General only. */
  channels?: Record<string, ChannelInfo[]>;
  /** Team details per team id for `GET /v3/teams/{teamId}`. */
  teams?: Record<string, TeamDetailsInfo>;
  /** Answer 429 + `Retry-After` beyond Teams' per-thread limits (`TEAMS_PER_THREAD_LIMITS`). */
  enforceTeamsLimits?: boolean;
  /** Custom limits; enforced whenever given (replaces `TEAMS_PER_THREAD_LIMITS`). */
  rateLimits?: readonly RateLimitRule[];
  /** Clock for the rate limiter (ms); `Date.now` by default. */
  now?: () => number;
  /** Path of `url`, e.g. `/amer/` (any prefix before `/v3/` is accepted anyway). Default `/`. */
  basePath?: string;
}

export interface SentActivity {
  /** `create`: first message of a thread made by createConversation; `send`; `reply`. */
  kind: 'create' | 'send' | 'reply';
  /** Conversation the activity landed in (for `create`, the new thread's id). */
  conversationId: string;
  /** The id the double assigned. */
  id: string;
  /** For `reply`: the activity replied to. */
  replyToId?: string;
  /** The activity as the bot sent it. */
  activity: Record<string, unknown>;
  call: RecordedCall;
}

export interface ActivityUpdate {
  conversationId: string;
  activityId: string;
  activity: Record<string, unknown>;
  call: RecordedCall;
}

export interface ActivityDeletion {
  conversationId: string;
  activityId: string;
  call: RecordedCall;
}

export interface ConnectorDouble {
  /** `http://127.0.0.1:PORT/` (with `basePath`): use as `serviceUrl`. */
  readonly url: string;
  readonly port: number;
  /** Every request in arrival order, faults and 404s included. Live array; `reset()` empties it. */
  readonly calls: RecordedCall[];
  /** Activities accepted (2xx) by createConversation, sendToConversation and replyToActivity. */
  sent(): SentActivity[];
  /**
   * Accepted activities in a conversation. A channel id (no `;messageid=`) matches every thread
   * in the channel; a thread id matches that thread only.
   */
  sentTo(conversationId: string): SentActivity[];
  /** Accepted `PUT` activity updates. */
  updates(): ActivityUpdate[];
  /** Accepted `DELETE`s. */
  deletions(): ActivityDeletion[];
  /** The latest content of a message (after updates), or `undefined` if unknown or deleted. */
  message(activityId: string): Record<string, unknown> | undefined;
  /** Calls for one route. */
  callsTo(route: ConnectorRoute): RecordedCall[];
  /** The next `n` requests (that `match`, if given) get `fault` instead of the normal answer. */
  failNext(n: number, fault: Fault, match?: CallMatcher): void;
  /** A hook consulted for every request; return a fault to inject it. Returns a remover. */
  faultFor(hook: FaultHook): () => void;
  /** Forgets calls, messages, pending faults, hooks and rate-limit windows. Keeps options. */
  reset(): void;
  /** Stops the server, dropping requests held by timeout faults. */
  close(): Promise<void>;
}

// ---------------------------------------------------------------------------------------------
// Fault presets
// ---------------------------------------------------------------------------------------------

export const faults = {
  /** 429 with `Retry-After` in seconds (the connector client then retries by itself). */
  tooManyRequests(retryAfterSeconds = 1): Fault {
    return {
      status: 429,
      headers: { 'Retry-After': String(retryAfterSeconds) },
      body: errorBody('TooManyRequests', 'Too many requests.'),
    };
  },
  /** 429 with no `Retry-After`: the connector client does not retry it. */
  tooManyRequestsNoRetryAfter(): Fault {
    return { status: 429, body: errorBody('TooManyRequests', 'Too many requests.') };
  },
  /** 5xx (502 by default); the connector client retries 5xx other than 501/505. */
  serverError(status = 502): Fault {
    return { status, body: errorBody('ServiceError', `Upstream failure (${status}).`) };
  },
  preconditionFailed(): Fault {
    return { status: 412, body: errorBody('PreconditionFailed', 'Precondition failed.') };
  },
  /** 403 as documented when the bot was removed or blocked (`subCode: MessageWritesBlocked`). */
  messageWritesBlocked(): Fault {
    return {
      status: 403,
      body: {
        error: {
          code: 'Forbidden',
          subCode: 'MessageWritesBlocked',
          message: 'The bot is not part of the conversation roster.',
        },
      },
    };
  },
  /** Never answer (until the client aborts or the double closes). */
  timeout(): Fault {
    return { timeout: true };
  },
  /** Answer normally, late. */
  slow(delayMs: number): Fault {
    return { delayMs };
  },
} as const;

function errorBody(code: string, message: string): { error: { code: string; message: string } } {
  return { error: { code, message } };
}

const STATUS_CODES: Record<number, string> = {
  400: 'BadArgument',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'NotFound',
  408: 'RequestTimeout',
  412: 'PreconditionFailed',
  429: 'TooManyRequests',
};

// ---------------------------------------------------------------------------------------------
// Implementation
// ---------------------------------------------------------------------------------------------

interface StoredMessage {
  conversationId: string;
  activity: Record<string, unknown>;
  deleted: boolean;
}

interface PendingFault {
  remaining: number;
  fault: Fault;
  match?: CallMatcher;
}

interface Answer {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
}

const ROUTE_CATEGORY: Record<ConnectorRoute, LimitCategory | undefined> = {
  createConversation: 'create',
  sendToConversation: 'send',
  replyToActivity: 'send',
  // "All requests are subject to the same rate limiting policy": edits count as sends.
  updateActivity: 'send',
  deleteActivity: 'send',
  getConversationMembers: 'members',
  getConversationMember: 'members',
  getConversationPagedMembers: 'members',
  getActivityMembers: 'members',
  fetchChannelList: 'conversations',
  fetchTeamDetails: 'conversations',
  unknown: undefined,
};

export async function startConnectorDouble(options: ConnectorDoubleOptions = {}): Promise<ConnectorDouble> {
  const now = options.now ?? Date.now;
  const rules: readonly RateLimitRule[] | undefined =
    options.rateLimits ?? (options.enforceTeamsLimits ? TEAMS_PER_THREAD_LIMITS : undefined);
  const basePath = normalizeBasePath(options.basePath ?? '/');

  const calls: RecordedCall[] = [];
  const sentList: SentActivity[] = [];
  const updateList: ActivityUpdate[] = [];
  const deletionList: ActivityDeletion[] = [];
  const messages = new Map<string, StoredMessage>();
  let pending: PendingFault[] = [];
  let hooks: FaultHook[] = [];
  /** Arrival times of the accepted requests, by rule and thread. */
  const windows = rules === undefined ? undefined : new LimitWindows(rules);
  const held = new Set<http.ServerResponse>();
  /** Timers of delay faults, so close() does not wait for them. */
  const timers = new Map<NodeJS.Timeout, () => void>();
  const sleep = (ms: number): Promise<void> =>
    new Promise((resolve) => {
      const timer = setTimeout(() => {
        timers.delete(timer);
        resolve();
      }, ms);
      timers.set(timer, resolve);
    });
  let seq = 0;
  // Teams message ids are epoch-millisecond numbers; start near now and count up so they sort.
  let nextMessageId = Date.now();

  const newMessageId = (): string => String(++nextMessageId);

  function rosterFor(conversationId: string): RosterMember[] {
    const m = options.members;
    if (m === undefined) return [{ ...DEFAULT_USER, tenantId: DEFAULT_TENANT_ID, userRole: 'user' }];
    return typeof m === 'function' ? m(channelOfConversation(conversationId)) : m;
  }

  function channelsFor(teamId: string): ChannelInfo[] {
    return options.channels?.[teamId] ?? [{ id: teamId, name: null }];
  }

  function teamDetails(teamId: string): Record<string, unknown> {
    const configured = options.teams?.[teamId];
    const isDefault = teamId === DEFAULT_TEAM.id;
    return {
      id: teamId,
      name: configured?.name ?? (isDefault ? DEFAULT_TEAM.name : 'Team'),
      aadGroupId: configured?.aadGroupId ?? (isDefault ? DEFAULT_TEAM.aadGroupId : undefined),
      channelCount: channelsFor(teamId).length,
      memberCount: rosterFor(teamId).length,
      type: 'standard',
    };
  }

  // -- rate limiting ----------------------------------------------------------------------------

  function threadKey(call: RecordedCall): string {
    if (call.params.teamId !== undefined) return call.params.teamId;
    if (call.params.conversationId !== undefined) return channelOfConversation(call.params.conversationId);
    const body = asRecord(call.body);
    const channelId = asRecord(asRecord(body?.channelData)?.channel)?.id;
    if (typeof channelId === 'string') return channelId;
    const members = body?.members;
    if (Array.isArray(members) && typeof asRecord(members[0])?.id === 'string') {
      return String(asRecord(members[0])?.id);
    }
    return '(none)';
  }

  /** Retry-After in seconds when a limit is exceeded; otherwise counts the call and returns undefined. */
  function checkRateLimit(call: RecordedCall): number | undefined {
    if (windows === undefined) return undefined;
    const category = ROUTE_CATEGORY[call.route];
    if (category === undefined) return undefined;
    const t = now();
    const key = threadKey(call);
    const waitMs = windows.waitMs(category, key, t);
    if (waitMs > 0) return Math.max(1, Math.ceil(waitMs / 1000));
    windows.count(category, key, t);
    return undefined;
  }

  // -- routing ------------------------------------------------------------------------------------

  function classify(method: string, segments: string[]): Pick<RecordedCall, 'route' | 'params'> {
    const v3 = segments.indexOf('v3');
    const s = v3 < 0 ? [] : segments.slice(v3 + 1);
    const [a, b, c, d, e] = s;
    if (a === 'conversations') {
      if (s.length === 1 && method === 'POST') return { route: 'createConversation', params: {} };
      const conversationId = b;
      if (conversationId !== undefined && c === 'activities') {
        if (s.length === 3 && method === 'POST') return { route: 'sendToConversation', params: { conversationId } };
        if (s.length === 4 && d !== 'history') {
          const params = { conversationId, activityId: d };
          if (method === 'POST') return { route: 'replyToActivity', params };
          if (method === 'PUT') return { route: 'updateActivity', params };
          if (method === 'DELETE') return { route: 'deleteActivity', params };
        }
        if (s.length === 5 && e === 'members' && method === 'GET') {
          return { route: 'getActivityMembers', params: { conversationId, activityId: d } };
        }
      }
      if (conversationId !== undefined && method === 'GET') {
        if (s.length === 3 && c === 'members') return { route: 'getConversationMembers', params: { conversationId } };
        if (s.length === 4 && c === 'members') {
          return { route: 'getConversationMember', params: { conversationId, memberId: d } };
        }
        if (s.length === 3 && c === 'pagedmembers') {
          return { route: 'getConversationPagedMembers', params: { conversationId } };
        }
      }
    }
    if (a === 'teams' && b !== undefined && method === 'GET') {
      if (s.length === 2) return { route: 'fetchTeamDetails', params: { teamId: b } };
      if (s.length === 3 && c === 'conversations') return { route: 'fetchChannelList', params: { teamId: b } };
    }
    return { route: 'unknown', params: {} };
  }

  function normalAnswer(call: RecordedCall): Answer {
    const body = asRecord(call.body);
    const p = call.params;
    switch (call.route) {
      case 'createConversation': {
        if (body === undefined)
          return { status: 400, body: errorBody('BadArgument', 'Missing ConversationParameters.') };
        const channelId = asRecord(asRecord(body.channelData)?.channel)?.id;
        const activity = asRecord(body.activity);
        const activityId = newMessageId();
        let conversationId: string;
        if (typeof channelId === 'string' && channelId.length > 0) {
          // Teams: a new channel thread's conversation id is `<channel>;messageid=<root id>`.
          conversationId = `${channelId};messageid=${activityId}`;
        } else if (body.isGroup === true) {
          conversationId = `19:${randomBytes(16).toString('hex')}@thread.v2`;
        } else {
          conversationId = `a:1${randomBytes(24).toString('base64url')}`;
        }
        if (activity !== undefined) {
          sentList.push({ kind: 'create', conversationId, id: activityId, activity, call });
          messages.set(activityId, { conversationId, activity, deleted: false });
        }
        const answer: Record<string, unknown> = { id: conversationId };
        if (activity !== undefined) answer.activityId = activityId;
        return { status: 201, body: answer };
      }
      case 'sendToConversation':
      case 'replyToActivity': {
        if (body === undefined) return { status: 400, body: errorBody('BadArgument', 'Missing activity.') };
        const conversationId = p.conversationId ?? '';
        const id = newMessageId();
        const entry: SentActivity = {
          kind: call.route === 'replyToActivity' ? 'reply' : 'send',
          conversationId,
          id,
          activity: body,
          call,
        };
        if (p.activityId !== undefined) entry.replyToId = p.activityId;
        sentList.push(entry);
        messages.set(id, { conversationId, activity: body, deleted: false });
        return { status: 201, body: { id } };
      }
      case 'updateActivity': {
        if (body === undefined) return { status: 400, body: errorBody('BadArgument', 'Missing activity.') };
        const activityId = p.activityId ?? '';
        const conversationId = p.conversationId ?? '';
        updateList.push({ conversationId, activityId, activity: body, call });
        const stored = messages.get(activityId);
        if (stored !== undefined) stored.activity = body;
        else messages.set(activityId, { conversationId, activity: body, deleted: false });
        return { status: 200, body: { id: activityId } };
      }
      case 'deleteActivity': {
        const activityId = p.activityId ?? '';
        deletionList.push({ conversationId: p.conversationId ?? '', activityId, call });
        const stored = messages.get(activityId);
        if (stored !== undefined) stored.deleted = true;
        return { status: 200 };
      }
      case 'getConversationMembers':
      case 'getActivityMembers':
        return { status: 200, body: rosterFor(p.conversationId ?? '') };
      case 'getConversationMember': {
        const memberId = p.memberId ?? '';
        const member = rosterFor(p.conversationId ?? '').find((m) => m.id === memberId || m.aadObjectId === memberId);
        if (member === undefined) {
          return {
            status: 404,
            body: errorBody('MemberNotFoundInConversation', 'The member could not be found in the conversation.'),
          };
        }
        return { status: 200, body: member };
      }
      case 'getConversationPagedMembers': {
        const roster = rosterFor(p.conversationId ?? '');
        const pageSize = clampInt(call.query.pageSize, 1, 500, 200);
        const start = clampInt(call.query.continuationToken, 0, roster.length, 0);
        const page = roster.slice(start, start + pageSize);
        const out: Record<string, unknown> = { members: page };
        if (start + pageSize < roster.length) out.continuationToken = String(start + pageSize);
        return { status: 200, body: out };
      }
      case 'fetchChannelList':
        return { status: 200, body: { conversations: channelsFor(p.teamId ?? '') } };
      case 'fetchTeamDetails':
        return { status: 200, body: teamDetails(p.teamId ?? '') };
      case 'unknown':
        return {
          status: 404,
          body: errorBody('NotFound', `Connector double has no route for ${call.method} ${call.path}.`),
        };
    }
  }

  function pickFault(call: RecordedCall): Fault | undefined {
    for (const p of pending) {
      if (p.remaining > 0 && (p.match === undefined || p.match(call))) {
        p.remaining -= 1;
        pending = pending.filter((x) => x.remaining > 0);
        return p.fault;
      }
    }
    for (const hook of hooks) {
      const f = hook(call);
      if (f) return f;
    }
    return undefined;
  }

  // -- HTTP -----------------------------------------------------------------------------------------

  function send(res: http.ServerResponse, call: RecordedCall, answer: Answer): void {
    call.status = answer.status;
    call.responseBody = answer.body;
    if (answer.headers !== undefined) call.responseHeaders = { ...answer.headers };
    held.delete(res);
    if (res.destroyed || res.writableEnded) return;
    const headers: Record<string, string> = { ...answer.headers };
    let payload = '';
    if (answer.body !== undefined) {
      payload = JSON.stringify(answer.body);
      headers['content-type'] = 'application/json; charset=utf-8';
    }
    headers['content-length'] = String(Buffer.byteLength(payload));
    res.writeHead(answer.status, headers);
    res.end(payload);
  }

  async function handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const rawUrl = req.url ?? '/';
    const parsed = new URL(rawUrl, 'http://127.0.0.1');
    const segments = parsed.pathname
      .split('/')
      .filter((x) => x.length > 0)
      .map(safeDecode);
    const method = (req.method ?? 'GET').toUpperCase();
    const text = await readBody(req);
    let body: unknown = undefined;
    let badJson = false;
    if (text.length > 0) {
      try {
        body = JSON.parse(text);
      } catch {
        body = text;
        badJson = true;
      }
    }
    const query: Record<string, string> = {};
    parsed.searchParams.forEach((v, k) => {
      query[k] = v;
    });
    const call: RecordedCall = {
      seq: ++seq,
      method,
      path: `/${segments.join('/')}`,
      rawUrl,
      ...classify(method, segments),
      query,
      body,
      headers: req.headers,
      hasAuthorization: typeof req.headers.authorization === 'string' && req.headers.authorization.length > 0,
      time: Date.now(),
    };
    calls.push(call);
    held.add(res);
    res.on('close', () => {
      if (!res.writableEnded) call.clientClosed = true;
    });

    const fault = pickFault(call);
    if (fault !== undefined) {
      if (fault.timeout) {
        call.fault = 'timeout';
        res.on('close', () => held.delete(res));
        return;
      }
      if (fault.delayMs !== undefined && fault.delayMs > 0) await sleep(fault.delayMs);
      if (fault.status !== undefined) {
        call.fault = 'injected';
        const defaultBody =
          fault.status >= 400
            ? errorBody(STATUS_CODES[fault.status] ?? 'ServiceError', `Injected ${fault.status}.`)
            : undefined;
        send(res, call, { status: fault.status, headers: fault.headers, body: fault.body ?? defaultBody });
        return;
      }
    }
    if (badJson) {
      send(res, call, { status: 400, body: errorBody('BadSyntax', 'Request body is not JSON.') });
      return;
    }
    const retryAfter = checkRateLimit(call);
    if (retryAfter !== undefined) {
      call.fault = 'rateLimited';
      send(res, call, {
        status: 429,
        headers: { 'Retry-After': String(retryAfter) },
        body: errorBody('TooManyRequests', 'Rate limit exceeded for this bot in this thread.'),
      });
      return;
    }
    send(res, call, normalAnswer(call));
  }

  const server = http.createServer((req, res) => {
    handle(req, res).catch((err: unknown) => {
      if (!res.headersSent && !res.destroyed) {
        res.writeHead(500, { 'content-type': 'application/json' });
        res.end(JSON.stringify(errorBody('InternalError', `Connector double failed: ${String(err)}`)));
      }
    });
  });
  server.keepAliveTimeout = 1_000;

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  const port = (server.address() as AddressInfo).port;

  const isAccepted = (c: RecordedCall): boolean => c.status !== undefined && c.status >= 200 && c.status < 300;

  return {
    url: `http://127.0.0.1:${port}${basePath}`,
    port,
    calls,
    sent: () => sentList.filter((s) => isAccepted(s.call)),
    sentTo: (conversationId) =>
      sentList.filter(
        (s) =>
          isAccepted(s.call) &&
          (s.conversationId === conversationId ||
            (!conversationId.includes(';messageid=') && channelOfConversation(s.conversationId) === conversationId)),
      ),
    updates: () => updateList.filter((u) => isAccepted(u.call)),
    deletions: () => deletionList.filter((d) => isAccepted(d.call)),
    message: (activityId) => {
      const m = messages.get(activityId);
      return m === undefined || m.deleted ? undefined : m.activity;
    },
    callsTo: (route) => calls.filter((c) => c.route === route),
    failNext: (n, fault, match) => {
      if (!Number.isInteger(n) || n < 1) throw new RangeError(`failNext: n must be a positive integer, got ${n}`);
      pending.push({ remaining: n, fault, match });
    },
    faultFor: (hook) => {
      hooks.push(hook);
      return () => {
        hooks = hooks.filter((h) => h !== hook);
      };
    },
    reset: () => {
      calls.length = 0;
      sentList.length = 0;
      updateList.length = 0;
      deletionList.length = 0;
      messages.clear();
      pending = [];
      hooks = [];
      windows?.clear();
    },
    close: async () => {
      for (const [timer, resolve] of timers) {
        clearTimeout(timer);
        resolve();
      }
      timers.clear();
      for (const res of held) res.destroy();
      held.clear();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

// ---------------------------------------------------------------------------------------------
// Small helpers
// ---------------------------------------------------------------------------------------------

function normalizeBasePath(p: string): string {
  const trimmed = p.replace(/^\/+|\/+$/g, '');
  return trimmed.length === 0 ? '/' : `/${trimmed}/`;
}

function safeDecode(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}

function asRecord(v: unknown): Record<string, unknown> | undefined {
  return typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Record<string, unknown>) : undefined;
}

function clampInt(raw: string | undefined, min: number, max: number, fallback: number): number {
  const n = raw === undefined ? NaN : Number.parseInt(raw, 10);
  if (!Number.isFinite(n)) return fallback;
  return Math.min(max, Math.max(min, n));
}

function readBody(req: http.IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}
