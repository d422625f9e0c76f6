// ULIDs for append-only records: 48-bit millisecond time + 80 random bits, Crockford base32, sortable by time.
// Monotonic within one generator: ids made in the same millisecond still sort in creation order.

const ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
const TIME_LEN = 10;
const RANDOM_LEN = 16;
const MAX_TIME = 2 ** 48 - 1;

export type RandomSource = (bytes: Uint8Array) => Uint8Array;

const defaultRandom: RandomSource = (bytes) => crypto.getRandomValues(bytes);

function encodeTime(ms: number): string {
  if (!Number.isInteger(ms) || ms < 0 || ms > MAX_TIME) throw new RangeError(`ULID time out of range: ${ms}`);
  let out = '';
  let t = ms;
  for (let i = 0; i < TIME_LEN; i++) {
    out = ALPHABET[t % 32] + out;
    t = Math.floor(t / 32);
  }
  return out;
}

function randomDigits(random: RandomSource): number[] {
  const bytes = random(new Uint8Array(RANDOM_LEN));
  return Array.from(bytes, (b) => b & 31);
}

/** Increment a base32 digit array in place; false when it overflows. */
function increment(digits: number[]): boolean {
  for (let i = digits.length - 1; i >= 0; i--) {
    const d = digits[i]!;
    if (d < 31) {
      digits[i] = d + 1;
      return true;
    }
    digits[i] = 0;
  }
  return false;
}

export function ulidFactory(random: RandomSource = defaultRandom): (now?: number) => string {
  let lastTime = -1;
  let lastDigits: number[] = [];
  return (now = Date.now()) => {
    if (now <= lastTime) {
      // Same (or earlier, if the clock stepped back) millisecond: keep the last time and bump the random part.
      if (!increment(lastDigits)) throw new Error('ULID random part overflowed within one millisecond');
    } else {
      lastTime = now;
      lastDigits = randomDigits(random);
    }
    return encodeTime(lastTime) + lastDigits.map((d) => ALPHABET[d]).join('');
  };
}

export const ulid = ulidFactory();

const ULID_RE = /^[0-7][0-9A-HJKMNP-TV-Z]{25}$/;

export function isUlid(value: unknown): value is string {
  return typeof value === 'string' && ULID_RE.test(value);
}

export function ulidTime(id: string): number {
  if (!isUlid(id)) throw new Error(`Not a ULID: ${JSON.stringify(id)}`);
  let t = 0;
  for (const ch of id.slice(0, TIME_LEN)) t = t * 32 + ALPHABET.indexOf(ch);
  return t;
}
