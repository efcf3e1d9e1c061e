/**
 * `unpackJson` for the rows of one table that are read far more often than written (the team's
 * actions, read twice by every check-in answer): each version of a row, known by its ETag, is
 * parsed once, and every read after gets its own copy (a copy costs a fifth of a parse; callers
 * may change what they get). A row whose ETag changed is parsed again.
 */
import { unpackJson } from './table-store';

/** A copy of a value made by JSON.parse (objects, arrays, strings, numbers, booleans, null). */
function copyJson<T>(value: T): T {
  if (Array.isArray(value)) return value.map(copyJson) as T;
  if (value !== null && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const key in value) {
      const copy = copyJson((value as Record<string, unknown>)[key]);
      // JSON.parse makes `__proto__` an own property; so does the copy, never the prototype.
      if (key === '__proto__')
        Object.defineProperty(out, key, { value: copy, enumerable: true, writable: true, configurable: true });
      else out[key] = copy;
    }
    return out as T;
  }
  return value;
}

/** Parsed versions of a table's rows, by partition and row key, each with its ETag. */
export class ParsedRows<T> {
  private readonly rows = new Map<string, { etag: string; value: T }>();

  constructor(private readonly max = 5000) {}

  unpack(entity: Record<string, unknown> & { partitionKey?: string; rowKey?: string; etag?: string }): T {
    const { etag } = entity;
    if (!etag) return unpackJson<T>(entity);
    const key = `${entity.partitionKey}\u0000${entity.rowKey}`;
    const known = this.rows.get(key);
    if (known?.etag === etag) return copyJson(known.value);
    const value = unpackJson<T>(entity);
    if (!known && this.rows.size >= this.max) this.rows.clear();
    this.rows.set(key, { etag, value: copyJson(value) });
    return value;
  }
}
