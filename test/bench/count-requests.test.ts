/**
 * The kinds the answer benchmark counts the bot's store requests by, which its replay makes again:
 * read from a request's path, and a transaction's from the body storage/transaction.ts writes.
 */
import { batchKind, kindOf } from '../../bench/count-requests';
import { transactionBody } from '../../storage/transaction';

const client = { url: 'http://127.0.0.1:10002/devstoreaccount1', tableName: 'bx1Events' };

describe('store request kinds', () => {
  it('tells a query, a point read and a write apart, with their table, filter and keys', () => {
    expect(kindOf('GET', "/devstoreaccount1/bx1Actions()?$filter=PartitionKey%20eq%20'harnosand'&$top=1000")).toEqual({
      op: 'query',
      table: 'bx1Actions',
      filter: "PartitionKey eq 'harnosand'",
    });
    expect(kindOf('GET', "/devstoreaccount1/bx1CheckIns(PartitionKey='harnosand%7C2026-W50',RowKey='o''k')")).toEqual({
      op: 'read',
      table: 'bx1CheckIns',
      partitionKey: 'harnosand|2026-W50',
      rowKey: "o'k",
    });
    expect(kindOf('PUT', "/devstoreaccount1/bx1Actions(PartitionKey='harnosand',RowKey='BOS-01')")).toEqual({
      op: 'write',
      method: 'PUT',
      table: 'bx1Actions',
      partitionKey: 'harnosand',
    });
  });

  it("reads a transaction's table, partition, creates and updates from its body", () => {
    const pk = 'harnosand|2026-W50';
    const creates = transactionBody(
      client,
      [
        ['create', { partitionKey: pk, rowKey: 'e|1', data0: '{}' }],
        ['create', { partitionKey: pk, rowKey: 'id|1' }],
      ],
      { batch: 'b', changeset: 'c' },
    );
    expect(batchKind(`POST /devstoreaccount1/$batch HTTP/1.1\r\nHost: x\r\n\r\n${creates}`)).toEqual({
      op: 'batch',
      table: 'bx1Events',
      creates: 2,
      updates: 0,
      partitionKey: pk,
    });
    const updates = transactionBody(
      { ...client, tableName: 'bx1Actions' },
      [
        ['update', { partitionKey: 'harnosand', rowKey: 'BOS-01', a: 1 }, 'Replace', { etag: 'W/"1"' }],
        ['update', { partitionKey: 'harnosand', rowKey: 'BOS-02', a: 2 }, 'Replace'],
        ['update', { partitionKey: 'harnosand', rowKey: 'BOS-03', a: 3 }, 'Replace'],
      ],
      { batch: 'b', changeset: 'c' },
    );
    expect(batchKind(updates)).toEqual({
      op: 'batch',
      table: 'bx1Actions',
      creates: 0,
      updates: 3,
      partitionKey: 'harnosand',
    });
  });
});
