/**
 * Preloaded into a benchmark's child process (`node --require`): counts the HTTP requests the
 * process makes, per host:port and per kind of store request, through Node's diagnostics
 * channel. On SIGUSR2 it writes the counts so far to `BENCH_REQUEST_COUNT_FILE`, so the benchmark
 * can take the difference over its measured phase (the bot's requests to Azurite per answer, and
 * which requests they were, for bench/store-replay.ts to make the same ones).
 *
 * A kind is what a Table Storage request does, without its row keys' values where they vary
 * (see `kindOf`): a query by its filter, a point read by its row, a write by method and table,
 * a transaction (`$batch`) by its table and how many creates and replacing updates it holds
 * (read from its body on the socket, see `watch`; nothing global is patched).
 */
import * as diagnostics from 'node:diagnostics_channel';
import * as fs from 'node:fs';
import type { ClientRequest } from 'node:http';
import type { Socket } from 'node:net';

export interface RequestCounts {
  /** Requests per host:port. */
  hosts: Record<string, number>;
  /** Store requests per kind (the key is a JSON `StoreKind`). */
  kinds: Record<string, number>;
  /** Bytes of request body per kind, summed. */
  kindBytes: Record<string, number>;
  /** Transactions (`$batch`) sent, and their bytes. */
  batches: number;
  batchBytes: number;
  /** Transactions seen on the wire, per kind (most of them: see `watch`). */
  batchSample: Record<string, number>;
}

/** One kind of store request, as bench/store-replay.ts replays it. */
export type StoreKind =
  | { op: 'query'; table: string; filter: string }
  | { op: 'read'; table: string; partitionKey: string; rowKey: string }
  | { op: 'write'; method: string; table: string; partitionKey?: string }
  | { op: 'batch'; table: string; creates: number; updates: number; partitionKey: string }
  | { op: 'other'; method: string; path: string };

const ROW = /^([^(]+)\(PartitionKey='((?:[^']|'')*)',RowKey='((?:[^']|'')*)'\)$/;
const key = (s: string) => decodeURIComponent(s).replace(/''/g, "'");

/** The kind of a request to the table service at `path` (account segment first, as Azurite's). */
export function kindOf(method: string, path: string): StoreKind {
  const url = new URL(path, 'http://store');
  const segments = url.pathname.split('/').filter(Boolean);
  const last = segments[segments.length - 1] ?? '';
  const row = ROW.exec(last);
  if (method === 'GET' && last.endsWith('()')) {
    return { op: 'query', table: last.slice(0, -2), filter: url.searchParams.get('$filter') ?? '' };
  }
  if (row) {
    const [, table, pk, rk] = row;
    if (method === 'GET') return { op: 'read', table: table!, partitionKey: key(pk!), rowKey: key(rk!) };
    // Writes by table and partition: which row of it does not change what a write costs.
    return { op: 'write', method, table: table!, partitionKey: key(pk!) };
  }
  if (method === 'POST' && last !== '$batch' && segments.length >= 2) return { op: 'write', method, table: last };
  return { op: 'other', method, path: url.pathname };
}

/** A transaction's kind from its body: its table, partition and how many creates and updates. */
export function batchKind(body: string): StoreKind {
  let table = '';
  let partitionKey = '';
  let creates = 0;
  let updates = 0;
  for (const m of body.matchAll(/^(POST|PUT|MERGE|DELETE) (https?:\/\/\S+) HTTP\/1\.1\r?$/gm)) {
    const path = new URL(m[2]!).pathname;
    const last = path.split('/').filter(Boolean).pop() ?? '';
    const row = ROW.exec(last);
    if (m[1] === 'POST') {
      creates++;
      table = last;
    } else {
      updates++;
      if (row) table = row[1]!;
    }
    if (row && !partitionKey) partitionKey = key(row[2]!);
  }
  if (!partitionKey) partitionKey = /"PartitionKey":"((?:[^"\\]|\\.)*)"/.exec(body)?.[1] ?? '';
  return { op: 'batch', table, creates, updates, partitionKey: partitionKey && JSON.parse(`"${partitionKey}"`) };
}

const counts: RequestCounts = { hosts: {}, kinds: {}, kindBytes: {}, batches: 0, batchBytes: 0, batchSample: {} };
const add = (kind: StoreKind, bytes: number) => {
  const k = JSON.stringify(kind);
  counts.kinds[k] = (counts.kinds[k] ?? 0) + 1;
  counts.kindBytes[k] = (counts.kindBytes[k] ?? 0) + bytes;
};

/** The kind of a transaction whose request went out in `chunk`, if one did (request line, headers, body). */
function batchIn(chunk: unknown): StoreKind | undefined {
  const text = typeof chunk === 'string' ? chunk : chunk instanceof Uint8Array ? Buffer.from(chunk).toString() : '';
  if (!text.startsWith('POST /devstoreaccount1/$batch ')) return undefined;
  try {
    return batchKind(text);
  } catch {
    return { op: 'other', method: 'POST', path: '$batch (not read)' };
  }
}

// A transaction's operations are only in its body, which has gone to the socket before the
// request is announced. So the sockets the store's requests use are watched (their own `write`,
// from their second request on): the transactions seen there are the sample of their kinds, and
// `$batch` counts them all.
const watched = new WeakSet<object>();
function watch(socket: Socket): void {
  if (watched.has(socket)) return;
  watched.add(socket);
  const write = socket.write.bind(socket) as (...args: unknown[]) => boolean;
  (socket as unknown as { write: (...a: unknown[]) => boolean }).write = (...args) => {
    const kind = batchIn(args[0]);
    if (kind) {
      const k = JSON.stringify(kind);
      counts.batchSample[k] = (counts.batchSample[k] ?? 0) + 1;
    }
    return write(...args);
  };
}

const STORE_PATH = /^\/devstoreaccount1\//;
diagnostics.subscribe('http.client.request.start', (message) => {
  const request = (message as { request: ClientRequest }).request;
  const host = String(request.getHeader('host') ?? request.host);
  counts.hosts[host] = (counts.hosts[host] ?? 0) + 1;
  if (!STORE_PATH.test(request.path)) return;
  if (request.socket) watch(request.socket);
  const bytes = Number(request.getHeader('content-length') ?? 0);
  if (request.method === 'POST' && request.path.split('?')[0]!.endsWith('/$batch')) {
    counts.batches++;
    counts.batchBytes += bytes;
  } else add(kindOf(request.method, request.path), bytes);
});

/** A copy of the counts so far (for a process that imports this module rather than preloading it). */
export function countsSoFar(): RequestCounts {
  return JSON.parse(JSON.stringify(counts)) as RequestCounts;
}

const file = process.env.BENCH_REQUEST_COUNT_FILE;
if (file) {
  process.on('SIGUSR2', () => {
    fs.writeFileSync(file, JSON.stringify(counts));
  });
}
