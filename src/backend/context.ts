// What every handler gets: storage, the vault (null before first-run setup), the access log, the session, a clock.
import type { AgencyPolicy } from '../core/policy';
import type { AccessLog } from '../store/accessLog';
import type { AlprDb } from '../store/db';
import type { DeviceIdentity } from '../store/device';
import type { StorageHealth } from '../store/health';
import type { UserStore } from '../store/users';
import type { VaultValue } from '../store/vault';
import type { CaptureHolder } from './handlers/capture';
import type { HitWatch } from './hits';
import type { ListRefresher } from './lists';
import type { SessionHolder } from './session';

export interface BackendContext {
  db: AlprDb;
  health: StorageHealth;
  device: DeviceIdentity;
  users: UserStore;
  log: AccessLog;
  sessions: SessionHolder;
  /** The running capture session, if any (memory only). */
  capture: CaptureHolder;
  /** The in-memory hot-list index that raises hits on reads. */
  hits: HitWatch;
  /** Fetches hot lists from their URL sources when due. */
  refresher: ListRefresher;
  /** The device vault; null until first-run setup. Setup replaces it. */
  vault: VaultValue | null;
  policy: () => Promise<AgencyPolicy>;
  now: () => number;
  startedAt: number;
  /** Second-factor secrets offered for enrolment and not yet confirmed, by enrolment id. Memory only. */
  pendingTotp: Map<string, { secret: Uint8Array<ArrayBuffer>; expiresAt: number; userId: string | null }>;
  /** One-time WebAuthn challenges by purpose and user ("register:<id>", "signin:<id>"). Memory only. */
  pendingWebAuthn: Map<string, { challenge: string; expiresAt: number }>;
  /** The app's origin and WebAuthn relying-party id (the host name). */
  webOrigin: string;
  rpId: string;
  /** Names of all registered handlers (for status and diagnostics). */
  handlerNames: () => string[];
  crossOriginIsolated: boolean;
}
