// Hits at rest. A hit is raised by capture (possibly while the screen is locked), so its record is sealed under
// the capture-session key like the read it belongs to; verification steps are recorded by a signed-in officer and
// sealed under the data key, one row per step (append-only: a step is never edited).
import type { HotEntry } from '../core/hotlist/entry';
import type { MatchKind } from '../core/hotlist/matcher';
import { hitState, type HitState, type RecordedStep } from '../core/hotlist/verification';
import { ulid } from '../core/ulid';
import type { AlprDb } from './db';
import type { StorageHealth } from './health';
import { SessionKeyReader, type SessionKeyWriter } from './sessionKeys';
import { openUnderDek, sealUnderDek, type UnlockedKeys, type VaultValue } from './vault';

export interface HitMatch {
  listId: string;
  listName: string;
  kind: MatchKind;
  /** 0: the read's top reading matched; 1..: an alternate reading. */
  reading: number;
  entry: HotEntry;
  listLoadedAt: number;
  listAgeHours: number;
  stale: boolean;
}

export interface HitRecord {
  readId: string;
  plate: string;
  readings: string[];
  camera: string;
  capturedAt: number;
  raisedAt: number;
  priority: 'high' | 'normal';
  matches: HitMatch[];
}

export interface HitView extends HitRecord {
  id: string;
  steps: RecordedStep[];
  state: HitState;
}

const enc = new TextEncoder();
const dec = new TextDecoder();

export class HitStore {
  constructor(
    private readonly db: AlprDb,
    private readonly health: StorageHealth,
    private readonly writer: SessionKeyWriter | null = null,
  ) {}

  /** Store a new hit; needs only the vault's public parts (capture may run while locked). */
  async add(vault: VaultValue, record: HitRecord): Promise<string> {
    if (!this.writer) throw new Error('HitStore.add needs the capture session writer');
    const id = ulid(record.raisedAt);
    const sealed = await this.writer.seal(vault, enc.encode(JSON.stringify(record)), 'hits', id);
    await this.health.write(() =>
      this.db.hits.add({ id, readId: record.readId, createdAt: record.raisedAt, sealed }),
    );
    return id;
  }

  async addStep(keys: UnlockedKeys, hitId: string, step: RecordedStep): Promise<void> {
    const id = ulid(step.at);
    const sealed = await sealUnderDek(keys.dek, enc.encode(JSON.stringify(step)), 'hitEvents', id, hitId);
    await this.health.write(() => this.db.hitEvents.add({ id, hitId, at: step.at, sealed }));
  }

  async get(keys: UnlockedKeys, id: string): Promise<HitView | null> {
    const row = await this.db.hits.get(id);
    return row ? this.open(new SessionKeyReader(this.db, keys), keys, row.id, row.sealed) : null;
  }

  /** Hits raised since `since`, newest first, each with its steps and state. */
  async since(keys: UnlockedKeys, since: number): Promise<HitView[]> {
    const rows = await this.db.hits.where('createdAt').aboveOrEqual(since).reverse().sortBy('createdAt');
    const reader = new SessionKeyReader(this.db, keys);
    return Promise.all(rows.map((r) => this.open(reader, keys, r.id, r.sealed)));
  }

  private async open(
    reader: SessionKeyReader,
    keys: UnlockedKeys,
    id: string,
    sealed: Parameters<SessionKeyReader['open']>[0],
  ): Promise<HitView> {
    const record = JSON.parse(dec.decode(await reader.open(sealed, 'hits', id))) as HitRecord;
    const events = await this.db.hitEvents.where('hitId').equals(id).sortBy('at');
    const steps = await Promise.all(
      events.map(
        async (e) =>
          JSON.parse(
            dec.decode(await openUnderDek(keys.dek, e.sealed, 'hitEvents', e.id, id)),
          ) as RecordedStep,
      ),
    );
    return { ...record, id, steps, state: hitState(steps) };
  }
}
