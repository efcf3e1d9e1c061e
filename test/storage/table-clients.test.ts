/**
 * The store's clients leave out the SDK's tracing policy (it only makes spans nobody records here)
 * and keep every other policy, their own included; they still read and write.
 */
import { TableClient } from '@azure/data-tables';
import { tracingPolicyName } from '@azure/core-rest-pipeline';
import type { TableStore } from '../../storage/table-store';
import { useFreshTables } from '../support/storage';

let store: TableStore;
const storage = useFreshTables((t) => {
  store = t.store;
});

const names = (client: TableClient) => client.pipeline.getOrderedPolicies().map((p) => p.name);

describe("the store's clients", () => {
  it('are the SDK clients without its tracing policy, with every other policy', () => {
    const plain = TableClient.fromConnectionString(storage().connectionString, store.tableName('actions'), {
      allowInsecureConnection: true,
    });
    // The SDK puts the policy in by default: what is left out is there to leave out.
    expect(names(plain)).toContain(tracingPolicyName);
    for (const client of [store.client('actions'), store.client('events'), store.separateClient('actions')]) {
      const own = names(client);
      expect(own).not.toContain(tracingPolicyName);
      expect(own).toEqual(expect.arrayContaining(['kraftsamlaStoreHealth']));
      expect(own.filter((n) => n !== 'kraftsamlaStoreHealth')).toEqual(
        names(plain).filter((n) => n !== tracingPolicyName),
      );
    }
  });

  it('still write, read and refuse a stale ETag', async () => {
    const client = store.client('actions');
    const created = await client.createEntity({ partitionKey: 'p', rowKey: 'r', value: 'one' });
    await client.updateEntity({ partitionKey: 'p', rowKey: 'r', value: 'two' }, 'Replace', { etag: created.etag });
    expect((await client.getEntity<{ value: string }>('p', 'r')).value).toBe('two');
    await expect(
      client.updateEntity({ partitionKey: 'p', rowKey: 'r', value: 'three' }, 'Replace', { etag: created.etag }),
    ).rejects.toMatchObject({ statusCode: 412 });
  });
});
