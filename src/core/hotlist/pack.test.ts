import { describe, expect, it } from 'vitest';
import type { HotEntry } from './entry';
import { packEntries, unpackEntries } from './pack';

const entries: HotEntry[] = [
  {
    plate: '7ABC123',
    state: 'CA',
    listCode: 'V',
    reason: 'Stolen vehicle',
    reference: '24-012345',
    vehicle: { year: '2019', make: 'TOYT', model: 'CAM', colour: 'BLK' },
    effectiveAt: 1,
    expiresAt: 2,
    priority: 'high',
  },
  {
    plate: '4K?L2*',
    state: null,
    listCode: 'BOLO',
    reason: null,
    reference: null,
    vehicle: null,
    effectiveAt: null,
    expiresAt: null,
    priority: 'normal',
  },
];

describe('packed hot-list entries', () => {
  it('round-trips every field, through JSON too', () => {
    expect(unpackEntries(JSON.parse(JSON.stringify(packEntries(entries))))).toEqual(entries);
    expect(unpackEntries(packEntries([]))).toEqual([]);
  });

  it('refuses a damaged or unknown segment', () => {
    const p = packEntries(entries);
    p.state.pop();
    expect(() => unpackEntries(p)).toThrow(/damaged/);
    expect(() => unpackEntries({ ...packEntries(entries), v: 2 as 1 })).toThrow(/Unknown packed/);
  });
});
