/**
 * What the embedded Azurite itself can do on this machine, measured in the same run: reads and
 * ETag-guarded replaces of one small entity at 50 concurrent requests. The round-trip benchmark's
 * answers are bounded by this (each answer is a handful of storage requests).
 */
import { randomBytes } from 'node:crypto';
import { startAzurite } from '../storage/azurite';
import { TableStore } from '../storage/table-store';

export async function measureStorageCeiling(
  requests = 2000,
  connections = 50,
): Promise<{ readsPerSecond: number; writesPerSecond: number }> {
  const azurite = await startAzurite({ inMemory: true });
  try {
    const store = new TableStore({
      connectionString: azurite.connectionString,
      tablePrefix: `c${randomBytes(3).toString('hex')}`,
    });
    await store.ensureTables();
    const table = store.client('actions');
    for (let i = 0; i < 15; i++)
      await table.createEntity({ partitionKey: 'p', rowKey: `r${i}`, data0: 'x'.repeat(600) });
    const rate = async (op: (i: number) => Promise<unknown>) => {
      let next = 0;
      const t0 = performance.now();
      await Promise.all(
        Array.from({ length: connections }, async () => {
          while (next < requests) await op(next++);
        }),
      );
      return requests / ((performance.now() - t0) / 1000);
    };
    const readsPerSecond = await rate((i) => table.getEntity('p', `r${i % 15}`));
    const writesPerSecond = await rate((i) =>
      table.upsertEntity({ partitionKey: 'p', rowKey: `w${i}`, data0: 'x'.repeat(600) }, 'Replace'),
    );
    return { readsPerSecond, writesPerSecond };
  } finally {
    await azurite.stop();
  }
}
