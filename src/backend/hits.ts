// The worker's in-memory hot-list index and hit raising. The index is built from every general list and every
// approved, unexpired local entry when a user signs in or unlocks, and rebuilt after an import or a local-entry
// decision (matching carries on with the previous index until the new one is ready: capture never pauses). It
// stays in memory while the screen is locked so hits are still raised, and is dropped at sign-out.
import { HotListIndex, type HotMatch, type ListInput } from '../core/hotlist/matcher';
import { intervalOf } from '../core/hotlist/source';
import { hotListFreshness } from '../core/policy/rules';
import { HitStore, type HitMatch, type HitRecord } from '../store/hits';
import { HotListSourceStore } from '../store/hotListSources';
import { HotListStore, listDataAt } from '../store/hotlists';
import { LocalEntryStore } from '../store/localEntries';
import type { SessionKeyWriter } from '../store/sessionKeys';
import type { UnlockedKeys, VaultValue } from '../store/vault';
import type { BackendContext } from './context';

export interface HitAlert extends HitRecord {
  id: string;
}

interface ListMeta {
  name: string;
  loadedAt: number;
  /** Where the list's age counts from: its extract time, else its load time. */
  dataAt: number;
  intervalHours: number;
}

export class HitWatch {
  private index: HotListIndex | null = null;
  private meta = new Map<string, ListMeta>();
  private building: Promise<void> | null = null;
  /** Ask for another build when one is running (a change landed mid-build). */
  private again = false;
  builtAt: number | null = null;
  entries = 0;
  lastError: string | null = null;

  get ready(): boolean {
    return this.index !== null;
  }

  clear(): void {
    this.index = null;
    this.meta.clear();
    this.builtAt = null;
    this.entries = 0;
  }

  /** Rebuild from storage in the background; resolves when done (callers usually do not wait). */
  rebuild(ctx: BackendContext, keys: UnlockedKeys): Promise<void> {
    if (this.building) {
      this.again = true;
      return this.building;
    }
    this.building = (async () => {
      do {
        this.again = false;
        try {
          await this.build(ctx, keys);
          this.lastError = null;
        } catch (e) {
          this.lastError = `The hot-list index could not be built: ${(e as Error).message}`;
        }
      } while (this.again);
    })().finally(() => {
      this.building = null;
    });
    return this.building;
  }

  private async build(ctx: BackendContext, keys: UnlockedKeys): Promise<void> {
    const now = ctx.now();
    const store = new HotListStore(ctx.db, ctx.health);
    const inputs: ListInput[] = [];
    const meta = new Map<string, ListMeta>();
    const policy = await ctx.policy();
    const sources = new Map(
      (await new HotListSourceStore(ctx.db, ctx.health).all()).map((r) => [r.listId, r]),
    );
    for (const list of await store.lists()) {
      if (list.kind !== 'general') continue;
      inputs.push({
        listId: list.id,
        name: list.name,
        substitutionBudget: sources.get(list.id)?.source.substitutions ?? 0,
        entries: await store.entries(keys, list.id),
      });
      meta.set(list.id, {
        name: list.name,
        loadedAt: list.loadedAt,
        dataAt: listDataAt(list),
        intervalHours: intervalOf(sources.get(list.id)?.source ?? null, policy),
      });
    }
    const local = (await new LocalEntryStore(ctx.db, ctx.health).all(keys, now)).filter(
      (e) => e.status === 'active',
    );
    if (local.length > 0) {
      // Local lists are small and entered by hand: one extra substitution is tolerated.
      inputs.push({
        listId: 'local',
        name: 'Local',
        substitutionBudget: 1,
        entries: local.map((e) => e.entry),
      });
      const decided = Math.max(...local.map((e) => e.decision?.at ?? e.enteredAt));
      meta.set('local', {
        name: 'Local',
        loadedAt: decided,
        dataAt: decided,
        intervalHours: policy.hotLists.refreshIntervalHours,
      });
    }
    this.index = new HotListIndex(inputs);
    this.meta = meta;
    this.entries = this.index.size;
    this.builtAt = now;
  }

  /** Matches a stored read and records a hit when anything matches. Returns the alert, or null. */
  async check(
    ctx: BackendContext,
    vault: VaultValue,
    writer: SessionKeyWriter,
    read: {
      id: string;
      plate: string;
      alternates: string[];
      region: string | null;
      camera: string;
      capturedAt: number;
    },
  ): Promise<HitAlert | null> {
    // A build in flight (just after sign-in) is waited for rather than missing a hit.
    if (this.building) await this.building;
    if (!this.index) return null;
    const found: HotMatch[] = this.index.match({
      readings: [read.plate, ...read.alternates],
      state: read.region,
      at: read.capturedAt,
    });
    if (found.length === 0) return null;
    const policy = await ctx.policy();
    const now = ctx.now();
    const matches: HitMatch[] = found.map((m) => {
      const list = this.meta.get(m.listId);
      const loadedAt = list?.loadedAt ?? now;
      const dataAt = list?.dataAt ?? now;
      // Local entries do not go stale by the daily-refresh rule: they expire on their own date.
      const fresh =
        m.listId === 'local'
          ? { ageHours: (now - dataAt) / 3_600_000, stale: false }
          : hotListFreshness(policy, dataAt, now, list?.intervalHours);
      return {
        listId: m.listId,
        listName: m.listName,
        kind: m.kind,
        reading: m.reading,
        entry: m.entry,
        listLoadedAt: loadedAt,
        listAgeHours: fresh.ageHours,
        stale: fresh.stale,
      };
    });
    const record: HitRecord = {
      readId: read.id,
      plate: read.plate,
      readings: [read.plate, ...read.alternates],
      camera: read.camera,
      capturedAt: read.capturedAt,
      raisedAt: now,
      priority: matches.some((m) => m.entry.priority === 'high') ? 'high' : 'normal',
      matches,
    };
    const id = await new HitStore(ctx.db, ctx.health, writer).add(vault, record);
    return { ...record, id };
  }
}
