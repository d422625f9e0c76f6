import 'fake-indexeddb/auto';
import { afterEach, describe, expect, it } from 'vitest';
import { DEFAULT_POLICY } from '../core/policy';
import { AlprDb, SCHEMA_VERSION, SCHEMA_VERSIONS, TABLE_NAMES } from './db';
import {
  CorruptPolicyError,
  currentPolicy,
  initializeDevice,
  readDeviceSettings,
  updateDeviceSettings,
} from './device';
import { StorageHealth, StorageWriteError } from './health';

let counter = 0;
const open: AlprDb[] = [];
function freshDb(): AlprDb {
  const db = new AlprDb(`test-${Date.now()}-${counter++}`);
  open.push(db);
  return db;
}

afterEach(async () => {
  for (const db of open.splice(0)) {
    db.close();
    await db.delete();
  }
});

describe('the Dexie schema', () => {
  it('opens at the latest version with every roadmap table', async () => {
    const db = freshDb();
    await db.open();
    expect(db.verno).toBe(SCHEMA_VERSION);
    const names = db.tables.map((t) => t.name).sort();
    expect(names).toEqual([...TABLE_NAMES].sort());
    for (const required of [
      'reads',
      'hits',
      'hotLists',
      'accessLog',
      'holds',
      'sharingRequests',
      'syncState',
    ]) {
      expect(names).toContain(required);
    }
  });

  it('indexes reads by time and blind index, and rejects a second user with the same username', async () => {
    const db = freshDb();
    const sealed = { keyId: 'k1', iv: new Uint8Array(12), ct: new ArrayBuffer(8) };
    await db.reads.bulkAdd([
      { id: '01A', capturedAt: 100, plateIndex: 'aa', cameraId: 'front', sealed },
      { id: '01B', capturedAt: 200, plateIndex: 'bb', cameraId: 'rear', sealed },
    ]);
    expect((await db.reads.where('capturedAt').above(150).toArray()).map((r) => r.id)).toEqual(['01B']);
    expect((await db.reads.where('plateIndex').equals('aa').first())?.id).toBe('01A');
    const user = {
      name: 'A',
      jobTitle: 'Officer',
      roles: ['operator' as const],
      agency: 'CA0000000',
      status: 'active' as const,
      failedAttempts: 0,
      createdAt: 1,
      createdBy: 'system',
      lastActiveAt: null,
      trainingResetAt: null,
    };
    await db.users.add({ id: 'u1', username: 'jdoe', ...user });
    await expect(db.users.add({ id: 'u2', username: 'jdoe', ...user })).rejects.toThrow();
  });
});

describe('schema migrations', () => {
  it('upgrades a version 1 database in place, keeping its rows', async () => {
    const name = `migrate-${Date.now()}`;
    const { default: Dexie } = await import('dexie');
    const v1 = new Dexie(name);
    v1.version(1).stores(SCHEMA_VERSIONS[0]!.stores); // exactly what version 1 shipped
    await v1.table('meta').put({ key: 'device', value: { deviceId: 'D1', installedAt: 5 } });
    v1.close();
    const db = new AlprDb(name);
    open.push(db);
    await db.open();
    expect(db.verno).toBe(SCHEMA_VERSION);
    expect((await db.meta.get('device'))?.value).toEqual({ deviceId: 'D1', installedAt: 5 });
    expect(await db.keys.count()).toBe(0);
    expect([...db.backendDB().objectStoreNames].sort()).toEqual([...TABLE_NAMES].sort());
  });
});

describe('device initialisation and settings', () => {
  it('creates the device identity once and adopts the default policy', async () => {
    const db = freshDb();
    const health = new StorageHealth(() => 42, undefined);
    const first = await initializeDevice(db, health, 1000);
    const second = await initializeDevice(db, health, 2000);
    expect(second).toEqual(first);
    expect(first.installedAt).toBe(1000);
    expect(await currentPolicy(db)).toEqual(DEFAULT_POLICY);
    expect(await db.policies.count()).toBe(1);
    expect((await health.status()).lastSaveAt).toBe(42);
  });

  it('merges settings updates over the defaults', async () => {
    const db = freshDb();
    const health = new StorageHealth(() => 1, undefined);
    expect((await readDeviceSettings(db)).theme).toBe('auto');
    await updateDeviceSettings(db, health, { theme: 'night' }, 5);
    const next = await updateDeviceSettings(db, health, { unitName: 'Unit 9' }, 6);
    expect(next).toEqual({ theme: 'night', unitName: 'Unit 9', cameras: [], dedupeWindowS: 30 });
    expect(await readDeviceSettings(db)).toEqual(next);
  });

  it('refuses to use a stored policy that no longer validates', async () => {
    const db = freshDb();
    await db.policies.put({
      revision: 7,
      document: {
        ...DEFAULT_POLICY,
        revision: 7,
        signIn: { ...DEFAULT_POLICY.signIn, maxFailedAttempts: 0 },
      },
      adoptedAt: 1,
      adoptedBy: 'u1',
    });
    await expect(currentPolicy(db)).rejects.toThrow(CorruptPolicyError);
    await expect(currentPolicy(db)).rejects.toThrow(/revision 7.*signIn\.maxFailedAttempts/);
  });
});

describe('storage health', () => {
  it('records a failed write, explains a full disk, and rethrows', async () => {
    const health = new StorageHealth(() => 99, undefined);
    const full = Object.assign(new Error('quota'), { name: 'QuotaExceededError' });
    await expect(health.write(() => Promise.reject(full))).rejects.toThrow(StorageWriteError);
    const status = await health.status();
    expect(status.lastError).toEqual({ at: 99, message: expect.stringMatching(/storage is full/) });
    expect(status.lastSaveAt).toBeNull();
  });

  it('reports quota and persistence from the browser storage manager', async () => {
    const health = new StorageHealth(() => 1, {
      estimate: async () => ({ usage: 1234, quota: 99999 }),
      persisted: async () => false,
    });
    expect(await health.status()).toMatchObject({ usageBytes: 1234, quotaBytes: 99999, persisted: false });
  });
});
