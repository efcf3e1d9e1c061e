/**
 * The Bot Framework adapter. Anonymous when no app id is configured (local use, Agents
 * Playground, tests); otherwise botbuilder validates every incoming token against the Bot
 * Framework's OpenID metadata (overridable for tests and sovereign clouds).
 */
import { TeamsAdapter } from '@microsoft/teams-ai';
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
  // Our own retry policy (domain/delivery.ts) counts and spaces retries; the SDK's would multiply them.
  return new TeamsAdapter(settings as never, undefined, undefined, { noRetryPolicy: true } as never);
}
