/**
 * The Bot Framework adapter. Anonymous when no app id is configured (local use, Agents
 * Playground, tests); otherwise botbuilder validates every incoming token against the Bot
 * Framework's OpenID metadata (overridable for tests and sovereign clouds).
 */
import { TeamsAdapter } from '@microsoft/teams-ai';
import { AuthenticationError, type BotFrameworkAuthentication, type ConnectorClient, type ConnectorFactory } from 'botframework-connector';
import type { Config } from '../config/config';

export function createAdapter(config: Config): TeamsAdapter {
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
  const adapter = new TeamsAdapter(settings as never);
  hardenAuthentication(adapter);
  return adapter;
}

/** jsonwebtoken's refusals (bad signature, `nbf` in the future, `alg: none`, wrong algorithm). */
const JWT_REFUSALS = new Set(['JsonWebTokenError', 'NotBeforeError', 'TokenExpiredError']);

/**
 * Two fixes on botbuilder's authentication object, proven by test/trust:
 * - botframework-connector lets jsonwebtoken's errors through as plain errors, which CloudAdapter
 *   answers 500 (and the Bot Connector retries); they are refusals: 401.
 * - The connector client's `noRetryPolicy` option is ignored in 4.23 (its ServiceClientContext
 *   builds a default @azure/core-rest-pipeline with up to 3 retries). Proactive clients (the
 *   messenger's) drop that retry policy: domain/delivery.ts withRetry counts and spaces retries,
 *   and the SDK's would multiply them. Replies inside a turn keep it: nothing else retries them.
 */
function hardenAuthentication(adapter: TeamsAdapter): void {
  const auth = (adapter as unknown as { botFrameworkAuthentication: BotFrameworkAuthentication }).botFrameworkAuthentication;
  const authenticateRequest = auth.authenticateRequest.bind(auth);
  auth.authenticateRequest = async (activity, authHeader) => {
    try {
      return await authenticateRequest(activity, authHeader);
    } catch (err) {
      if (err instanceof Error && JWT_REFUSALS.has(err.name)) throw new AuthenticationError(`Unauthorized. ${err.message}`, 401);
      throw err;
    }
  };
  const createConnectorFactory = auth.createConnectorFactory.bind(auth);
  auth.createConnectorFactory = (claimsIdentity) => withoutSdkRetries(createConnectorFactory(claimsIdentity));
}

function withoutSdkRetries(factory: ConnectorFactory): ConnectorFactory {
  return {
    create: async (serviceUrl: string, audience?: string): Promise<ConnectorClient> => {
      const client = await factory.create(serviceUrl, audience);
      const pipeline = (client as unknown as { client?: { pipeline?: { removePolicy(o: { phase: 'Retry' }): unknown } } }).client?.pipeline;
      pipeline?.removePolicy({ phase: 'Retry' });
      return client;
    },
  };
}
