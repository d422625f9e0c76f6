// The device vault: all key material, and how it is unlocked. Guarantees: the data key (DEK) exists on disk only
// wrapped — per user under their password-derived key, and once under the administrator recovery code; the
// blind-index key and the sealing private key exist on disk only sealed under the DEK; the access-log signing key
// is a non-extractable WebCrypto key. Unattended parts of the app (the access log before sign-in, kiosk capture)
// get only the sealing *public* key, so they can write what they cannot read back.
import {
  aad,
  deriveKek,
  generateCaptureKeyPair,
  generateDataKey,
  generateIndexKey,
  newKdfParams,
  open,
  randomBytes,
  seal,
  unwrapDataKey,
  wrapDataKey,
  type KdfParams,
} from '../core/crypto/envelope';
import { base32Encode } from '../core/security/totp';
import type { AlprDb, PasswordCredential, Sealed } from './db';

export interface VaultValue {
  version: 1;
  /** ECDH P-256 public key that seals the per-session log and capture keys. */
  sealingPublicKey: CryptoKey;
  /** Its private key (PKCS#8), sealed under the DEK. */
  sealingPrivateKey: Sealed;
  /** HMAC-SHA-256 blind-index key (raw), sealed under the DEK. */
  indexKey: Sealed;
  /** ECDSA P-256 key that signs access-log checkpoints: non-extractable, never leaves this device. */
  logSigningKey: CryptoKey;
  logVerifyKey: CryptoKey;
  /** The DEK wrapped under the administrator recovery code (shown once, at setup). */
  recovery: { kdf: KdfParams; wrappedDek: ArrayBuffer };
}

/** What a signed-in session holds in worker memory, and nowhere else. */
export interface UnlockedKeys {
  dek: CryptoKey;
  indexKey: CryptoKey;
  sealingPrivateKey: CryptoKey;
}

const VAULT_ID = 'vault';
const ECDSA_P256 = { name: 'ECDSA', namedCurve: 'P-256' } as const;

export async function sealUnderDek(
  dek: CryptoKey,
  bytes: Uint8Array<ArrayBuffer>,
  ...where: string[]
): Promise<Sealed> {
  const s = await seal(dek, bytes, aad(...where));
  return { keyId: 'dek', iv: s.iv, ct: s.ct };
}

export function openUnderDek(
  dek: CryptoKey,
  sealed: Sealed,
  ...where: string[]
): Promise<Uint8Array<ArrayBuffer>> {
  return open(dek, { iv: sealed.iv as Uint8Array<ArrayBuffer>, ct: sealed.ct }, aad(...where));
}

export async function readVault(db: AlprDb): Promise<VaultValue | null> {
  const row = await db.keys.get(VAULT_ID);
  return row ? (row.value as VaultValue) : null;
}

/** A recovery code: 25 base32 characters in groups of five (125 bits). */
function newRecoveryCode(): string {
  return base32Encode(randomBytes(16))
    .slice(0, 25)
    .replace(/(.{5})(?=.)/g, '$1-');
}

export function normaliseRecoveryCode(code: string): string {
  return code.toUpperCase().replace(/[^A-Z2-7]/g, '');
}

export interface NewVault {
  vault: VaultValue;
  keys: UnlockedKeys;
  recoveryCode: string;
}

/** Make all key material for a new installation. Writes nothing: the caller stores it in its setup transaction. */
export async function createVault(): Promise<NewVault> {
  const dek = await generateDataKey();
  const indexKey = await generateIndexKey();
  const sealing = await generateCaptureKeyPair();
  const signing = (await crypto.subtle.generateKey(ECDSA_P256, false, ['sign', 'verify'])) as CryptoKeyPair;
  const recoveryCode = newRecoveryCode();
  const recoveryKdf = newKdfParams();
  const vault: VaultValue = {
    version: 1,
    sealingPublicKey: sealing.publicKey,
    sealingPrivateKey: await sealUnderDek(
      dek,
      new Uint8Array(await crypto.subtle.exportKey('pkcs8', sealing.privateKey)),
      'vault',
      'sealing',
    ),
    indexKey: await sealUnderDek(
      dek,
      new Uint8Array(await crypto.subtle.exportKey('raw', indexKey)),
      'vault',
      'index',
    ),
    logSigningKey: signing.privateKey,
    logVerifyKey: signing.publicKey,
    recovery: {
      kdf: recoveryKdf,
      wrappedDek: await wrapDataKey(await deriveKek(normaliseRecoveryCode(recoveryCode), recoveryKdf), dek),
    },
  };
  return { vault, keys: { dek, indexKey, sealingPrivateKey: sealing.privateKey }, recoveryCode };
}

export function vaultRow(vault: VaultValue, now: number) {
  return { id: VAULT_ID, kind: 'vault' as const, createdAt: now, value: vault };
}

async function keysFromDek(vault: VaultValue, dek: CryptoKey): Promise<UnlockedKeys> {
  const indexRaw = await openUnderDek(dek, vault.indexKey, 'vault', 'index');
  const sealingPkcs8 = await openUnderDek(dek, vault.sealingPrivateKey, 'vault', 'sealing');
  return {
    dek,
    indexKey: await crypto.subtle.importKey('raw', indexRaw, { name: 'HMAC', hash: 'SHA-256' }, false, [
      'sign',
    ]),
    sealingPrivateKey: await crypto.subtle.importKey(
      'pkcs8',
      sealingPkcs8,
      { name: 'ECDH', namedCurve: 'P-256' },
      false,
      ['deriveBits'],
    ),
  };
}

/** Wrap the DEK for a user's password (at account creation or password change). */
export async function passwordCredential(dek: CryptoKey, password: string): Promise<PasswordCredential> {
  const kdf = newKdfParams();
  return { kdf, wrappedDek: await wrapDataKey(await deriveKek(password, kdf), dek) };
}

/** Unlock with a user's password; null when the password is wrong. */
export async function unlockWithPassword(
  vault: VaultValue,
  credential: PasswordCredential,
  password: string,
): Promise<UnlockedKeys | null> {
  const dek = await unwrapDataKey(await deriveKek(password, credential.kdf), credential.wrappedDek);
  return dek ? keysFromDek(vault, dek) : null;
}

/** The administrator recovery path (its use is logged by the caller); null when the code is wrong. */
export async function unlockWithRecoveryCode(vault: VaultValue, code: string): Promise<UnlockedKeys | null> {
  const kek = await deriveKek(normaliseRecoveryCode(code), vault.recovery.kdf);
  const dek = await unwrapDataKey(kek, vault.recovery.wrappedDek);
  return dek ? keysFromDek(vault, dek) : null;
}
