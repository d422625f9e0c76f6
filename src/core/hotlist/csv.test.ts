import { describe, expect, it } from 'vitest';
import { parseCsv, splitCsv, type CsvMapping } from './csv';

const mapping: CsvMapping = {
  plate: 'Plate',
  state: 'St',
  list: 'Category',
  effective: 'From',
  expiry: 'Until',
  priority: 'Priority',
  reason: 'Reason',
  reference: 'Ref',
};
const HEADER = 'Plate,St,Category,From,Until,Priority,Reason,Ref';

describe('CSV hot lists', () => {
  it('reads mapped columns, quoted fields and both date styles', () => {
    const text = `\uFEFF${HEADER}\r\n7abc-123,ca,BOLO,2026-11-01,11/30/2026,high,"Stolen from lot, grey ""Civic""",24-012345\r\n8XYZ789,,,,,,,\r\n`;
    const r = parseCsv(text, mapping, 'CSV');
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.entries[0]).toMatchObject({
      plate: '7ABC123',
      state: 'CA',
      listCode: 'BOLO',
      priority: 'high',
      reason: 'Stolen from lot, grey "Civic"',
      reference: '24-012345',
      effectiveAt: Date.UTC(2026, 10, 1),
      expiresAt: Date.UTC(2026, 11, 1) - 1,
    });
    expect(r.entries[1]).toMatchObject({
      plate: '8XYZ789',
      state: null,
      listCode: 'CSV',
      priority: 'normal',
    });
  });

  it('keeps line breaks inside quotes and reports the starting line of each record', () => {
    const split = splitCsv('a,b\n"x\ny",z\nlast,one');
    expect(split).toEqual([
      { line: 1, fields: ['a', 'b'] },
      { line: 2, fields: ['x\ny', 'z'] },
      { line: 4, fields: ['last', 'one'] },
    ]);
    expect(splitCsv('a,"b\nc')).toEqual({ error: { line: 1, message: 'A quoted field is never closed' } });
  });

  it.each([
    [`${HEADER},Suspect Name\n7ABC123,CA,,,,,,,Doe`, 1, /"Suspect Name" looks like personal data/],
    [`${HEADER},DOB\n7ABC123,CA,,,,,,,1/1/1980`, 1, /"DOB"/],
    [`Plate\n7ABC123`, 1, /no such column/],
    [`${HEADER}\n7ABC123,CA`, 2, /8 columns; this record has 2/],
    [`${HEADER}\nAB_123,CA,,,,,,`, 2, /plate: "AB_123" is not a possible plate/],
    [`${HEADER}\n7ABC123,ZZ,,,,,,`, 2, /"ZZ" is not a state/],
    [`${HEADER}\n7ABC123,CA,,2026-02-30,,,,`, 2, /effective: "2026-02-30"/],
    [`${HEADER}\n7ABC123,CA,,,,urgent,,`, 2, /priority/],
    [`${HEADER}\n7ABC123,CA,,,,,Driver name: John Doe,`, 2, /person/],
    [`${HEADER}\n7ABC123,CA,,,,,Wanted PC 459 charge,`, 2, /charge/],
    [`${HEADER}\n7ABC123,CA,,,,,,DOB 01/02/1980`, 2, /date of birth/],
    [`${HEADER}\n7ABC123,CA,,,,,ok,\n8XYZ789,CA,,,,,"bad "quote,`, 3, /quoted field must end/],
    [`${HEADER}\n7ABC123,CA,,,,,o"k,`, 2, /quote may only open/],
  ])('refuses a bad file whole, naming the line: %#', (text, line, message) => {
    const r = parseCsv(text, mapping, 'CSV');
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.issues).toContainEqual({ line, message: expect.stringMatching(message) });
  });
});
