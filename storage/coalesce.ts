/**
 * Two ways of asking the store less often without changing what any caller sees (the store is
 * the bound on throughput; Azurite serves one request at a time).
 *
 * - `FreshReads`: concurrent reads of the same thing share one request, but a caller only ever
 *   joins a read that starts after its call (never one already on the wire), so it sees every
 *   write that finished before it asked, exactly as with a read of its own.
 * - `TransactionBatcher` (group commit): atomic groups of operations on one partition that
 *   arrive while a transaction is on the wire are sent together in the next one (Table Storage:
 *   at most 100 operations, 4 MiB, one partition, each row once). A group still succeeds or fails
 *   as a whole: when a shared transaction is refused (a duplicate, a stale ETag), every group is
 *   sent again on its own, so each caller gets the outcome its group would have had alone.
 */
import type { TableClient, TableTransactionResponse, TransactionAction } from '@azure/data-tables';

interface Waiter<T> {
  resolve(value: T): void;
  reject(err: unknown): void;
}

interface ReadSlot {
  running: boolean;
  /** Callers that arrived while a read was running: they share the next one. */
  next: Waiter<unknown>[];
  nextFn?: () => Promise<unknown>;
}

export class FreshReads {
  private readonly slots = new Map<string, ReadSlot>();

  read<T>(key: string, fn: () => Promise<T>): Promise<T> {
    const slot = this.slots.get(key);
    if (!slot) {
      const fresh: ReadSlot = { running: true, next: [] };
      this.slots.set(key, fresh);
      return this.run(key, fresh, fn);
    }
    return new Promise<T>((resolve, reject) => {
      slot.next.push({ resolve: resolve as (v: unknown) => void, reject });
      slot.nextFn ??= fn;
    });
  }

  private async run<T>(key: string, slot: ReadSlot, fn: () => Promise<T>): Promise<T> {
    try {
      return await fn();
    } finally {
      this.startNext(key, slot);
    }
  }

  private startNext(key: string, slot: ReadSlot): void {
    const waiters = slot.next;
    const fn = slot.nextFn;
    if (waiters.length === 0 || !fn) {
      this.slots.delete(key);
      return;
    }
    slot.next = [];
    slot.nextFn = undefined;
    this.run(key, slot, fn).then(
      (value) => waiters.forEach((w) => w.resolve(value)),
      (err: unknown) => waiters.forEach((w) => w.reject(err)),
    );
  }
}

/** Result of one operation in a transaction: the new ETag of a created or updated row. */
export interface OperationResult {
  rowKey: string;
  etag?: string;
}

interface Group {
  ops: TransactionAction[];
  rowKeys: string[];
  bytes: number;
  resolve(results: OperationResult[]): void;
  reject(err: unknown): void;
}

interface PartitionQueue {
  running: boolean;
  queued: Group[];
}

export const MAX_TRANSACTION_OPS = 100;
/** Table Storage refuses a transaction over 4 MiB; stay well under it (JSON is an estimate). */
const MAX_TRANSACTION_BYTES = 2 * 1024 * 1024;

function rowKeyOf(op: TransactionAction): string {
  return String((op[1] as { rowKey: string }).rowKey);
}

function bytesOf(op: TransactionAction): number {
  return JSON.stringify(op[1]).length + 200;
}

export class TransactionBatcher {
  private readonly partitions = new Map<string, PartitionQueue>();

  /**
   * `plainSingle`: a transaction that would hold one operation alone is sent as a plain request
   * instead (cheaper on both ends: the SDK builds a client per transaction; same outcome).
   * `transact`: how a transaction is submitted (default: the SDK's `submitTransaction`).
   */
  constructor(
    private readonly table: () => TableClient,
    private readonly options: {
      plainSingle?: boolean;
      transact?: (ops: TransactionAction[]) => Promise<TableTransactionResponse>;
    } = {},
  ) {}

  private transact(ops: TransactionAction[]): Promise<TableTransactionResponse> {
    return this.options.transact ? this.options.transact(ops) : this.table().submitTransaction(ops);
  }

  /**
   * Commits `ops` (one partition, each row once) atomically, possibly in one transaction with
   * other callers' groups. Resolves with each operation's new ETag; rejects with the error the
   * group would have had on its own.
   */
  submit(partitionKey: string, ops: TransactionAction[]): Promise<OperationResult[]> {
    if (ops.length === 0) return Promise.resolve([]);
    if (ops.length > MAX_TRANSACTION_OPS)
      return Promise.reject(new RangeError(`a transaction holds at most ${MAX_TRANSACTION_OPS} operations`));
    return new Promise<OperationResult[]>((resolve, reject) => {
      const group: Group = {
        ops,
        rowKeys: ops.map(rowKeyOf),
        bytes: ops.reduce((n, op) => n + bytesOf(op), 0),
        resolve,
        reject,
      };
      let queue = this.partitions.get(partitionKey);
      if (!queue) {
        queue = { running: false, queued: [] };
        this.partitions.set(partitionKey, queue);
      }
      queue.queued.push(group);
      if (!queue.running) this.drain(partitionKey, queue);
    });
  }

  private drain(partitionKey: string, queue: PartitionQueue): void {
    if (queue.queued.length === 0) {
      queue.running = false;
      this.partitions.delete(partitionKey);
      return;
    }
    queue.running = true;
    const batch: Group[] = [];
    const rows = new Set<string>();
    /** Rows of groups put back: a later group on one of them waits too, keeping arrival order per row. */
    const blocked = new Set<string>();
    let ops = 0;
    let bytes = 0;
    const later: Group[] = [];
    for (const g of queue.queued) {
      const fits =
        ops + g.ops.length <= MAX_TRANSACTION_OPS && (batch.length === 0 || bytes + g.bytes <= MAX_TRANSACTION_BYTES);
      if (!fits || g.rowKeys.some((r) => rows.has(r) || blocked.has(r))) {
        later.push(g);
        g.rowKeys.forEach((r) => blocked.add(r));
        continue;
      }
      batch.push(g);
      g.rowKeys.forEach((r) => rows.add(r));
      ops += g.ops.length;
      bytes += g.bytes;
    }
    queue.queued = later;
    void this.commit(batch).finally(() => this.drain(partitionKey, queue));
  }

  private async commit(batch: Group[]): Promise<void> {
    const only = this.options.plainSingle && batch.length === 1 && batch[0]!.ops.length === 1 ? batch[0]! : undefined;
    if (only) {
      try {
        only.resolve([{ rowKey: only.rowKeys[0]!, etag: await this.single(only.ops[0]!) }]);
      } catch (err) {
        only.reject(err);
      }
      return;
    }
    try {
      const response = await this.transact(batch.flatMap((g) => g.ops));
      // Sub-responses come in the order of the operations (OData batch).
      const sub = response.subResponses ?? [];
      let i = 0;
      for (const g of batch) g.resolve(g.rowKeys.map((rowKey) => ({ rowKey, etag: sub[i++]?.etag?.trim() })));
    } catch (err) {
      const status = (err as { statusCode?: number } | undefined)?.statusCode;
      // Refused for one group's sake (409 exists, 412 stale ETag, 404 gone, 400 bad entity):
      // each group is tried alone. Anything else (store down, timeout) is everyone's answer.
      if (
        batch.length > 1 &&
        status !== undefined &&
        status >= 400 &&
        status < 500 &&
        status !== 408 &&
        status !== 429
      ) {
        await Promise.all(batch.map((g) => this.commit([g])));
        return;
      }
      for (const g of batch) g.reject(err);
    }
  }

  /** One operation as a plain request; returns the row's new ETag. */
  private async single(op: TransactionAction): Promise<string | undefined> {
    const table = this.table();
    switch (op[0]) {
      case 'create':
        return (await table.createEntity(op[1])).etag;
      case 'update':
        return (await table.updateEntity(op[1], op[2] ?? 'Merge', op[3])).etag;
      case 'upsert':
        return (await table.upsertEntity(op[1], op[2] ?? 'Merge')).etag;
      default:
        await this.transact([op]);
        return undefined;
    }
  }
}
