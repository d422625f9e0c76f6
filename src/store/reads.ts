// Reads at rest. Guarantees: the plate text, its alternates, GPS, operator and both images are sealed before they
// reach IndexedDB — under a per-session capture key that is itself sealed to the device's public key, so a unit
// with nobody signed in (a kiosk, a locked tablet) can add reads but cannot open any; plate lookups use the keyed
// blind index, which is left empty ('') when the index key is not in memory and filled at the next sign-in.
// Reads are append-only: corrections are separate records.
import { blindIndex } from '../core/crypto/envelope';
import { normalizePlate } from '../core/plate';
import { ulid } from '../core/ulid';
import type { AlprDb, ReadRow } from './db';
import type { StorageHealth } from './health';
import { SessionKeyReader, SessionKeyWriter } from './sessionKeys';
import type { UnlockedKeys, VaultValue } from './vault';

export interface ReadPayload {
  plate: string;
  confidence: number;
  alternates: { plate: string; confidence: number }[];
  region: string | null;
  capturedAt: number;
  cameraId: string;
  unitId: string;
  operatorId: string | null;
  gps: {
    lat: number;
    lon: number;
    accuracyM: number;
    headingDeg: number | null;
    speedMps: number | null;
    fixAt: number;
  } | null;
  engine: string;
  imported: { fileSha256: string } | null;
}

export interface ReadImages {
  crop: Uint8Array<ArrayBuffer>;
  overview: Uint8Array<ArrayBuffer> | null;
}

export interface OpenedRead extends ReadPayload {
  id: string;
  crop: Uint8Array<ArrayBuffer>;
  overview: Uint8Array<ArrayBuffer> | null;
}

const enc = new TextEncoder();
const dec = new TextDecoder();
export const PENDING_INDEX = '';

export class ReadStore {
  private readonly writer: SessionKeyWriter;

  constructor(
    private readonly db: AlprDb,
    private readonly health: StorageHealth,
    now: () => number,
    /** Share one capture-session key with the hit store (one key per capture session, not per record). */
    writer?: SessionKeyWriter,
  ) {
    this.writer = writer ?? new SessionKeyWriter(db, 'capture-session', now);
  }

  /** Store one read; needs only the vault's public parts. `indexKey` is optional (null: index later). */
  async add(
    vault: VaultValue,
    read: ReadPayload,
    images: ReadImages,
    indexKey: CryptoKey | null,
  ): Promise<string> {
    const id = ulid(read.capturedAt);
    const plate = normalizePlate(read.plate);
    const sealed = await this.writer.seal(vault, enc.encode(JSON.stringify({ ...read, plate })), 'reads', id);
    const crop = await this.writer.seal(vault, images.crop, 'readImages', id, 'crop');
    const overview = images.overview
      ? await this.writer.seal(vault, images.overview, 'readImages', id, 'overview')
      : undefined;
    const row: ReadRow = {
      id,
      capturedAt: read.capturedAt,
      plateIndex: indexKey ? await blindIndex(indexKey, plate) : PENDING_INDEX,
      cameraId: read.cameraId,
      sealed,
    };
    await this.health.write(() =>
      this.db.transaction('rw', this.db.reads, this.db.readImages, async () => {
        await this.db.reads.add(row);
        await this.db.readImages.add({ readId: id, crop, ...(overview ? { overview } : {}) });
      }),
    );
    return id;
  }

  /** Open one read (a signed-in user's keys). The caller has already passed the purpose gate and logged it. */
  async open(keys: UnlockedKeys, id: string): Promise<OpenedRead | null> {
    const row = await this.db.reads.get(id);
    if (!row) return null;
    const reader = new SessionKeyReader(this.db, keys);
    const payload = JSON.parse(dec.decode(await reader.open(row.sealed, 'reads', id))) as ReadPayload;
    const img = await this.db.readImages.get(id);
    return {
      ...payload,
      id,
      crop: img ? await reader.open(img.crop, 'readImages', id, 'crop') : new Uint8Array(),
      overview: img?.overview ? await reader.open(img.overview, 'readImages', id, 'overview') : null,
    };
  }

  /** Ids of reads whose blind index equals the given plate's (exact lookup). */
  async idsForPlate(indexKey: CryptoKey, plate: string): Promise<string[]> {
    return this.db.reads
      .where('plateIndex')
      .equals(await blindIndex(indexKey, normalizePlate(plate)))
      .primaryKeys();
  }

  /** Fill in blind indexes of reads stored while no index key was in memory. Returns how many. */
  async indexPending(keys: UnlockedKeys): Promise<number> {
    const pending = await this.db.reads.where('plateIndex').equals(PENDING_INDEX).toArray();
    const reader = new SessionKeyReader(this.db, keys);
    for (const row of pending) {
      const { plate } = JSON.parse(dec.decode(await reader.open(row.sealed, 'reads', row.id))) as ReadPayload;
      const plateIndex = await blindIndex(keys.indexKey, plate);
      await this.health.write(() => this.db.reads.update(row.id, { plateIndex }));
    }
    return pending.length;
  }
}
