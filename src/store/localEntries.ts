// Locally entered hot plates at rest: the entry, who entered it and who decided on it are sealed under the data
// key; only the workflow status and expiry are plain (to select active entries). Guarantees: an entry is created
// pending; only a pending entry can be decided; a decision names the decider and time. An edit of an active entry
// is held beside it (the entry matches as it was) until the entering member's supervisor decides; an approved
// edit replaces the entry and keeps what it replaced in the entry's history. Every rewrite checks that nobody
// rewrote the entry meanwhile.
import type { HotEntry } from '../core/hotlist/entry';
import { ulid } from '../core/ulid';
import type { AlprDb, LocalEntryRow } from './db';
import type { StorageHealth } from './health';
import { openUnderDek, sealUnderDek, type UnlockedKeys } from './vault';

export interface LocalEntryRecord {
  entry: HotEntry;
  enteredBy: { id: string; username: string; name: string };
  enteredAt: number;
  decision: {
    by: { id: string; username: string };
    at: number;
    approved: boolean;
    note: string | null;
  } | null;
  /** An edit waiting for the entering member's supervisor (absent on entries stored before edits existed). */
  pendingEdit?: PendingEdit | null;
  /** Approved edits, oldest first: what each replaced, who proposed and who approved it. */
  history?: EditRecord[];
}

export interface PendingEdit {
  entry: HotEntry;
  by: { id: string; username: string; name: string };
  at: number;
}

export interface EditRecord {
  before: HotEntry;
  proposedBy: { id: string; username: string };
  proposedAt: number;
  approvedBy: { id: string; username: string };
  approvedAt: number;
}

export interface LocalEntryView extends LocalEntryRecord {
  id: string;
  status: LocalEntryRow['status'];
}

const LIST_ID = 'local';
const enc = new TextEncoder();
const dec = new TextDecoder();

export class LocalEntryStore {
  constructor(
    private readonly db: AlprDb,
    private readonly health: StorageHealth,
  ) {}

  async add(keys: UnlockedKeys, record: Omit<LocalEntryRecord, 'decision'>): Promise<string> {
    const id = ulid(record.enteredAt);
    const sealed = await sealUnderDek(
      keys.dek,
      enc.encode(JSON.stringify({ ...record, decision: null })),
      'localEntries',
      id,
    );
    await this.health.write(() =>
      this.db.localEntries.add({
        id,
        listId: LIST_ID,
        status: 'pending',
        expiresAt: record.entry.expiresAt ?? Number.MAX_SAFE_INTEGER,
        sealed,
      }),
    );
    return id;
  }

  async get(keys: UnlockedKeys, id: string): Promise<LocalEntryView | null> {
    const row = await this.db.localEntries.get(id);
    return row ? this.open(keys, row) : null;
  }

  /** Every entry, newest first, with entries past their expiry shown as expired. */
  async all(keys: UnlockedKeys, now: number): Promise<LocalEntryView[]> {
    const rows = await this.db.localEntries.toArray();
    const views = await Promise.all(rows.map((r) => this.open(keys, r)));
    return views
      .map((v) =>
        v.status === 'active' && (v.entry.expiresAt ?? Infinity) <= now
          ? { ...v, status: 'expired' as const }
          : v,
      )
      .sort((a, b) => b.enteredAt - a.enteredAt);
  }

  async decide(
    keys: UnlockedKeys,
    id: string,
    decision: NonNullable<LocalEntryRecord['decision']>,
  ): Promise<LocalEntryView> {
    const current = await this.get(keys, id);
    if (!current) throw Object.assign(new Error('No such local entry'), { code: 'not-found' });
    if (current.status !== 'pending')
      throw Object.assign(new Error(`The entry is already ${current.status}`), { code: 'conflict' });
    const record: LocalEntryRecord = {
      entry: current.entry,
      enteredBy: current.enteredBy,
      enteredAt: current.enteredAt,
      decision,
    };
    const sealed = await sealUnderDek(keys.dek, enc.encode(JSON.stringify(record)), 'localEntries', id);
    const status = decision.approved ? 'active' : 'rejected';
    await this.health.write(() =>
      this.db.transaction('rw', this.db.localEntries, async () => {
        const row = await this.db.localEntries.get(id);
        if (row?.status !== 'pending')
          throw Object.assign(new Error('The entry was decided meanwhile'), { code: 'conflict' });
        await this.db.localEntries.update(id, { status, sealed });
      }),
    );
    return { ...record, id, status };
  }

  /** Hold an edit of an active entry for its supervisor's decision. */
  async proposeEdit(keys: UnlockedKeys, id: string, edit: PendingEdit): Promise<LocalEntryView> {
    return this.rewrite(keys, id, (current) => {
      if (current.status !== 'active')
        throw Object.assign(
          new Error(`Only an entry in force can be edited; this one is ${current.status}`),
          {
            code: 'conflict',
          },
        );
      if (current.pendingEdit)
        throw Object.assign(new Error('An edit of this entry is already waiting for approval'), {
          code: 'conflict',
        });
      return { record: { ...current, pendingEdit: edit }, expiresAt: null };
    });
  }

  /** Apply (approved) or drop (rejected) the waiting edit. */
  async decideEdit(
    keys: UnlockedKeys,
    id: string,
    decision: { by: { id: string; username: string }; at: number; approved: boolean },
  ): Promise<LocalEntryView> {
    return this.rewrite(keys, id, (current) => {
      const edit = current.pendingEdit;
      if (!edit) throw Object.assign(new Error('No edit of this entry is waiting'), { code: 'conflict' });
      if (!decision.approved) return { record: { ...current, pendingEdit: null }, expiresAt: null };
      const history: EditRecord[] = [
        ...(current.history ?? []),
        {
          before: current.entry,
          proposedBy: { id: edit.by.id, username: edit.by.username },
          proposedAt: edit.at,
          approvedBy: decision.by,
          approvedAt: decision.at,
        },
      ];
      return {
        record: { ...current, entry: edit.entry, pendingEdit: null, history },
        expiresAt: edit.entry.expiresAt ?? Number.MAX_SAFE_INTEGER,
      };
    });
  }

  /** Reseal an entry with a change, only if nobody rewrote it since it was read (the sealed value is unchanged). */
  private async rewrite(
    keys: UnlockedKeys,
    id: string,
    change: (current: LocalEntryView) => { record: LocalEntryRecord; expiresAt: number | null },
  ): Promise<LocalEntryView> {
    const row = await this.db.localEntries.get(id);
    if (!row) throw Object.assign(new Error('No such local entry'), { code: 'not-found' });
    const current = await this.open(keys, row);
    const changed = change(current);
    const { id: _id, status: _status, ...record } = changed.record as LocalEntryView; // both stay plain
    const expiresAt = changed.expiresAt;
    const sealed = await sealUnderDek(keys.dek, enc.encode(JSON.stringify(record)), 'localEntries', id);
    await this.health.write(() =>
      this.db.transaction('rw', this.db.localEntries, async () => {
        const now = await this.db.localEntries.get(id);
        if (!now || !sameBytes(now.sealed.iv, row.sealed.iv))
          throw Object.assign(new Error('The entry changed meanwhile: look again'), { code: 'conflict' });
        await this.db.localEntries.update(id, { sealed, ...(expiresAt === null ? {} : { expiresAt }) });
      }),
    );
    return { ...record, id, status: row.status };
  }

  /**
   * The retention purge: deletes every entry (active, rejected or still pending) whose expiry is before `cutoff`.
   * Needs no key: the expiry is stored plain for exactly this. Returns how many went.
   */
  async purgeExpiredBefore(cutoff: number): Promise<number> {
    return this.health.write(() => this.db.localEntries.where('expiresAt').below(cutoff).delete());
  }

  private async open(keys: UnlockedKeys, row: LocalEntryRow): Promise<LocalEntryView> {
    const record = JSON.parse(
      dec.decode(await openUnderDek(keys.dek, row.sealed, 'localEntries', row.id)),
    ) as LocalEntryRecord;
    return { ...record, id: row.id, status: row.status };
  }
}

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && a.every((x, i) => x === b[i]);
}
