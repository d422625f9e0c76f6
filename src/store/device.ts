// Device identity, device settings and the agency policy in force. Guarantees: a device id is created once and
// never changes; the policy returned is always one that passed validation (a corrupt stored policy is an error,
// never silently replaced by defaults).
import { DEFAULT_POLICY, parsePolicy, type AgencyPolicy } from '../core/policy';
import { DEFAULT_DEVICE_SETTINGS, type DeviceSettings } from '../core/settings';
import { ulid } from '../core/ulid';
import type { AlprDb } from './db';
import type { StorageHealth } from './health';

export interface DeviceIdentity {
  deviceId: string;
  installedAt: number;
}

/** First open on this device: create its identity and adopt the built-in default policy. Idempotent. */
export async function initializeDevice(
  db: AlprDb,
  health: StorageHealth,
  now: number,
): Promise<DeviceIdentity> {
  return health.write(() =>
    db.transaction('rw', db.meta, db.policies, async () => {
      const existing = await db.meta.get('device');
      if (existing) return existing.value as DeviceIdentity;
      const identity: DeviceIdentity = { deviceId: ulid(now), installedAt: now };
      await db.meta.put({ key: 'device', value: identity });
      if ((await db.policies.count()) === 0) {
        await db.policies.put({
          revision: DEFAULT_POLICY.revision,
          document: DEFAULT_POLICY,
          adoptedAt: now,
          adoptedBy: 'system',
        });
      }
      return identity;
    }),
  );
}

export class CorruptPolicyError extends Error {
  readonly code = 'storage';
  constructor(revision: number, cause: Error) {
    super(`The stored agency policy (revision ${revision}) is invalid: ${cause.message}`, { cause });
    this.name = 'CorruptPolicyError';
  }
}

/** The policy in force: the highest adopted revision. */
export async function currentPolicy(db: AlprDb): Promise<AgencyPolicy> {
  const row = await db.policies.orderBy('revision').last();
  if (!row) return DEFAULT_POLICY;
  try {
    return parsePolicy(row.document);
  } catch (e) {
    throw new CorruptPolicyError(row.revision, e as Error);
  }
}

export async function readDeviceSettings(db: AlprDb): Promise<DeviceSettings> {
  const row = await db.settings.get('device');
  return { ...DEFAULT_DEVICE_SETTINGS, ...row?.value };
}

export async function updateDeviceSettings(
  db: AlprDb,
  health: StorageHealth,
  patch: Partial<DeviceSettings>,
  now: number,
): Promise<DeviceSettings> {
  return health.write(() =>
    db.transaction('rw', db.settings, async () => {
      const next = { ...(await readDeviceSettings(db)), ...patch };
      await db.settings.put({ key: 'device', value: next, updatedAt: now });
      return next;
    }),
  );
}
