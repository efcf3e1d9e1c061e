import { odata } from '@azure/data-tables';
import type { AdminEntry, AdminRepository } from '../domain/ports';
import { keys, prefixEnd } from './keys';
import { type TableStore, guard, packJson, query, readEntity, statusOf, unpackJson } from './table-store';

/** Program admins given in Teams, and the marker of the program's first install. */
export class TableAdminRepository implements AdminRepository {
  constructor(private readonly store: TableStore) {}

  private get table() {
    return this.store.client('roles');
  }

  async list(programId: string): Promise<AdminEntry[]> {
    const pk = keys.rolePartition(programId);
    const rows = await query(
      this.table,
      odata`PartitionKey eq ${pk} and RowKey ge ${keys.adminRowPrefix} and RowKey lt ${prefixEnd(keys.adminRowPrefix)}`,
      'list admins',
    );
    return rows.map((r) => unpackJson<AdminEntry>(r)).sort((a, b) => a.addedAt.localeCompare(b.addedAt));
  }

  async installerRecorded(programId: string): Promise<boolean> {
    return !!(await readEntity(this.table, keys.installer(programId), 'read installer'));
  }

  async claimInstaller(programId: string, entry: AdminEntry): Promise<boolean> {
    return guard(async () => {
      try {
        // One transaction: the marker and the admin row, so two installs at once give one admin.
        await this.table.submitTransaction([
          ['create', { ...keys.installer(programId), id: entry.id, at: entry.addedAt }],
          ['upsert', { ...keys.admin(programId, entry.id), ...packJson(entry) }, 'Replace'],
        ]);
        return true;
      } catch (err) {
        if (statusOf(err) === 409) return false;
        throw err;
      }
    }, 'record installer');
  }

  async add(programId: string, entry: AdminEntry): Promise<boolean> {
    return guard(async () => {
      try {
        await this.table.createEntity({ ...keys.admin(programId, entry.id), ...packJson(entry) });
        return true;
      } catch (err) {
        if (statusOf(err) === 409) return false;
        throw err;
      }
    }, 'add admin');
  }

  async remove(programId: string, id: string): Promise<boolean> {
    const k = keys.admin(programId, id);
    return guard(async () => {
      try {
        await this.table.deleteEntity(k.partitionKey, k.rowKey);
        return true;
      } catch (err) {
        if (statusOf(err) === 404) return false;
        throw err;
      }
    }, 'remove admin');
  }
}
