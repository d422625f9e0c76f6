import { describe, expect, it } from 'vitest';
import { isUlid, ulidFactory, ulidTime } from './ulid';

describe('ulid', () => {
  it('encodes the time and sorts by it', () => {
    const make = ulidFactory();
    const a = make(1_700_000_000_000);
    const b = make(1_700_000_000_001);
    expect(isUlid(a)).toBe(true);
    expect(ulidTime(a)).toBe(1_700_000_000_000);
    expect(a < b).toBe(true);
  });

  it('stays monotonic within one millisecond and when the clock steps back', () => {
    const make = ulidFactory(() => new Uint8Array(16).fill(30));
    const ids = [make(5000), make(5000), make(4000)];
    expect([...ids].sort()).toEqual(ids);
    expect(new Set(ids).size).toBe(3);
    expect(ids.map(ulidTime)).toEqual([5000, 5000, 5000]);
  });

  it('refuses to wrap around when the random part is exhausted within one millisecond', () => {
    const make = ulidFactory(() => new Uint8Array(16).fill(31));
    make(7000);
    expect(() => make(7000)).toThrow(/overflowed/);
  });

  it('rejects non-ULIDs', () => {
    expect(isUlid('not-a-ulid')).toBe(false);
    expect(() => ulidTime('x')).toThrow(/Not a ULID/);
  });
});
