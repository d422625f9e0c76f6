import 'fake-indexeddb/auto';
import { describe, expect, it } from 'vitest';
import { rawDump } from '../../tests/support/rawDump';
import { vaultDbs } from '../../tests/support/vaultDb';
import { StorageHealth } from './health';
import { PENDING_INDEX, ReadStore, type ReadPayload } from './reads';

const fx = vaultDbs('reads');

async function setup() {
  const db = await fx.freshDb();
  return { db, reads: new ReadStore(db, new StorageHealth(() => 1, undefined), () => 1_700_000_000_000) };
}

const read = (plate: string, i = 0): ReadPayload => ({
  plate,
  confidence: 0.97,
  alternates: [{ plate: plate.replace('0', 'O'), confidence: 0.02 }],
  region: 'CA',
  capturedAt: 1_700_000_000_000 + i,
  cameraId: 'front',
  unitId: 'unit-12',
  operatorId: null,
  gps: { lat: 38.5816, lon: -121.4944, accuracyM: 5, headingDeg: 90, speedMps: 12, fixAt: 1_700_000_000_000 },
  engine: 'test',
  imported: null,
});
// Image bytes with a recognisable marker, as a JPEG would start.
const image = (marker: string) =>
  new Uint8Array([0xff, 0xd8, 0xff, ...new TextEncoder().encode(marker), 1, 2, 3]);

describe('reads at rest', () => {
  it('a unit with nobody signed in adds reads it cannot read back; no plate or image bytes are in the clear', async () => {
    const { db, reads } = await setup();
    // Unattended: only the vault (public parts, sealed blobs) is at hand — no data key, no index key.
    const id = await reads.add(
      fx.made.vault,
      read('8XYZ789'),
      { crop: image('CROPMARK'), overview: image('OVERVIEWMARK') },
      null,
    );
    const dump = await rawDump(db);
    expect(dump.includes('capture-session')).toBe(true); // the dump sees plain fields
    for (const secret of ['8XYZ789', 'CROPMARK', 'OVERVIEWMARK', '38.5816', 'unit-12']) {
      expect(dump.includes(secret), secret).toBe(false);
    }
    expect((await db.reads.get(id))?.plateIndex).toBe(PENDING_INDEX);
    // Nothing in the store opens a read without the unlocked keys; with them, everything comes back.
    const opened = await reads.open(fx.made.keys, id);
    expect(opened).toMatchObject({ plate: '8XYZ789', region: 'CA', gps: { lat: 38.5816 } });
    expect(new TextDecoder().decode(opened!.crop.subarray(3, 11))).toBe('CROPMARK');
  });

  it('a signed-in unit indexes plates at once, and pending reads are indexed at the next sign-in', async () => {
    const { db, reads } = await setup();
    const a = await reads.add(
      fx.made.vault,
      read('7abc-123', 1),
      { crop: image('A'), overview: null },
      fx.made.keys.indexKey,
    );
    const b = await reads.add(fx.made.vault, read('7ABC123', 2), { crop: image('B'), overview: null }, null);
    await reads.add(
      fx.made.vault,
      read('7ABC124', 3),
      { crop: image('C'), overview: null },
      fx.made.keys.indexKey,
    );
    expect(await reads.idsForPlate(fx.made.keys.indexKey, '7ABC123')).toEqual([a]);
    expect(await reads.indexPending(fx.made.keys)).toBe(1);
    expect((await reads.idsForPlate(fx.made.keys.indexKey, '7 ABC 123')).sort()).toEqual([a, b].sort());
    expect(await db.reads.where('plateIndex').equals(PENDING_INDEX).count()).toBe(0);
  });

  it('refuses to open a read whose ciphertext was moved to another record', async () => {
    const { db, reads } = await setup();
    const a = await reads.add(fx.made.vault, read('1AAA111', 1), { crop: image('A'), overview: null }, null);
    const b = await reads.add(fx.made.vault, read('2BBB222', 2), { crop: image('B'), overview: null }, null);
    const rowA = (await db.reads.get(a))!;
    await db.reads.update(b, { sealed: rowA.sealed });
    await expect(reads.open(fx.made.keys, b)).rejects.toThrow(/integrity/);
  });
});
