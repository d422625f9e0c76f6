import 'fake-indexeddb/auto';
import { describe, expect, it } from 'vitest';
import { rawDump } from '../../tests/support/rawDump';
import { vaultDbs } from '../../tests/support/vaultDb';
import { parseClew } from '../core/hotlist/clew';
import type { HotEntry } from '../core/hotlist/entry';
import { StorageHealth } from './health';
import { HotListStore } from './hotlists';

const fx = vaultDbs('hot');

function clew(plates: string[]): HotEntry[] {
  const r = parseClew(
    [
      'DATE11/20/2026 06:00',
      ...plates.map((p) => `${p.padEnd(8)}CA0120261101`),
      `TOTAL RECORD ${String(plates.length).padStart(7, '0')}`,
    ].join('\n'),
    'SVS',
  );
  if (!r.ok) throw new Error(r.issues[0]!.message);
  return r.entries;
}

describe('hot lists at rest', () => {
  it('stores a list sealed, replaces it atomically with the next version, and reads back exactly', async () => {
    const db = await fx.freshDb();
    const store = new HotListStore(db, new StorageHealth(() => 1, undefined));
    const first = clew(['7ABC123', '8XYZ789']);
    expect(
      await store.replace(fx.made.keys, {
        listId: 'svs',
        kind: 'general',
        name: 'SVS',
        source: 'svs.tbl',
        loadedAt: 1,
        extractedAt: null,
        entries: first,
      }),
    ).toBe(1);
    const plates = Array.from({ length: 120_000 }, (_, i) => `P${String(i).padStart(6, '0')}`);
    expect(
      await store.replace(fx.made.keys, {
        listId: 'svs',
        kind: 'general',
        name: 'SVS',
        source: 'svs.tbl',
        loadedAt: 2,
        extractedAt: null,
        entries: clew(plates),
      }),
    ).toBe(2);
    const back = await store.entries(fx.made.keys, 'svs');
    expect(back.length).toBe(120_000);
    expect(back[119_999]).toMatchObject({
      plate: 'P119999',
      state: 'CA',
      listCode: 'SVS',
      effectiveAt: Date.UTC(2026, 10, 1),
    });
    expect(await db.hotListSegments.count()).toBe(3); // only version 2's segments remain
    expect((await store.lists())[0]).toMatchObject({ version: 2, entryCount: 120_000, loadedAt: 2 });
    const dump = await rawDump(db);
    expect(dump.includes('P119999')).toBe(false);
    expect(dump.includes('svs.tbl')).toBe(true);
  });

  it('a failed load leaves the previous version in force', async () => {
    const db = await fx.freshDb();
    const store = new HotListStore(db, new StorageHealth(() => 1, undefined));
    await store.replace(fx.made.keys, {
      listId: 'slr',
      kind: 'general',
      name: 'SLR',
      source: 'slr.tbl',
      loadedAt: 1,
      extractedAt: null,
      entries: clew(['1AAA111']),
    });
    // A segment id collision makes the write transaction fail half-way: nothing of the new version may remain.
    await db.hotListSegments.add({ ...(await db.hotListSegments.toArray())[0]!, id: 'slr:2:1' });
    await expect(
      store.replace(fx.made.keys, {
        listId: 'slr',
        kind: 'general',
        name: 'SLR',
        source: 'slr.tbl',
        loadedAt: 2,
        extractedAt: null,
        entries: clew(Array.from({ length: 60_000 }, (_, i) => `Q${i}`)),
      }),
    ).rejects.toThrow();
    await db.hotListSegments.delete('slr:2:1');
    expect((await store.entries(fx.made.keys, 'slr')).map((e) => e.plate)).toEqual(['1AAA111']);
    expect((await store.lists())[0]).toMatchObject({ version: 1, loadedAt: 1 });
  });
});
