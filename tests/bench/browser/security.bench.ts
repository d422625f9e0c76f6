// Browser figures for the security core (real IndexedDB and WebCrypto in Chromium):
// security.kdf_ms — PBKDF2-SHA-256 600,000 iterations (one sign-in's key derivation);
// security.log_append_ms — one access-log append (seal, chain, sign head, durable write), one at a time;
// security.log_append_per_s — appends per second with 8 appenders in flight (group commit);
// security.chain_verify_1m_ms — verifying a 1,000,000-entry access log stored in IndexedDB (read, hash, 1,001
//   signature checks);
// security.store_read_ms — sealing and storing one read with a 30 KB image.
import {
  ChainHasher,
  CHECKPOINT_EVERY,
  signCheckpoint,
  type Checkpoint,
} from '../../../src/core/audit/chain';
import { deriveKek, newKdfParams } from '../../../src/core/crypto/envelope';
import { AccessLog, sealedBody } from '../../../src/store/accessLog';
import { AlprDb, type AccessLogRow } from '../../../src/store/db';
import { StorageHealth } from '../../../src/store/health';
import { ReadStore } from '../../../src/store/reads';
import { createVault, vaultRow } from '../../../src/store/vault';
import { median, round, type Report } from '../figure';

export async function run(report: Report): Promise<void> {
  // Key derivation.
  const kdf: number[] = [];
  for (let i = 0; i < 5; i++) {
    const t0 = performance.now();
    await deriveKek('a long pass phrase for the bench', newKdfParams());
    kdf.push(performance.now() - t0);
  }
  report({ bench: 'security.kdf_ms', value: round(median(kdf), 1), unit: 'ms', n: kdf.length });

  const made = await createVault();
  const db = new AlprDb(`bench-security-${Date.now()}`);
  await db.keys.put(vaultRow(made.vault, Date.now()));
  const health = new StorageHealth();

  // Access-log appends.
  const log = await AccessLog.create(db, health, 'BENCH-DEVICE');
  const entry = {
    userId: 'u1',
    username: 'bench',
    agency: 'CA0340000',
    action: 'reads.search',
    outcome: 'ok' as const,
    terms: { plate: '7ABC123' },
    resultCount: 3,
  };
  for (let i = 0; i < 50; i++) await log.append(made.vault, entry);
  // One at a time: the latency a single handler sees before it may return data.
  const latency: number[] = [];
  for (let i = 0; i < 500; i++) {
    const s = performance.now();
    await log.append(made.vault, entry);
    latency.push(performance.now() - s);
  }
  report({
    bench: 'security.log_append_ms',
    value: round(median(latency), 2),
    unit: 'ms',
    n: latency.length,
  });
  // Throughput with 8 appenders in flight (handlers and capture logging at once): group commit batches them.
  const appends = 4000;
  let t0 = performance.now();
  await Promise.all(
    Array.from({ length: 8 }, async () => {
      for (let i = 0; i < appends / 8; i++) await log.append(made.vault, entry);
    }),
  );
  report({
    bench: 'security.log_append_per_s',
    value: round(appends / ((performance.now() - t0) / 1000), 0),
    unit: 'per_s',
    n: appends,
  });

  // Verifying a 1,000,000-entry log from IndexedDB: the chain is built here (appending a million entries one by
  // one would take ten minutes), stored exactly as the log stores closed segments, then verified by the store.
  const n = 1_000_000;
  const bigDb = new AlprDb(`bench-log-1m-${Date.now()}`);
  await bigDb.keys.put(vaultRow(made.vault, Date.now()));
  const hasher = await ChainHasher.create();
  const sealed = {
    keyId: '01BENCHKEY000000000000000',
    iv: new Uint8Array(12).fill(7),
    ct: new Uint8Array(160).fill(9).buffer,
  };
  const body = sealedBody(sealed);
  let prev: { seq: number; hash: string } | null = null;
  let segment: AccessLogRow[] = [];
  const checkpoints: (Checkpoint & { at: number })[] = [];
  for (let i = 0; i < n; i++) {
    const at = 1_700_000_000_000 + i;
    const link = hasher.next(prev, at, body);
    segment.push({ seq: link.seq, at, prevHash: link.prevHash, hash: link.hash, sealed });
    if (link.seq % CHECKPOINT_EVERY === 0) {
      checkpoints.push({
        ...(await signCheckpoint(made.vault.logSigningKey, 'BENCH-1M', link.seq, link.hash)),
        at,
      });
      await bigDb.logSegments.add({
        firstSeq: segment[0]!.seq,
        lastSeq: link.seq,
        maxAt: at,
        links: segment,
      });
      segment = [];
    }
    prev = link;
  }
  await bigDb.logCheckpoints.bulkAdd(checkpoints);
  await bigDb.meta.put({ key: 'logHead', value: checkpoints[checkpoints.length - 1]! });
  const bigLog = await AccessLog.create(bigDb, health, 'BENCH-1M');
  t0 = performance.now();
  const result = await bigLog.verify(made.vault);
  const ms = performance.now() - t0;
  if (!result.ok || result.count !== n)
    throw new Error(`bench log failed to verify: ${JSON.stringify(result)}`);
  report({ bench: 'security.chain_verify_1m_ms', value: round(ms, 0), unit: 'ms', n });
  bigDb.close();
  await bigDb.delete();

  // Storing a read with a 30 KB image.
  const reads = new ReadStore(db, health, Date.now);
  const crop = new Uint8Array(3_000).map((_, i) => i & 0xff);
  const overview = new Uint8Array(30_000).map((_, i) => (i * 7) & 0xff);
  const payload = (i: number) => ({
    plate: '7ABC123',
    confidence: 0.97,
    alternates: [],
    region: 'CA',
    capturedAt: Date.now() + i,
    cameraId: 'front',
    unitId: 'u',
    operatorId: null,
    gps: null,
    engine: 'bench',
    imported: null,
  });
  for (let i = 0; i < 20; i++)
    await reads.add(made.vault, payload(i), { crop, overview }, made.keys.indexKey);
  const store: number[] = [];
  for (let i = 0; i < 200; i++) {
    const s = performance.now();
    await reads.add(made.vault, payload(100 + i), { crop, overview }, made.keys.indexKey);
    store.push(performance.now() - s);
  }
  report({ bench: 'security.store_read_ms', value: round(median(store), 2), unit: 'ms', n: store.length });

  db.close();
  await db.delete();
}
