/**
 * Changing who may do what: binding a channel and adding or removing program admins. The callers
 * have checked the admin role (`domain/roles.ts`); every change is written to the event log
 * beside the current state, so the record shows who gave which role, and when.
 */
import type { AdminEntry, AdminRepository, ChannelBindingRepository, EventLog, InstalledTeamRepository } from './ports';
import type { AccessChanged, ChannelBinding, Program } from './types';
import type { Clock } from './time';

export interface AccessDeps {
  program: Program;
  admins: AdminRepository;
  bindings: ChannelBindingRepository;
  events: EventLog;
  clock: Clock;
}

async function logAccess(
  deps: AccessDeps,
  change: Omit<AccessChanged, 'type'>,
  by: string,
  eventId: string,
): Promise<void> {
  const at = deps.clock.now().toISOString();
  await deps.events.append({
    type: 'access',
    ...change,
    programId: deps.program.id,
    at,
    by,
    source: 'chat',
    eventId: `access|${eventId}`,
  });
}

/** Binds (or moves) a channel; returns the binding it replaced. */
export async function bindChannel(
  deps: AccessDeps,
  binding: ChannelBinding,
  requestId: string,
): Promise<{ previous?: ChannelBinding }> {
  const previous = await deps.bindings.get(deps.program.id, binding.channelId);
  await deps.bindings.put(binding);
  await logAccess(
    deps,
    {
      change: 'bound',
      channelId: binding.channelId,
      teamsTeamId: binding.teamsTeamId,
      role: binding.role,
      ...(previous ? { previousRole: previous.role } : {}),
    },
    binding.boundBy,
    `bound|${requestId}|${binding.channelId}`,
  );
  return { previous };
}

export type AdminAdded = 'added' | 'already';
export type AdminRemoved = 'removed' | 'configured' | 'notGiven' | 'last';

const norm = (s: string) => s.trim().toLowerCase();

export async function addAdmin(
  deps: AccessDeps,
  entry: Omit<AdminEntry, 'addedAt' | 'source'>,
  requestId: string,
): Promise<AdminAdded> {
  const id = norm(entry.id);
  if (deps.program.admins.some((a) => norm(a) === id)) return 'already';
  const added = await deps.admins.add(deps.program.id, {
    ...entry,
    id,
    source: 'teams',
    addedAt: deps.clock.now().toISOString(),
  });
  if (added)
    await logAccess(deps, { change: 'adminAdded', subject: id }, entry.addedBy, `adminAdded|${requestId}|${id}`);
  return added ? 'added' : 'already';
}

/**
 * Removes an admin given in Teams. Admins named in configuration are removed there, and the last
 * admin stays: a program without one could never bind a channel again.
 */
export async function removeAdmin(
  deps: AccessDeps,
  idOrName: string,
  by: string,
  requestId: string,
): Promise<{ outcome: AdminRemoved; entry?: AdminEntry }> {
  const wanted = norm(idOrName);
  if (deps.program.admins.some((a) => norm(a) === wanted)) return { outcome: 'configured' };
  const given = await deps.admins.list(deps.program.id);
  const entry = given.find((a) => a.id === wanted || (!!a.name && norm(a.name) === wanted));
  if (!entry) return { outcome: 'notGiven' };
  if (given.length === 1 && deps.program.admins.length === 0) return { outcome: 'last', entry };
  if (!(await deps.admins.remove(deps.program.id, entry.id))) return { outcome: 'notGiven' };
  await logAccess(deps, { change: 'adminRemoved', subject: entry.id }, by, `adminRemoved|${requestId}|${entry.id}`);
  return { outcome: 'removed', entry };
}

/**
 * The first install of the bot for a program makes the installer a program admin. A program that
 * already has teams or bindings was set up before installers were recorded: nobody can claim it
 * later by installing the bot somewhere (its admins are named in configuration).
 */
export async function recordFirstInstaller(
  deps: AccessDeps & { teams: Pick<InstalledTeamRepository, 'list'> },
  who: { aadObjectId?: string; name: string },
  installedTeamId?: string,
): Promise<boolean> {
  if (!who.aadObjectId || (await deps.admins.installerRecorded(deps.program.id))) return false;
  const [teams, bindings] = await Promise.all([deps.teams.list(), deps.bindings.list(deps.program.id)]);
  if (bindings.length > 0 || teams.some((x) => x.teamsTeamId !== installedTeamId)) return false;
  const entry: AdminEntry = {
    id: norm(who.aadObjectId),
    name: who.name,
    source: 'installer',
    addedBy: who.name,
    addedAt: deps.clock.now().toISOString(),
  };
  if (!(await deps.admins.claimInstaller(deps.program.id, entry))) return false;
  await logAccess(deps, { change: 'installer', subject: entry.id }, who.name, `installer|${entry.id}`);
  return true;
}
