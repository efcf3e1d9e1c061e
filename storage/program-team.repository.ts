import { odata, type TransactionAction } from '@azure/data-tables';
import { ConcurrencyError } from '../domain/errors';
import type { ProgramTeamRepository } from '../domain/ports';
import type { StoredProgramTeam } from '../domain/plan';
import { MAX_TRANSACTION_OPS } from './coalesce';
import { keys } from './keys';
import { type TableStore, guard, packJson, query, statusOf, unpackJson } from './table-store';

/** Program teams made at import from the plan's areas. */
export class TableProgramTeamRepository implements ProgramTeamRepository {
  constructor(private readonly store: TableStore) {}

  private get table() {
    return this.store.client('programTeams');
  }

  async list(programId: string): Promise<StoredProgramTeam[]> {
    const rows = await query(
      this.table,
      odata`PartitionKey eq ${keys.programTeamPartition(programId)}`,
      'list program teams',
    );
    return rows
      .map((r) => unpackJson<StoredProgramTeam>(r))
      .sort((a, b) => a.createdAt.localeCompare(b.createdAt) || a.key.localeCompare(b.key));
  }

  async createAll(teams: StoredProgramTeam[]): Promise<void> {
    if (teams.length === 0) return;
    if (teams.length > MAX_TRANSACTION_OPS)
      throw new RangeError(`At most ${MAX_TRANSACTION_OPS} program teams at once`);
    const ops: TransactionAction[] = teams.map((team) => [
      'create',
      { ...keys.programTeam(team.programId, team.key), ...packJson(team) },
    ]);
    await guard(async () => {
      try {
        // One partition (the program): all the teams of one import are one transaction.
        await this.table.submitTransaction(ops);
      } catch (err) {
        if (statusOf(err) === 409)
          throw new ConcurrencyError('A program team with that key exists already', { keys: teams.map((t) => t.key) });
        throw err;
      }
    }, 'create program teams');
  }
}
