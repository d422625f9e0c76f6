// NCIC-style fixed-width extracts, one record per line, in the layout this project reads (33 characters):
//   col 1      list code  A Amber alert, F felony vehicle, W wanted person, V stolen vehicle, P stolen plate,
//                         M missing person, H protection order, T gang member, X sex offender
//   cols 2–9   incident date YYYYMMDD
//   cols 10–17 plate (left-justified)      cols 18–19 state
//   cols 20–23 vehicle year (or blank)     cols 24–27 make (NCIC code, e.g. TOYT)
//   cols 28–30 model (e.g. CAM)            cols 31–33 colour (e.g. BLK)
// No header or footer. All or nothing, with line-numbered reasons. A record holds a vehicle, never a person.
import { issueList, parseYmd, plateProblem, US_STATES, type HotEntry, type ParseResult } from './entry';

export const NCIC_CODES: Record<string, { label: string; priority: 'high' | 'normal' }> = {
  A: { label: 'Amber alert', priority: 'high' },
  F: { label: 'Felony vehicle', priority: 'high' },
  W: { label: 'Wanted person', priority: 'high' },
  V: { label: 'Stolen vehicle', priority: 'normal' },
  P: { label: 'Stolen plate', priority: 'normal' },
  M: { label: 'Missing person', priority: 'high' },
  H: { label: 'Protection order', priority: 'normal' },
  T: { label: 'Gang member', priority: 'normal' },
  X: { label: 'Sex offender', priority: 'normal' },
};

const LENGTH = 33;

export function parseNcic(text: string): ParseResult {
  const { issues, add } = issueList();
  const lines = text.split('\n');
  if (lines[lines.length - 1] === '') lines.pop();
  if (lines.length === 0) return { ok: false, issues: [{ line: 1, message: 'The file is empty' }] };
  const entries: HotEntry[] = [];
  lines.forEach((raw, i) => {
    const line = raw.endsWith('\r') ? raw.slice(0, -1) : raw;
    const n = i + 1;
    if (line.length !== LENGTH)
      return add(n, `A record is ${LENGTH} characters; this line has ${line.length}`);
    const code = NCIC_CODES[line[0]!];
    if (!code)
      return add(
        n,
        `Column 1: "${line[0]}" is not a known list code (${Object.keys(NCIC_CODES).join(', ')})`,
      );
    const effectiveAt = parseYmd(line.slice(1, 9));
    if (effectiveAt === null) return add(n, `Columns 2–9: "${line.slice(1, 9)}" is not a date (YYYYMMDD)`);
    const plateField = line.slice(9, 17);
    const plate = plateField.trimEnd();
    const bad = plateField.startsWith(' ') ? 'the plate must start in column 10' : plateProblem(plate);
    if (bad) return add(n, `Columns 10–17: ${bad}`);
    const state = line.slice(17, 19);
    if (!US_STATES.has(state)) return add(n, `Columns 18–19: "${state}" is not a state code`);
    const year = line.slice(19, 23).trim();
    if (year && !/^(19|20)\d{2}$/.test(year)) return add(n, `Columns 20–23: "${year}" is not a vehicle year`);
    const [make, model, colour] = [line.slice(23, 27), line.slice(27, 30), line.slice(30, 33)].map((f) =>
      f.trim(),
    );
    for (const [label, value] of [
      ['make (24–27)', make],
      ['model (28–30)', model],
      ['colour (31–33)', colour],
    ] as const) {
      if (value && !/^[A-Z0-9/]+$/.test(value)) return add(n, `Columns ${label}: "${value}" is not a code`);
    }
    entries.push({
      plate,
      state,
      listCode: line[0]!,
      reason: code.label,
      reference: null,
      vehicle: { year: year || null, make: make || null, model: model || null, colour: colour || null },
      effectiveAt,
      expiresAt: null,
      priority: code.priority,
    });
  });
  if (issues.length > 0) return { ok: false, issues };
  return { ok: true, entries, header: { list: 'NCIC', records: String(entries.length) }, extractedAt: null };
}
