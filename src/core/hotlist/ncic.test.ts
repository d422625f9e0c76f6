import { describe, expect, it } from 'vitest';
import { parseNcic } from './ncic';

//                        1        10      18 20  24  28 31
const good = [
  'V20261101ABC123  CA2019TOYTCAMBLK',
  'A202611157XYZ999 NV    FORD   WHI',
  'P20250101Z1      AZ'.padEnd(33),
];

describe('NCIC extracts', () => {
  it('parses list codes, dates and vehicle descriptors', () => {
    const r = parseNcic(good.join('\r\n') + '\r\n');
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.entries[0]).toMatchObject({
      plate: 'ABC123',
      state: 'CA',
      listCode: 'V',
      reason: 'Stolen vehicle',
      priority: 'normal',
      vehicle: { year: '2019', make: 'TOYT', model: 'CAM', colour: 'BLK' },
      effectiveAt: Date.UTC(2026, 10, 1),
    });
    expect(r.entries[1]).toMatchObject({
      listCode: 'A',
      priority: 'high',
      vehicle: { year: null, make: 'FORD', model: null },
    });
    expect(r.entries[2]).toMatchObject({
      plate: 'Z1',
      vehicle: { year: null, make: null, model: null, colour: null },
    });
  });

  it.each([
    ['Q20261101ABC123  CA2019TOYTCAMBLK', /Column 1: "Q" is not a known list code/],
    ['V20261301ABC123  CA2019TOYTCAMBLK', /Columns 2–9: "20261301"/],
    ['V20261101 ABC123 CA2019TOYTCAMBLK', /column 10/],
    ['V20261101AB$123  CA2019TOYTCAMBLK', /not a possible plate/],
    ['V20261101ABC123  QQ2019TOYTCAMBLK', /"QQ" is not a state/],
    ['V20261101ABC123  CA19X9TOYTCAMBLK', /vehicle year/],
    ['V20261101ABC123  CA2019TOYTca BLK', /model/],
    ['V20261101ABC123  CA2019TOYTCAMBL', /33 characters; this line has 32/],
  ])('refuses %j, naming line and columns', (record, message) => {
    const r = parseNcic([good[0], record].join('\n'));
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.issues).toEqual([{ line: 2, message: expect.stringMatching(message) }]);
  });

  it('refuses an empty file', () => {
    expect(parseNcic('').ok).toBe(false);
  });
});
