// Hot-list refresh sources at rest: one row per general list, in the clear (a format, a URL, a column mapping and
// the last attempt hold no ALPR data). Guarantees: saving a source keeps its last-attempt status; recording an
// attempt never changes the source an administrator set.
import type { HotListSource, SourceStatus } from '../core/hotlist/source';
import type { AlprDb, HotListSourceRow } from './db';
import type { StorageHealth } from './health';

const NEVER: SourceStatus = { lastAttemptAt: null, lastSuccessAt: null, lastError: null };

export class HotListSourceStore {
  constructor(
    private readonly db: AlprDb,
    private readonly health: StorageHealth,
  ) {}

  all(): Promise<HotListSourceRow[]> {
    return this.db.hotListSources.toArray();
  }

  get(listId: string): Promise<HotListSourceRow | undefined> {
    return this.db.hotListSources.get(listId);
  }

  save(
    listId: string,
    name: string,
    source: HotListSource,
    by: string,
    at: number,
  ): Promise<HotListSourceRow> {
    return this.health.write(() =>
      this.db.transaction('rw', this.db.hotListSources, async () => {
        const current = await this.db.hotListSources.get(listId);
        const row: HotListSourceRow = {
          listId,
          name,
          source,
          // A different URL or origin starts afresh: the old attempts say nothing about the new place.
          status:
            current && current.source.origin === source.origin && current.source.url === source.url
              ? current.status
              : NEVER,
          updatedBy: by,
          updatedAt: at,
        };
        await this.db.hotListSources.put(row);
        return row;
      }),
    );
  }

  remove(listId: string): Promise<void> {
    return this.health.write(() => this.db.hotListSources.delete(listId));
  }

  /** Record an attempt's outcome (a source removed meanwhile stays removed). */
  record(listId: string, status: SourceStatus): Promise<void> {
    return this.health.write(async () => {
      await this.db.hotListSources.update(listId, { status });
    });
  }
}
