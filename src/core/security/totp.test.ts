import { describe, expect, it } from 'vitest';
import { base32Decode, base32Encode, hotp, otpauthUri, totp, verifyTotp } from './totp';

const RFC_SECRET = new TextEncoder().encode('12345678901234567890');

describe('TOTP (RFC 6238)', () => {
  it.each([
    [59, '94287082'],
    [1111111109, '07081804'],
    [1111111111, '14050471'],
    [1234567890, '89005924'],
    [2000000000, '69279037'],
    [20000000000, '65353130'],
  ])('matches the RFC test vector at T=%i', async (seconds, expected) => {
    expect(await totp(RFC_SECRET, seconds * 1000, { digits: 8 })).toBe(expected);
  });

  it('matches the RFC 4226 HOTP vectors', async () => {
    const expected = ['755224', '287082', '359152', '969429', '338314'];
    for (const [i, code] of expected.entries()) expect(await hotp(RFC_SECRET, i)).toBe(code);
  });

  it('accepts one step of drift, refuses two, and refuses a replayed step', async () => {
    const now = 1_700_000_000_000;
    const code = await totp(RFC_SECRET, now);
    const step = await verifyTotp(RFC_SECRET, code, now + 25_000, null);
    expect(step).not.toBeNull();
    expect(await verifyTotp(RFC_SECRET, code, now + 65_000, null)).toBeNull();
    expect(await verifyTotp(RFC_SECRET, code, now, step)).toBeNull();
    expect(await verifyTotp(RFC_SECRET, '12345', now, null)).toBeNull();
    expect(await verifyTotp(RFC_SECRET, 'abcdef', now, null)).toBeNull();
  });

  it('round-trips base32 and builds the enrolment URI', () => {
    expect(base32Encode(RFC_SECRET)).toBe('GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ');
    expect(base32Decode('gezd gnbv gy3t qojq gezd gnbv gy3t qojq')).toEqual(RFC_SECRET);
    expect(() => base32Decode('GEZ1')).toThrow(/base32/);
    const uri = otpauthUri('Agency ALPR', 'jdoe', RFC_SECRET);
    expect(uri).toMatch(/^otpauth:\/\/totp\/Agency%20ALPR%3Ajdoe\?/);
    expect(new URL(uri).searchParams.get('secret')).toBe('GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ');
  });
});
