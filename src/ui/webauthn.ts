// The browser half of security-key ceremonies: turn the backend's options into WebAuthn calls and the
// authenticator's answers into base64url fields the backend verifies. No verification happens here.
import type { KeyChallenge, KeyRegistrationOptions } from '../backend/api';

const toB64url = (buf: ArrayBuffer): string => {
  let s = '';
  for (const b of new Uint8Array(buf)) s += String.fromCharCode(b);
  return btoa(s).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
};
const fromB64url = (text: string): Uint8Array<ArrayBuffer> =>
  Uint8Array.from(
    atob(text.replace(/-/g, '+').replace(/_/g, '/') + '='.repeat((4 - (text.length % 4)) % 4)),
    (c) => c.charCodeAt(0),
  );

export function securityKeysAvailable(): boolean {
  return typeof PublicKeyCredential !== 'undefined' && !!navigator.credentials;
}

export async function createKey(o: KeyRegistrationOptions) {
  const cred = (await navigator.credentials.create({
    publicKey: {
      challenge: fromB64url(o.challenge),
      rp: o.rp,
      user: { id: fromB64url(o.user.id), name: o.user.name, displayName: o.user.displayName },
      pubKeyCredParams: [{ type: 'public-key', alg: -7 }],
      excludeCredentials: o.excludeCredentials.map((id) => ({
        type: 'public-key' as const,
        id: fromB64url(id),
      })),
      authenticatorSelection: { userVerification: 'discouraged', residentKey: 'discouraged' },
      attestation: 'none',
      timeout: 60_000,
    },
  })) as PublicKeyCredential | null;
  if (!cred) throw new Error('No security key was registered.');
  const r = cred.response as AuthenticatorAttestationResponse;
  return { clientDataJSON: toB64url(r.clientDataJSON), attestationObject: toB64url(r.attestationObject) };
}

export async function getAssertion(c: KeyChallenge) {
  if (c.allowCredentials.length === 0) throw new Error('No security key is registered for this account.');
  const cred = (await navigator.credentials.get({
    publicKey: {
      challenge: fromB64url(c.challenge),
      rpId: c.rpId,
      allowCredentials: c.allowCredentials.map((id) => ({ type: 'public-key' as const, id: fromB64url(id) })),
      userVerification: 'discouraged',
      timeout: 60_000,
    },
  })) as PublicKeyCredential | null;
  if (!cred) throw new Error('The security key did not answer.');
  const r = cred.response as AuthenticatorAssertionResponse;
  return {
    credentialId: toB64url(cred.rawId),
    clientDataJSON: toB64url(r.clientDataJSON),
    authenticatorData: toB64url(r.authenticatorData),
    signature: toB64url(r.signature),
  };
}
