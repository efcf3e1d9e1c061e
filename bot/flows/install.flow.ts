/**
 * Install and removal: store the team, its channels and the conversation reference (the install
 * event comes once: never lose it), post a welcome; on removal mark the team inactive and keep
 * its data.
 */
import { CardFactory, TeamsInfo, TurnContext } from 'botbuilder';
import type { Application, TurnState } from '@microsoft/teams-ai';
import { welcomeCard } from '../../cards/welcome.card';
import type { InstalledTeam } from '../../domain/types';
import type { BotDeps } from '../deps';
import { channelData, localeOf, tenantOf } from '../turn';

async function listChannels(context: TurnContext, deps: BotDeps, teamId: string): Promise<{ id: string; name: string }[]> {
  try {
    const channels = await TeamsInfo.getTeamChannels(context, teamId);
    return channels.map((c) => ({ id: c.id ?? '', name: c.name ?? (c.id === teamId ? 'General' : '') })).filter((c) => c.id);
  } catch (err) {
    deps.logger.warn({ err, teamId }, 'could not list the team channels');
    return [{ id: teamId, name: 'General' }];
  }
}

/** Records (or refreshes) the team; returns true when it is new or was inactive. */
export async function recordTeam(context: TurnContext, deps: BotDeps): Promise<{ team?: InstalledTeam; isNew: boolean }> {
  const data = channelData(context);
  const teamId = data.team?.id;
  if (!teamId) return { isNew: false };
  const existing = await deps.repos.teams.get(teamId);
  const channels = await listChannels(context, deps, teamId);
  const reference = TurnContext.getConversationReference(context.activity);
  const team: InstalledTeam = {
    teamsTeamId: teamId,
    name: data.team?.name ?? existing?.name ?? '',
    tenantId: tenantOf(context) ?? '',
    active: true,
    reference: { ...reference, activityId: undefined, conversation: { ...reference.conversation, id: teamId } },
    channels,
    installedAt: existing?.active ? existing.installedAt : deps.clock.now().toISOString(),
  };
  // Teams delivers installationUpdate and conversationUpdate together on install: only the
  // turn whose insert wins is "new" (and welcomes); the other refreshes the same row.
  const isNew = existing ? !existing.active : await deps.repos.teams.insertIfAbsent(team);
  if (existing || !isNew) await deps.repos.teams.upsert(team);
  deps.logger.info({ teamId, channels: channels.length }, isNew ? 'team installed' : 'team refreshed');
  return { team, isNew };
}

async function welcome(context: TurnContext, deps: BotDeps, channels: string[]): Promise<void> {
  await context.sendActivity({ attachments: [CardFactory.adaptiveCard(welcomeCard({ channels }, localeOf(context, deps.program)))] });
}

async function onRemoved(context: TurnContext, deps: BotDeps): Promise<void> {
  const teamId = channelData(context).team?.id;
  if (!teamId) return;
  await deps.repos.teams.markInactive(teamId, deps.clock.now().toISOString());
  deps.logger.info({ teamId }, 'team removed the bot; marked inactive, data kept');
}

function botIsAmong(context: TurnContext, members: { id: string }[] | undefined): boolean {
  const botId = context.activity.recipient?.id;
  return !!members?.some((m) => m.id === botId);
}

export function register(app: Application<TurnState>, deps: BotDeps): void {
  app.activity('installationUpdate', async (context) => {
    // Teams sends add/remove, and add-upgrade/remove-upgrade when an app update adds or drops
    // the bot (dispatched the same way as in botbuilder's ActivityHandler). Anything else is not
    // an install event: it must not rewrite a stored team's reference and channels.
    const action = context.activity.action;
    if (action === 'remove' || action === 'remove-upgrade') {
      await onRemoved(context, deps);
      return;
    }
    if (action !== 'add' && action !== 'add-upgrade') {
      deps.logger.warn({ action: typeof action === 'string' ? action.slice(0, 40) : typeof action }, 'installationUpdate with an unknown action ignored');
      return;
    }
    const { team, isNew } = await recordTeam(context, deps);
    if (!team || isNew) await welcome(context, deps, team?.channels.map((c) => c.name) ?? []);
  });

  app.conversationUpdate('membersAdded', async (context) => {
    if (!botIsAmong(context, context.activity.membersAdded)) return;
    const { team, isNew } = await recordTeam(context, deps);
    if (team && isNew) await welcome(context, deps, team.channels.map((c) => c.name));
  });

  app.conversationUpdate('membersRemoved', async (context) => {
    if (botIsAmong(context, context.activity.membersRemoved)) await onRemoved(context, deps);
  });

  for (const event of ['channelCreated', 'channelRenamed', 'channelDeleted', 'teamRenamed'] as const) {
    app.conversationUpdate(event, async (context) => {
      await recordTeam(context, deps);
    });
  }
}
