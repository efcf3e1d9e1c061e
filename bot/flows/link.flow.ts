/** `koppla <team>` / `link <team>`: bind this channel to a program team, comms or steering. */
import type { Application, TurnState } from '@microsoft/teams-ai';
import { escapeCardText } from '../../cards/card';
import { resolveChannelRole, teamName } from '../../domain/program';
import { t } from '../../domain/i18n';
import { argsOf, command } from '../command-route';
import type { BotDeps } from '../deps';
import { actorOf, channelOf, channelReference, localeOf } from '../turn';
import { describeRole } from './help.flow';
import { recordTeam } from './install.flow';

export function register(app: Application<TurnState>, deps: BotDeps): void {
  app.message(command('link'), async (context) => {
    const locale = localeOf(context, deps.program);
    const channel = channelOf(context);
    if (!channel) {
      await context.sendActivity(t(locale, 'link.notInChannel'));
      return;
    }
    const name = argsOf(context);
    const valid = [...deps.program.teams.map((x) => x.name), locale === 'en-US' ? 'comms' : 'kommunikation', locale === 'en-US' ? 'steering' : 'styrgrupp'].join(', ');
    if (!name) {
      await context.sendActivity(`${t(locale, 'link.usage')} ${t(locale, 'link.valid', { valid })}`);
      return;
    }
    const role = resolveChannelRole(deps.program, name);
    if (!role) {
      // Teams renders Markdown in message text: the echoed name is escaped (no links in the bot's voice).
      await context.sendActivity(t(locale, 'link.unknown', { name: escapeCardText(name.slice(0, 60)), valid }));
      return;
    }
    // The install event may have been missed (bot added before this version): record the team now.
    if (!(await deps.repos.teams.get(channel.teamsTeamId))) await recordTeam(context, deps);
    const previous = await deps.repos.bindings.get(deps.program.id, channel.channelId);
    const actor = actorOf(context);
    await deps.repos.bindings.put({
      programId: deps.program.id,
      channelId: channel.channelId,
      teamsTeamId: channel.teamsTeamId,
      channelName: channel.channelName,
      role,
      reference: channelReference(context, channel.channelId),
      boundBy: actor.aadObjectId ?? actor.id,
      boundAt: deps.clock.now().toISOString(),
    });
    deps.logger.info({ channelId: channel.channelId, role }, 'channel linked');
    const team = role.kind === 'team' ? teamName(deps.program, role.teamKey) : '';
    let reply = t(locale, role.kind === 'team' ? 'link.done.team' : role.kind === 'comms' ? 'link.done.comms' : 'link.done.steering', { team });
    if (previous && JSON.stringify(previous.role) !== JSON.stringify(role)) {
      reply += ` ${t(locale, 'link.moved', { previous: describeRole(previous.role, deps.program, locale) })}`;
    }
    await context.sendActivity(reply);
  });
}
