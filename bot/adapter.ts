/**
 * The Bot Framework adapter. Anonymous when no app id is configured (local use, Agents
 * Playground, tests); otherwise botbuilder validates every incoming token against the Bot
 * Framework's OpenID metadata (overridable for tests and sovereign clouds). The bot's own calls
 * to the Bot Connector are signed with the app's password (MultiTenant, SingleTenant) or with a
 * token of its user-assigned managed identity (UserAssignedMSI).
 */
// From its own module: the package's index also loads the AI side (openai, the tokenizers,
// the planners), which the bot uses only for the digest's summary (bot/ai-summary.ts loads it).
import { TeamsAdapter } from '@microsoft/teams-ai/lib/TeamsAdapter';
import {
  AuthenticationError,
  JwtTokenProviderFactory,
  ManagedIdentityServiceClientCredentialsFactory,
  type BotFrameworkAuthentication,
  type ConnectorClient,
  type ConnectorFactory,
  type IJwtTokenProviderFactory,
  type ServiceClientCredentialsFactory,
  type UserTokenClient,
} from 'botframework-connector';
import type { Config } from '../config/config';
import { appIdOf, ClientCache } from './client-cache';
import { performance } from 'node:perf_hooks';
import { mayHaveReachedTeams, type SendLimiter } from '../domain/delivery';
import type { Logger } from '../domain/ports';
import { noTelemetry, type Telemetry } from '../domain/telemetry';

export interface AdapterOptions {
  /** The running bot's send limiter: every request a turn makes to the Bot Connector waits for it. */
  limiter?: SendLimiter;
  /**
   * Where a user-assigned managed identity gets its tokens. Default: botbuilder's own
   * `JwtTokenProviderFactory` (a `DefaultAzureCredential` for the identity's client id).
   */
  tokenProviderFactory?: IJwtTokenProviderFactory;
  /** Hears one `send` line per post, update or delete to the Bot Connector; none: no lines. */
  logger?: Logger;
  /** A span and counts per send; none: nothing recorded. */
  telemetry?: Telemetry;
}

export function createAdapter(config: Config, options: AdapterOptions = {}): TeamsAdapter {
  const auth = config.auth;
  const settings: Record<string, string | boolean> = {};
  if (auth.appId) {
    settings.MicrosoftAppId = auth.appId;
    settings.MicrosoftAppType = auth.appType;
    if (auth.appPassword) settings.MicrosoftAppPassword = auth.appPassword;
    if (auth.tenantId) settings.MicrosoftAppTenantId = auth.tenantId;
  }
  if (auth.openIdMetadata) settings.ToBotFromChannelOpenIdMetadataUrl = auth.openIdMetadata;
  if (auth.tokenIssuer) settings.ToBotFromChannelTokenIssuer = auth.tokenIssuer;
  const adapter = new TeamsAdapter(settings as never, credentialsFactory(config, options));
  hardenAuthentication(adapter, options);
  return adapter;
}

/**
 * botbuilder 4.23 builds the same for `MicrosoftAppType: UserAssignedMsi` itself
 * (ConfigurationServiceClientCredentialFactory), but only asserts the app id, the tenant id and
 * an empty password when the adapter is constructed; config/config.ts refuses those earlier and in
 * words. Built here the factory is explicit, and its token provider can be given. Undefined: the
 * configuration's own factory (the password flows, or none when anonymous).
 */
function credentialsFactory(config: Config, options: AdapterOptions): ServiceClientCredentialsFactory | undefined {
  const { appId, appType } = config.auth;
  if (appType !== 'UserAssignedMSI' || !appId) return undefined;
  return new ManagedIdentityServiceClientCredentialsFactory(
    appId,
    options.tokenProviderFactory ?? new JwtTokenProviderFactory(),
  );
}

/** jsonwebtoken's refusals (bad signature, `nbf` in the future, `alg: none`, wrong algorithm). */
const JWT_REFUSALS = new Set(['JsonWebTokenError', 'NotBeforeError', 'TokenExpiredError']);

/**
 * Two fixes on botbuilder's authentication object, proven by test/trust:
 * - botframework-connector lets jsonwebtoken's errors through as plain errors, which CloudAdapter
 *   answers 500 (and the Bot Connector retries); they are refusals: 401.
 * - The connector client's `noRetryPolicy` option is ignored in 4.23 (its ServiceClientContext
 *   builds a default @azure/core-rest-pipeline with up to 3 retries). Proactive clients (the
 *   messenger's) drop that retry policy: domain/delivery/delivery.ts withRetry counts and spaces retries,
 *   and the SDK's would multiply them. Clients for replies inside a turn get a retry policy of
 *   ours instead (nothing else retries them) that never repeats a POST which may have created a
 *   message, and wait for the send limiter before each request.
 * Both kinds of client get the send observer (one log line, span and count per send).
 *
 * And one saving: the clients for turns and the user token clients are made once per app id,
 * service URL and audience and kept (ClientCache), rather than built anew for every turn.
 */
function hardenAuthentication(adapter: TeamsAdapter, options: AdapterOptions): void {
  const auth = (adapter as unknown as { botFrameworkAuthentication: BotFrameworkAuthentication })
    .botFrameworkAuthentication;
  const authenticateRequest = auth.authenticateRequest.bind(auth);
  const turnClients = new ClientCache<ConnectorClient>();
  auth.authenticateRequest = async (activity, authHeader) => {
    try {
      const result = await authenticateRequest(activity, authHeader);
      if (result.connectorFactory)
        result.connectorFactory = forTurns(
          result.connectorFactory,
          appIdOf(result.claimsIdentity),
          turnClients,
          options,
        );
      return result;
    } catch (err) {
      if (err instanceof Error && JWT_REFUSALS.has(err.name))
        throw new AuthenticationError(`Unauthorized. ${err.message}`, 401);
      throw err;
    }
  };
  const createConnectorFactory = auth.createConnectorFactory.bind(auth);
  auth.createConnectorFactory = (claimsIdentity) => withoutSdkRetries(createConnectorFactory(claimsIdentity), options);
  const createUserTokenClient = auth.createUserTokenClient.bind(auth);
  const tokenClients = new ClientCache<UserTokenClient>();
  auth.createUserTokenClient = (claimsIdentity) =>
    tokenClients.get(appIdOf(claimsIdentity) ?? '', () => createUserTokenClient(claimsIdentity));
}

/** The parts of @azure/core-rest-pipeline the connector client's pipeline is used through. */
interface PipelineRequest {
  url: string;
  method: string;
  body?: unknown;
  abortSignal?: { aborted: boolean };
}
interface PipelineResponse {
  status: number;
  headers: { get(name: string): string | undefined };
}
type SendRequest = (request: PipelineRequest) => Promise<PipelineResponse>;
interface PipelinePolicy {
  name: string;
  sendRequest(request: PipelineRequest, next: SendRequest): Promise<PipelineResponse>;
}
interface Pipeline {
  removePolicy(o: { phase: 'Retry' }): unknown;
  /** Without a phase a policy runs before the Retry phase: once per call, around its retries. */
  addPolicy(policy: PipelinePolicy, o?: { phase?: 'Retry'; afterPhase?: 'Retry' }): void;
}

function pipelineOf(client: ConnectorClient): Pipeline | undefined {
  return (client as unknown as { client?: { pipeline?: Pipeline } }).client?.pipeline;
}

function withoutSdkRetries(factory: ConnectorFactory, options: AdapterOptions): ConnectorFactory {
  return {
    create: async (serviceUrl: string, audience?: string): Promise<ConnectorClient> => {
      const client = await factory.create(serviceUrl, audience);
      const pipeline = pipelineOf(client);
      if (pipeline) {
        pipeline.removePolicy({ phase: 'Retry' });
        addSendObserver(pipeline, options);
      }
      return client;
    },
  };
}

function forTurns(
  factory: ConnectorFactory,
  appId: string | undefined,
  cache: ClientCache<ConnectorClient>,
  options: AdapterOptions,
): ConnectorFactory {
  return {
    create: (serviceUrl: string, audience?: string): Promise<ConnectorClient> =>
      cache.get(JSON.stringify([appId ?? '', serviceUrl, audience ?? '']), async () => {
        const client = await factory.create(serviceUrl, audience);
        const pipeline = pipelineOf(client);
        if (pipeline) {
          pipeline.removePolicy({ phase: 'Retry' });
          pipeline.addPolicy(turnRetryPolicy(), { phase: 'Retry' });
          // After the retry phase: every attempt is one request against the limits.
          if (options.limiter) pipeline.addPolicy(limiterPolicy(options.limiter), { afterPhase: 'Retry' });
          addSendObserver(pipeline, options);
        }
        return client;
      }),
  };
}

/** What one send's attempts came to, shared by the two observer policies. */
interface SendTally {
  attempts: number;
  throttled: number;
}

const OPERATIONS: Record<string, 'send' | 'update' | 'delete'> = { POST: 'send', PUT: 'update', DELETE: 'delete' };

/**
 * One `send` log line, span and count per post, update or delete (reads such as the roster are
 * not sends): the outer policy runs once around the retries, the inner one after the retry
 * phase counts each attempt and each 429. Never the message itself.
 */
function addSendObserver(pipeline: Pipeline, options: AdapterOptions): void {
  const { logger } = options;
  const telemetry = options.telemetry ?? noTelemetry;
  if (!logger && !telemetry.enabled) return;
  const tallies = new WeakMap<PipelineRequest, SendTally>();
  pipeline.addPolicy({
    name: 'kraftsamlaSendObserver',
    async sendRequest(request, next) {
      const operation = OPERATIONS[request.method];
      if (!operation) return next(request);
      const tally: SendTally = { attempts: 0, throttled: 0 };
      tallies.set(request, tally);
      const conversationId = conversationOf(request);
      const started = performance.now();
      return telemetry.span(
        `send ${operation}`,
        { 'kraftsamla.send.operation': operation, 'kraftsamla.conversation.id': conversationId },
        async (span) => {
          let status: number | string = 'error';
          try {
            const response = await next(request);
            status = response.status;
            return response;
          } catch (err) {
            const e = err as { name?: string; code?: string };
            status = e.name === 'AbortError' || request.abortSignal?.aborted ? 'aborted' : (e.code ?? 'error');
            span.fail(err);
            throw err;
          } finally {
            const ms = Math.round(performance.now() - started);
            const retries = Math.max(0, tally.attempts - 1);
            const ok = typeof status === 'number' && status < 400;
            span.set({
              'http.response.status_code': typeof status === 'number' ? status : undefined,
              'kraftsamla.send.status': String(status),
              'kraftsamla.send.attempts': tally.attempts,
              'kraftsamla.send.throttled': tally.throttled,
            });
            if (!ok) span.fail();
            telemetry.count('sends', 1, { operation, status: String(status) });
            telemetry.record('send.duration', ms, { operation });
            const line = {
              operation,
              status,
              attempts: tally.attempts,
              retries,
              throttled: tally.throttled,
              ms,
              conversationId,
            };
            if (ok) logger?.info(line, 'send');
            else logger?.warn(line, 'send');
          }
        },
        'client',
      );
    },
  });
  pipeline.addPolicy(
    {
      name: 'kraftsamlaSendAttempts',
      async sendRequest(request, next) {
        const tally = tallies.get(request);
        if (tally) tally.attempts++;
        const response = await next(request);
        if (response.status === 429) {
          if (tally) tally.throttled++;
          telemetry.count('throttles', 1, { operation: OPERATIONS[request.method] ?? 'other' });
        }
        return response;
      },
    },
    { afterPhase: 'Retry' },
  );
}

/** The conversation a Bot Connector request is in (a new thread: the channel it starts in). */
function conversationOf(request: PipelineRequest): string | undefined {
  const segments = pathSegments(request.url);
  const at = segments.indexOf('conversations');
  if (at >= 0 && segments[at + 1]) return segments[at + 1];
  return channelInBody(request) ?? undefined;
}

const TURN_ATTEMPTS = 3;
const TURN_BASE_DELAY_MS = 500;
const TURN_MAX_DELAY_MS = 30_000;
const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/**
 * Retries inside a turn: 408, 412, 429, 502, 503 and errors before the request went out, with
 * Retry-After or exponential backoff and jitter. A POST (a reply, a new conversation) that may
 * have created its message (500, 504, connection lost after sending, aborted) is not repeated;
 * other methods (an update, a roster read) are idempotent and are.
 */
function turnRetryPolicy(): PipelinePolicy {
  return {
    name: 'kraftsamlaTurnRetry',
    async sendRequest(request, next) {
      const creates = request.method === 'POST';
      for (let attempt = 1; ; attempt++) {
        let response: PipelineResponse;
        try {
          response = await next(request);
        } catch (err) {
          const e = err as { name?: string; code?: string };
          const aborted = e.name === 'AbortError' || request.abortSignal?.aborted === true;
          if (
            aborted ||
            (creates && mayHaveReachedTeams(undefined, e.code ?? 'REQUEST_SEND_ERROR')) ||
            attempt >= TURN_ATTEMPTS
          )
            throw err;
          await sleep(backoff(attempt));
          continue;
        }
        const retry =
          [408, 412, 429, 502, 503].includes(response.status) || (!creates && [500, 504].includes(response.status));
        if (!retry || attempt >= TURN_ATTEMPTS) return response;
        const retryAfter = Number(response.headers.get('retry-after'));
        await sleep(
          Number.isFinite(retryAfter) && retryAfter > 0
            ? Math.min(TURN_MAX_DELAY_MS, retryAfter * 1000 + Math.floor(Math.random() * 250))
            : backoff(attempt),
        );
      }
    },
  };
}

function backoff(attempt: number): number {
  const cap = Math.min(TURN_MAX_DELAY_MS, TURN_BASE_DELAY_MS * 2 ** (attempt - 1));
  return Math.floor(cap / 2 + Math.random() * (cap / 2));
}

function limiterPolicy(limiter: SendLimiter): PipelinePolicy {
  return {
    name: 'kraftsamlaSendLimiter',
    async sendRequest(request, next) {
      const release = await limiter.acquire(threadOf(request), { signal: request.abortSignal, waitForThread: false });
      try {
        return await next(request);
      } finally {
        release();
      }
    },
  };
}

function pathSegments(url: string): string[] {
  return new URL(url).pathname
    .split('/')
    .filter(Boolean)
    .map((x) => {
      try {
        return decodeURIComponent(x);
      } catch {
        return x;
      }
    });
}

/** The channel a createConversation request names in its body, if any. */
function channelInBody(request: PipelineRequest): string | undefined {
  if (typeof request.body !== 'string') return undefined;
  try {
    const channel = (JSON.parse(request.body) as { channelData?: { channel?: { id?: unknown } } }).channelData?.channel
      ?.id;
    return typeof channel === 'string' ? channel : undefined;
  } catch {
    return undefined;
  }
}

/** The channel or chat a Bot Connector request counts against (a channel's threads share one). */
function threadOf(request: PipelineRequest): string {
  const segments = pathSegments(request.url);
  const v3 = segments.indexOf('v3');
  const [kind, id] = segments.slice(v3 + 1);
  if ((kind === 'conversations' || kind === 'teams') && id) return id.split(';messageid=')[0] ?? id;
  // Not JSON or no channel: counted as a request of no thread (the app's limit still applies).
  return channelInBody(request) ?? '(none)';
}
