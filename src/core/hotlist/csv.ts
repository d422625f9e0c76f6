// CSV hot-list exports from other systems, read through a column mapping the administrator saves per source.
// RFC 4180 quoting (commas, quotes and line breaks inside quoted fields). All or nothing, with line-numbered
// reasons. A column whose header names a person's details (name, date of birth, charges…) refuses the whole file:
// such data never enters a hot list (POLICY.md §4, §8).
import {
  issueList,
  personalDataIn,
  plateProblem,
  US_STATES,
  type HotEntry,
  type ParseIssue,
  type ParseResult,
} from './entry';

/** The fields a CSV column can be mapped to; `plate` is required. */
export const CSV_FIELDS = [
  'plate',
  'state',
  'list',
  'effective',
  'expiry',
  'priority',
  'reason',
  'reference',
] as const;

export interface CsvMapping {
  plate: string;
  state?: string;
  list?: string;
  effective?: string;
  expiry?: string;
  priority?: string;
  reason?: string;
  reference?: string;
}

const PERSON_COLUMN =
  /\b(first|last|full|middle|suspect|owner|driver|subject)?\s*name\b|\bdob\b|birth|\bage\b|charge|offen[cs]e|ssn|social|licen[cs]e\s*(no|number|#)|\bcii\b|\bfbi\b|address|phone/i;

/** Split CSV text into records of fields, keeping the line on which each record starts. */
export function splitCsv(text: string): { line: number; fields: string[] }[] | { error: ParseIssue } {
  const out: { line: number; fields: string[] }[] = [];
  let fields: string[] = [];
  let field = '';
  let quoted = false;
  let line = 1;
  let start = 1;
  let i = 0;
  const endRecord = () => {
    fields.push(field);
    if (!(fields.length === 1 && fields[0] === '')) out.push({ line: start, fields });
    fields = [];
    field = '';
  };
  while (i < text.length) {
    const c = text[i]!;
    if (quoted) {
      if (c === '"') {
        if (text[i + 1] === '"') {
          field += '"';
          i += 2;
          continue;
        }
        quoted = false;
        const next = text[i + 1];
        if (next !== undefined && next !== ',' && next !== '\n' && next !== '\r') {
          return { error: { line, message: 'A quoted field must end at a comma or the end of the line' } };
        }
      } else {
        if (c === '\n') line++;
        field += c;
      }
      i++;
      continue;
    }
    if (c === '"') {
      if (field !== '') return { error: { line, message: 'A quote may only open a field' } };
      quoted = true;
    } else if (c === ',') {
      fields.push(field);
      field = '';
    } else if (c === '\n' || c === '\r') {
      if (c === '\r' && text[i + 1] === '\n') i++;
      endRecord();
      line++;
      start = line;
    } else field += c;
    i++;
  }
  if (quoted) return { error: { line: start, message: 'A quoted field is never closed' } };
  endRecord();
  return out;
}

function parseDate(text: string): number | null {
  let m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text);
  let y: number, mo: number, d: number;
  if (m) [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  else if ((m = /^(\d{1,2})\/(\d{1,2})\/(\d{4})$/.exec(text)))
    [mo, d, y] = [Number(m[1]), Number(m[2]), Number(m[3])];
  else return null;
  const t = Date.UTC(y, mo - 1, d);
  return new Date(t).getUTCDate() === d && new Date(t).getUTCMonth() === mo - 1 ? t : null;
}

export function parseCsv(text: string, mapping: CsvMapping, defaultList: string): ParseResult {
  const split = splitCsv(text.replace(/^\uFEFF/, ''));
  if ('error' in split) return { ok: false, issues: [split.error] };
  if (split.length === 0) return { ok: false, issues: [{ line: 1, message: 'The file is empty' }] };
  const [head, ...rows] = split;
  const columns = head!.fields.map((h) => h.trim());
  const { issues, add } = issueList();
  for (const c of columns)
    if (PERSON_COLUMN.test(c))
      add(1, `Column "${c}" looks like personal data: hot lists hold vehicles, never people`);
  const index: Partial<Record<keyof CsvMapping, number>> = {};
  for (const [key, name] of Object.entries(mapping) as [keyof CsvMapping, string | undefined][]) {
    if (name === undefined) continue;
    const at = columns.indexOf(name);
    if (at < 0) add(1, `The mapping names column "${name}" for ${key}, but the file has no such column`);
    else index[key] = at;
  }
  if (issues.length) return { ok: false, issues };

  const entries: HotEntry[] = [];
  for (const { line, fields } of rows) {
    if (fields.length !== columns.length) {
      add(line, `The header has ${columns.length} columns; this record has ${fields.length}`);
      continue;
    }
    const get = (key: keyof CsvMapping) => (index[key] === undefined ? '' : fields[index[key]!]!.trim());
    const plate = get('plate').toUpperCase().replace(/[\s-]/g, '');
    const bad = plateProblem(plate);
    if (bad) {
      add(line, `plate: ${bad}`);
      continue;
    }
    const state = get('state').toUpperCase() || null;
    if (state && !US_STATES.has(state)) {
      add(line, `state: "${state}" is not a state code`);
      continue;
    }
    const dates: Record<'effective' | 'expiry', number | null> = { effective: null, expiry: null };
    let dateBad = false;
    for (const key of ['effective', 'expiry'] as const) {
      const v = get(key);
      if (!v) continue;
      const t = parseDate(v);
      if (t === null) {
        add(line, `${key}: "${v}" is not a date (YYYY-MM-DD or MM/DD/YYYY)`);
        dateBad = true;
      } else dates[key] = key === 'expiry' ? t + 86_400_000 - 1 : t;
    }
    if (dateBad) continue;
    const priority = get('priority').toLowerCase();
    if (priority && priority !== 'high' && priority !== 'normal') {
      add(line, `priority: "${priority}" must be high or normal`);
      continue;
    }
    const reason = get('reason') || null;
    const reference = get('reference') || null;
    const personal = personalDataIn(reason) ?? personalDataIn(reference);
    if (personal) {
      add(line, `reason/reference looks like it holds ${personal}: leave people out of hot lists`);
      continue;
    }
    entries.push({
      plate,
      state,
      listCode: get('list').toUpperCase() || defaultList,
      reason,
      reference,
      vehicle: null,
      effectiveAt: dates.effective,
      expiresAt: dates.expiry,
      priority: priority === 'high' ? 'high' : 'normal',
    });
  }
  if (issues.length) return { ok: false, issues };
  return {
    ok: true,
    entries,
    header: { list: defaultList, records: String(entries.length) },
    extractedAt: null,
  };
}
