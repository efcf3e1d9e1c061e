/**
 * The backup file: JSON Lines, a header line (format, version, time, table prefix, tables, row
 * counts), then one line per row with every property and its Edm type. Writing the lines, reading
 * them back and checking a whole file before anything is restored.
 */
import { createHash } from 'node:crypto';
import { TABLES, type TableName } from '../keys';

/** The tables of the store, in the order they are written: name without prefix → our key. */
export const TABLE_KEYS = new Map<string, TableName>(
  (Object.entries(TABLES) as [TableName, string][]).map(([key, name]) => [name, key]),
);

/** The columns the service sets itself; a backup does not keep them. */
export const SYSTEM = new Set(['partitionKey', 'rowKey', 'etag', 'timestamp']);

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
  code:
    | 'notJson'
    | 'notHeader'
    | 'newerVersion'
    | 'badHeader'
    | 'badRow'
    | 'unknownTable'
    | 'badProperty'
    | 'duplicate'
    | 'countMismatch'
    | 'emptyLine'
    | 'unreadable';
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

export function headerLine(header: BackupHeader): string {
  return JSON.stringify(header);
}

export function rowLine(row: BackupRow): string {
  return JSON.stringify({
    table: row.table,
    partitionKey: row.partitionKey,
    rowKey: row.rowKey,
    properties: row.properties,
  });
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
  if (typeof h.version === 'number' && h.version > BACKUP_VERSION)
    return { code: 'newerVersion', params: { version: h.version } };
  if (h.version !== BACKUP_VERSION) return { code: 'badHeader', params: { field: 'version' } };
  if (typeof h.createdAt !== 'string') return { code: 'badHeader', params: { field: 'createdAt' } };
  if (typeof h.tablePrefix !== 'string') return { code: 'badHeader', params: { field: 'tablePrefix' } };
  if (!Array.isArray(h.tables) || !h.tables.every((x) => typeof x === 'string'))
    return { code: 'badHeader', params: { field: 'tables' } };
  const tables = h.tables as string[];
  const unknown = tables.find((x) => !TABLE_KEYS.has(x));
  if (unknown !== undefined) return { code: 'unknownTable', params: { table: unknown } };
  const rows = h.rows;
  if (!isRecord(rows) || !tables.every((x) => Number.isSafeInteger(rows[x]) && (rows[x] as number) >= 0))
    return { code: 'badHeader', params: { field: 'rows' } };
  return {
    format: BACKUP_FORMAT,
    version: BACKUP_VERSION,
    createdAt: h.createdAt,
    tablePrefix: h.tablePrefix,
    tables,
    rows: rows as Record<string, number>,
  };
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
      return (
        typeof value === 'string' && INT64.test(value) && BigInt(value) >= -(2n ** 63n) && BigInt(value) < 2n ** 63n
      );
    case 'Double':
      return (
        (typeof value === 'number' && Number.isFinite(value)) ||
        value === 'NaN' ||
        value === 'Infinity' ||
        value === '-Infinity'
      );
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
  if (
    !isRecord(r) ||
    typeof r.table !== 'string' ||
    typeof r.partitionKey !== 'string' ||
    typeof r.rowKey !== 'string' ||
    !isRecord(r.properties)
  ) {
    return { code: 'badRow' };
  }
  if (!header.tables.includes(r.table)) return { code: 'unknownTable', params: { table: r.table } };
  const properties: Record<string, BackupProperty> = {};
  for (const [name, p] of Object.entries(r.properties)) {
    const reserved =
      ['PartitionKey', 'RowKey', 'Timestamp', ...SYSTEM].includes(name) ||
      name.includes('@') ||
      name.startsWith('odata.');
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
      if (digests.has(id))
        throw new BackupFileError(n, {
          code: 'duplicate',
          params: { table: row.table, partitionKey: row.partitionKey, rowKey: row.rowKey },
        });
      digests.set(id, rowDigest(row));
      rows[row.table] = (rows[row.table] ?? 0) + 1;
    }
  } catch (err) {
    if (err instanceof BackupFileError) throw err;
    throw new BackupFileError(n + 1, {
      code: 'unreadable',
      params: { reason: err instanceof Error ? err.message : String(err) },
    });
  }
  if (!header) throw new BackupFileError(1, { code: 'notHeader' });
  for (const table of header.tables) {
    if (rows[table] !== header.rows[table])
      throw new BackupFileError(n + 1, {
        code: 'countMismatch',
        params: { table, expected: header.rows[table]!, found: rows[table]! },
      });
  }
  return { header, rows, digests, lines: n };
}
