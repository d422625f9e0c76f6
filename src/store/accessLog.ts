// The access log on disk. Guarantees: entries are only ever added (there is no update or delete here, and no
// handler for either); each is sealed (it holds query terms and purposes) and chained; the device signs the head
// after every append and a checkpoint every CHECKPOINT_EVERY entries; appends are serialised across workers and
// tabs (Web Locks), and a sequence number can never be written twice (add, not put).
import {
  ChainHasher,
  CHECKPOINT_EVERY,
  signCheckpoint,
  verifyChain,
  type ChainLink,
  type Checkpoint,
  type VerifyResult,
} from '../core/audit/chain';
import type { AccessLogRow, AlprDb, Sealed } from './db';
import { SessionKeyReader, SessionKeyWriter } from './sessionKeys';
import type { UnlockedKeys, VaultValue } from './vault';
import type { StorageHealth } from './health';

export interface LogEntry {
  at: number;
  deviceId: string;
  /** Null for events with nobody signed in (e.g. a failed sign-in for an unknown name). */
  userId: string | null;
  username: string | null;
  agency: string | null;
  action: string;
  outcome: 'ok' | 'refused' | 'failed';
  /** Query terms: plate, partial plate, area, time range, or the target of an admin action. */
  terms: Record<string, string> | null;
  purpose: { category: string; reference: string; referenceKind: string; note: string | null } | null;
  caseNumber: string | null;
  resultCount: number | null;
  detail: string | null;
}

export type NewLogEntry = Omit<
  LogEntry,
  'at' | 'deviceId' | 'terms' | 'purpose' | 'caseNumber' | 'resultCount' | 'detail'
> &
  Partial<Pick<LogEntry, 'terms' | 'purpose' | 'caseNumber' | 'resultCount' | 'detail'>>;

export interface OpenedEntry extends LogEntry {
  seq: number;
  hash: string;
}

const HEAD_KEY = 'logHead';
const ANCHOR_KEY = 'logAnchor';
const enc = new TextEncoder();
const dec = new TextDecoder();

/** The bytes the chain hashes for a stored entry: key id, IV and ciphertext. */
export function sealedBody(s: Sealed): Uint8Array {
  const id = enc.encode(s.keyId);
  const ct = new Uint8Array(s.ct);
  const out = new Uint8Array(id.length + 1 + s.iv.length + ct.length);
  out.set(id, 0);
  out.set(s.iv, id.length + 1);
  out.set(ct, id.length + 1 + s.iv.length);
  return out;
}

interface LocksLike {
  request<T>(name: string, fn: () => Promise<T>): Promise<T>;
}

export class AccessLog {
  private readonly writer: SessionKeyWriter;
  private tail: Promise<unknown> = Promise.resolve();

  private constructor(
    private readonly db: AlprDb,
    private readonly health: StorageHealth,
    private readonly hasher: ChainHasher,
    private readonly deviceId: string,
    private readonly now: () => number,
    private readonly locks: LocksLike | undefined,
  ) {
    this.writer = new SessionKeyWriter(db, 'log-session', now);
  }

  static async create(
    db: AlprDb,
    health: StorageHealth,
    deviceId: string,
    now: () => number = Date.now,
  ): Promise<AccessLog> {
    const locks = (globalThis as { navigator?: { locks?: LocksLike } }).navigator?.locks;
    return new AccessLog(db, health, await ChainHasher.create(), deviceId, now, locks);
  }

  /** Append one entry. Entries from this worker keep their order; other workers wait on the same Web Lock. */
  append(vault: VaultValue, entry: NewLogEntry): Promise<AccessLogRow> {
    const run = () =>
      this.locks
        ? this.locks.request('alpr-access-log', () => this.write(vault, entry))
        : this.write(vault, entry);
    const result = this.tail.then(run, run);
    this.tail = result.catch(() => undefined);
    return result;
  }

  private async write(vault: VaultValue, entry: NewLogEntry): Promise<AccessLogRow> {
    const at = this.now();
    const full: LogEntry = {
      terms: null,
      purpose: null,
      caseNumber: null,
      resultCount: null,
      detail: null,
      ...entry,
      at,
      deviceId: this.deviceId,
    };
    const last = await this.db.accessLog.orderBy('seq').last();
    const anchor = last ? null : ((await this.db.meta.get(ANCHOR_KEY))?.value as Checkpoint | undefined);
    const prev = last ?? (anchor ? { seq: anchor.seq, hash: anchor.hash } : null);
    const seq = prev ? prev.seq + 1 : 1;
    const sealed = await this.writer.seal(vault, enc.encode(JSON.stringify(full)), 'accessLog', String(seq));
    const link = this.hasher.next(prev, at, sealedBody(sealed));
    const head = await signCheckpoint(vault.logSigningKey, this.deviceId, link.seq, link.hash);
    const periodic = link.seq % CHECKPOINT_EVERY === 0 ? head : null;
    const row: AccessLogRow = { seq: link.seq, at, prevHash: link.prevHash, hash: link.hash, sealed };
    await this.health.write(() =>
      this.db.transaction('rw', this.db.accessLog, this.db.logCheckpoints, this.db.meta, async () => {
        await this.db.accessLog.add(row);
        await this.db.meta.put({ key: HEAD_KEY, value: head });
        if (periodic) await this.db.logCheckpoints.add({ ...periodic, at });
      }),
    );
    return row;
  }

  /** Verify the whole chain on disk against this device's signing key. Needs no decryption. */
  async verify(vault: VaultValue): Promise<VerifyResult> {
    const rows = await this.db.accessLog.orderBy('seq').toArray();
    const checkpoints = await this.db.logCheckpoints.toArray();
    const head = ((await this.db.meta.get(HEAD_KEY))?.value as Checkpoint | undefined) ?? null;
    const anchor = ((await this.db.meta.get(ANCHOR_KEY))?.value as Checkpoint | undefined) ?? null;
    const links: ChainLink[] = rows.map((r) => ({
      seq: r.seq,
      at: r.at,
      prevHash: r.prevHash,
      hash: r.hash,
      body: sealedBody(r.sealed),
    }));
    return verifyChain(this.hasher, {
      deviceId: this.deviceId,
      publicKey: vault.logVerifyKey,
      links,
      checkpoints: checkpoints.map(({ seq, hash, signature }) => ({ seq, hash, signature })),
      head,
      anchor,
    });
  }

  /** Open entries for a signed-in auditor, oldest first, optionally from a time. */
  async entries(keys: UnlockedKeys, since = 0): Promise<OpenedEntry[]> {
    const reader = new SessionKeyReader(this.db, keys);
    const rows = await this.db.accessLog.where('at').aboveOrEqual(since).toArray();
    rows.sort((a, b) => a.seq - b.seq);
    const out: OpenedEntry[] = [];
    for (const r of rows) {
      const entry = JSON.parse(
        dec.decode(await reader.open(r.sealed, 'accessLog', String(r.seq))),
      ) as LogEntry;
      out.push({ ...entry, seq: r.seq, hash: r.hash });
    }
    return out;
  }

  /** The signed head and checkpoints, for export with the chain proof. */
  async proof(): Promise<{ head: Checkpoint | null; checkpoints: Checkpoint[]; anchor: Checkpoint | null }> {
    return {
      head: ((await this.db.meta.get(HEAD_KEY))?.value as Checkpoint | undefined) ?? null,
      checkpoints: (await this.db.logCheckpoints.toArray()).map(({ seq, hash, signature }) => ({
        seq,
        hash,
        signature,
      })),
      anchor: ((await this.db.meta.get(ANCHOR_KEY))?.value as Checkpoint | undefined) ?? null,
    };
  }
}
