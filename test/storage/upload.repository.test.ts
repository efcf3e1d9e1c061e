/** The pending plan uploads on Azurite: bytes in chunk rows, the row claimed with its ETag. */
import { randomBytes } from 'node:crypto';
import { ConcurrencyError } from '../../domain/errors';
import { sha256, type PlanUpload } from '../../domain/plan';
import type { Repositories } from '../../domain/ports';
import { keys } from '../../storage/keys';
import { useFreshTables } from '../support/storage';

let repos: Repositories;
let store: Parameters<Parameters<typeof useFreshTables>[0]>[0]['store'];
useFreshTables((t) => {
  repos = t.repositories;
  store = t.store;
});

const upload = (id: string, content: Buffer): PlanUpload => ({
  programId: 'harnosand',
  id,
  fileName: 'plan.xlsx',
  size: content.length,
  contentHash: sha256(content),
  previewFingerprint: 'x',
  state: 'pending',
  uploadedBy: { id: 'a', name: 'Åsa' },
  uploadedAt: '2026-11-23T08:00:00.000Z',
});

describe('plan uploads', () => {
  it('keeps a file of several chunk rows byte for byte, and an empty one', async () => {
    const big = randomBytes(2_000_000);
    await repos.uploads.create(upload('a'.repeat(32), big), big);
    expect((await repos.uploads.content({ programId: 'harnosand', id: 'a'.repeat(32) }))!.equals(big)).toBe(true);
    await repos.uploads.create(upload('b'.repeat(32), Buffer.alloc(0)), Buffer.alloc(0));
    expect((await repos.uploads.content({ programId: 'harnosand', id: 'b'.repeat(32) }))!.length).toBe(0);
    expect((await repos.uploads.list('harnosand')).map((u) => u.id).sort()).toEqual(['a'.repeat(32), 'b'.repeat(32)]);
  });

  it('refuses a second upload with the same id, and a stale ETag', async () => {
    const content = Buffer.from('Team;Insats\nBostäder;X\n');
    const first = await repos.uploads.create(upload('c'.repeat(32), content), content);
    await expect(repos.uploads.create(upload('c'.repeat(32), content), content)).rejects.toBeInstanceOf(
      ConcurrencyError,
    );
    const claimed = await repos.uploads.update({ ...first, state: 'applying', claimedAt: '2026-11-23T08:01:00.000Z' });
    await expect(repos.uploads.update({ ...first, state: 'applying' })).rejects.toBeInstanceOf(ConcurrencyError);
    expect(await repos.uploads.get('harnosand', first.id)).toMatchObject({ state: 'applying', etag: claimed.etag });
    // The claim keeps the bytes; dropping them leaves the row.
    expect((await repos.uploads.content(first))!.equals(content)).toBe(true);
    await repos.uploads.dropContent(first);
    expect(await repos.uploads.content(first)).toBeUndefined();
    expect(await repos.uploads.get('harnosand', first.id)).toMatchObject({ state: 'applying' });
  });

  it('an upload whose bytes are incomplete has no content', async () => {
    const big = randomBytes(1_500_000);
    const u = await repos.uploads.create(upload('d'.repeat(32), big), big);
    const table = store.client('uploads');
    const chunks: string[] = [];
    for await (const e of table.listEntities())
      if (String(e.rowKey).startsWith(keys.uploadChunkPrefix(u.id))) chunks.push(String(e.rowKey));
    expect(chunks.length).toBeGreaterThan(1);
    await table.deleteEntity('harnosand', chunks[1]!);
    expect(await repos.uploads.content(u)).toBeUndefined();
  });
});
