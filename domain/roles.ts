/**
 * Who may do what. Every role check of the program lives here, so one file answers "who may
 * change the record":
 *
 * - **program admin**: named in the program file or `PROGRAM_ADMINS`, the first person who
 *   installed the bot for the program, or added by an admin in Teams. Binds channels (team,
 *   comms, steering) and adds or removes admins;
 * - **steering member**: named in `STEERING_MEMBERS` or the program file; when none are named,
 *   whoever is on the roster of the channel an admin bound as steering (its own roster, so a
 *   private channel's members, not the whole team's). Logs, amends and revokes decisions;
 * - **team editor**: acts in a channel an admin bound to that team, or owns the action, or is a
 *   program admin. Answers check-ins, adds and edits the team's actions.
 *
 * Bindings are written only by admins, so a team nobody in the program bound never holds a role.
 */
import type { AdminEntry, AdminRepository, ChannelBindingRepository } from './ports';
import type { ChannelBinding, Owner, Program } from './types';

/** What the bot layer knows, or can find out, about the person acting. */
export interface RoleIdentity {
  aadObjectId?: string;
  /** Teams user id (`29:…`) of the person. */
  teamsUserId?: string;
  /** UPN and e-mail of the person; looked up only when someone is named by UPN. */
  names(): Promise<string[]>;
}

/** Where the person acts: the channel of the turn, when it is one. */
export interface Place {
  channelId?: string;
  teamsTeamId?: string;
}

export interface RoleDeps {
  program: Program;
  admins: AdminRepository;
  bindings: ChannelBindingRepository;
}

const norm = (s: string) => s.trim().toLowerCase();

/**
 * Whether the person is among `named` (object ids or UPNs, any case). The object id on the
 * activity is compared first; the roster is asked for UPN and e-mail only when a UPN is named.
 */
export async function isNamed(named: readonly string[], who: RoleIdentity): Promise<boolean> {
  const list = named.map(norm).filter((m) => m.length > 0);
  if (list.length === 0) return false;
  if (who.aadObjectId && list.includes(norm(who.aadObjectId))) return true;
  if (!list.some((m) => m.includes('@'))) return false;
  const names = (await who.names()).map(norm).filter((n) => n.length > 0);
  return names.some((n) => list.includes(n));
}

/** Admins named in configuration (not removable from Teams) and those given in Teams. */
export async function programAdmins(deps: RoleDeps): Promise<{ configured: string[]; given: AdminEntry[] }> {
  const given = await deps.admins.list(deps.program.id);
  return { configured: deps.program.admins.filter((a) => a.trim().length > 0), given };
}

export async function isProgramAdmin(deps: RoleDeps, who: RoleIdentity): Promise<boolean> {
  const { configured, given } = await programAdmins(deps);
  return isNamed([...configured, ...given.map((a) => a.id)], who);
}

/** Binding a channel (or moving a binding) is an admin's work, whichever role it gives. */
export const mayBindChannels = isProgramAdmin;

/**
 * Steering members: those named, or else whoever is on the roster of a channel an admin bound as
 * steering. The channel's own roster is asked (`onChannelRoster`), so a private steering
 * channel's members count, not its whole team's.
 */
export async function isSteeringMember(
  deps: RoleDeps,
  who: RoleIdentity,
  onChannelRoster: (b: ChannelBinding, who: RoleIdentity) => Promise<boolean>,
): Promise<boolean> {
  if (deps.program.steeringMembers.some((m) => m.trim().length > 0)) return isNamed(deps.program.steeringMembers, who);
  const bindings = await deps.bindings.findByRole(deps.program.id, { kind: 'steering' });
  for (const b of bindings) if (await onChannelRoster(b, who)) return true;
  return false;
}

/** Whether the person owns the action (object id, Teams id, or e-mail/UPN). */
export async function isOwner(owner: Owner | undefined, who: RoleIdentity): Promise<boolean> {
  if (!owner) return false;
  if (owner.aadObjectId && who.aadObjectId && norm(owner.aadObjectId) === norm(who.aadObjectId)) return true;
  if (owner.teamsUserId && who.teamsUserId && owner.teamsUserId === who.teamsUserId) return true;
  return !!owner.email && isNamed([owner.email], who);
}

/**
 * Who may answer a team's check-in and add or edit its actions: whoever acts in a channel bound
 * to that team (Teams lets only a channel's members press the cards in it), the action's owner,
 * or a program admin. The channel is checked first (one point read), ids before any roster request.
 */
export async function isTeamEditor(
  deps: RoleDeps,
  who: RoleIdentity,
  place: Place,
  teamKey: string,
  owner?: () => Promise<Owner | undefined>,
): Promise<boolean> {
  if (place.channelId) {
    const binding = await deps.bindings.get(deps.program.id, place.channelId);
    if (binding?.role.kind === 'team' && binding.role.teamKey === teamKey && binding.teamsTeamId === place.teamsTeamId)
      return true;
  }
  const [action, admin] = await Promise.all([owner?.(), isProgramAdmin(deps, who)]);
  return admin || (await isOwner(action, who));
}
