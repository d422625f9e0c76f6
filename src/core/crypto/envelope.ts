// Crypto envelopes for data at rest, all through WebCrypto. Guarantees:
// - every sealed value is AES-256-GCM with a fresh 96-bit IV and associated data naming what it is (table and
//   record id), so a ciphertext cannot be moved to another record without failing to open;
// - the data key (DEK) is only ever stored wrapped (AES-KW) by a key derived from a user's password
//   (PBKDF2-SHA-256, ≥ 600,000 iterations) or from the administrator recovery code; a wrong password fails the
//   unwrap's integrity check, so no password verifier is stored at all;
// - plate lookups use keyed blind indexes (HMAC-SHA-256, truncated to 128 bits), never plate text;
// - unattended capture seals reads to the capture public key (ephemeral ECDH P-256 + HKDF → AES-GCM): a kiosk
//   holding only the public key can add reads but cannot open them.

export const PBKDF2_ITERATIONS = 600_000;
export const IV_BYTES = 12;
const enc = new TextEncoder();
const dec = new TextDecoder();

export interface SealedBytes {
  iv: Uint8Array<ArrayBuffer>;
  ct: ArrayBuffer;
}

export interface CaptureSealed extends SealedBytes {
  /** Raw uncompressed P-256 public key of the ephemeral sender key. */
  epk: ArrayBuffer;
}

export class CryptoEnvelopeError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'CryptoEnvelopeError';
  }
}

export function randomBytes(n: number): Uint8Array<ArrayBuffer> {
  return crypto.getRandomValues(new Uint8Array(n));
}

/** Associated data binding a ciphertext to its place: e.g. aad('reads', id). */
export function aad(...parts: string[]): Uint8Array<ArrayBuffer> {
  return enc.encode(`alpr-v1|${parts.join('|')}`);
}

// ---- the data key ---------------------------------------------------------------------------------------------

export function generateDataKey(): Promise<CryptoKey> {
  // Extractable only so it can be wrapped for each user; it is never exported in the clear.
  return crypto.subtle.generateKey({ name: 'AES-GCM', length: 256 }, true, ['encrypt', 'decrypt']);
}

export async function seal(
  key: CryptoKey,
  plaintext: Uint8Array<ArrayBuffer>,
  ad: Uint8Array<ArrayBuffer>,
): Promise<SealedBytes> {
  const iv = randomBytes(IV_BYTES);
  const ct = await crypto.subtle.encrypt({ name: 'AES-GCM', iv, additionalData: ad }, key, plaintext);
  return { iv, ct };
}

export async function open(
  key: CryptoKey,
  sealed: SealedBytes,
  ad: Uint8Array<ArrayBuffer>,
): Promise<Uint8Array<ArrayBuffer>> {
  try {
    return new Uint8Array(
      await crypto.subtle.decrypt({ name: 'AES-GCM', iv: sealed.iv, additionalData: ad }, key, sealed.ct),
    );
  } catch (e) {
    throw new CryptoEnvelopeError(
      'A stored record failed its integrity check (wrong key, or altered data).',
      { cause: e },
    );
  }
}

export async function sealJson(
  key: CryptoKey,
  value: unknown,
  ad: Uint8Array<ArrayBuffer>,
): Promise<SealedBytes> {
  return seal(key, enc.encode(JSON.stringify(value)), ad);
}

export async function openJson<T>(
  key: CryptoKey,
  sealed: SealedBytes,
  ad: Uint8Array<ArrayBuffer>,
): Promise<T> {
  return JSON.parse(dec.decode(await open(key, sealed, ad))) as T;
}

// ---- wrapping the data key for a user ------------------------------------------------------------------------

export interface KdfParams {
  salt: Uint8Array<ArrayBuffer>;
  iterations: number;
}

export function newKdfParams(): KdfParams {
  return { salt: randomBytes(16), iterations: PBKDF2_ITERATIONS };
}

/** The key-encryption key for one user, from their password (or the recovery code). */
export async function deriveKek(secret: string, params: KdfParams): Promise<CryptoKey> {
  if (params.iterations < PBKDF2_ITERATIONS) {
    throw new CryptoEnvelopeError(`Refusing PBKDF2 with fewer than ${PBKDF2_ITERATIONS} iterations`);
  }
  const base = await crypto.subtle.importKey('raw', enc.encode(secret.normalize('NFC')), 'PBKDF2', false, [
    'deriveKey',
  ]);
  return crypto.subtle.deriveKey(
    { name: 'PBKDF2', hash: 'SHA-256', salt: params.salt, iterations: params.iterations },
    base,
    { name: 'AES-KW', length: 256 },
    false,
    ['wrapKey', 'unwrapKey'],
  );
}

export function wrapDataKey(kek: CryptoKey, dek: CryptoKey): Promise<ArrayBuffer> {
  return crypto.subtle.wrapKey('raw', dek, kek, 'AES-KW');
}

/** Unwrap the data key; a wrong password (wrong KEK) fails here and returns null. */
export async function unwrapDataKey(kek: CryptoKey, wrapped: ArrayBuffer): Promise<CryptoKey | null> {
  try {
    return await crypto.subtle.unwrapKey(
      'raw',
      wrapped,
      kek,
      'AES-KW',
      { name: 'AES-GCM', length: 256 },
      true,
      ['encrypt', 'decrypt'],
    );
  } catch {
    return null;
  }
}

// ---- blind indexes -------------------------------------------------------------------------------------------

export function generateIndexKey(): Promise<CryptoKey> {
  return crypto.subtle.generateKey({ name: 'HMAC', hash: 'SHA-256', length: 256 }, true, ['sign']);
}

/** 128-bit keyed blind index of a normalised value (e.g. a plate), hex. Equal inputs give equal indexes. */
export async function blindIndex(indexKey: CryptoKey, value: string): Promise<string> {
  const mac = new Uint8Array(await crypto.subtle.sign('HMAC', indexKey, enc.encode(`plate|${value}`)));
  let hex = '';
  for (let i = 0; i < 16; i++) hex += mac[i]!.toString(16).padStart(2, '0');
  return hex;
}

// ---- sealing to the capture key (unattended capture) ----------------------------------------------------------

const P256 = { name: 'ECDH', namedCurve: 'P-256' } as const;

export function generateCaptureKeyPair(): Promise<CryptoKeyPair> {
  return crypto.subtle.generateKey(P256, true, ['deriveBits']) as Promise<CryptoKeyPair>;
}

async function captureAesKey(
  priv: CryptoKey,
  pub: CryptoKey,
  ad: Uint8Array<ArrayBuffer>,
  usage: KeyUsage,
): Promise<CryptoKey> {
  const shared = await crypto.subtle.deriveBits({ name: 'ECDH', public: pub }, priv, 256);
  const hkdfKey = await crypto.subtle.importKey('raw', shared, 'HKDF', false, ['deriveKey']);
  return crypto.subtle.deriveKey(
    { name: 'HKDF', hash: 'SHA-256', salt: new Uint8Array(32), info: ad },
    hkdfKey,
    { name: 'AES-GCM', length: 256 },
    false,
    [usage],
  );
}

/** Seal with only the capture public key: whoever holds just this key cannot open what it sealed. */
export async function sealForCapture(
  capturePublicKey: CryptoKey,
  plaintext: Uint8Array<ArrayBuffer>,
  ad: Uint8Array<ArrayBuffer>,
): Promise<CaptureSealed> {
  const eph = (await crypto.subtle.generateKey(P256, true, ['deriveBits'])) as CryptoKeyPair;
  const key = await captureAesKey(eph.privateKey, capturePublicKey, ad, 'encrypt');
  const iv = randomBytes(IV_BYTES);
  const ct = await crypto.subtle.encrypt({ name: 'AES-GCM', iv, additionalData: ad }, key, plaintext);
  return { iv, ct, epk: await crypto.subtle.exportKey('raw', eph.publicKey) };
}

export async function openCaptured(
  capturePrivateKey: CryptoKey,
  sealed: CaptureSealed,
  ad: Uint8Array<ArrayBuffer>,
): Promise<Uint8Array<ArrayBuffer>> {
  try {
    const epk = await crypto.subtle.importKey('raw', sealed.epk, P256, false, []);
    const key = await captureAesKey(capturePrivateKey, epk, ad, 'decrypt');
    return new Uint8Array(
      await crypto.subtle.decrypt({ name: 'AES-GCM', iv: sealed.iv, additionalData: ad }, key, sealed.ct),
    );
  } catch (e) {
    throw new CryptoEnvelopeError(
      'A captured record failed its integrity check (wrong key, or altered data).',
      {
        cause: e,
      },
    );
  }
}
