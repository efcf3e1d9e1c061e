import type { ChannelBindingRepository, InstalledTeamRepository } from '../domain/ports';
import type { ChannelBinding, ChannelRole, InstalledTeam } from '../domain/types';
import { odata } from '@azure/data-tables';
import { keys } from './keys';
import { type TableStore, guard, packJson, statusOf, unpackJson, readEntity, query } from './table-store';

export class TableInstalledTeamRepository implements InstalledTeamRepository {
  constructor(private readonly store: TableStore) {}

  private get table() {
    return this.store.client('teams');
  }

  async upsert(team: InstalledTeam): Promise<void> {
    await guard(
      () =>
        this.table.upsertEntity({ ...keys.team(team.teamsTeamId), active: team.active, ...packJson(team) }, 'Replace'),
      'save team',
    );
  }

  async insertIfAbsent(team: InstalledTeam): Promise<boolean> {
    return guard(async () => {
      try {
        await this.table.createEntity({ ...keys.team(team.teamsTeamId), active: team.active, ...packJson(team) });
        return true;
      } catch (err) {
        if (statusOf(err) === 409) return false;
        throw err;
      }
    }, 'save team');
  }

  async get(teamsTeamId: string): Promise<InstalledTeam | undefined> {
    const k = keys.team(teamsTeamId);
    const e = await readEntity(this.table, k, 'read team');
    return e && unpackJson<InstalledTeam>(e);
  }

  async list(): Promise<InstalledTeam[]> {
    const rows = await query(this.table, odata`PartitionKey eq ${keys.teamPartition()}`, 'list teams');
    return rows.map((r) => unpackJson<InstalledTeam>(r));
  }

  async markInactive(teamsTeamId: string, at: string): Promise<void> {
    const team = await this.get(teamsTeamId);
    if (!team) return;
    await this.upsert({ ...team, active: false, removedAt: at });
  }
}

function sameRole(a: ChannelRole, b: ChannelRole): boolean {
  return a.kind === b.kind && (a.kind !== 'team' || (b.kind === 'team' && a.teamKey === b.teamKey));
}

export class TableChannelBindingRepository implements ChannelBindingRepository {
  constructor(private readonly store: TableStore) {}

  private get table() {
    return this.store.client('bindings');
  }

  async put(binding: ChannelBinding): Promise<void> {
    const roleKey = binding.role.kind === 'team' ? `team:${binding.role.teamKey}` : binding.role.kind;
    await guard(
      () =>
        this.table.upsertEntity(
          { ...keys.binding(binding.programId, binding.channelId), role: roleKey, ...packJson(binding) },
          'Replace',
        ),
      'save channel binding',
    );
  }

  async get(programId: string, channelId: string): Promise<ChannelBinding | undefined> {
    const k = keys.binding(programId, channelId);
    const e = await readEntity(this.table, k, 'read channel binding');
    return e && unpackJson<ChannelBinding>(e);
  }

  async list(programId: string): Promise<ChannelBinding[]> {
    const rows = await query(
      this.table,
      odata`PartitionKey eq ${keys.bindingPartition(programId)}`,
      'list channel bindings',
    );
    return rows.map((r) => unpackJson<ChannelBinding>(r));
  }

  async findByRole(programId: string, role: ChannelRole): Promise<ChannelBinding[]> {
    return (await this.list(programId)).filter((b) => sameRole(b.role, role));
  }

  async remove(programId: string, channelId: string): Promise<void> {
    const k = keys.binding(programId, channelId);
    await guard(async () => {
      try {
        await this.table.deleteEntity(k.partitionKey, k.rowKey);
      } catch (err) {
        if (statusOf(err) !== 404) throw err;
      }
    }, 'remove channel binding');
  }
}
