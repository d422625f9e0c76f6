// WebAuthn as a second factor, verified without any server library: registration (attestation "none": we trust the
// agency-issued key, not a vendor certificate) and assertion (ES256). Checks: ceremony type, one-time challenge,
// origin, RP ID hash, user presence, signature, and a signature counter that must grow (a cloned key is refused).
import { decodeCbor, type CborValue } from './cbor';

export const ES256 = -7;

export interface StoredWebAuthnKey {
  credentialId: string; // base64url
  publicKey: JsonWebKey;
  signCount: number;
}

export class WebAuthnError extends Error {}

export function b64url(bytes: Uint8Array): string {
  let s = '';
  for (const b of bytes) s += String.fromCharCode(b);
  return btoa(s).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

export function fromB64url(text: string): Uint8Array<ArrayBuffer> {
  if (!/^[A-Za-z0-9_-]*$/.test(text)) throw new WebAuthnError('Not base64url');
  const s = atob(text.replace(/-/g, '+').replace(/_/g, '/') + '='.repeat((4 - (text.length % 4)) % 4));
  return Uint8Array.from(s, (c) => c.charCodeAt(0));
}

interface AuthData {
  rpIdHash: Uint8Array;
  flags: number;
  signCount: number;
  credentialId: Uint8Array | null;
  coseKey: Map<CborValue, CborValue> | null;
}

export function parseAuthData(data: Uint8Array): AuthData {
  if (data.length < 37) throw new WebAuthnError('Authenticator data too short');
  const flags = data[32]!;
  const signCount = ((data[33]! << 24) >>> 0) + (data[34]! << 16) + (data[35]! << 8) + data[36]!;
  let credentialId: Uint8Array | null = null;
  let coseKey: Map<CborValue, CborValue> | null = null;
  if (flags & 0x40) {
    if (data.length < 55) throw new WebAuthnError('Attested credential data too short');
    const idLen = (data[53]! << 8) + data[54]!;
    credentialId = data.slice(55, 55 + idLen);
    const { value } = decodeCbor(data.subarray(55 + idLen));
    if (!(value instanceof Map)) throw new WebAuthnError('Credential public key is not a COSE map');
    coseKey = value;
  }
  return { rpIdHash: data.slice(0, 32), flags, signCount, credentialId, coseKey };
}

export function coseToJwk(cose: Map<CborValue, CborValue>): JsonWebKey {
  const kty = cose.get(1);
  const alg = cose.get(3);
  const crv = cose.get(-1);
  const x = cose.get(-2);
  const y = cose.get(-3);
  if (kty !== 2 || alg !== ES256 || crv !== 1 || !(x instanceof Uint8Array) || !(y instanceof Uint8Array)) {
    throw new WebAuthnError('Only ES256 (P-256) security keys are supported');
  }
  return { kty: 'EC', crv: 'P-256', x: b64url(x), y: b64url(y), ext: true };
}

/** WebAuthn ES256 signatures are DER; WebCrypto wants r‖s, 32 bytes each. */
export function derToRaw(der: Uint8Array): Uint8Array<ArrayBuffer> {
  let p = 0;
  const expect = (b: number) => {
    if (der[p++] !== b) throw new WebAuthnError('Malformed signature');
  };
  expect(0x30);
  const seqLen = der[p++]!;
  if (seqLen & 0x80 || seqLen + 2 !== der.length) throw new WebAuthnError('Malformed signature');
  const int = (): Uint8Array => {
    expect(0x02);
    const len = der[p++]!;
    let v = der.subarray(p, p + len);
    p += len;
    while (v.length > 32 && v[0] === 0) v = v.subarray(1);
    if (v.length > 32) throw new WebAuthnError('Malformed signature');
    const out = new Uint8Array(32);
    out.set(v, 32 - v.length);
    return out;
  };
  const r = int();
  const s = int();
  const raw = new Uint8Array(64);
  raw.set(r, 0);
  raw.set(s, 32);
  return raw;
}

async function sha256(data: Uint8Array<ArrayBuffer>): Promise<Uint8Array> {
  return new Uint8Array(await crypto.subtle.digest('SHA-256', data));
}

const equal = (a: Uint8Array, b: Uint8Array) => a.length === b.length && a.every((v, i) => v === b[i]);

interface Expected {
  challenge: string; // base64url
  origin: string;
  rpId: string;
}

function checkClientData(json: Uint8Array, type: string, expected: Expected): void {
  let data: { type?: unknown; challenge?: unknown; origin?: unknown; crossOrigin?: unknown };
  try {
    data = JSON.parse(new TextDecoder().decode(json)) as typeof data;
  } catch {
    throw new WebAuthnError('Client data is not JSON');
  }
  if (data.type !== type) throw new WebAuthnError(`Expected a ${type} ceremony`);
  if (data.challenge !== expected.challenge)
    throw new WebAuthnError('The challenge does not match (expired or replayed)');
  if (data.origin !== expected.origin) throw new WebAuthnError(`Wrong origin ${String(data.origin)}`);
  if (data.crossOrigin === true) throw new WebAuthnError('Cross-origin ceremonies are refused');
}

async function checkAuthData(auth: AuthData, rpId: string): Promise<void> {
  if (!equal(auth.rpIdHash, await sha256(new TextEncoder().encode(rpId))))
    throw new WebAuthnError('Wrong relying party');
  if (!(auth.flags & 0x01)) throw new WebAuthnError('The security key was not touched (no user presence)');
}

export interface RegistrationResponse {
  clientDataJSON: string; // base64url
  attestationObject: string; // base64url
}

export async function verifyRegistration(
  res: RegistrationResponse,
  expected: Expected,
): Promise<StoredWebAuthnKey> {
  checkClientData(fromB64url(res.clientDataJSON), 'webauthn.create', expected);
  const { value } = decodeCbor(fromB64url(res.attestationObject));
  if (!(value instanceof Map)) throw new WebAuthnError('Attestation object is not a map');
  const authBytes = value.get('authData');
  if (!(authBytes instanceof Uint8Array)) throw new WebAuthnError('Attestation object lacks authData');
  const auth = parseAuthData(authBytes);
  await checkAuthData(auth, expected.rpId);
  if (!auth.credentialId || !auth.coseKey) throw new WebAuthnError('No credential in the registration');
  const publicKey = coseToJwk(auth.coseKey);
  await crypto.subtle.importKey('jwk', publicKey, { name: 'ECDSA', namedCurve: 'P-256' }, false, ['verify']);
  return { credentialId: b64url(auth.credentialId), publicKey, signCount: auth.signCount };
}

export interface AssertionResponse {
  credentialId: string; // base64url
  clientDataJSON: string;
  authenticatorData: string;
  signature: string;
}

/** Verify an assertion against a stored key; returns the new signature counter. */
export async function verifyAssertion(
  res: AssertionResponse,
  key: StoredWebAuthnKey,
  expected: Expected,
): Promise<number> {
  if (res.credentialId !== key.credentialId) throw new WebAuthnError('Unknown security key');
  const clientData = fromB64url(res.clientDataJSON);
  checkClientData(clientData, 'webauthn.get', expected);
  const authBytes = fromB64url(res.authenticatorData);
  const auth = parseAuthData(authBytes);
  await checkAuthData(auth, expected.rpId);
  const signed = new Uint8Array(authBytes.length + 32);
  signed.set(authBytes, 0);
  signed.set(await sha256(clientData), authBytes.length);
  const pub = await crypto.subtle.importKey(
    'jwk',
    key.publicKey,
    { name: 'ECDSA', namedCurve: 'P-256' },
    false,
    ['verify'],
  );
  const ok = await crypto.subtle.verify(
    { name: 'ECDSA', hash: 'SHA-256' },
    pub,
    derToRaw(fromB64url(res.signature)),
    signed,
  );
  if (!ok) throw new WebAuthnError('The security key signature is wrong');
  if ((auth.signCount !== 0 || key.signCount !== 0) && auth.signCount <= key.signCount) {
    throw new WebAuthnError('The security key counter went backwards: the key may have been cloned');
  }
  return auth.signCount;
}
