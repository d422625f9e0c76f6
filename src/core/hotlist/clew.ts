// California DOJ CLEW extracts (svs.tbl stolen vehicles, sfr.tbl felony vehicles, slr.tbl stolen plates):
//   header  DATE07/02/2018 09:00          extract date and time, California time (the list's age counts from it)
//   record  ABC123  CA0120180627      plate 1–8 (left-justified), state 9–10, county 11–12, entry date 13–20
//   footer  TOTAL RECORD 0000072      the number of records
// All or nothing: any bad line, a missing header or footer, or a count that does not match refuses the file
// with line-numbered reasons, and nothing is returned to load.
import {
  issueList,
  pacificTime,
  parseYmd,
  plateProblem,
  US_STATES,
  type HotEntry,
  type ParseResult,
} from './entry';

export type ClewList = 'SVS' | 'SFR' | 'SLR';
const RECORD_LENGTH = 20;
const HEADER = /^DATE(\d{2})\/(\d{2})\/(\d{4}) (\d{2}):(\d{2})$/;
const FOOTER = /^TOTAL RECORD (\d{7})$/;

export function parseClew(text: string, list: ClewList): ParseResult {
  const { issues, add } = issueList();
  const lines = text.split('\n');
  if (lines.length > 0 && lines[lines.length - 1] === '') lines.pop(); // final newline
  if (lines.length < 2)
    return { ok: false, issues: [{ line: 1, message: 'The file is empty or has no footer' }] };

  const strip = (s: string) => (s.endsWith('\r') ? s.slice(0, -1) : s);
  const header = HEADER.exec(strip(lines[0]!));
  let extractedAt: number | null = null;
  if (!header) {
    add(1, 'The first line must be the header, e.g. "DATE07/02/2018 09:00"');
  } else {
    const [, mm, dd, yyyy, hh, mi] = header;
    const t = Date.UTC(Number(yyyy), Number(mm) - 1, Number(dd), Number(hh), Number(mi));
    if (Number.isNaN(t) || new Date(t).getUTCDate() !== Number(dd) || Number(hh) > 23 || Number(mi) > 59) {
      add(1, `The header date ${mm}/${dd}/${yyyy} ${hh}:${mi} is not a real date and time`);
    } else {
      extractedAt = pacificTime(Number(yyyy), Number(mm), Number(dd), Number(hh), Number(mi));
    }
  }

  const last = lines.length - 1;
  const footer = FOOTER.exec(strip(lines[last]!));
  if (!footer) add(last + 1, 'The last line must be the footer, e.g. "TOTAL RECORD 0000072"');

  const entries: HotEntry[] = [];
  for (let i = 1; i < last; i++) {
    const line = strip(lines[i]!);
    const n = i + 1;
    if (line.length !== RECORD_LENGTH) {
      add(n, `A record is ${RECORD_LENGTH} characters; this line has ${line.length}`);
      continue;
    }
    const plate = line.slice(0, 8).trimEnd();
    const state = line.slice(8, 10);
    const county = line.slice(10, 12);
    const date = line.slice(12, 20);
    const bad = line.startsWith(' ') ? 'the plate must start in column 1' : plateProblem(plate);
    if (bad) add(n, `Columns 1–8: ${bad}`);
    else if (!US_STATES.has(state)) add(n, `Columns 9–10: "${state}" is not a state code`);
    else if (!/^\d{2}$/.test(county)) add(n, `Columns 11–12: "${county}" is not a county code`);
    else {
      const effectiveAt = parseYmd(date);
      if (effectiveAt === null) add(n, `Columns 13–20: "${date}" is not a date (YYYYMMDD)`);
      else {
        entries.push({
          plate,
          state,
          listCode: list,
          reason: null,
          reference: null,
          vehicle: null,
          effectiveAt,
          expiresAt: null,
          priority: list === 'SFR' ? 'high' : 'normal',
        });
      }
    }
  }
  if (footer) {
    const declared = Number(footer[1]);
    const records = last - 1;
    if (declared !== records) add(last + 1, `The footer says ${declared} records; the file has ${records}`);
  }
  if (issues.length > 0) return { ok: false, issues };
  return {
    ok: true,
    entries,
    header: { list, records: String(entries.length) },
    extractedAt,
  };
}
