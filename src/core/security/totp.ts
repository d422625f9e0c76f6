// TOTP second factor (RFC 6238 over RFC 4226 HOTP, HMAC-SHA-1, 30-second steps, 6 digits: what authenticator
// apps expect). Verification accepts one step of clock drift either way and returns the step used, so the caller
// can refuse a code that was already used (replay).

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';

export function base32Encode(bytes: Uint8Array): string {
  let bits = 0;
  let value = 0;
  let out = '';
  for (const byte of bytes) {
    value = (value << 8) | byte;
    bits += 8;
    while (bits >= 5) {
      out += ALPHABET[(value >>> (bits - 5)) & 31];
      bits -= 5;
    }
  }
  if (bits > 0) out += ALPHABET[(value << (5 - bits)) & 31];
  return out;
}

export function base32Decode(text: string): Uint8Array<ArrayBuffer> {
  const clean = text.toUpperCase().replace(/[\s=-]/g, '');
  const out: number[] = [];
  let bits = 0;
  let value = 0;
  for (const ch of clean) {
    const idx = ALPHABET.indexOf(ch);
    if (idx < 0) throw new Error(`Not a base32 character: ${JSON.stringify(ch)}`);
    value = (value << 5) | idx;
    bits += 5;
    if (bits >= 8) {
      out.push((value >>> (bits - 8)) & 0xff);
      bits -= 8;
    }
  }
  return new Uint8Array(out);
}

export interface TotpOptions {
  stepSeconds?: number;
  digits?: number;
}

/** The HOTP value for a counter. */
export async function hotp(secret: Uint8Array<ArrayBuffer>, counter: number, digits = 6): Promise<string> {
  const key = await crypto.subtle.importKey('raw', secret, { name: 'HMAC', hash: 'SHA-1' }, false, ['sign']);
  const msg = new Uint8Array(8);
  let c = counter;
  for (let i = 7; i >= 0; i--) {
    msg[i] = c & 0xff;
    c = Math.floor(c / 256);
  }
  const mac = new Uint8Array(await crypto.subtle.sign('HMAC', key, msg));
  const offset = mac[mac.length - 1]! & 0x0f;
  const bin =
    ((mac[offset]! & 0x7f) << 24) | (mac[offset + 1]! << 16) | (mac[offset + 2]! << 8) | mac[offset + 3]!;
  return String(bin % 10 ** digits).padStart(digits, '0');
}

export function totpStep(nowMs: number, stepSeconds = 30): number {
  return Math.floor(nowMs / 1000 / stepSeconds);
}

export function totp(
  secret: Uint8Array<ArrayBuffer>,
  nowMs: number,
  opts: TotpOptions = {},
): Promise<string> {
  return hotp(secret, totpStep(nowMs, opts.stepSeconds), opts.digits ?? 6);
}

/**
 * Check a code at `nowMs` allowing ±1 step. Returns the matching step, or null. Steps at or before
 * `lastUsedStep` are refused, so a code cannot be used twice.
 */
export async function verifyTotp(
  secret: Uint8Array<ArrayBuffer>,
  code: string,
  nowMs: number,
  lastUsedStep: number | null,
  opts: TotpOptions = {},
): Promise<number | null> {
  const digits = opts.digits ?? 6;
  const clean = code.replace(/\s/g, '');
  if (!new RegExp(`^\\d{${digits}}$`).test(clean)) return null;
  const step = totpStep(nowMs, opts.stepSeconds);
  for (const s of [step - 1, step, step + 1]) {
    if (lastUsedStep !== null && s <= lastUsedStep) continue;
    if ((await hotp(secret, s, digits)) === clean) return s;
  }
  return null;
}

/** The otpauth:// URI an authenticator app reads from the enrolment QR code. */
export function otpauthUri(issuer: string, account: string, secret: Uint8Array): string {
  const label = encodeURIComponent(`${issuer}:${account}`);
  const params = new URLSearchParams({
    secret: base32Encode(secret),
    issuer,
    algorithm: 'SHA1',
    digits: '6',
    period: '30',
  });
  return `otpauth://totp/${label}?${params.toString()}`;
}
