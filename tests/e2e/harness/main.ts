// Store-layer scenarios run in the real browser, for end-to-end tests that need layers the UI does not reach yet
// (capture writes reads from issue #5 on). Exposed as window.harness; each returns plain data to the test.
import { AlprDb } from '../../../src/store/db';
import { StorageHealth } from '../../../src/store/health';
import { ReadStore } from '../../../src/store/reads';
import { createVault, vaultRow } from '../../../src/store/vault';

/** Every string and byte IndexedDB holds for a database, decoded as Latin-1 so any byte sequence is searchable. */
async function rawDump(name: string): Promise<string> {
  const db = await new Promise<IDBDatabase>((resolve, reject) => {
    const r = indexedDB.open(name);
    r.onsuccess = () => resolve(r.result);
    r.onerror = () => reject(r.error);
  });
  const parts: string[] = [];
  const latin1 = new TextDecoder('latin1');
  const walk = (v: unknown): void => {
    if (v instanceof ArrayBuffer) parts.push(latin1.decode(v));
    else if (ArrayBuffer.isView(v)) parts.push(latin1.decode(v));
    else if (typeof v === 'string' || typeof v === 'number') parts.push(String(v));
    else if (Array.isArray(v)) v.forEach(walk);
    else if (v && typeof v === 'object' && !(v instanceof CryptoKey)) Object.values(v).forEach(walk);
  };
  for (const store of Array.from(db.objectStoreNames)) {
    walk(
      await new Promise<unknown[]>((resolve, reject) => {
        const r = db.transaction(store).objectStore(store).getAll();
        r.onsuccess = () => resolve(r.result);
        r.onerror = () => reject(r.error);
      }),
    );
  }
  db.close();
  return parts.join('\n');
}

/** A kiosk with nobody signed in stores reads: it holds only the vault's public parts, no data or index key. */
async function unattendedReads(plates: string[], imageMarker: string) {
  const name = `harness-${Date.now()}`;
  const db = new AlprDb(name);
  const made = await createVault();
  await db.keys.put(vaultRow(made.vault, Date.now()));
  const reads = new ReadStore(db, new StorageHealth(), Date.now);
  const marker = new TextEncoder().encode(imageMarker);
  const ids: string[] = [];
  for (const [i, plate] of plates.entries()) {
    const crop = new Uint8Array([0xff, 0xd8, 0xff, ...marker, i]);
    const overview = new Uint8Array(30_000).map((_, k) => (k < marker.length ? marker[k]! : k & 0xff));
    const read = {
      plate,
      confidence: 0.95,
      alternates: [],
      region: 'CA',
      capturedAt: Date.now() + i,
      cameraId: 'front',
      unitId: 'Kiosk Main St',
      operatorId: null,
      gps: {
        lat: 38.5816,
        lon: -121.4944,
        accuracyM: 4,
        headingDeg: null,
        speedMps: null,
        fixAt: Date.now(),
      },
      engine: 'harness',
      imported: null,
    };
    ids.push(await reads.add(made.vault, read, { crop, overview }, null));
  }
  const dump = await rawDump(name);
  // Only a signed-in user's keys open them again.
  const opened = await Promise.all(ids.map(async (id) => (await reads.open(made.keys, id))?.plate ?? null));
  db.close();
  await db.delete();
  return { dump, opened, dumpBytes: dump.length };
}

declare global {
  interface Window {
    harness: { unattendedReads: typeof unattendedReads };
  }
}

window.harness = { unattendedReads };
