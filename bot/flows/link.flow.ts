/**
 * `koppla <team>` / `link <team>`: bind this channel to a program team, comms or steering.
 * Only program admins bind or move a binding; each change is logged.
 */
import type { TurnContext } from 'botbuilder';
import type { Application, TurnState } from '@microsoft/teams-ai';
import { escapeCardText } from '../../cards/card';
import { bindChannel } from '../../domain/access';
import { resolveChannelRoleWithStored, teamName } from '../../domain/program';
import { t } from '../../domain/i18n';
import type { Locale } from '../../domain/types';
import { argsOf, command } from '../command-route';
import type { BotDeps } from '../deps';
import { noteTeam } from '../request-log';
import { adminList, accessDeps, isAdmin } from '../roles';
import { actorOf, channelOf, channelReference, localeOf } from '../turn';
import { describeRole } from './help.flow';
import { recordTeam } from './install.flow';

function validNames(deps: BotDeps, locale: Locale): string {
  return [
    ...deps.program.teams.map((x) => x.name),
    locale === 'en-US' ? 'comms' : 'kommunikation',
    locale === 'en-US' ? 'steering' : 'styrgrupp',
  ].join(', ');
}

async function link(context: TurnContext, deps: BotDeps): Promise<void> {
  const locale = localeOf(context, deps.program);
  const channel = channelOf(context);
  if (!channel) {
    await context.sendActivity(t(locale, 'link.notInChannel'));
    return;
  }
  // The install event may have been missed (bot added before this version): record the team now.
  // That is also where the program's very first install makes its installer an admin.
  if (!(await deps.repos.teams.get(channel.teamsTeamId))) await recordTeam(context, deps);
  // Who may bind is decided before anything about the binding is read or said.
  if (!(await isAdmin(context, deps))) {
    deps.logger.warn(
      { channelId: channel.channelId, teamId: channel.teamsTeamId },
      'link refused: not a program admin',
    );
    await context.sendActivity(t(locale, 'link.forbidden', { admins: await adminList(deps, locale) }));
    return;
  }
  const name = argsOf(context);
  const valid = validNames(deps, locale);
  if (!name) {
    await context.sendActivity(`${t(locale, 'link.usage')} ${t(locale, 'link.valid', { valid })}`);
    return;
  }
  // A team an import made since the start is found in storage.
  const { role, program } = await resolveChannelRoleWithStored(deps.program, name, deps.repos.programTeams);
  if (!role) {
    // Teams renders Markdown in message text: the echoed name is escaped (no links in the bot's voice).
    await context.sendActivity(t(locale, 'link.unknown', { name: escapeCardText(name.slice(0, 60)), valid }));
    return;
  }
  const actor = actorOf(context);
  const { previous } = await bindChannel(
    accessDeps(deps),
    {
      programId: deps.program.id,
      channelId: channel.channelId,
      teamsTeamId: channel.teamsTeamId,
      channelName: channel.channelName,
      role,
      reference: channelReference(context, channel.channelId),
      boundBy: actor.aadObjectId ?? actor.id,
      boundAt: deps.clock.now().toISOString(),
    },
    context.activity.id ?? deps.clock.now().toISOString(),
  );
  deps.logger.info({ channelId: channel.channelId, role, previousRole: previous?.role }, 'channel linked');
  if (role.kind === 'team') noteTeam(context, role.teamKey);
  const team = role.kind === 'team' ? teamName(program, role.teamKey) : '';
  let reply = t(
    locale,
    role.kind === 'team' ? 'link.done.team' : role.kind === 'comms' ? 'link.done.comms' : 'link.done.steering',
    { team },
  );
  if (previous && JSON.stringify(previous.role) !== JSON.stringify(role)) {
    reply += ` ${t(locale, 'link.moved', { previous: describeRole(previous.role, deps.program, locale) })}`;
  }
  await context.sendActivity(reply);
}

export function register(app: Application<TurnState>, deps: BotDeps): void {
  app.message(command('link'), (context) => link(context, deps));
}
