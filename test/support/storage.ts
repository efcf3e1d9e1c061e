/** Starts an in-memory Azurite for one test file and gives fresh repositories on a unique table prefix. */
import { randomBytes } from 'node:crypto';
import { startAzurite, type AzuriteHandle } from '../../storage/azurite';
import { createRepositories } from '../../storage';
import { TableStore } from '../../storage/table-store';
import type { Repositories } from '../../domain/ports';

export interface TestStorage {
  azurite: AzuriteHandle;
  connectionString: string;
  /** A new, empty set of tables (unique prefix) on the shared Azurite. */
  fresh(timeZone?: string): Promise<{ repositories: Repositories; store: TableStore; prefix: string }>;
  stop(): Promise<void>;
}

export async function startTestStorage(): Promise<TestStorage> {
  const azurite = await startAzurite({ inMemory: true });
  return {
    azurite,
    connectionString: azurite.connectionString,
    fresh: async (timeZone = 'Europe/Stockholm') => {
      const prefix = `t${randomBytes(5).toString('hex')}`;
      const store = new TableStore({ connectionString: azurite.connectionString, tablePrefix: prefix });
      await store.ensureTables();
      return { repositories: createRepositories(store, timeZone), store, prefix };
    },
    stop: () => azurite.stop(),
  };
}

export type FreshTables = Awaited<ReturnType<TestStorage['fresh']>>;

/**
 * For a test file: one Azurite for the whole file (started before, stopped after) and a fresh set
 * of tables before each test, handed to `use`. Returns the running storage (call it in a test).
 */
export function useFreshTables(use: (tables: FreshTables) => void): () => TestStorage {
  let storage: TestStorage | undefined;
  beforeAll(async () => {
    storage = await startTestStorage();
  });
  afterAll(async () => {
    await storage?.stop();
  });
  beforeEach(async () => {
    use(await storage!.fresh());
  });
  return () => storage!;
}

/** Whether process `pid` is running (for tests that check which Azurite processes are left). */
export function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}
