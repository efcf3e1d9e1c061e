/**
 * The role checks of `domain/roles.ts`, fed from a Teams turn: who acts (object id on the
 * activity, UPN from the roster on demand), where (the turn's channel) and the steering channel's
 * own roster. Each assert throws ForbiddenError naming the missing role; nothing is written before.
 */
import type { TurnContext } from 'botbuilder';
import { escapeCardText } from '../cards/card';
import type { AccessDeps } from '../domain/access';
import { targetOf } from '../domain/delivery';
import { ForbiddenError } from '../domain/errors';
import { t } from '../domain/i18n';
import {
  isProgramAdmin,
  isSteeringMember,
  isTeamEditor,
  programAdmins,
  type Place,
  type RoleDeps,
  type RoleIdentity,
} from '../domain/roles';
import { teamName } from '../domain/program';
import type { Locale, Owner } from '../domain/types';
import type { BotDeps } from './deps';
import { actorIdentity, channelOf } from './turn';

export function roleDeps(deps: BotDeps): RoleDeps {
  return { program: deps.program, admins: deps.repos.admins, bindings: deps.repos.bindings };
}

export function accessDeps(deps: BotDeps): AccessDeps {
  return { ...roleDeps(deps), events: deps.repos.events, clock: deps.clock };
}

const MAX_LISTED = 20;

/** The program admins as people read them (names escaped: Teams renders Markdown in replies). */
export async function adminList(deps: BotDeps, locale: Locale): Promise<string> {
  const { configured, given } = await programAdmins(roleDeps(deps));
  const names = [
    ...configured.map((id) => t(locale, 'roles.configured', { name: escapeCardText(id) })),
    ...given.map((a) =>
      a.source === 'installer'
        ? t(locale, 'roles.installer', { name: escapeCardText(a.name ?? a.id) })
        : escapeCardText(a.name ? `${a.name} (${a.id})` : a.id),
    ),
  ];
  if (names.length === 0) return t(locale, 'roles.none');
  // A long list stays readable (and the help card small): the first ones, then how many more.
  return names.length > MAX_LISTED
    ? `${names.slice(0, MAX_LISTED).join(', ')} … (+${names.length - MAX_LISTED})`
    : names.join(', ');
}

export function placeOf(context: TurnContext): Place {
  const channel = channelOf(context);
  return channel ? { channelId: channel.channelId, teamsTeamId: channel.teamsTeamId } : {};
}

function identity(context: TurnContext, deps: BotDeps, check: string): RoleIdentity {
  return actorIdentity(context, (err) =>
    deps.logger.warn(
      { err: { message: (err as Error).message }, activityId: context.activity.id, check },
      'could not look up the member for a role check',
    ),
  );
}

export function isAdmin(context: TurnContext, deps: BotDeps): Promise<boolean> {
  return isProgramAdmin(roleDeps(deps), identity(context, deps, 'admin'));
}

export async function assertAdmin(context: TurnContext, deps: BotDeps, locale: Locale): Promise<void> {
  if (!(await isAdmin(context, deps)))
    throw new ForbiddenError('only program admins may do this', { role: t(locale, 'roles.role.admin') });
}

/**
 * Steering membership: one roster request per steering channel (the person's entry in that
 * channel's conversation). A roster that cannot be read counts as not on it: refuse, and log.
 */
export function isSteering(context: TurnContext, deps: BotDeps): Promise<boolean> {
  return isSteeringMember(roleDeps(deps), identity(context, deps, 'steering'), async (binding, who) => {
    if (!who.teamsUserId) return false;
    try {
      const member = await deps.messenger.channelMember(targetOf(binding), who.teamsUserId);
      return (
        !!member &&
        (!who.aadObjectId || !member.aadObjectId || member.aadObjectId.toLowerCase() === who.aadObjectId.toLowerCase())
      );
    } catch (err) {
      deps.logger.warn(
        { err: { message: (err as Error).message }, channelId: binding.channelId },
        'could not read the steering channel roster',
      );
      return false;
    }
  });
}

export async function assertSteering(context: TurnContext, deps: BotDeps, locale: Locale): Promise<void> {
  if (!(await isSteering(context, deps)))
    throw new ForbiddenError('only the steering group may log, amend or revoke decisions', {
      role: t(locale, 'decision.role'),
    });
}

/**
 * A team's check-in answers and action edits: from a channel bound to the team, by the action's
 * owner (when `actionId` names one of the team's actions), or by a program admin.
 */
export async function assertTeamEditor(
  context: TurnContext,
  deps: BotDeps,
  teamKey: string,
  locale: Locale,
  actionId?: string,
): Promise<void> {
  const owner = actionId
    ? async (): Promise<Owner | undefined> => {
        const action = await deps.repos.actions.get(deps.program.id, actionId);
        return action?.teamKey === teamKey ? action.owner : undefined;
      }
    : undefined;
  if (await isTeamEditor(roleDeps(deps), identity(context, deps, 'team'), placeOf(context), teamKey, owner)) return;
  throw new ForbiddenError(`not in a channel of team ${teamKey}, not the owner and not a program admin`, {
    role: t(locale, 'checkin.role.editor', { team: teamName(deps.program, teamKey) }),
  });
}
