// Every byte a Dexie database holds, concatenated: what a thief of the disk could search. For store tests on
// fake-indexeddb (CryptoKey objects are skipped: the browser never exposes their key material).
import type Dexie from 'dexie';

export async function rawDump(db: Dexie): Promise<Buffer> {
  const parts: Buffer[] = [];
  const walk = (v: unknown): void => {
    if (v instanceof ArrayBuffer) parts.push(Buffer.from(v));
    else if (ArrayBuffer.isView(v)) parts.push(Buffer.from(v.buffer, v.byteOffset, v.byteLength));
    else if (typeof v === 'string' || typeof v === 'number') parts.push(Buffer.from(String(v)));
    else if (Array.isArray(v)) v.forEach(walk);
    else if (v && typeof v === 'object' && !(v instanceof CryptoKey)) Object.values(v).forEach(walk);
  };
  for (const table of db.tables) walk(await table.toArray());
  return Buffer.concat(parts);
}
