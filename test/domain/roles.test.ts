import type { AdminEntry, AdminRepository, ChannelBindingRepository } from '../../domain/ports';
import { loadProgram } from '../../domain/program';
import {
  isNamed,
  isOwner,
  isProgramAdmin,
  isSteeringMember,
  isTeamEditor,
  type RoleDeps,
  type RoleIdentity,
} from '../../domain/roles';
import type { ChannelBinding, ChannelRole, Program } from '../../domain/types';

const base = loadProgram();

function bindingsOf(list: ChannelBinding[]): ChannelBindingRepository {
  const same = (a: ChannelRole, b: ChannelRole) =>
    a.kind === b.kind && (a.kind !== 'team' || (b.kind === 'team' && a.teamKey === b.teamKey));
  return {
    put: async () => undefined,
    get: async (_p, channelId) => list.find((b) => b.channelId === channelId),
    list: async () => list,
    findByRole: async (_p, role) => list.filter((b) => same(b.role, role)),
    remove: async () => undefined,
  };
}

function adminsOf(list: AdminEntry[]): AdminRepository {
  return {
    list: async () => list,
    installerRecorded: async () => list.some((a) => a.source === 'installer'),
    claimInstaller: async () => false,
    add: async () => false,
    remove: async () => false,
  };
}

const binding = (channelId: string, role: ChannelRole, teamsTeamId = 'team-1'): ChannelBinding => ({
  programId: base.id,
  channelId,
  teamsTeamId,
  channelName: channelId,
  role,
  reference: {},
  boundBy: 'admin',
  boundAt: '2026-01-01T00:00:00Z',
});

function person(over: Partial<RoleIdentity> & { upn?: string } = {}): RoleIdentity & { lookups: number } {
  const who = {
    aadObjectId: 'aad-anna',
    teamsUserId: '29:anna',
    lookups: 0,
    names: async () => {
      who.lookups++;
      return [over.upn ?? 'anna@harnosand.se'];
    },
    ...over,
  };
  return who;
}

function deps(over: { program?: Partial<Program>; bindings?: ChannelBinding[]; admins?: AdminEntry[] } = {}): RoleDeps {
  return {
    program: { ...base, ...over.program },
    bindings: bindingsOf(over.bindings ?? []),
    admins: adminsOf(over.admins ?? []),
  };
}

describe('isNamed', () => {
  it('matches object ids without a lookup, and UPNs case-insensitively with one', async () => {
    const byId = person();
    expect(await isNamed(['AAD-ANNA'], byId)).toBe(true);
    expect(byId.lookups).toBe(0);
    const byUpn = person({ aadObjectId: 'other' });
    expect(await isNamed(['Anna@Harnosand.se'], byUpn)).toBe(true);
    expect(byUpn.lookups).toBe(1);
    const onlyIds = person({ aadObjectId: 'other' });
    expect(await isNamed(['aad-2'], onlyIds)).toBe(false);
    expect(onlyIds.lookups).toBe(0);
    expect(await isNamed([], person())).toBe(false);
  });
});

describe('program admin', () => {
  it('is named in configuration, or given in Teams (installer or added)', async () => {
    expect(await isProgramAdmin(deps({ program: { admins: ['aad-anna'] } }), person())).toBe(true);
    expect(
      await isProgramAdmin(
        deps({ admins: [{ id: 'aad-anna', source: 'installer', addedBy: 'Anna', addedAt: '2026-01-01' }] }),
        person(),
      ),
    ).toBe(true);
    expect(
      await isProgramAdmin(
        deps({ admins: [{ id: 'anna@harnosand.se', source: 'teams', addedBy: 'x', addedAt: '2026-01-01' }] }),
        person({ aadObjectId: 'other' }),
      ),
    ).toBe(true);
    expect(await isProgramAdmin(deps(), person())).toBe(false);
    expect(
      await isProgramAdmin(
        deps({ admins: [{ id: 'aad-bertil', source: 'installer', addedBy: 'B', addedAt: '2026-01-01' }] }),
        person(),
      ),
    ).toBe(false);
  });
});

describe('steering member', () => {
  const steering = binding('19:steering', { kind: 'steering' });
  /** The steering channel's own roster: Anna only. */
  const roster = (asked: string[]) => async (b: ChannelBinding, who: RoleIdentity) => {
    asked.push(b.channelId);
    return who.teamsUserId === '29:anna';
  };

  it('uses only the named members when some are named, and no roster', async () => {
    const asked: string[] = [];
    const d = deps({ program: { steeringMembers: ['anna@harnosand.se'] }, bindings: [steering] });
    expect(await isSteeringMember(d, person({ aadObjectId: 'x' }), roster(asked))).toBe(true);
    expect(
      await isSteeringMember(
        d,
        person({ aadObjectId: 'x', teamsUserId: '29:anna', upn: 'bertil@harnosand.se' }),
        roster(asked),
      ),
    ).toBe(false);
    expect(asked).toEqual([]);
  });

  it('else: whoever is on the roster of a channel bound as steering', async () => {
    const asked: string[] = [];
    const d = deps({ bindings: [binding('19:bos', { kind: 'team', teamKey: 'bostader' }), steering] });
    expect(await isSteeringMember(d, person(), roster(asked))).toBe(true);
    expect(
      await isSteeringMember(d, person({ teamsUserId: '29:bertil', aadObjectId: 'aad-bertil' }), roster(asked)),
    ).toBe(false);
    // Only the steering channel's roster is asked, never a team channel's.
    expect(asked).toEqual(['19:steering', '19:steering']);
  });

  it('nobody, when no channel is bound as steering and nobody is named', async () => {
    const asked: string[] = [];
    expect(
      await isSteeringMember(
        deps({ bindings: [binding('19:bos', { kind: 'team', teamKey: 'bostader' })] }),
        person(),
        roster(asked),
      ),
    ).toBe(false);
    expect(asked).toEqual([]);
  });
});

describe('team editor', () => {
  const bos = binding('19:bos', { kind: 'team', teamKey: 'bostader' });

  it('acts in the team’s bound channel, owns the action, or is an admin', async () => {
    const d = deps({ bindings: [bos] });
    expect(await isTeamEditor(d, person(), { channelId: '19:bos', teamsTeamId: 'team-1' }, 'bostader')).toBe(true);
    expect(await isTeamEditor(d, person(), { channelId: '19:bos', teamsTeamId: 'team-1' }, 'industrimark')).toBe(false);
    expect(await isTeamEditor(d, person(), { channelId: '19:bos', teamsTeamId: 'team-evil' }, 'bostader')).toBe(false);
    expect(
      await isTeamEditor(d, person(), {}, 'bostader', async () => ({ name: 'Anna', email: 'ANNA@harnosand.se' })),
    ).toBe(true);
    expect(
      await isTeamEditor(d, person(), {}, 'bostader', async () => ({ name: 'Bertil', email: 'bertil@harnosand.se' })),
    ).toBe(false);
    expect(await isTeamEditor(deps({ program: { admins: ['aad-anna'] } }), person(), {}, 'bostader')).toBe(true);
  });

  it('an owner is matched by object id, Teams id or e-mail', async () => {
    expect(await isOwner({ name: 'A', aadObjectId: 'AAD-ANNA' }, person())).toBe(true);
    expect(await isOwner({ name: 'A', teamsUserId: '29:anna' }, person())).toBe(true);
    expect(await isOwner({ name: 'A' }, person())).toBe(false);
    expect(await isOwner(undefined, person())).toBe(false);
  });
});
