// Browser figures for hot lists (real IndexedDB and WebCrypto in Chromium):
// hotlists.parse_1m_ms — parsing a 1,000,000-record CLEW extract (20 MB of text);
// hotlists.import_1m_ms — what an import does: parse, seal the entries in segments and replace the list in one
//   IndexedDB transaction;
// hotlists.load_1m_ms — reading the stored list back and opening it (the index rebuild at sign-in);
// hotlists.index_build_1m_ms — building the matching index over it;
// hotlists.index_mb — JS heap held by the parsed entries and the index (precise heap numbers after GC);
// hotlists.match_ms — matching one read with its top reading and 4 alternates.
import { parseClew } from '../../../src/core/hotlist/clew';
import { HotListIndex } from '../../../src/core/hotlist/matcher';
import { AlprDb } from '../../../src/store/db';
import { StorageHealth } from '../../../src/store/health';
import { HotListStore } from '../../../src/store/hotlists';
import { createVault } from '../../../src/store/vault';
import { median, round, type Report } from '../figure';

const CHARS = 'ABCDEFGHJKLMNPRSTUVWXYZ0123456789';

/** mulberry32: a small PRNG with a full 2^32 period (plain LCG arithmetic in doubles loses bits and repeats). */
function prng(seed: number): () => number {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

function randomPlate(rand: () => number): string {
  // California-style 1ABC234 for most, older ABC123 for some.
  if (rand() < 0.7) {
    const l = () => CHARS[Math.floor(rand() * 23)]!;
    const d = () => String(Math.floor(rand() * 10));
    return `${d()}${l()}${l()}${l()}${d()}${d()}${d()}`;
  }
  return Array.from({ length: 6 }, () => CHARS[Math.floor(rand() * CHARS.length)]).join('');
}

function heapMb(): number {
  (globalThis as { gc?: () => void }).gc?.();
  const mem = (performance as unknown as { memory?: { usedJSHeapSize: number } }).memory;
  return mem ? mem.usedJSHeapSize / 1024 / 1024 : NaN;
}

export async function run(report: Report): Promise<void> {
  const rand = prng(42);
  const n = 1_000_000;
  const plates: string[] = new Array(n);
  const lines: string[] = ['DATE11/20/2026 06:00'];
  for (let i = 0; i < n; i++) {
    plates[i] = randomPlate(rand);
    lines.push(`${plates[i]!.padEnd(8)}CA0120261101`);
  }
  lines.push(`TOTAL RECORD ${String(n).padStart(7, '0')}`);
  const text = lines.join('\n');
  lines.length = 0;
  const distinct = new Set(plates).size;
  if (distinct < n * 0.95) throw new Error(`the generated list repeats itself: ${distinct} distinct plates`);

  const before = heapMb();
  let t0 = performance.now();
  const parsed = parseClew(text, 'SVS');
  report({ bench: 'hotlists.parse_1m_ms', value: round(performance.now() - t0, 0), unit: 'ms', n });
  if (!parsed.ok) throw new Error(`bench file refused: ${parsed.issues[0]?.message}`);

  t0 = performance.now();
  const index = new HotListIndex([
    { listId: 'svs', name: 'SVS', substitutionBudget: 0, entries: parsed.entries },
  ]);
  report({
    bench: 'hotlists.index_build_1m_ms',
    value: round(performance.now() - t0, 0),
    unit: 'ms',
    n: index.size,
  });
  const after = heapMb();
  if (Number.isFinite(before) && Number.isFinite(after)) {
    report({ bench: 'hotlists.index_mb', value: round(after - before, 1), unit: 'MB', n: index.size });
  }

  const at = Date.UTC(2026, 10, 20);
  const times: number[] = [];
  let hits = 0;
  for (let i = 0; i < 20_000; i++) {
    const top = i % 10 === 0 ? plates[i]! : randomPlate(rand);
    const readings = [top, randomPlate(rand), randomPlate(rand), randomPlate(rand), randomPlate(rand)];
    const s = performance.now();
    hits += index.match({ readings, state: 'CA', at }).length > 0 ? 1 : 0;
    times.push(performance.now() - s);
  }
  if (hits < 2000) throw new Error(`expected at least 2,000 hits, got ${hits}`);
  report({ bench: 'hotlists.match_ms', value: round(median(times), 4), unit: 'ms', n: times.length });

  // The import as the backend does it, into real IndexedDB, sealed.
  const { keys } = await createVault();
  const db = new AlprDb(`bench-hotlists-${Date.now()}`);
  const store = new HotListStore(db, new StorageHealth());
  t0 = performance.now();
  const again = parseClew(text, 'SVS');
  if (!again.ok) throw new Error('bench file refused');
  await store.replace(keys, {
    listId: 'svs',
    kind: 'general',
    name: 'SVS',
    source: 'svs.tbl',
    loadedAt: Date.now(),
    extractedAt: null,
    entries: again.entries,
  });
  report({ bench: 'hotlists.import_1m_ms', value: round(performance.now() - t0, 0), unit: 'ms', n });
  t0 = performance.now();
  const loaded = await store.entries(keys, 'svs');
  report({
    bench: 'hotlists.load_1m_ms',
    value: round(performance.now() - t0, 0),
    unit: 'ms',
    n: loaded.length,
  });
  if (loaded.length !== n || loaded[n - 1]!.plate !== plates[n - 1])
    throw new Error('the stored list differs');
  await db.delete();
}
