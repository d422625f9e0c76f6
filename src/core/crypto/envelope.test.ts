import { describe, expect, it } from 'vitest';
import {
  aad,
  blindIndex,
  deriveKek,
  generateCaptureKeyPair,
  generateDataKey,
  generateIndexKey,
  newKdfParams,
  open,
  openCaptured,
  openJson,
  PBKDF2_ITERATIONS,
  seal,
  sealForCapture,
  sealJson,
  unwrapDataKey,
  wrapDataKey,
} from './envelope';

const bytes = (s: string) => new TextEncoder().encode(s);
const contains = (hay: ArrayBuffer, needle: string) => Buffer.from(hay).includes(Buffer.from(needle));

describe('crypto envelopes', () => {
  it('seals and opens, and the ciphertext does not contain the plaintext', async () => {
    const dek = await generateDataKey();
    const sealed = await sealJson(dek, { plate: '7ABC123' }, aad('reads', 'r1'));
    expect(contains(sealed.ct, '7ABC123')).toBe(false);
    expect(await openJson(dek, sealed, aad('reads', 'r1'))).toEqual({ plate: '7ABC123' });
  });

  it('refuses a ciphertext moved to another record, an altered one, or the wrong key', async () => {
    const dek = await generateDataKey();
    const sealed = await seal(dek, bytes('plate 7ABC123'), aad('reads', 'r1'));
    await expect(open(dek, sealed, aad('reads', 'r2'))).rejects.toThrow(/integrity/);
    const altered = new Uint8Array(sealed.ct.slice(0));
    altered[0]! ^= 1;
    await expect(open(dek, { iv: sealed.iv, ct: altered.buffer }, aad('reads', 'r1'))).rejects.toThrow(
      /integrity/,
    );
    await expect(open(await generateDataKey(), sealed, aad('reads', 'r1'))).rejects.toThrow(/integrity/);
  });

  it('wraps the data key under a password-derived key; the wrong password cannot unwrap it', async () => {
    const dek = await generateDataKey();
    const params = newKdfParams();
    expect(params.iterations).toBeGreaterThanOrEqual(600_000);
    const wrapped = await wrapDataKey(await deriveKek('correct horse battery', params), dek);
    expect(wrapped.byteLength).toBe(40);
    const back = await unwrapDataKey(await deriveKek('correct horse battery', params), wrapped);
    expect(back).not.toBeNull();
    const sealed = await seal(dek, bytes('x'), aad('t', '1'));
    expect(new TextDecoder().decode(await open(back!, sealed, aad('t', '1')))).toBe('x');
    expect(await unwrapDataKey(await deriveKek('wrong password', params), wrapped)).toBeNull();
    await expect(deriveKek('pw', { ...params, iterations: PBKDF2_ITERATIONS - 1 })).rejects.toThrow(/fewer/);
  });

  it('makes equal blind indexes for equal plates under one key only', async () => {
    const k1 = await generateIndexKey();
    const k2 = await generateIndexKey();
    const a = await blindIndex(k1, '7ABC123');
    expect(a).toMatch(/^[0-9a-f]{32}$/);
    expect(await blindIndex(k1, '7ABC123')).toBe(a);
    expect(await blindIndex(k1, '7ABC124')).not.toBe(a);
    expect(await blindIndex(k2, '7ABC123')).not.toBe(a);
  });

  it('capture sealing: the public key seals, only the private key opens', async () => {
    const capture = await generateCaptureKeyPair();
    const sealed = await sealForCapture(capture.publicKey, bytes('plate 8XYZ789'), aad('reads', 'r9'));
    expect(contains(sealed.ct, '8XYZ789')).toBe(false);
    expect(new TextDecoder().decode(await openCaptured(capture.privateKey, sealed, aad('reads', 'r9')))).toBe(
      'plate 8XYZ789',
    );
    const other = await generateCaptureKeyPair();
    await expect(openCaptured(other.privateKey, sealed, aad('reads', 'r9'))).rejects.toThrow(/integrity/);
    await expect(openCaptured(capture.privateKey, sealed, aad('reads', 'other'))).rejects.toThrow(
      /integrity/,
    );
    // The public key cannot stand in for the private one.
    await expect(openCaptured(capture.publicKey, sealed, aad('reads', 'r9'))).rejects.toThrow();
  });
});
