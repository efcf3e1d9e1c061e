/**
 * Builds the teams-ai `Application` and registers the flows in a visible order: card actions and
 * commands first, the catch-all answer last.
 */
import type { TeamsAdapter, TurnState } from '@microsoft/teams-ai';
// From its own module, not the package's index (see bot/adapter.ts).
import { Application } from '@microsoft/teams-ai/lib/Application';
import { ActivityTypes } from 'botbuilder';
import { noticeCard } from '../cards/notice.card';
import { t } from '../domain/i18n';
import { inert } from '../domain/text';
import type { BotDeps } from './deps';
import { describeError, logError } from './errors';
import * as actions from './flows/actions.flow';
import * as admin from './flows/admin.flow';
import * as brief from './flows/brief.flow';
import * as checkin from './flows/checkin.flow';
import * as decision from './flows/decisions.flow';
import * as digest from './flows/digest.flow';
import * as help from './flows/help.flow';
import * as install from './flows/install.flow';
import * as link from './flows/link.flow';
import * as messageExtension from './flows/message-extension.flow';
import * as meetings from './flows/meetings.flow';
import * as planUpload from './flows/plan.flow';
import { localeOf, tenantOf } from './turn';

function isTenantAllowed(allowed: readonly string[], tenantId: string | undefined): boolean {
  return allowed.length === 0 || (!!tenantId && allowed.includes(tenantId));
}

export function createApp(adapter: TeamsAdapter, deps: BotDeps): Application<TurnState> {
  const app = new Application<TurnState>({
    adapter,
    botAppId: deps.config.auth.appId ?? '',
    removeRecipientMention: true,
    startTypingTimer: false,
    longRunningMessages: false,
  });
  // teams-ai 1.7 starts its typing timer on every message turn whatever `startTypingTimer` says,
  // and keeps one timer for the whole application, so a slow turn's "typing" can even land in
  // another conversation. Kraftsamla answers long work with words, so the timer stays off.
  app.startTypingTimer = () => undefined;

  // Tenants: activities from a tenant that is not allowed are refused before any flow runs.
  app.turn('beforeTurn', async (context) => {
    const tenantId = tenantOf(context);
    // Teams sends the tenant twice (channelData.tenant.id, conversation.tenantId); both must pass.
    const conversationTenant = context.activity.conversation?.tenantId;
    if (
      isTenantAllowed(deps.config.auth.allowedTenants, tenantId) &&
      (!conversationTenant || isTenantAllowed(deps.config.auth.allowedTenants, conversationTenant))
    )
      return true;
    deps.logger.warn(
      { tenantId, conversationTenantId: conversationTenant, type: context.activity.type },
      'activity from a tenant that is not allowed; refused',
    );
    const locale = localeOf(context, deps.program);
    if (context.activity.type === ActivityTypes.Invoke) {
      await context.sendActivity({
        type: ActivityTypes.InvokeResponse,
        value: { status: 403, body: { message: t(locale, 'error.tenant') } },
      });
    } else if (context.activity.type === ActivityTypes.Message) {
      await context.sendActivity(t(locale, 'error.tenant'));
    }
    return false;
  });

  install.register(app, deps);
  // A message carrying a file is a plan upload, whatever its text says.
  planUpload.register(app, deps);
  // Before `link`: in a group or meeting chat, `koppla styrgrupp` binds the chat.
  meetings.register(app, deps);
  checkin.register(app, deps);
  decision.register(app, deps);
  // "Logga som beslut" on a message: the message extension's dialog (invokes only).
  messageExtension.register(app, deps);
  digest.register(app, deps);
  brief.register(app, deps);
  actions.register(app, deps);
  help.register(app, deps);
  link.register(app, deps);
  admin.register(app, deps);
  help.registerFallback(app, deps);
  // Last of all: a card action nobody registered (an old card, a forged verb) gets a notice card,
  // not botbuilder's bare 501.
  app.addRoute(
    async (context) =>
      context.activity.type === ActivityTypes.Invoke && context.activity.name === 'adaptiveCard/action',
    async (context) => {
      const locale = localeOf(context, deps.program);
      deps.logger.warn({ activityId: context.activity.id }, 'card action with an unknown verb or payload');
      const card = noticeCard(t(locale, 'error.unknownAction'), locale, 'attention');
      await context.sendActivity({
        type: ActivityTypes.InvokeResponse,
        value: { status: 200, body: { statusCode: 200, type: 'application/vnd.microsoft.card.adaptive', value: card } },
      });
    },
    true,
  );

  app.error(async (context, err) => {
    logError(deps.logger, err, { activityId: context.activity.id, type: context.activity.type });
    const locale = localeOf(context, deps.program);
    if (context.activity.type === ActivityTypes.Message) {
      try {
        // The words may repeat what was sent (an unknown number, a field): sent inert.
        await context.sendActivity(inert(describeError(err, locale), Infinity));
      } catch (sendErr) {
        deps.logger.error({ err: sendErr }, 'could not tell the user about the error');
      }
    }
  });

  return app;
}
