// Hot lists at rest. Guarantees: a list's entries are stored only sealed under the data key, packed by column
// in segments; a load replaces the previous version of the list atomically (one transaction writes the new
// segments, points the list at the new version and deletes the old segments), so a failed or refused import
// leaves the list in force exactly as it was; readers always see one whole version.
import type { HotEntry } from '../core/hotlist/entry';
import { packEntries, unpackEntries, type PackedEntries } from '../core/hotlist/pack';
import type { AlprDb, HotListRow, HotListSegmentRow } from './db';
import type { StorageHealth } from './health';
import { openUnderDek, sealUnderDek, type UnlockedKeys } from './vault';

const SEGMENT = 50_000;
const enc = new TextEncoder();
const dec = new TextDecoder();

export interface ListLoad {
  listId: string;
  kind: HotListRow['kind'];
  name: string;
  source: string;
  loadedAt: number;
  extractedAt: number | null;
  entries: HotEntry[];
}

/** Where a list's age counts from: when its source extracted it, else when it was loaded. */
export function listDataAt(list: Pick<HotListRow, 'loadedAt' | 'extractedAt'>): number {
  return list.extractedAt ?? list.loadedAt;
}

export class HotListStore {
  constructor(
    private readonly db: AlprDb,
    private readonly health: StorageHealth,
  ) {}

  lists(): Promise<HotListRow[]> {
    return this.db.hotLists.toArray();
  }

  list(listId: string): Promise<HotListRow | undefined> {
    return this.db.hotLists.get(listId);
  }

  /** Replace a list with a new version, atomically. Returns the new version number. */
  async replace(keys: UnlockedKeys, load: ListLoad): Promise<number> {
    const current = await this.db.hotLists.get(load.listId);
    const version = (current?.version ?? 0) + 1;
    // Seal every segment before the transaction (WebCrypto cannot run inside an IndexedDB transaction).
    const segments: HotListSegmentRow[] = [];
    for (let i = 0, part = 0; i === 0 || i < load.entries.length; i += SEGMENT, part++) {
      const id = `${load.listId}:${version}:${part}`;
      const packed = packEntries(load.entries.slice(i, i + SEGMENT));
      segments.push({
        id,
        listId: load.listId,
        version,
        sealed: await sealUnderDek(keys.dek, enc.encode(JSON.stringify(packed)), 'hotListSegments', id),
      });
    }
    await this.health.write(() =>
      this.db.transaction('rw', this.db.hotLists, this.db.hotListSegments, async () => {
        const now = await this.db.hotLists.get(load.listId);
        if ((now?.version ?? 0) !== version - 1)
          throw new Error('The list changed while it was being loaded: load it again');
        await this.db.hotListSegments.bulkAdd(segments);
        await this.db.hotLists.put({
          id: load.listId,
          kind: load.kind,
          name: load.name,
          source: load.source,
          loadedAt: load.loadedAt,
          extractedAt: load.extractedAt,
          version,
          entryCount: load.entries.length,
        });
        const old = await this.db.hotListSegments
          .where('listId')
          .equals(load.listId)
          .filter((s) => s.version !== version)
          .primaryKeys();
        await this.db.hotListSegments.bulkDelete(old);
      }),
    );
    return version;
  }

  /** The entries of the version in force. */
  async entries(keys: UnlockedKeys, listId: string): Promise<HotEntry[]> {
    const list = await this.db.hotLists.get(listId);
    if (!list) return [];
    const segments = (await this.db.hotListSegments.where('listId').equals(listId).toArray())
      .filter((s) => s.version === list.version)
      .sort((a, b) => Number(a.id.split(':')[2]) - Number(b.id.split(':')[2]));
    const out: HotEntry[] = [];
    for (const s of segments) {
      const packed = JSON.parse(
        dec.decode(await openUnderDek(keys.dek, s.sealed, 'hotListSegments', s.id)),
      ) as PackedEntries;
      for (const e of unpackEntries(packed)) out.push(e);
    }
    if (out.length !== list.entryCount)
      throw new Error(`List ${list.name} is damaged: ${out.length} of ${list.entryCount} entries found`);
    return out;
  }
}
