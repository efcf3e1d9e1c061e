/**
 * Table clients for one storage account (Azure or Azurite), reached by connection string or by
 * endpoint and a token credential (a managed identity), with the error mapping every
 * repository shares: 412/409 → ConcurrencyError, network failures and 5xx → StorageUnavailableError.
 * No `TableEntity` leaves `storage/`: repositories convert to domain types with `packJson`/`unpackJson`.
 */
import {
  RestError,
  type TableClient,
  type TableServiceClient,
  type TableEntity,
  type TableEntityResult,
  type TableServiceClientOptions,
} from '@azure/data-tables';
import type { PipelinePolicy } from '@azure/core-rest-pipeline';
import { performance } from 'node:perf_hooks';
import { ConcurrencyError, NotFoundError, StorageUnavailableError, isKraftsamlaError } from '../domain/errors';
import type { Telemetry } from '../domain/telemetry';
import { FreshReads, TransactionBatcher } from './coalesce';
import { submitTransaction } from './transaction';
import { TABLES, type TableName } from './keys';
import { StoreHealth, type StoreHealthOptions } from './store-health';
import { serviceClient, tableClient, type TableAccount } from './table-clients';

export type { TableAccount } from './table-clients';

export type TableStoreOptions = TableAccount & {
  tablePrefix: string;
  /** When the store counts as not answering (store-health.ts); the defaults suit a person waiting in Teams. */
  health?: StoreHealthOptions;
  /** Pipeline policies every client of the store gets, the probe's too (after the store's own). */
  additionalPolicies?: TableServiceClientOptions['additionalPolicies'];
  /** A span and a latency measurement per store operation; none: nothing recorded. */
  telemetry?: Telemetry;
};

/** Which of the two ways the store signs in: logged and reported, never the secret itself. */
export type TableAuth = 'connection-string' | 'managed-identity';

// Only a connection string may name a plain-http endpoint (the embedded Azurite, tests): the SDK
// never sends a bearer token over http.
const insecure = (account: TableAccount) =>
  account.connectionString !== undefined &&
  /DefaultEndpointsProtocol=http;|TableEndpoint=http:\/\//i.test(account.connectionString);

const clientOptions = (options: TableStoreOptions, health: StoreHealth) => ({
  allowInsecureConnection: insecure(options),
  // Fail fast when the store is down: a person is waiting for the answer in Teams. A store that
  // does not answer at all is cut short by the health policy, not by these timeouts.
  retryOptions: { maxRetries: 2, retryDelayInMs: 200, maxRetryDelayInMs: 1000, tryTimeoutInMs: 10000 },
  additionalPolicies: [
    ...telemetryPolicies(options.telemetry),
    { policy: healthPolicy(health), position: 'perCall' as const },
    ...(options.additionalPolicies ?? []),
  ],
});

/** The table a request is for (`ksTeams`, `$batch`, `Tables`), without keys or query. */
function tableOf(url: string): string {
  const first = new URL(url).pathname.split('/').filter(Boolean).pop() ?? '';
  return (first.split('(')[0] ?? '').slice(0, 64) || '(account)';
}

/**
 * Once per operation, around the SDK's retries and the health policy (so a fast refusal counts
 * too): a span and the operation's time in the `store.duration` histogram, by method, table and
 * status. Outermost, so the span holds the retries.
 */
function telemetryPolicies(
  telemetry: Telemetry | undefined,
): NonNullable<TableServiceClientOptions['additionalPolicies']> {
  if (!telemetry?.enabled) return [];
  const policy: PipelinePolicy = {
    name: 'kraftsamlaStoreTelemetry',
    sendRequest: (request, next) => {
      const table = tableOf(request.url);
      const started = performance.now();
      return telemetry.span(
        `store ${request.method}`,
        { 'db.system.name': 'azure.tables', 'db.operation.name': request.method, 'db.collection.name': table },
        async (span) => {
          let status: number | undefined;
          try {
            const response = await next(request);
            status = response.status;
            return response;
          } catch (err) {
            status = statusOf(err);
            span.fail(err);
            throw err;
          } finally {
            const attributes = { method: request.method, table, status: status ?? 'error' };
            span.set({ 'http.response.status_code': status });
            telemetry.record('store.duration', performance.now() - started, attributes);
          }
        },
        'client',
      );
    },
  };
  return [{ policy, position: 'perCall' }];
}

/**
 * Once per operation (around the SDK's retries): fails at once while the store is stalled, aborts
 * the operation when it becomes stalled, and has the store probed when the operation is slow or
 * fails with no answer.
 */
function healthPolicy(health: StoreHealth): PipelinePolicy {
  return {
    name: 'kraftsamlaStoreHealth',
    sendRequest: async (request, next) => {
      if (health.isStalled()) {
        health.suspect();
        throw new RestError('storage does not answer', { code: 'KS_STORE_STALLED' });
      }
      const own = request.abortSignal as AbortSignal | undefined;
      // A signal of its own per operation: the HTTP client listens on it, and the shared one would
      // collect a listener per operation in flight.
      request.abortSignal = AbortSignal.any(own ? [own, health.signal] : [health.signal]);
      const slow = setTimeout(() => health.suspect(), health.suspectAfterMs);
      slow.unref();
      try {
        return await next(request);
      } catch (err) {
        if (statusOf(err) === undefined) health.suspect();
        throw err;
      } finally {
        clearTimeout(slow);
      }
    },
  };
}

export class TableStore {
  private readonly clients = new Map<TableName, TableClient>();
  private readonly batchers = new Map<TableName, TransactionBatcher>();
  private readonly service: TableServiceClient;
  /** Whether the store answers; shared by every client of this store. */
  readonly health: StoreHealth;

  constructor(private readonly options: TableStoreOptions) {
    // The probe has its own client: no health policy (it is how the policy learns), no retries.
    const probeClient = tableClient(options, `${options.tablePrefix}${TABLES.teams}`, {
      allowInsecureConnection: insecure(options),
      retryOptions: { maxRetries: 0 },
      additionalPolicies: [...telemetryPolicies(options.telemetry), ...(options.additionalPolicies ?? [])],
    });
    this.health = new StoreHealth(async (abortSignal) => {
      await probeClient
        .listEntities({ queryOptions: { select: ['PartitionKey'] }, abortSignal })
        .byPage({ maxPageSize: 1 })
        .next();
    }, options.health);
    this.service = serviceClient(options, clientOptions(options, this.health));
  }

  /** How this store signs in to its account. */
  get auth(): TableAuth {
    return this.options.connectionString !== undefined ? 'connection-string' : 'managed-identity';
  }

  /** The table service's address without any query (a SAS in a connection string stays out of logs). */
  get endpoint(): string {
    const url = new URL(this.service.url);
    return `${url.origin}${url.pathname}`.replace(/\/$/, '');
  }

  tableName(name: TableName): string {
    return `${this.options.tablePrefix}${TABLES[name]}`;
  }

  client(name: TableName): TableClient {
    let c = this.clients.get(name);
    if (!c) {
      c = tableClient(this.options, this.tableName(name), clientOptions(this.options, this.health));
      this.clients.set(name, c);
    }
    return c;
  }

  /**
   * A client of its own for one table, outside the shared ones, with extra pipeline policies
   * (the backup reads the numbers of a response as the service wrote them: storage/backup.ts).
   */
  separateClient(
    name: TableName,
    additionalPolicies: TableServiceClientOptions['additionalPolicies'] = [],
  ): TableClient {
    const options = clientOptions(this.options, this.health);
    return tableClient(this.options, this.tableName(name), {
      ...options,
      additionalPolicies: [...options.additionalPolicies, ...additionalPolicies],
    });
  }

  /** Group commit for one table's transactions (see coalesce.ts). */
  batcher(name: TableName): TransactionBatcher {
    let b = this.batchers.get(name);
    if (!b) {
      b = new TransactionBatcher(() => this.client(name), {
        plainSingle: true,
        transact: (ops) =>
          submitTransaction(this.client(name), ops, { allowInsecureConnection: insecure(this.options) }),
      });
      this.batchers.set(name, b);
    }
    return b;
  }

  /** Creates every table that does not exist yet (idempotent). */
  async ensureTables(): Promise<void> {
    await guard(async () => {
      await Promise.all(
        (Object.keys(TABLES) as TableName[]).map(async (name) => {
          try {
            await this.service.createTable(this.tableName(name));
          } catch (err) {
            if (statusOf(err) !== 409) throw err;
          }
        }),
      );
    });
  }

  /** True when the account answers within the probe deadline (`health.probeTimeoutMs`). */
  async ping(): Promise<boolean> {
    return (await this.health.probe()) === 'up';
  }

  /** Stops probing (the store's clients hold no other resources). */
  close(): void {
    this.health.close();
  }
}

export function statusOf(err: unknown): number | undefined {
  const e = err as { statusCode?: number; status?: number } | undefined;
  return e?.statusCode ?? e?.status;
}

/** Runs a storage call and maps SDK errors to domain errors. */
export async function guard<T>(fn: () => Promise<T>, what = 'storage operation'): Promise<T> {
  try {
    return await fn();
  } catch (err) {
    throw mapError(err, what);
  }
}

export function mapError(err: unknown, what: string): Error {
  if (isKraftsamlaError(err)) return err;
  const status = statusOf(err);
  if (status === 412 || status === 409) return new ConcurrencyError(`${what}: changed by someone else`, { status });
  if (status === 404) return new NotFoundError(`${what}: not found`, { status });
  const credentialProblem = noTokenReason(err);
  if (credentialProblem) {
    // The identity could not get a token (no managed identity here, the wrong client id): say so,
    // or an operator sees only "storage unavailable". @azure/identity's messages hold no secret.
    return new StorageUnavailableError(
      `${what}: storage unavailable: no token for the storage account (${credentialProblem})`,
      { code: 'KS_STORE_NO_TOKEN' },
    );
  }
  if (status === undefined || status >= 500 || status === 408) {
    const code = (err as { code?: string })?.code;
    return new StorageUnavailableError(`${what}: storage unavailable`, { status, code });
  }
  return err instanceof Error ? err : new Error(String(err));
}

/** @azure/identity's failures to get a token, by name (CredentialUnavailableError, AuthenticationError, …). */
const CREDENTIAL_ERRORS = new Set([
  'CredentialUnavailableError',
  'AuthenticationError',
  'AggregateAuthenticationError',
  'AuthenticationRequiredError',
]);

function noTokenReason(err: unknown): string | undefined {
  if (!(err instanceof Error) || !CREDENTIAL_ERRORS.has(err.name)) return undefined;
  const firstLine = err.message.split('\n')[0] ?? '';
  return `${err.name}: ${firstLine.length > 300 ? `${firstLine.slice(0, 300)}…` : firstLine}`;
}

/** Largest string we put in one property: Table Storage allows 64 KiB, i.e. 32 K UTF-16 units. */
const CHUNK = 30000;

/**
 * Packs a domain object as JSON across `data0..dataN` properties. Non-ASCII characters are
 * written as `\uXXXX` escapes: Azurite 3.35 corrupts a multi-byte UTF-8 character that straddles
 * a 64 KiB chunk of a request body (seen in test/storage), and ASCII-only JSON cannot straddle.
 * For the same reason the plain columns beside `data*` hold ASCII only (keys, status, dates).
 */
export function packJson(value: unknown): Record<string, string> {
  const json = JSON.stringify(value).replace(
    /[\u007f-\uffff]/g,
    (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`,
  );
  const out: Record<string, string> = {};
  for (let i = 0, n = 0; i < json.length || n === 0; i += CHUNK, n++) out[`data${n}`] = json.slice(i, i + CHUNK);
  return out;
}

export function unpackJson<T>(entity: Record<string, unknown>): T {
  let json = '';
  for (let n = 0; typeof entity[`data${n}`] === 'string'; n++) json += entity[`data${n}`] as string;
  return JSON.parse(json) as T;
}

export type StoredEntity = TableEntityResult<Record<string, unknown>>;
export type Entity = TableEntity<Record<string, unknown>>;

/** Concurrent reads of one table share requests (each caller still reads fresh: coalesce.ts). */
const freshReads = new WeakMap<TableClient, FreshReads>();

function readsOf(table: TableClient): FreshReads {
  let r = freshReads.get(table);
  if (!r) {
    r = new FreshReads();
    freshReads.set(table, r);
  }
  return r;
}

/** Reads one row; undefined when it does not exist. Other failures map as in `guard`. */
export async function readEntity<T extends object = Record<string, unknown>>(
  table: TableClient,
  key: { partitionKey: string; rowKey: string },
  what: string,
): Promise<TableEntityResult<T> | undefined> {
  const shared = await readsOf(table).read(`row|${key.partitionKey}|${key.rowKey}`, () =>
    guard(async () => {
      try {
        return await table.getEntity<T>(key.partitionKey, key.rowKey);
      } catch (err) {
        if (statusOf(err) === 404) return undefined;
        throw err;
      }
    }, what),
  );
  // A copy per caller: callers that shared the read never see each other's changes.
  return shared && { ...shared };
}

/** Reads all pages of a query into an array. */
async function collect(iter: AsyncIterable<StoredEntity>): Promise<StoredEntity[]> {
  const out: StoredEntity[] = [];
  for await (const e of iter) out.push(e);
  return out;
}

/** All rows matching an OData filter (every page), each caller with its own copies. */
export async function query(table: TableClient, filter: string, what: string): Promise<StoredEntity[]> {
  const shared = await readsOf(table).read(`query|${filter}`, () =>
    guard(() => collect(table.listEntities({ queryOptions: { filter } })), what),
  );
  return shared.map((e) => ({ ...e }));
}

/**
 * Items grouped by partition, each group cut into chunks of at most `perChunk`: one transaction
 * each (Table Storage: one partition, at most 100 operations).
 */
export function chunksByPartition<T>(items: readonly T[], partitionOf: (item: T) => string, perChunk: number): T[][] {
  const groups = new Map<string, T[]>();
  for (const item of items) {
    const pk = partitionOf(item);
    const group = groups.get(pk);
    if (group) group.push(item);
    else groups.set(pk, [item]);
  }
  const chunks: T[][] = [];
  for (const group of groups.values())
    for (let i = 0; i < group.length; i += perChunk) chunks.push(group.slice(i, i + perChunk));
  return chunks;
}
