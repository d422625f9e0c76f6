// What every handler gets: the database, storage health, the device identity and a clock.
import type { AlprDb } from '../store/db';
import type { DeviceIdentity } from '../store/device';
import type { StorageHealth } from '../store/health';

export interface BackendContext {
  db: AlprDb;
  health: StorageHealth;
  device: DeviceIdentity;
  now: () => number;
  startedAt: number;
  /** Names of all registered handlers (for status and diagnostics). */
  handlerNames: () => string[];
  crossOriginIsolated: boolean;
}
