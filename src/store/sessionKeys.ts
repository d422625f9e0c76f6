// Per-session AES keys for data written without a signed-in user (the access log, unattended capture).
// Guarantees: a session key exists in the clear only in this worker's memory; on disk it is sealed to the
// vault's sealing public key (ephemeral ECDH), so only someone who unlocks the vault can open what it sealed.
import { aad, open, openCaptured, seal, sealForCapture, type CaptureSealed } from '../core/crypto/envelope';
import { ulid } from '../core/ulid';
import type { AlprDb, KeyRow, Sealed } from './db';
import type { UnlockedKeys, VaultValue } from './vault';

export class SessionKeyWriter {
  private current: { id: string; key: CryptoKey } | null = null;

  constructor(
    private readonly db: AlprDb,
    private readonly kind: KeyRow['kind'] & ('log-session' | 'capture-session'),
    private readonly now: () => number,
  ) {}

  /** Seal bytes under this worker's session key, creating (and storing, sealed) the key on first use. */
  async seal(vault: VaultValue, bytes: Uint8Array<ArrayBuffer>, ...where: string[]): Promise<Sealed> {
    const { id, key } = this.current ?? (await this.start(vault));
    const s = await seal(key, bytes, aad(...where));
    return { keyId: id, iv: s.iv, ct: s.ct };
  }

  private async start(vault: VaultValue): Promise<{ id: string; key: CryptoKey }> {
    const key = await crypto.subtle.generateKey({ name: 'AES-GCM', length: 256 }, true, [
      'encrypt',
      'decrypt',
    ]);
    const raw = new Uint8Array(await crypto.subtle.exportKey('raw', key));
    const id = ulid(this.now());
    const sealed = await sealForCapture(vault.sealingPublicKey, raw, aad('keys', id));
    raw.fill(0);
    await this.db.keys.add({ id, kind: this.kind, createdAt: this.now(), value: sealed });
    // Keep a non-extractable copy for this worker's lifetime.
    const usable = await crypto.subtle.importKey(
      'raw',
      await crypto.subtle.exportKey('raw', key),
      'AES-GCM',
      false,
      ['encrypt'],
    );
    this.current = { id, key: usable };
    return this.current;
  }
}

/** Opens values sealed under session keys, for a signed-in user. Caches opened keys. */
export class SessionKeyReader {
  private cache = new Map<string, CryptoKey>();

  constructor(
    private readonly db: AlprDb,
    private readonly keys: UnlockedKeys,
  ) {}

  async open(sealed: Sealed, ...where: string[]): Promise<Uint8Array<ArrayBuffer>> {
    let key = this.cache.get(sealed.keyId);
    if (!key) {
      const row = await this.db.keys.get(sealed.keyId);
      if (!row) throw new Error(`Key ${sealed.keyId} is missing: the record cannot be opened`);
      const raw = await openCaptured(
        this.keys.sealingPrivateKey,
        row.value as CaptureSealed,
        aad('keys', row.id),
      );
      key = await crypto.subtle.importKey('raw', raw, 'AES-GCM', false, ['decrypt']);
      raw.fill(0);
      this.cache.set(sealed.keyId, key);
    }
    return open(key, { iv: sealed.iv as Uint8Array<ArrayBuffer>, ct: sealed.ct }, aad(...where));
  }
}
