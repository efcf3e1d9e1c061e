/**
 * Reading the store for a backup: every table, every partition, every row as the service holds
 * it (with the Edm type of each property, doubles included), as plain `BackupRow`s.
 */
import type { TableServiceClientOptions } from '@azure/data-tables';
import { mapError, type TableStore } from '../table-store';
import { type BackupProperty, type BackupRow, SYSTEM, TABLE_KEYS } from './format';

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
      const pages = store
        .client(key)
        .listEntities({ queryOptions: { select: ['PartitionKey'] } })
        .byPage({ maxPageSize: 1 });
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
