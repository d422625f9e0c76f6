// Shared set-up for store tests on fake-indexeddb: one vault for the file, and fresh databases (holding that
// vault) that are closed and deleted after each test.
import { afterEach, beforeAll } from 'vitest';
import { AlprDb } from '../../src/store/db';
import { createVault, vaultRow, type NewVault } from '../../src/store/vault';

export interface VaultDbs {
  /** Set before the first test runs. */
  made: NewVault;
  freshDb(): Promise<AlprDb>;
}

export function vaultDbs(prefix: string): VaultDbs {
  const dbs: AlprDb[] = [];
  const fx = {
    made: undefined as unknown as NewVault,
    async freshDb() {
      const db = new AlprDb(`${prefix}-${Date.now()}-${dbs.length}`);
      dbs.push(db);
      await db.keys.put(vaultRow(fx.made.vault, 1));
      return db;
    },
  };
  beforeAll(async () => {
    fx.made = await createVault();
  });
  afterEach(async () => {
    for (const db of dbs.splice(0)) {
      db.close();
      await db.delete();
    }
  });
  return fx;
}
