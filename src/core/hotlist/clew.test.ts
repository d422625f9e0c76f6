import { describe, expect, it } from 'vitest';
import { parseClew } from './clew';

const file = (records: string[], opts: { header?: string; footer?: string } = {}) =>
  [
    opts.header ?? 'DATE07/02/2018 09:00',
    ...records,
    opts.footer ?? `TOTAL RECORD ${String(records.length).padStart(7, '0')}`,
  ].join('\n') + '\n';

describe('CLEW extracts', () => {
  it('parses a good file, with CRLF line ends too', () => {
    const text = file(['ABC123  CA0120180627', '7XYZ999 NV1920181201', '12345678AZ0720170101']);
    for (const t of [text, text.replace(/\n/g, '\r\n')]) {
      const r = parseClew(t, 'SVS');
      expect(r.ok).toBe(true);
      if (r.ok) {
        expect(r.entries.map((e) => [e.plate, e.state, e.listCode])).toEqual([
          ['ABC123', 'CA', 'SVS'],
          ['7XYZ999', 'NV', 'SVS'],
          ['12345678', 'AZ', 'SVS'],
        ]);
        expect(r.entries[0]!.effectiveAt).toBe(Date.UTC(2018, 5, 27));
        expect(r.header).toMatchObject({ records: '3' });
        // 09:00 in California on 2 July (daylight time, UTC−7)
        expect(r.extractedAt).toBe(Date.UTC(2018, 6, 2, 16, 0));
      }
    }
  });

  it('reads the header time as California time, winter and summer', () => {
    const at = (header: string) => {
      const r = parseClew(`${header}\nABC123  CA0120180627\nTOTAL RECORD 0000001\n`, 'SVS');
      return r.ok ? r.extractedAt : null;
    };
    expect(at('DATE01/15/2026 23:30')).toBe(Date.UTC(2026, 0, 16, 7, 30)); // PST, UTC−8
    expect(at('DATE07/15/2026 23:30')).toBe(Date.UTC(2026, 6, 16, 6, 30)); // PDT, UTC−7
    expect(at('DATE11/01/2026 01:30')).toBe(Date.UTC(2026, 10, 1, 8, 30)); // the repeated hour: the first
    expect(at('DATE03/08/2026 02:30')).toBe(Date.UTC(2026, 2, 8, 9, 30)); // the skipped hour: daylight offset
  });

  it('marks felony-vehicle entries high priority', () => {
    const r = parseClew(file(['ABC123  CA0120180627']), 'SFR');
    expect(r.ok && r.entries[0]!.priority).toBe('high');
  });

  it.each([
    [
      'a wrong header',
      file(['ABC123  CA0120180627'], { header: 'HEADER 2018' }),
      1,
      /first line must be the header/,
    ],
    [
      'an impossible header date',
      file(['ABC123  CA0120180627'], { header: 'DATE02/30/2018 09:00' }),
      1,
      /not a real date/,
    ],
    ['a missing footer', 'DATE07/02/2018 09:00\nABC123  CA0120180627\nXYZ789  CA0120180627\n', 3, /footer/],
    [
      'a footer count that does not match',
      file(['ABC123  CA0120180627'], { footer: 'TOTAL RECORD 0000002' }),
      3,
      /says 2 records; the file has 1/,
    ],
    ['a short record', file(['ABC123 CA0120180627']), 2, /20 characters; this line has 19/],
    ['a long record', file(['ABC123  CA01201806270']), 2, /has 21/],
    [
      'an impossible plate',
      file(['AB-123  CA0120180627']),
      2,
      /Columns 1–8: "AB-123" is not a possible plate/,
    ],
    ['a plate not in column 1', file([' ABC123 CA0120180627']), 2, /column 1/],
    ['an unknown state', file(['ABC123  XX0120180627']), 2, /"XX" is not a state code/],
    ['a bad county', file(['ABC123  CAA120180627']), 2, /county/],
    ['an impossible date', file(['ABC123  CA0120180231']), 2, /"20180231" is not a date/],
    ['a blank line', 'DATE07/02/2018 09:00\nABC123  CA0120180627\n\nTOTAL RECORD 0000002\n', 3, /has 0/],
  ])('refuses %s with the line number', (_label, text, line, message) => {
    const r = parseClew(text, 'SVS');
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.issues).toContainEqual({ line, message: expect.stringMatching(message) });
  });

  it('refuses an empty file and caps the list of problems', () => {
    expect(parseClew('', 'SLR').ok).toBe(false);
    const bad = file(Array.from({ length: 500 }, () => 'bad'));
    const r = parseClew(bad, 'SLR');
    expect(!r.ok && r.issues.length).toBe(50);
  });
});
