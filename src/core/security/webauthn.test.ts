import { beforeAll, describe, expect, it } from 'vitest';
import { decodeCbor } from './cbor';
import { b64url, derToRaw, verifyAssertion, verifyRegistration, type StoredWebAuthnKey } from './webauthn';

// A software authenticator, built from the spec, to produce real registrations and assertions.
type Cbor = number | string | Uint8Array | Cbor[] | Map<Cbor, Cbor>;
function cbor(v: Cbor): Uint8Array {
  const head = (major: number, n: number): number[] =>
    n < 24 ? [(major << 5) | n] : n < 256 ? [(major << 5) | 24, n] : [(major << 5) | 25, n >> 8, n & 255];
  if (typeof v === 'number') return new Uint8Array(v >= 0 ? head(0, v) : head(1, -1 - v));
  if (typeof v === 'string') {
    const b = new TextEncoder().encode(v);
    return new Uint8Array([...head(3, b.length), ...b]);
  }
  if (v instanceof Uint8Array) return new Uint8Array([...head(2, v.length), ...v]);
  if (Array.isArray(v)) return new Uint8Array([...head(4, v.length), ...v.flatMap((x) => [...cbor(x)])]);
  return new Uint8Array([...head(5, v.size), ...[...v].flatMap(([k, x]) => [...cbor(k), ...cbor(x)])]);
}
const sha256 = async (b: Uint8Array<ArrayBuffer>) => new Uint8Array(await crypto.subtle.digest('SHA-256', b));
const u32 = (n: number) => [n >>> 24, (n >> 16) & 255, (n >> 8) & 255, n & 255];
function rawToDer(raw: Uint8Array): Uint8Array {
  const int = (b: Uint8Array) => {
    let i = 0;
    while (i < b.length - 1 && b[i] === 0) i++;
    let v = [...b.subarray(i)];
    if (v[0]! & 0x80) v = [0, ...v];
    return [0x02, v.length, ...v];
  };
  const body = [...int(raw.subarray(0, 32)), ...int(raw.subarray(32))];
  return new Uint8Array([0x30, body.length, ...body]);
}

const ORIGIN = 'http://localhost:4173';
const RP = 'localhost';
let keys: CryptoKeyPair;
let jwk: JsonWebKey;
const credId = new Uint8Array(16).map((_, i) => i + 1);
const enc = (s: string) => new TextEncoder().encode(s);

beforeAll(async () => {
  keys = (await crypto.subtle.generateKey({ name: 'ECDSA', namedCurve: 'P-256' }, true, [
    'sign',
    'verify',
  ])) as CryptoKeyPair;
  jwk = await crypto.subtle.exportKey('jwk', keys.publicKey);
});

async function registration(opts: {
  challenge: string;
  origin?: string;
  rp?: string;
  flags?: number;
  type?: string;
}) {
  const fromB64 = (s: string) => Uint8Array.from(Buffer.from(s, 'base64url'));
  const cose = new Map<Cbor, Cbor>([
    [1, 2],
    [3, -7],
    [-1, 1],
    [-2, fromB64(jwk.x!)],
    [-3, fromB64(jwk.y!)],
  ]);
  const authData = new Uint8Array([
    ...(await sha256(enc(opts.rp ?? RP))),
    opts.flags ?? 0x41,
    ...u32(0),
    ...new Uint8Array(16),
    0,
    credId.length,
    ...credId,
    ...cbor(cose),
  ]);
  const clientData = enc(
    JSON.stringify({
      type: opts.type ?? 'webauthn.create',
      challenge: opts.challenge,
      origin: opts.origin ?? ORIGIN,
    }),
  );
  const att = cbor(
    new Map<Cbor, Cbor>([
      ['fmt', 'none'],
      ['attStmt', new Map()],
      ['authData', authData],
    ]),
  );
  return { clientDataJSON: b64url(clientData), attestationObject: b64url(att) };
}

async function assertion(opts: {
  challenge: string;
  counter: number;
  origin?: string;
  flags?: number;
  signer?: CryptoKey;
}) {
  const authData = new Uint8Array([...(await sha256(enc(RP))), opts.flags ?? 0x01, ...u32(opts.counter)]);
  const clientData = enc(
    JSON.stringify({ type: 'webauthn.get', challenge: opts.challenge, origin: opts.origin ?? ORIGIN }),
  );
  const signed = new Uint8Array([...authData, ...(await sha256(clientData))]);
  const raw = new Uint8Array(
    await crypto.subtle.sign({ name: 'ECDSA', hash: 'SHA-256' }, opts.signer ?? keys.privateKey, signed),
  );
  return {
    credentialId: b64url(credId),
    clientDataJSON: b64url(clientData),
    authenticatorData: b64url(authData),
    signature: b64url(rawToDer(raw)),
  };
}

const expected = (challenge: string) => ({ challenge, origin: ORIGIN, rpId: RP });

describe('WebAuthn verification', () => {
  let stored: StoredWebAuthnKey;

  it('accepts a registration and extracts the P-256 key', async () => {
    stored = await verifyRegistration(await registration({ challenge: 'c1' }), expected('c1'));
    expect(stored).toMatchObject({
      credentialId: b64url(credId),
      signCount: 0,
      publicKey: { kty: 'EC', crv: 'P-256', x: jwk.x },
    });
  });

  it.each([
    ['another challenge', { challenge: 'other' }, /challenge/],
    ['another origin', { challenge: 'c1', origin: 'https://evil.example' }, /origin/],
    ['another relying party', { challenge: 'c1', rp: 'evil.example' }, /relying party/],
    ['no user presence', { challenge: 'c1', flags: 0x40 }, /presence/],
    ['a sign-in ceremony', { challenge: 'c1', type: 'webauthn.get' }, /webauthn.create/],
  ])('refuses a registration with %s', async (_label, opts, message) => {
    await expect(verifyRegistration(await registration(opts), expected('c1'))).rejects.toThrow(message);
  });

  it('accepts an assertion and returns the new counter; refuses replays, forgeries and a counter going back', async () => {
    stored = await verifyRegistration(await registration({ challenge: 'c1' }), expected('c1'));
    expect(
      await verifyAssertion(await assertion({ challenge: 'a1', counter: 5 }), stored, expected('a1')),
    ).toBe(5);
    const key = { ...stored, signCount: 5 };
    await expect(
      verifyAssertion(await assertion({ challenge: 'a2', counter: 5 }), key, expected('a2')),
    ).rejects.toThrow(/cloned/);
    await expect(
      verifyAssertion(await assertion({ challenge: 'a1', counter: 6 }), key, expected('a2')),
    ).rejects.toThrow(/challenge/);
    const other = (await crypto.subtle.generateKey({ name: 'ECDSA', namedCurve: 'P-256' }, true, [
      'sign',
    ])) as CryptoKeyPair;
    await expect(
      verifyAssertion(
        await assertion({ challenge: 'a3', counter: 7, signer: other.privateKey }),
        key,
        expected('a3'),
      ),
    ).rejects.toThrow(/signature is wrong/);
    await expect(
      verifyAssertion(await assertion({ challenge: 'a4', counter: 8, flags: 0 }), key, expected('a4')),
    ).rejects.toThrow(/presence/);
  });

  it('converts DER signatures with and without leading zeros', () => {
    const raw = new Uint8Array(64).map((_, i) => (i === 0 ? 0x80 : i === 32 ? 0 : i));
    expect(derToRaw(rawToDer(raw))).toEqual(raw);
    expect(() => derToRaw(new Uint8Array([0x31, 0]))).toThrow(/Malformed/);
  });

  it('decodes CBOR and refuses truncated input', () => {
    expect(decodeCbor(cbor(new Map<Cbor, Cbor>([['a', [1, -2, 'x']]]))).value).toEqual(
      new Map([['a', [1, -2, 'x']]]),
    );
    expect(() => decodeCbor(new Uint8Array([0x59, 0x01]))).toThrow(/ends early/);
  });
});
