/**
 * Plan files sent to the bot, kept between the preview and "Importera". A file of up to 5 MB does
 * not fit one entity (1 MiB, properties of at most 64 KiB), so its bytes are cut into chunk rows
 * of binary properties beside the upload's own row. The chunks are written first and the upload
 * row last: an upload row exists only with all its bytes, and the content is checked against the
 * row's hash when it is read back.
 */
import { odata } from '@azure/data-tables';
import { ConcurrencyError } from '../domain/errors';
import type { PlanUpload, PlanUploadRepository } from '../domain/plan';
import { keys, prefixEnd } from './keys';
import { type Entity, type TableStore, guard, packJson, query, readEntity, statusOf, unpackJson } from './table-store';

/** Bytes per binary property (Table Storage allows 64 KiB). */
const PART_BYTES = 60_000;
/** Binary properties per chunk row: about 720 kB, well under the 1 MiB entity limit. */
const PARTS_PER_ROW = 12;
const ROW_BYTES = PART_BYTES * PARTS_PER_ROW;

type StoredUpload = Omit<PlanUpload, 'etag'> & { chunks: number };

function toEntity(u: PlanUpload, chunks: number): Entity {
  const { etag: _etag, ...rest } = u;
  const stored: StoredUpload = { ...rest, chunks };
  return { ...keys.upload(u.programId, u.id), state: u.state, uploadedAt: u.uploadedAt, ...packJson(stored) };
}

function fromEntity(e: Record<string, unknown> & { etag?: string }): PlanUpload & { chunks: number } {
  return { ...unpackJson<StoredUpload>(e), etag: e.etag };
}

export class TablePlanUploadRepository implements PlanUploadRepository {
  constructor(private readonly store: TableStore) {}

  private get table() {
    return this.store.client('uploads');
  }

  private chunkFilter(programId: string, id: string): string {
    const prefix = keys.uploadChunkPrefix(id);
    return odata`PartitionKey eq ${keys.uploadPartition(programId)} and RowKey ge ${prefix} and RowKey lt ${prefixEnd(prefix)}`;
  }

  async create(upload: PlanUpload, content: Buffer): Promise<PlanUpload> {
    const chunks = Math.max(1, Math.ceil(content.length / ROW_BYTES));
    return guard(async () => {
      const existing = await readEntity(this.table, keys.upload(upload.programId, upload.id), 'read upload');
      if (existing) throw new ConcurrencyError(`upload ${upload.id} exists`, { id: upload.id });
      for (let n = 0; n < chunks; n++) {
        const row = content.subarray(n * ROW_BYTES, (n + 1) * ROW_BYTES);
        const parts: Record<string, Uint8Array> = {};
        for (let p = 0; p * PART_BYTES < row.length; p++)
          parts[`b${p}`] = new Uint8Array(row.subarray(p * PART_BYTES, (p + 1) * PART_BYTES));
        // Upsert: a redelivered message writes the same bytes again before its row exists.
        await this.table.upsertEntity(
          { ...keys.uploadChunk(upload.programId, upload.id, n), parts: Object.keys(parts).length, ...parts },
          'Replace',
        );
      }
      try {
        const r = await this.table.createEntity(toEntity(upload, chunks));
        return { ...upload, etag: r.etag };
      } catch (err) {
        if (statusOf(err) === 409) throw new ConcurrencyError(`upload ${upload.id} exists`, { id: upload.id });
        throw err;
      }
    }, 'store upload');
  }

  async get(programId: string, id: string): Promise<PlanUpload | undefined> {
    const e = await readEntity(this.table, keys.upload(programId, id), 'read upload');
    if (!e) return undefined;
    const { chunks: _chunks, ...upload } = fromEntity(e);
    return upload;
  }

  async list(programId: string): Promise<PlanUpload[]> {
    const prefix = keys.uploadRowPrefix;
    const rows = await query(
      this.table,
      odata`PartitionKey eq ${keys.uploadPartition(programId)} and RowKey ge ${prefix} and RowKey lt ${prefixEnd(prefix)}`,
      'list uploads',
    );
    return rows.map((e) => {
      const { chunks: _chunks, ...upload } = fromEntity(e);
      return upload;
    });
  }

  async content(upload: Pick<PlanUpload, 'programId' | 'id'>): Promise<Buffer | undefined> {
    const row = await readEntity(this.table, keys.upload(upload.programId, upload.id), 'read upload');
    if (!row) return undefined;
    const { chunks } = fromEntity(row);
    const rows = await query(this.table, this.chunkFilter(upload.programId, upload.id), 'read upload content');
    // Row keys sort by chunk number (zero-padded); the listing returns them in key order.
    rows.sort((a, b) => String(a.rowKey).localeCompare(String(b.rowKey)));
    if (rows.length !== chunks) return undefined;
    const buffers: Buffer[] = [];
    for (const r of rows) {
      const parts = Number(r.parts);
      for (let p = 0; p < parts; p++) {
        const b = r[`b${p}`];
        if (!(b instanceof Uint8Array)) return undefined;
        buffers.push(Buffer.from(b));
      }
    }
    return Buffer.concat(buffers);
  }

  async update(upload: PlanUpload): Promise<PlanUpload> {
    if (!upload.etag) throw new ConcurrencyError('upload update without etag');
    return guard(async () => {
      // The chunk count is not part of the domain object: read it to keep it on the row.
      const current = await readEntity(this.table, keys.upload(upload.programId, upload.id), 'read upload');
      if (!current || current.etag !== upload.etag)
        throw new ConcurrencyError(`upload ${upload.id} changed`, { id: upload.id });
      const r = await this.table.updateEntity(toEntity(upload, fromEntity(current).chunks), 'Replace', {
        etag: upload.etag,
      });
      return { ...upload, etag: r.etag };
    }, 'update upload');
  }

  async dropContent(upload: Pick<PlanUpload, 'programId' | 'id'>): Promise<void> {
    await guard(async () => {
      const rows = await query(this.table, this.chunkFilter(upload.programId, upload.id), 'list upload content');
      for (const r of rows) {
        try {
          await this.table.deleteEntity(String(r.partitionKey), String(r.rowKey));
        } catch (err) {
          if (statusOf(err) !== 404) throw err;
        }
      }
    }, 'drop upload content');
  }
}
