// Browser figures for the security core (real IndexedDB and WebCrypto in Chromium):
// security.kdf_ms — PBKDF2-SHA-256 600,000 iterations (one sign-in's key derivation);
// security.log_append_ms — one access-log append (seal, chain, sign head, durable write), one at a time;
// security.log_append_per_s — appends per second with 8 appenders in flight (group commit);
// security.chain_verify_1m_ms — verifying a 1,000,000-link chain with its 1,000 signed checkpoints, in memory;
// security.log_read_100k_ms — reading 100,000 stored log rows back from IndexedDB (the on-disk part of a verify);
// security.store_read_ms — sealing and storing one read with a 30 KB image.
import {
  ChainHasher,
  CHECKPOINT_EVERY,
  signCheckpoint,
  verifyChain,
  type ChainLink,
  type Checkpoint,
} from '../../../src/core/audit/chain';
import { deriveKek, newKdfParams } from '../../../src/core/crypto/envelope';
import { AccessLog } from '../../../src/store/accessLog';
import { AlprDb } from '../../../src/store/db';
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

  // Reading stored log rows back (what a verification of the on-disk log reads).
  const rows = 100_000;
  const sample = (await db.accessLog.get(10))!;
  const batch: (typeof sample)[] = [];
  for (let seq = 1_000_001; seq < 1_000_001 + rows; seq++) batch.push({ ...sample, seq });
  for (let i = 0; i < batch.length; i += 10_000) await db.accessLog.bulkAdd(batch.slice(i, i + 10_000));
  t0 = performance.now();
  const back = await db.accessLog
    .where('seq')
    .between(1_000_001, 1_000_001 + rows)
    .toArray();
  report({
    bench: 'security.log_read_100k_ms',
    value: round(performance.now() - t0, 0),
    unit: 'ms',
    n: back.length,
  });

  // A 1,000,000-link chain, verified in memory.
  const hasher = await ChainHasher.create();
  const signing = (await crypto.subtle.generateKey({ name: 'ECDSA', namedCurve: 'P-256' }, false, [
    'sign',
    'verify',
  ])) as CryptoKeyPair;
  const n = 1_000_000;
  const body = new Uint8Array(200).map((_, i) => i);
  const links: ChainLink[] = new Array(n);
  const checkpoints: Checkpoint[] = [];
  let prev: ChainLink | null = null;
  for (let i = 0; i < n; i++) {
    const link: ChainLink = hasher.next(prev, 1_700_000_000_000 + i, body);
    links[i] = link;
    if (link.seq % CHECKPOINT_EVERY === 0)
      checkpoints.push(await signCheckpoint(signing.privateKey, 'BENCH', link.seq, link.hash));
    prev = link;
  }
  const head = await signCheckpoint(signing.privateKey, 'BENCH', prev!.seq, prev!.hash);
  t0 = performance.now();
  const result = await verifyChain(hasher, {
    deviceId: 'BENCH',
    publicKey: signing.publicKey,
    links,
    checkpoints,
    head,
  });
  const ms = performance.now() - t0;
  if (!result.ok) throw new Error(`bench chain failed to verify: ${result.message}`);
  report({ bench: 'security.chain_verify_1m_ms', value: round(ms, 0), unit: 'ms', n });

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
