/**
 * ParsedRows (storage/parsed-rows.ts): a row's data is parsed once per ETag, every caller gets a
 * copy of its own (changing one never shows in the next read), a new ETag is parsed again, and
 * what the store holds decides, never the cache. The actions repository reads through it.
 */
import type { Action } from '../../domain/types';
import { TableActionRepository } from '../../storage/actions.repository';
import { ParsedRows } from '../../storage/parsed-rows';
import { packJson, type TableStore } from '../../storage/table-store';
import * as tableStore from '../../storage/table-store';
import { testAction } from '../support/fixtures';
import { useFreshTables } from '../support/storage';

const row = (etag: string | undefined, value: unknown) => ({
  partitionKey: 'p',
  rowKey: 'r',
  etag,
  ...packJson(value),
});

describe('ParsedRows', () => {
  it('parses a version once and hands every caller its own copy', () => {
    const parse = jest.spyOn(tableStore, 'unpackJson');
    const rows = new ParsedRows<{ owner: { name: string }; ids: string[]; n: number }>();
    const stored = { owner: { name: 'Åsa' }, ids: ['I1'], n: 1 };
    const first = rows.unpack(row('W/"1"', stored));
    first.owner.name = 'changed';
    first.ids.push('I2');
    const second = rows.unpack(row('W/"1"', stored));
    expect(second).toEqual(stored);
    expect(second.owner).not.toBe(first.owner);
    expect(parse).toHaveBeenCalledTimes(1);

    const third = rows.unpack(row('W/"2"', { ...stored, n: 2 }));
    expect(third.n).toBe(2);
    expect(parse).toHaveBeenCalledTimes(2);
    // A row without an ETag is parsed every time.
    rows.unpack(row(undefined, stored));
    rows.unpack(row(undefined, stored));
    expect(parse).toHaveBeenCalledTimes(4);
    parse.mockRestore();
  });

  it('copies a `__proto__` key as data, never as the prototype', () => {
    const rows = new ParsedRows<Record<string, unknown>>();
    const entity = { partitionKey: 'p', rowKey: 'r', etag: 'W/"1"', data0: '{"__proto__":{"polluted":true},"a":1}' };
    rows.unpack(entity);
    const copy = rows.unpack(entity);
    expect(Object.getPrototypeOf(copy)).toBe(Object.prototype);
    expect(Object.keys(copy)).toEqual(['__proto__', 'a']);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });
});

describe('the actions repository through it', () => {
  let store: TableStore;
  useFreshTables((t) => {
    store = t.store;
  });

  it('reads what the store holds after every write, each read a separate object', async () => {
    const repo = new TableActionRepository(store);
    const saved = await repo.create(testAction('BOS-01', { programId: 'harnosand', teamKey: 'bostader' }));
    const [a] = await repo.listByTeam('harnosand', 'bostader');
    a!.owner.name = 'not stored';
    const [b] = await repo.listByTeam('harnosand', 'bostader');
    expect(b!.owner.name).toBe(saved.owner.name);
    const updated = await repo.update({ ...b!, progress: 77, lastUpdate: { at: 'x', by: 'Åsa' } } as Action);
    const [c] = await repo.listByTeam('harnosand', 'bostader');
    expect(c).toEqual(updated);
    // Another process writing the row (a repository of its own) is seen by the next read too.
    await new TableActionRepository(store).update({ ...c!, progress: 12 });
    expect((await repo.get('harnosand', 'BOS-01'))?.progress).toBe(12);
  });
});
