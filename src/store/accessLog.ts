// The access log on disk. Guarantees: entries are only ever added (there is no update or delete here, and no
// handler for either); each is sealed (it holds query terms and purposes) and chained; the device signs the head
// after every append and a checkpoint every CHECKPOINT_EVERY entries; a sequence number can never be written twice
// (add, not put), so two workers appending at once cannot fork or overwrite the chain. Entries of the open segment
// are rows of `accessLog`; when a checkpoint closes a segment, its entries move, unchanged and in the same
// transaction, into one `logSegments` row, so the whole log reads back fast for verification and audits.
import {
  ChainHasher,
  CHECKPOINT_EVERY,
  signCheckpoint,
  verifyChain,
  type ChainLink,
  type Checkpoint,
  type VerifyResult,
} from '../core/audit/chain';
import type { AccessLogRow, AlprDb, LogSegmentRow, Sealed } from './db';
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

/** The end of the chain: the last stored row, or the purge anchor when every row before it was purged. */
interface Tail {
  seq: number;
  hash: string;
  row: boolean;
}

interface Pending {
  vault: VaultValue;
  entry: NewLogEntry;
  resolve: (row: AccessLogRow) => void;
  reject: (e: unknown) => void;
}

/** Most entries committed in one transaction. */
const MAX_BATCH = 256;

class StaleTailError extends Error {
  constructor() {
    super('Another writer appended to the access log first');
  }
}

const fallbackLocks = new Map<string, Promise<unknown>>();

/** Web Locks where the platform has them (browsers, workers); an in-process queue elsewhere (Node tests). */
function withLock<T>(name: string, fn: () => Promise<T>): Promise<T> {
  const locks = (
    globalThis as { navigator?: { locks?: { request<R>(n: string, f: () => Promise<R>): Promise<R> } } }
  ).navigator?.locks;
  if (locks) return locks.request(name, fn);
  const run = (fallbackLocks.get(name) ?? Promise.resolve()).then(fn, fn);
  fallbackLocks.set(
    name,
    run.catch(() => undefined),
  );
  return run;
}

export interface OpenedEntry extends LogEntry {
  seq: number;
  hash: string;
}

const HEAD_KEY = 'logHead';
const ANCHOR_KEY = 'logAnchor';
const enc = new TextEncoder();
const dec = new TextDecoder();

const SEPARATOR = new Uint8Array([0]);
const keyIdBytes = new Map<string, Uint8Array>();

/**
 * The bytes the chain hashes for a stored entry, as parts hashed in order without copying: key id, a zero byte,
 * IV, ciphertext.
 */
export function sealedBody(s: Sealed): readonly Uint8Array[] {
  let id = keyIdBytes.get(s.keyId);
  if (!id) {
    id = enc.encode(s.keyId);
    if (keyIdBytes.size < 10_000) keyIdBytes.set(s.keyId, id);
  }
  return [id, SEPARATOR, s.iv, new Uint8Array(s.ct)];
}

export class AccessLog {
  private readonly writer: SessionKeyWriter;
  private readonly queue: Pending[] = [];
  private draining = false;
  /** The tail as this worker last wrote it; undefined when unknown (read from disk before the next append). */
  private last: Tail | null | undefined = undefined;

  private constructor(
    private readonly db: AlprDb,
    private readonly health: StorageHealth,
    private readonly hasher: ChainHasher,
    private readonly deviceId: string,
    private readonly now: () => number,
  ) {
    this.writer = new SessionKeyWriter(db, 'log-session', now);
  }

  static async create(
    db: AlprDb,
    health: StorageHealth,
    deviceId: string,
    now: () => number = Date.now,
  ): Promise<AccessLog> {
    return new AccessLog(db, health, await ChainHasher.create(), deviceId, now);
  }

  /**
   * Append one entry; resolves once it is durably stored. Appends are serialised across workers and tabs by a
   * Web Lock (FIFO, so no writer starves). Entries that arrive while a write is in flight are committed together
   * in the next transaction (group commit), with one signed head for the batch. The tail is taken from memory and
   * re-checked inside the write transaction, so a stale tail (another tab wrote meanwhile) is caught and retried,
   * and `add` can never overwrite a sequence number.
   */
  append(vault: VaultValue, entry: NewLogEntry): Promise<AccessLogRow> {
    return new Promise((resolve, reject) => {
      this.queue.push({ vault, entry, resolve, reject });
      void this.drain();
    });
  }

  private async drain(): Promise<void> {
    if (this.draining) return;
    this.draining = true;
    try {
      while (this.queue.length > 0) {
        const batch = this.queue.splice(0, MAX_BATCH);
        try {
          const rows = await withLock(`alpr-access-log:${this.db.name}`, () => this.writeBatch(batch));
          batch.forEach((p, i) => p.resolve(rows[i]!));
        } catch (e) {
          batch.forEach((p) => p.reject(e));
        }
      }
    } finally {
      this.draining = false;
    }
  }

  /** The last stored link, from the open segment or else the last closed one. */
  private async lastLink(): Promise<AccessLogRow | undefined> {
    const last = await this.db.accessLog.orderBy('seq').last();
    if (last) return last;
    const segment = await this.db.logSegments.orderBy('lastSeq').last();
    return segment?.links[segment.links.length - 1];
  }

  private async readTail(): Promise<Tail | null> {
    const last = await this.lastLink();
    if (last) return { seq: last.seq, hash: last.hash, row: true };
    const anchor = (await this.db.meta.get(ANCHOR_KEY))?.value as Checkpoint | undefined;
    return anchor ? { seq: anchor.seq, hash: anchor.hash, row: false } : null;
  }

  private async writeBatch(batch: Pending[]): Promise<AccessLogRow[]> {
    for (let attempt = 0; ; attempt++) {
      const prev = this.last !== undefined ? this.last : await this.readTail();
      const rows: AccessLogRow[] = [];
      const checkpoints: Checkpoint[] = [];
      let link: { seq: number; hash: string } | null = prev;
      for (const { vault, entry } of batch) {
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
        const seq = (link?.seq ?? 0) + 1;
        const sealed = await this.writer.seal(
          vault,
          enc.encode(JSON.stringify(full)),
          'accessLog',
          String(seq),
        );
        const next = this.hasher.next(link, at, sealedBody(sealed));
        rows.push({ seq: next.seq, at, prevHash: next.prevHash, hash: next.hash, sealed });
        if (next.seq % CHECKPOINT_EVERY === 0) {
          checkpoints.push(await signCheckpoint(vault.logSigningKey, this.deviceId, next.seq, next.hash));
        }
        link = next;
      }
      const last = rows[rows.length - 1]!;
      const head = await signCheckpoint(batch[0]!.vault.logSigningKey, this.deviceId, last.seq, last.hash);
      try {
        await this.health.write(() =>
          this.db.transaction(
            'rw',
            [this.db.accessLog, this.db.logSegments, this.db.logCheckpoints, this.db.meta],
            async () => {
              const tail = await this.lastLink();
              if ((tail?.seq ?? null) !== (prev?.row ? prev.seq : null)) throw new StaleTailError();
              await this.db.accessLog.bulkAdd(rows);
              await this.db.meta.put({ key: HEAD_KEY, value: head });
              if (checkpoints.length) {
                await this.db.logCheckpoints.bulkAdd(checkpoints.map((c) => ({ ...c, at: last.at })));
              }
              for (const cp of checkpoints) await this.closeSegment(cp.seq);
            },
          ),
        );
        this.last = { seq: last.seq, hash: last.hash, row: true };
        return rows;
      } catch (e) {
        this.last = undefined;
        const cause = (e as { cause?: unknown }).cause;
        const name = (cause as { name?: string } | undefined)?.name;
        const retry = cause instanceof StaleTailError || name === 'ConstraintError' || name === 'BulkError';
        if (!retry || attempt >= 10) throw e;
      }
    }
  }

  /** Inside a write transaction: pack the entries up to checkpoint `seq` into one segment row. */
  private async closeSegment(seq: number): Promise<void> {
    const links = await this.db.accessLog.where('seq').belowOrEqual(seq).toArray();
    if (links.length === 0) return;
    await this.db.logSegments.add({
      firstSeq: links[0]!.seq,
      lastSeq: seq,
      maxAt: Math.max(...links.map((l) => l.at)),
      links,
    });
    await this.db.accessLog.where('seq').belowOrEqual(seq).delete();
  }

  /** Every stored link in order: closed segments, then the open one (only those at or after `since`). */
  private async allRows(since = 0): Promise<AccessLogRow[]> {
    const segments: LogSegmentRow[] = await this.db.logSegments.orderBy('firstSeq').toArray();
    const out: AccessLogRow[] = [];
    for (const s of segments) {
      if (s.maxAt < since) continue;
      for (const l of s.links) if (l.at >= since) out.push(l);
    }
    for (const r of await this.db.accessLog.orderBy('seq').toArray()) if (r.at >= since) out.push(r);
    return out;
  }

  /** The chain as the verifier walks it, built lazily from the stored rows. */
  private static *links(rows: AccessLogRow[]): Generator<ChainLink> {
    for (const r of rows) {
      yield { seq: r.seq, at: r.at, prevHash: r.prevHash, hash: r.hash, body: sealedBody(r.sealed) };
    }
  }

  /**
   * The retention purge, the only way entries leave the log: whole segments ending at a signed checkpoint, whose
   * every entry is older than `cutoff`, are deleted; that checkpoint becomes the anchor the rest of the chain is
   * verified from; and a signed 'log.purge' entry records what went. Returns how many entries were removed.
   */
  async purgeBefore(vault: VaultValue, cutoff: number): Promise<number> {
    return withLock(`alpr-access-log:${this.db.name}`, async () => {
      // Closed segments end at signed checkpoints; purge the oldest ones while every entry in them is expired.
      const segments = await this.db.logSegments.orderBy('firstSeq').toArray();
      let upTo: LogSegmentRow | null = null;
      for (const segment of segments) {
        if (segment.maxAt >= cutoff) break;
        upTo = segment;
      }
      if (!upTo) return 0;
      const cp = await this.db.logCheckpoints.get(upTo.lastSeq);
      if (!cp) throw new Error(`The checkpoint closing entry ${upTo.lastSeq} is missing: purge refused`);
      const anchor: Checkpoint = { seq: cp.seq, hash: cp.hash, signature: cp.signature };
      const removed = anchor.seq - segments[0]!.firstSeq + 1;
      await this.health.write(() =>
        this.db.transaction('rw', this.db.logSegments, this.db.logCheckpoints, this.db.meta, async () => {
          await this.db.logSegments.where('lastSeq').belowOrEqual(anchor.seq).delete();
          await this.db.logCheckpoints.where('seq').belowOrEqual(anchor.seq).delete();
          await this.db.meta.put({ key: ANCHOR_KEY, value: anchor });
        }),
      );
      this.last = undefined;
      return removed;
    }).then(async (removed) => {
      if (removed > 0) {
        await this.append(vault, {
          userId: null,
          username: null,
          agency: null,
          action: 'log.purge',
          outcome: 'ok',
          detail: `Retention purge: ${removed} entries older than ${new Date(cutoff).toISOString()} removed; the chain continues from its signed checkpoint.`,
          resultCount: removed,
        });
      }
      return removed;
    });
  }

  /** Verify the whole chain on disk against this device's signing key. Needs no decryption. */
  async verify(vault: VaultValue): Promise<VerifyResult> {
    const rows = await this.allRows();
    const checkpoints = await this.db.logCheckpoints.toArray();
    const head = ((await this.db.meta.get(HEAD_KEY))?.value as Checkpoint | undefined) ?? null;
    const anchor = ((await this.db.meta.get(ANCHOR_KEY))?.value as Checkpoint | undefined) ?? null;
    const links = AccessLog.links(rows);
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
    const rows = await this.allRows(since);
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
