/**
 * Backup and restore of every table, row by row, as the service holds them: every partition,
 * every row, every property with its Edm type. The file is JSON Lines: a header line (format,
 * version, time, table prefix, tables, row counts), then one line per row. The system columns are
 * not kept: the service sets `Timestamp` and the ETag anew when a row is restored.
 *
 * What leaves this module is plain data (`BackupRow`), never a `TableEntity`; files are the
 * caller's business (cli/backup-file.ts).
 */
import { createHash } from 'node:crypto';
import type { TableEntity, TableServiceClientOptions, TransactionAction } from '@azure/data-tables';
import { TABLES, type TableName } from './keys';
import { mapError, type TableStore } from './table-store';

export const BACKUP_FORMAT = 'kraftsamla-backup';
export const BACKUP_VERSION = 1;

export const EDM_TYPES = ['String', 'Int32', 'Int64', 'Double', 'Boolean', 'DateTime', 'Guid', 'Binary'] as const;
export type EdmType = (typeof EDM_TYPES)[number];

/**
 * One property: Int32 and finite Double values are JSON numbers, Boolean a JSON boolean, the
 * rest strings (Int64 as its digits, DateTime as the service wrote it, Binary as base64, and a
 * Double that is NaN or ±Infinity by that name).
 */
export interface BackupProperty {
  type: EdmType;
  value: string | number | boolean;
}

export interface BackupRow {
  /** The table's name without the prefix (`Actions`). */
  table: string;
  partitionKey: string;
  rowKey: string;
  properties: Record<string, BackupProperty>;
}

export interface BackupHeader {
  format: typeof BACKUP_FORMAT;
  version: typeof BACKUP_VERSION;
  createdAt: string;
  tablePrefix: string;
  tables: string[];
  /** Rows per table (name without prefix). */
  rows: Record<string, number>;
}

/** A problem with a backup file, as a text key's last part and its parameters (cli.backup.problem.*). */
export interface BackupProblem {
  code: 'notJson' | 'notHeader' | 'newerVersion' | 'badHeader' | 'badRow' | 'unknownTable' | 'badProperty' | 'duplicate' | 'countMismatch' | 'emptyLine' | 'unreadable';
  params?: Record<string, string | number>;
}

/** A file that cannot be restored; `line` is 1-based. */
export class BackupFileError extends Error {
  constructor(
    readonly line: number,
    readonly problem: BackupProblem,
  ) {
    super(`line ${line}: ${problem.code}`);
  }
}

/** The tables of the store, in the order they are written: name without prefix → our key. */
const TABLE_KEYS = new Map<string, TableName>((Object.entries(TABLES) as [TableName, string][]).map(([key, name]) => [name, key]));

export function backupTables(): string[] {
  return [...TABLE_KEYS.keys()];
}

// ---------------------------------------------------------------------------------------------
// Reading the store

/**
 * The service writes a Double without a type annotation when it is a number, and a whole one as
 * `2.0`; JSON.parse turns that into 2 and the SDK (13.3) then calls it Int32, so a restore would
 * write it back as one (or fail, above 2^31). So, before the body is parsed, every number written
 * with a fraction or an exponent gets its `@odata.type` back. A JSON number without either is an
 * Int32: the service writes Int64 as a string with its annotation.
 */
export function annotateDoubles(json: string): string {
  let out = '';
  let copied = 0;
  let lastString: { start: number; end: number } | undefined;
  let key: { start: number; end: number } | undefined;
  let i = 0;
  while (i < json.length) {
    const c = json[i]!;
    if (c === '"') {
      const start = i++;
      while (i < json.length && json[i] !== '"') i += json[i] === '\\' ? 2 : 1;
      i++;
      lastString = { start, end: i };
      key = undefined;
    } else if (c === ':') {
      key = lastString;
      lastString = undefined;
      i++;
    } else if (c === '-' || (c >= '0' && c <= '9')) {
      const start = i;
      while (i < json.length && /[0-9eE+\-.]/.test(json[i]!)) i++;
      if (key && /[.eE]/.test(json.slice(start, i))) {
        const name = json.slice(key.start + 1, key.end - 1);
        out += `${json.slice(copied, key.start)}"${name}@odata.type":"Edm.Double",`;
        copied = key.start;
      }
      key = undefined;
    } else {
      if (c !== ' ' && c !== '\n' && c !== '\r' && c !== '\t') {
        key = undefined;
        lastString = undefined;
      }
      i++;
    }
  }
  return out + json.slice(copied);
}

type AdditionalPolicies = NonNullable<TableServiceClientOptions['additionalPolicies']>;

const doublesPolicy: AdditionalPolicies[number] = {
  // Inside the retry loop, so the body is changed before it is parsed.
  position: 'perRetry',
  policy: {
    name: 'kraftsamlaBackupDoubles',
    async sendRequest(request, next) {
      const response = await next(request);
      if (request.method === 'GET' && typeof response.bodyAsText === 'string' && response.status === 200) {
        response.bodyAsText = annotateDoubles(response.bodyAsText);
      }
      return response;
    },
  },
};

/** Columns the service keeps itself: not backed up, not restored. */
const SYSTEM = new Set(['partitionKey', 'rowKey', 'etag', 'timestamp']);

function fromService(type: string, value: unknown): BackupProperty {
  switch (type) {
    case 'Int32':
      return { type, value: Number(value) };
    case 'Double': {
      const n = Number(value);
      return { type, value: Number.isFinite(n) ? n : String(value) };
    }
    case 'Boolean':
      return { type, value: value === true || value === 'true' };
    case 'String':
    case 'Int64':
    case 'DateTime':
    case 'Guid':
    case 'Binary':
      return { type, value: String(value) };
    default:
      throw new Error(`unknown Edm type ${type}`);
  }
}

/** Every row of one table, in the service's order (partition, then row key). */
export async function* readTable(store: TableStore, table: string): AsyncGenerator<BackupRow> {
  const key = TABLE_KEYS.get(table);
  if (!key) throw new Error(`unknown table ${table}`);
  const client = store.separateClient(key, [doublesPolicy]);
  const entities = client.listEntities<Record<string, unknown>>({ disableTypeConversion: true });
  try {
    for await (const entity of entities) {
      const properties: Record<string, BackupProperty> = {};
      for (const [name, raw] of Object.entries(entity)) {
        if (SYSTEM.has(name)) continue;
        const typed = raw as { type?: unknown; value?: unknown } | null;
        if (!typed || typeof typed.type !== 'string') throw new Error(`${table}: property ${name} has no type`);
        properties[name] = fromService(typed.type, typed.value);
      }
      yield { table, partitionKey: entity.partitionKey ?? '', rowKey: entity.rowKey ?? '', properties };
    }
  } catch (err) {
    throw mapError(err, `backup of ${table}`);
  }
}

/** The tables (names without prefix) that hold at least one row. */
export async function tablesWithRows(store: TableStore): Promise<string[]> {
  const found: string[] = [];
  for (const [table, key] of TABLE_KEYS) {
    try {
      const pages = store.client(key).listEntities({ queryOptions: { select: ['PartitionKey'] } }).byPage({ maxPageSize: 1 });
      // A page can come back empty with a continuation; the first non-empty one decides.
      for await (const page of pages) {
        if (page.length > 0) {
          found.push(table);
          break;
        }
      }
    } catch (err) {
      throw mapError(err, `reading ${table}`);
    }
  }
  return found;
}

// ---------------------------------------------------------------------------------------------
// The file's lines

export function headerLine(header: BackupHeader): string {
  return JSON.stringify(header);
}

export function rowLine(row: BackupRow): string {
  return JSON.stringify({ table: row.table, partitionKey: row.partitionKey, rowKey: row.rowKey, properties: row.properties });
}

/** A short fingerprint of a row's content (properties, types and values), for the check after a restore. */
export function rowDigest(row: BackupRow): string {
  const canonical = Object.keys(row.properties)
    .sort()
    .map((name) => [name, row.properties[name]!.type, row.properties[name]!.value]);
  return createHash('sha256').update(JSON.stringify(canonical)).digest('base64').slice(0, 22);
}

export function rowId(row: Pick<BackupRow, 'table' | 'partitionKey' | 'rowKey'>): string {
  return `${row.table}\u0000${row.partitionKey}\u0000${row.rowKey}`;
}

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

function parseJson(text: string): { value: unknown } | undefined {
  try {
    return { value: JSON.parse(text) as unknown };
  } catch {
    return undefined;
  }
}

export function parseHeader(text: string): BackupHeader | BackupProblem {
  const parsed = parseJson(text);
  if (!parsed) return { code: 'notJson' };
  const h = parsed.value;
  if (!isRecord(h) || h.format !== BACKUP_FORMAT) return { code: 'notHeader' };
  if (typeof h.version === 'number' && h.version > BACKUP_VERSION) return { code: 'newerVersion', params: { version: h.version } };
  if (h.version !== BACKUP_VERSION) return { code: 'badHeader', params: { field: 'version' } };
  if (typeof h.createdAt !== 'string') return { code: 'badHeader', params: { field: 'createdAt' } };
  if (typeof h.tablePrefix !== 'string') return { code: 'badHeader', params: { field: 'tablePrefix' } };
  if (!Array.isArray(h.tables) || !h.tables.every((x) => typeof x === 'string')) return { code: 'badHeader', params: { field: 'tables' } };
  const tables = h.tables as string[];
  const unknown = tables.find((x) => !TABLE_KEYS.has(x));
  if (unknown !== undefined) return { code: 'unknownTable', params: { table: unknown } };
  const rows = h.rows;
  if (!isRecord(rows) || !tables.every((x) => Number.isSafeInteger(rows[x]) && (rows[x] as number) >= 0)) return { code: 'badHeader', params: { field: 'rows' } };
  return { format: BACKUP_FORMAT, version: BACKUP_VERSION, createdAt: h.createdAt, tablePrefix: h.tablePrefix, tables, rows: rows as Record<string, number> };
}

const INT64 = /^-?\d{1,19}$/;
const GUID = /^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/;
const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;
const DATETIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,7})?)?Z$/;

function validValue(p: Record<string, unknown>): boolean {
  const { type, value } = p;
  switch (type) {
    case 'String':
      return typeof value === 'string';
    case 'Int32':
      return Number.isInteger(value) && (value as number) >= -2147483648 && (value as number) <= 2147483647;
    case 'Int64':
      return typeof value === 'string' && INT64.test(value) && BigInt(value) >= -(2n ** 63n) && BigInt(value) < 2n ** 63n;
    case 'Double':
      return (typeof value === 'number' && Number.isFinite(value)) || value === 'NaN' || value === 'Infinity' || value === '-Infinity';
    case 'Boolean':
      return typeof value === 'boolean';
    case 'DateTime':
      return typeof value === 'string' && DATETIME.test(value) && !Number.isNaN(Date.parse(value));
    case 'Guid':
      return typeof value === 'string' && GUID.test(value);
    case 'Binary':
      return typeof value === 'string' && BASE64.test(value);
    default:
      return false;
  }
}

export function parseRow(text: string, header: BackupHeader): BackupRow | BackupProblem {
  const parsed = parseJson(text);
  if (!parsed) return { code: 'notJson' };
  const r = parsed.value;
  if (!isRecord(r) || typeof r.table !== 'string' || typeof r.partitionKey !== 'string' || typeof r.rowKey !== 'string' || !isRecord(r.properties)) {
    return { code: 'badRow' };
  }
  if (!header.tables.includes(r.table)) return { code: 'unknownTable', params: { table: r.table } };
  const properties: Record<string, BackupProperty> = {};
  for (const [name, p] of Object.entries(r.properties)) {
    const reserved = ['PartitionKey', 'RowKey', 'Timestamp', ...SYSTEM].includes(name) || name.includes('@') || name.startsWith('odata.');
    if (reserved || !isRecord(p) || !validValue(p)) return { code: 'badProperty', params: { property: name } };
    properties[name] = { type: p.type as EdmType, value: p.value as BackupProperty['value'] };
  }
  return { table: r.table, partitionKey: r.partitionKey, rowKey: r.rowKey, properties };
}

const isProblem = (x: object): x is BackupProblem => 'code' in x;

export interface InspectedBackup {
  header: BackupHeader;
  /** Rows found per table. */
  rows: Record<string, number>;
  /** Row id → digest, for the check after the restore. */
  digests: Map<string, string>;
  lines: number;
}

/**
 * Reads a whole backup and checks it before anything is written: the header, every row (shape,
 * table, property types and values), no row twice, and as many rows per table as the header
 * says (a cut-off file has fewer). The first problem throws, with its line.
 */
export async function inspectBackup(lines: AsyncIterable<string>): Promise<InspectedBackup> {
  let header: BackupHeader | undefined;
  let n = 0;
  let blankAt = 0;
  const rows: Record<string, number> = {};
  const digests = new Map<string, string>();
  try {
    for await (const text of lines) {
      n++;
      if (text.trim() === '') {
        blankAt ||= n;
        continue;
      }
      // Only the end of a file may be blank.
      if (blankAt) throw new BackupFileError(blankAt, { code: 'emptyLine' });
      if (!header) {
        const h = parseHeader(text);
        if (isProblem(h)) throw new BackupFileError(n, h);
        header = h;
        for (const table of h.tables) rows[table] = 0;
        continue;
      }
      const row = parseRow(text, header);
      if (isProblem(row)) throw new BackupFileError(n, row);
      const id = rowId(row);
      if (digests.has(id)) throw new BackupFileError(n, { code: 'duplicate', params: { table: row.table, partitionKey: row.partitionKey, rowKey: row.rowKey } });
      digests.set(id, rowDigest(row));
      rows[row.table] = (rows[row.table] ?? 0) + 1;
    }
  } catch (err) {
    if (err instanceof BackupFileError) throw err;
    throw new BackupFileError(n + 1, { code: 'unreadable', params: { reason: err instanceof Error ? err.message : String(err) } });
  }
  if (!header) throw new BackupFileError(1, { code: 'notHeader' });
  for (const table of header.tables) {
    if (rows[table] !== header.rows[table]) throw new BackupFileError(n + 1, { code: 'countMismatch', params: { table, expected: header.rows[table]!, found: rows[table]! } });
  }
  return { header, rows, digests, lines: n };
}

// ---------------------------------------------------------------------------------------------
// Writing the store

function toService(p: BackupProperty): { value: unknown; type: EdmType } {
  return { value: p.value, type: p.type };
}

function toEntity(row: BackupRow): TableEntity<Record<string, unknown>> {
  const entity: TableEntity<Record<string, unknown>> = { partitionKey: row.partitionKey, rowKey: row.rowKey };
  for (const [name, p] of Object.entries(row.properties)) entity[name] = toService(p);
  return entity;
}

/** A transaction holds at most 100 operations in one partition, and at most 4 MiB. */
const MAX_OPERATIONS = 100;
const MAX_BATCH_BYTES = 3_000_000;

export interface RestoreOptions {
  /** Replace rows that exist (`--force`); otherwise a row that exists fails its transaction. */
  replace: boolean;
  /** After each transaction: rows written so far. */
  onProgress?: (written: number) => void;
}

/** A restore that stopped part-way; `written` rows were stored before it. */
export class RestoreError extends Error {
  constructor(
    readonly written: number,
    override readonly cause: unknown,
  ) {
    super(cause instanceof Error ? cause.message : String(cause));
  }
}

/**
 * Writes the rows in transactions of one partition each (at most 100 rows, well under 4 MiB),
 * in the file's order. Returns the rows written.
 */
export async function restoreRows(store: TableStore, rows: AsyncIterable<BackupRow>, options: RestoreOptions): Promise<number> {
  let batch: BackupRow[] = [];
  let bytes = 0;
  let written = 0;
  const flush = async () => {
    if (batch.length === 0) return;
    const first = batch[0]!;
    const client = store.client(TABLE_KEYS.get(first.table)!);
    const actions: TransactionAction[] = batch.map((r) => (options.replace ? ['upsert', toEntity(r), 'Replace'] : ['create', toEntity(r)]));
    try {
      await client.submitTransaction(actions);
    } catch (err) {
      throw new RestoreError(written, mapError(err, `restore of ${first.table} (${first.partitionKey})`));
    }
    written += batch.length;
    batch = [];
    bytes = 0;
    options.onProgress?.(written);
  };
  for await (const row of rows) {
    const size = rowLine(row).length;
    const first = batch[0];
    if (first && (batch.length >= MAX_OPERATIONS || bytes + size > MAX_BATCH_BYTES || first.table !== row.table || first.partitionKey !== row.partitionKey)) await flush();
    batch.push(row);
    bytes += size;
  }
  await flush();
  return written;
}

export interface Verification {
  /** Rows per table now in the store. */
  rows: Record<string, number>;
  /** Rows of the file that are not in the store. */
  missing: number;
  /** Rows of the file whose content in the store differs. */
  different: number;
  /** Rows in the store that are not in the file. */
  extra: number;
  /** A few of the rows that are missing or differ, for the message. */
  examples: { table: string; partitionKey: string; rowKey: string }[];
}

/** Reads the tables back and compares every row of the file with what the store now holds. */
export async function verifyRestore(store: TableStore, tables: readonly string[], digests: ReadonlyMap<string, string>): Promise<Verification> {
  const result: Verification = { rows: {}, missing: 0, different: 0, extra: 0, examples: [] };
  const seen = new Set<string>();
  for (const table of tables) {
    let count = 0;
    for await (const row of readTable(store, table)) {
      count++;
      const id = rowId(row);
      const expected = digests.get(id);
      if (expected === undefined) {
        result.extra++;
        continue;
      }
      seen.add(id);
      if (expected !== rowDigest(row)) {
        result.different++;
        if (result.examples.length < 5) result.examples.push({ table, partitionKey: row.partitionKey, rowKey: row.rowKey });
      }
    }
    result.rows[table] = count;
  }
  for (const id of digests.keys()) {
    if (seen.has(id)) continue;
    result.missing++;
    if (result.examples.length < 5) {
      const [table = '', partitionKey = '', rowKey = ''] = id.split('\u0000');
      result.examples.push({ table, partitionKey, rowKey });
    }
  }
  return result;
}
