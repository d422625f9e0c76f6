// The one IndexedDB schema (Dexie) for the whole field unit. Every table the roadmap needs is declared here,
// versioned; a change is a new entry in SCHEMA_VERSIONS with its upgrade, never an edit of an old one.
// Invariants: ALPR information (plates, images, hits, hot-list entries, query terms, purposes) lives only in
// `Sealed` fields, encrypted by the store layer before it reaches IndexedDB (security core, issue 4); index keys
// on plates are keyed blind indexes, never plate text. Append-only tables are only ever added to; corrections are
// new rows pointing at old ones.
import Dexie, { type Table, type Transaction } from 'dexie';
import type { KdfParams } from '../core/crypto/envelope';
import type { AgencyPolicy } from '../core/policy';
import type { UserStatus } from '../core/security/access';
import type { Role } from '../core/security/permissions';
import type { StoredWebAuthnKey } from '../core/security/webauthn';
import type { DeviceSettings } from '../core/settings';
import type { HotListSource, SourceStatus } from '../core/hotlist/source';

export const DB_NAME = 'alpr-field-unit';

/** AES-256-GCM ciphertext with the id of the data key that sealed it. */
export interface Sealed {
  keyId: string;
  iv: Uint8Array;
  ct: ArrayBuffer;
}

export interface MetaRow {
  key: string;
  value: unknown;
}
export interface SettingsRow {
  key: 'device';
  value: DeviceSettings;
  updatedAt: number;
}
export interface AgencyRow {
  id: 'agency';
  name: string;
  /** The agency's ORI (Originating Agency Identifier). */
  ori: string;
  state: 'CA';
  createdAt: number;
}
export interface PolicyRow {
  revision: number;
  document: AgencyPolicy;
  adoptedAt: number;
  /** User id of the administrator who adopted it; 'system' for the built-in defaults. */
  adoptedBy: string;
}
export interface UserRow {
  id: string;
  username: string;
  name: string;
  jobTitle: string;
  roles: Role[];
  /** ORI of the user's agency. */
  agency: string;
  status: UserStatus;
  failedAttempts: number;
  createdAt: number;
  createdBy: string;
  lastActiveAt: number | null;
  /** Job-title change or reactivation: training completed before this no longer counts. */
  trainingResetAt: number | null;
  /** The user's supervisor (approves edits to their local hot-list entries); absent or null when none is set. */
  supervisorId?: string | null;
}
export interface CredentialRow {
  id: string;
  userId: string;
  kind: 'password' | 'totp' | 'webauthn';
  /** Per kind: password → wrapped data key and KDF parameters; totp → sealed secret; webauthn → public key. */
  data: PasswordCredential | TotpCredential | StoredWebAuthnKey;
  createdAt: number;
}
export interface PasswordCredential {
  kdf: KdfParams;
  /** The data key wrapped (AES-KW) under the key derived from this user's password. */
  wrappedDek: ArrayBuffer;
}
export interface TotpCredential {
  secret: Sealed;
  /** Last TOTP step accepted, so a code is never accepted twice. */
  lastUsedStep: number | null;
  confirmed: boolean;
}
/** Key material kept by the store: wrapped, sealed, or non-extractable. Never a usable secret in the clear. */
export interface KeyRow {
  id: string;
  kind: 'vault' | 'log-session' | 'capture-session';
  createdAt: number;
  value: unknown;
}
export interface TrainingRow {
  id: string;
  userId: string;
  course: string;
  completedAt: number;
  recordedBy: string;
}
export interface AcknowledgementRow {
  id: string;
  userId: string;
  policyRevision: number;
  at: number;
}
export interface ReadRow {
  id: string;
  capturedAt: number;
  /** HMAC blind index of the normalised plate. */
  plateIndex: string;
  cameraId: string;
  /** Everything else: plate text, confidence, alternates, GPS, operator, engine version. */
  sealed: Sealed;
}
export interface ReadImageRow {
  readId: string;
  /** Plate crop (always kept) and vehicle overview (dropped first under storage pressure). */
  crop: Sealed;
  overview?: Sealed;
}
export interface ReadSegmentRow {
  id: string;
  /** Start of the period this packed segment of search columns covers. */
  periodStart: number;
  count: number;
  sealed: Sealed;
}
export interface HitRow {
  id: string;
  readId: string;
  createdAt: number;
  sealed: Sealed;
}
export interface HitEventRow {
  id: string;
  hitId: string;
  at: number;
  /** verification step, dispatch confirmation, disposition… (inside `sealed`). */
  sealed: Sealed;
}
export interface HotListRow {
  id: string;
  kind: 'general' | 'local';
  /** Non-sensitive description: list code, source, load time, counts. Entries live in segments. */
  name: string;
  source: string;
  loadedAt: number;
  /** When the source extracted this version (the list's age counts from it); absent or null when not known. */
  extractedAt?: number | null;
  version: number;
  entryCount: number;
}
/** Where a general list comes from and how often it is refreshed (no ALPR data: a URL, a format, a mapping). */
export interface HotListSourceRow {
  listId: string;
  name: string;
  source: HotListSource;
  status: SourceStatus;
  updatedBy: string;
  updatedAt: number;
}
export interface HotListSegmentRow {
  id: string;
  listId: string;
  version: number;
  sealed: Sealed;
}
export interface LocalEntryRow {
  id: string;
  listId: string;
  status: 'pending' | 'active' | 'expired' | 'rejected';
  expiresAt: number;
  sealed: Sealed;
}
export interface AccessLogRow {
  /** Per-device sequence number, gap-free. */
  seq: number;
  at: number;
  /** SHA-256 of the previous entry, hex. */
  prevHash: string;
  hash: string;
  /** Who, what, query terms, purpose, case number, result count — sealed under a log session key. */
  sealed: Sealed;
}
/** CHECKPOINT_EVERY closed access-log entries packed into one row (a 1M-entry log reads back in about a second). */
export interface LogSegmentRow {
  firstSeq: number;
  lastSeq: number;
  /** Latest entry time in the segment (the retention purge compares it with its cutoff). */
  maxAt: number;
  links: AccessLogRow[];
}
export interface LogCheckpointRow {
  seq: number;
  at: number;
  hash: string;
  /** ECDSA P-256 signature by this device's log key. */
  signature: ArrayBuffer;
}
export interface HoldRow {
  id: string;
  createdAt: number;
  releasedAt?: number;
  sealed: Sealed;
}
export interface ExportRow {
  id: string;
  createdAt: number;
  destroyBy: number;
  sealed: Sealed;
}
export interface SharingRequestRow {
  id: string;
  status: 'received' | 'approved' | 'denied' | 'released';
  createdAt: number;
  sealed: Sealed;
}
export interface CorrectionRow {
  id: string;
  readId: string;
  at: number;
  sealed: Sealed;
}
export interface SyncStateRow {
  stream: string;
  cursor: string;
  updatedAt: number;
}
export interface OutboxRow {
  id: string;
  stream: string;
  createdAt: number;
  sealed: Sealed;
}

interface SchemaVersion {
  version: number;
  stores: Record<string, string | null>;
  upgrade?: (tx: Transaction) => Promise<void> | void;
}

/** Every schema version ever shipped, oldest first. Never edit a shipped entry: add a new one. */
export const SCHEMA_VERSIONS: readonly SchemaVersion[] = [
  {
    version: 1,
    stores: {
      meta: '&key',
      settings: '&key',
      agency: '&id',
      policies: '&revision',
      users: '&id, &username, status',
      credentials: '&id, userId, kind',
      training: '&id, userId',
      acknowledgements: '&id, userId',
      reads: '&id, capturedAt, plateIndex',
      readImages: '&readId',
      readSegments: '&id, periodStart',
      hits: '&id, readId, createdAt',
      hitEvents: '&id, hitId',
      hotLists: '&id, kind',
      hotListSegments: '&id, listId',
      localEntries: '&id, listId, status, expiresAt',
      accessLog: '&seq, at',
      logCheckpoints: '&seq',
      holds: '&id, createdAt',
      exports: '&id, destroyBy',
      sharingRequests: '&id, status, createdAt',
      corrections: '&id, readId',
      syncState: '&stream',
      outbox: '&id, stream, createdAt',
    },
  },
  {
    // Security core: key material (the vault, per-session log and capture keys sealed to the device key).
    version: 2,
    stores: { keys: '&id, kind' },
  },
  {
    // Closed access-log segments, packed (reading the log back per row costs ~16 s per million entries).
    version: 3,
    stores: { logSegments: '&firstSeq, lastSeq' },
  },
  {
    // Hot-list refresh sources and their last attempts (issue 6).
    version: 4,
    stores: { hotListSources: '&listId' },
  },
];

export const SCHEMA_VERSION = SCHEMA_VERSIONS[SCHEMA_VERSIONS.length - 1]!.version;

/** Every table of the latest schema (Dexie carries tables forward from earlier versions). */
export const TABLE_NAMES: readonly string[] = [
  ...new Set(SCHEMA_VERSIONS.flatMap((v) => Object.keys(v.stores))),
];

export class AlprDb extends Dexie {
  meta!: Table<MetaRow, string>;
  settings!: Table<SettingsRow, string>;
  agency!: Table<AgencyRow, string>;
  policies!: Table<PolicyRow, number>;
  users!: Table<UserRow, string>;
  credentials!: Table<CredentialRow, string>;
  training!: Table<TrainingRow, string>;
  acknowledgements!: Table<AcknowledgementRow, string>;
  reads!: Table<ReadRow, string>;
  readImages!: Table<ReadImageRow, string>;
  readSegments!: Table<ReadSegmentRow, string>;
  hits!: Table<HitRow, string>;
  hitEvents!: Table<HitEventRow, string>;
  hotLists!: Table<HotListRow, string>;
  hotListSegments!: Table<HotListSegmentRow, string>;
  hotListSources!: Table<HotListSourceRow, string>;
  localEntries!: Table<LocalEntryRow, string>;
  accessLog!: Table<AccessLogRow, number>;
  logCheckpoints!: Table<LogCheckpointRow, number>;
  holds!: Table<HoldRow, string>;
  exports!: Table<ExportRow, string>;
  sharingRequests!: Table<SharingRequestRow, string>;
  corrections!: Table<CorrectionRow, string>;
  syncState!: Table<SyncStateRow, string>;
  outbox!: Table<OutboxRow, string>;
  keys!: Table<KeyRow, string>;
  logSegments!: Table<LogSegmentRow, number>;

  constructor(name: string = DB_NAME) {
    super(name);
    for (const v of SCHEMA_VERSIONS) {
      const declared = this.version(v.version).stores(v.stores);
      if (v.upgrade) declared.upgrade(v.upgrade);
    }
  }
}
