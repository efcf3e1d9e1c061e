/**
 * storage/transaction.ts: the `$batch` body is the SDK's own, byte for byte (both written for the
 * same operations, the SDK's caught in its pipeline before it is sent), and transactions sent
 * with it behave as the SDK's do against a real Azurite: stored atomically, the new ETags
 * returned in order, a duplicate (409) or a stale ETag (412) refused as a RestError with the
 * status and code of the operation that failed and nothing of the transaction stored; what it
 * does not write (a merge, a typed value) goes to the SDK.
 */
import { RestError, TableClient, type TransactionAction } from '@azure/data-tables';
import type { PipelineRequest } from '@azure/core-rest-pipeline';
import { readTransactionResponse, submitTransaction, transactionBody } from '../../storage/transaction';
import type { TableStore } from '../../storage/table-store';
import { useFreshTables } from '../support/storage';

let store: TableStore;
useFreshTables((t) => {
  store = t.store;
});

const PK = 'harnosand|2026-W50';
const options = { allowInsecureConnection: true };

/** The body the SDK writes for `actions`, caught before it leaves the client (nothing is sent). */
async function sdkBody(url: string, table: string, actions: TransactionAction[]): Promise<string> {
  const client = new TableClient(url, table, { allowInsecureConnection: true });
  let caught: PipelineRequest | undefined;
  client.pipeline.addPolicy({
    name: 'catch',
    sendRequest: async (request) => {
      caught = request;
      throw new Error('caught');
    },
  });
  await expect(client.submitTransaction(actions)).rejects.toThrow('caught');
  return String(caught!.body);
}

/** Row keys with what keys may hold: escapes of keys.ts, `|`, `'`, `:`, `@`, `;` and non-ASCII. */
const awkward = [
  ['create', { partitionKey: PK, rowKey: `e|2026-12-07T10:00:00.000Z|status%7Cf%3A1|BOS-01`, at: 'x', n: 5 }],
  ['create', { partitionKey: PK, rowKey: "o'brien;19:abc@thread.tacv2", data0: '{"a":"\\u00e5"}', ok: true }],
  ['update', { partitionKey: PK, rowKey: 'BOS-01', status: 'at_risk', data0: 'åäö', gone: undefined }, 'Replace'],
  [
    'update',
    { partitionKey: PK, rowKey: 'BOS-02', progress: 12.5, nothing: null },
    'Replace',
    { etag: `W/"datetime'2026-12-07T15%3A10%3A10.4222441Z'"` },
  ],
] as TransactionAction[];

describe('the transaction body', () => {
  it('is the SDK’s, byte for byte, for creates and replacing updates', async () => {
    for (const url of ['http://127.0.0.1:10002/devstoreaccount1', 'https://acct.table.core.windows.net/']) {
      const sdk = await sdkBody(url, 'ksEvents', awkward);
      const batch = /--batch_([0-9a-f-]{36})/.exec(sdk)![1]!;
      const changeset = /boundary=changeset_([0-9a-f-]{36})/.exec(sdk)![1]!;
      const ours = transactionBody({ url, tableName: 'ksEvents' }, awkward, { batch, changeset });
      expect(ours).toBe(sdk);
    }
  });
});

describe('transactions on Azurite', () => {
  const table = () => store.client('events');

  it('stores every operation at once and returns each new ETag in order', async () => {
    const client = table();
    const first = await submitTransaction(
      client,
      [
        ['create', { partitionKey: PK, rowKey: 'a', value: 'one' }],
        ['create', { partitionKey: PK, rowKey: "b'quoted", value: 'two' }],
      ],
      options,
    );
    expect(first.status).toBe(202);
    expect(first.subResponses.map((r) => r.status)).toEqual([204, 204]);
    expect(first.subResponses[0]!.etag).toBe((await client.getEntity(PK, 'a')).etag);
    expect(first.subResponses[1]!.etag).toBe((await client.getEntity(PK, "b'quoted")).etag);

    const updated = await submitTransaction(
      client,
      [
        ['update', { partitionKey: PK, rowKey: 'a', value: 'één' }, 'Replace', { etag: first.subResponses[0]!.etag }],
        ['update', { partitionKey: PK, rowKey: "b'quoted", value: 'zwei' }, 'Replace'],
      ],
      options,
    );
    const a = await client.getEntity<{ value: string }>(PK, 'a');
    expect(a.value).toBe('één');
    expect(updated.subResponses[0]!.etag).toBe(a.etag);
    expect((await client.getEntity<{ value: string }>(PK, "b'quoted")).value).toBe('zwei');
  });

  it('refuses a duplicate with 409 and a stale ETag with 412, as the SDK does, and stores nothing of either', async () => {
    const client = table();
    const [made] = (await submitTransaction(client, [['create', { partitionKey: PK, rowKey: 'x', v: '1' }]], options))
      .subResponses;
    await client.updateEntity({ partitionKey: PK, rowKey: 'x', v: '2' }, 'Replace');

    const duplicate: TransactionAction[] = [
      ['create', { partitionKey: PK, rowKey: 'fresh', v: 'new' }],
      ['create', { partitionKey: PK, rowKey: 'x', v: 'again' }],
    ];
    const stale: TransactionAction[] = [
      ['create', { partitionKey: PK, rowKey: 'fresh2', v: 'new' }],
      ['update', { partitionKey: PK, rowKey: 'x', v: '3' }, 'Replace', { etag: made!.etag }],
    ];
    for (const [ops, status] of [
      [duplicate, 409],
      [stale, 412],
    ] as const) {
      const ours = await submitTransaction(client, [...ops], options).catch((e: unknown) => e);
      const sdk = await client.submitTransaction([...ops]).catch((e: unknown) => e);
      expect(ours).toBeInstanceOf(RestError);
      expect((ours as RestError).statusCode).toBe(status);
      expect((ours as RestError).code).toBe((sdk as RestError).code);
      expect((ours as RestError).statusCode).toBe((sdk as RestError).statusCode);
    }
    const rows = [];
    for await (const e of client.listEntities({ queryOptions: { filter: `PartitionKey eq '${PK}'` } })) rows.push(e);
    expect(rows.map((r) => [r.rowKey, r.v])).toEqual([['x', '2']]);
  });

  it('reads a refused transaction’s answer as the SDK reports it', () => {
    const response = {
      status: 202,
      headers: { get: () => undefined },
      request: {},
      bodyAsText: [
        '--batchresponse_1',
        'Content-Type: multipart/mixed; boundary=changesetresponse_2',
        '',
        '--changesetresponse_2',
        'Content-Type: application/http',
        '',
        'HTTP/1.1 409 Conflict',
        'Content-ID: 2',
        '',
        '{"odata.error":{"code":"EntityAlreadyExists","message":{"lang":"en-US","value":"The entity already exists."}}}',
        '--changesetresponse_2--',
        '--batchresponse_1--',
      ].join('\r\n'),
    } as unknown as Parameters<typeof readTransactionResponse>[0];
    expect(() => readTransactionResponse(response)).toThrow(
      expect.objectContaining({ statusCode: 409, code: 'EntityAlreadyExists', message: 'The entity already exists.' }),
    );
  });

  it('hands what it does not write to the SDK: a merge, a date, an account URL with a SAS', async () => {
    const client = table();
    const spy = jest.spyOn(client, 'submitTransaction');
    await submitTransaction(client, [['create', { partitionKey: PK, rowKey: 'm', a: '1', b: '2' }]], options);
    expect(spy).not.toHaveBeenCalled();
    await submitTransaction(client, [['update', { partitionKey: PK, rowKey: 'm', a: 'merged' }, 'Merge']], options);
    await submitTransaction(client, [['create', { partitionKey: PK, rowKey: 'd', at: new Date(0) }]], options);
    expect(spy).toHaveBeenCalledTimes(2);
    const m = await client.getEntity<{ a: string; b: string }>(PK, 'm');
    expect([m.a, m.b]).toEqual(['merged', '2']);
    expect((await client.getEntity<{ at: Date }>(PK, 'd')).at).toEqual(new Date(0));

    const sas = new TableClient('https://acct.table.core.windows.net/?sv=2024&sig=x', 'ksEvents');
    const viaSdk = jest.spyOn(sas, 'submitTransaction').mockResolvedValue({
      status: 202,
      subResponses: [],
      getResponseForEntity: () => undefined,
    });
    await submitTransaction(sas, [['create', { partitionKey: PK, rowKey: 's' }]], options);
    expect(viaSdk).toHaveBeenCalledTimes(1);
  });
});
