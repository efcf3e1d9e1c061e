/**
 * Install and removal: store the team, its channels and the conversation reference (the install
 * event comes once: never lose it), post a welcome; on removal mark the team inactive and keep
 * its data.
 */
import { CardFactory, TeamsInfo, TurnContext } from 'botbuilder';
import type { Application, TurnState } from '@microsoft/teams-ai';
import { welcomeCard } from '../../cards/welcome.card';
import { recordFirstInstaller } from '../../domain/access';
import type { InstalledTeam } from '../../domain/types';
import type { BotDeps } from '../deps';
import { accessDeps } from '../roles';
import { actorOf, channelData, localeOf, tenantOf } from '../turn';

async function listChannels(
  context: TurnContext,
  deps: BotDeps,
  teamId: string,
): Promise<{ id: string; name: string }[]> {
  try {
    const channels = await TeamsInfo.getTeamChannels(context, teamId);
    return channels
      .map((c) => ({ id: c.id ?? '', name: c.name ?? (c.id === teamId ? 'General' : '') }))
      .filter((c) => c.id);
  } catch (err) {
    deps.logger.warn({ err, teamId }, 'could not list the team channels');
    return [{ id: teamId, name: 'General' }];
  }
}

/** The program's first install (in a team or a personal chat) makes its installer an admin. */
async function claimFirstInstall(context: TurnContext, deps: BotDeps, teamId?: string): Promise<string | undefined> {
  const actor = actorOf(context);
  const claimed = await recordFirstInstaller(
    { ...accessDeps(deps), teams: deps.repos.teams },
    { aadObjectId: actor.aadObjectId, name: actor.name },
    teamId,
  );
  if (!claimed) return undefined;
  deps.logger.info({ teamId, aadObjectId: actor.aadObjectId }, 'the first install made its installer a program admin');
  return actor.name;
}

/**
 * Records (or refreshes) the team; `isNew` when it is new or was inactive. `firstAdmin` names the
 * installer when this was the program's first install.
 */
export async function recordTeam(
  context: TurnContext,
  deps: BotDeps,
): Promise<{ team?: InstalledTeam; isNew: boolean; firstAdmin?: string }> {
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
  const firstAdmin = isNew && !existing ? await claimFirstInstall(context, deps, teamId) : undefined;
  return { team, isNew, firstAdmin };
}

async function welcome(context: TurnContext, deps: BotDeps, channels: string[], firstAdmin?: string): Promise<void> {
  await context.sendActivity({
    attachments: [CardFactory.adaptiveCard(welcomeCard({ channels, firstAdmin }, localeOf(context, deps.program)))],
  });
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
      deps.logger.warn(
        { action: typeof action === 'string' ? action.slice(0, 40) : typeof action },
        'installationUpdate with an unknown action ignored',
      );
      return;
    }
    const { team, isNew, firstAdmin } = await recordTeam(context, deps);
    // A personal install has no team to record, but it can be the program's first install.
    const admin = team ? firstAdmin : await claimFirstInstall(context, deps);
    if (!team || isNew) await welcome(context, deps, team?.channels.map((c) => c.name) ?? [], admin);
  });

  app.conversationUpdate('membersAdded', async (context) => {
    if (!botIsAmong(context, context.activity.membersAdded)) return;
    const { team, isNew, firstAdmin } = await recordTeam(context, deps);
    if (team && isNew)
      await welcome(
        context,
        deps,
        team.channels.map((c) => c.name),
        firstAdmin,
      );
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
