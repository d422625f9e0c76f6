// Hot-list entries as the matcher and the store see them, whatever file they came from. POLICY.md §4: no names,
// dates of birth or charges — an entry describes a vehicle or plate, never a person.

export const LIST_KINDS = ['SVS', 'SFR', 'SLR', 'NCIC', 'CSV', 'LOCAL'] as const;
export type ListKind = (typeof LIST_KINDS)[number];

export interface HotEntry {
  /** Normalised plate (A–Z, 0–9); local entries may hold `?` (one character) and `*` (any run). */
  plate: string;
  /** Two-letter state or province code, or null when the source does not say. */
  state: string | null;
  /** List or category code as the source gives it (e.g. SVS, V stolen vehicle, BOLO). */
  listCode: string;
  reason: string | null;
  reference: string | null;
  vehicle: { year: string | null; make: string | null; model: string | null; colour: string | null } | null;
  /** Epoch ms; null when the source gives none. */
  effectiveAt: number | null;
  expiresAt: number | null;
  priority: 'high' | 'normal';
}

export interface ParseIssue {
  line: number;
  message: string;
}

export type ParseResult =
  | {
      ok: true;
      entries: HotEntry[];
      header: Record<string, string>;
      /** When the source extracted the list (epoch ms), if the file says; the list's age counts from here. */
      extractedAt: number | null;
    }
  | { ok: false; issues: ParseIssue[] };

/** Errors beyond this are summarised: a file this broken is refused anyway. */
export const MAX_ISSUES = 50;

/** Collects line-numbered problems, keeping the first MAX_ISSUES. */
export function issueList(): { issues: ParseIssue[]; add: (line: number, message: string) => void } {
  const issues: ParseIssue[] = [];
  return {
    issues,
    add: (line, message) => {
      if (issues.length < MAX_ISSUES) issues.push({ line, message });
    },
  };
}

export const US_STATES = new Set(
  (
    'AL AK AZ AR CA CO CT DE DC FL GA HI ID IL IN IA KS KY LA ME MD MA MI MN MS MO MT NE NV NH NJ NM NY NC ND OH OK OR PA ' +
    'RI SC SD TN TX UT VT VA WA WV WI WY PR GU VI AS MP US ' +
    // Canadian provinces and Mexican states seen on NCIC plates
    'AB BC MB NB NL NS NT NU ON PE QC SK YT MX'
  ).split(' '),
);

const PLATE = /^[A-Z0-9]{1,8}$/;

export function plateProblem(plate: string): string | null {
  if (plate.length === 0) return 'the plate is empty';
  if (!PLATE.test(plate)) return `"${plate}" is not a possible plate (1–8 letters and digits)`;
  return null;
}

const PACIFIC = new Intl.DateTimeFormat('en-US', {
  timeZone: 'America/Los_Angeles',
  hourCycle: 'h23',
  year: 'numeric',
  month: 'numeric',
  day: 'numeric',
  hour: 'numeric',
  minute: 'numeric',
});

/** How far California wall-clock time is ahead of UTC at `t` (negative: −7 or −8 hours). */
function pacificOffsetMs(t: number): number {
  const parts = Object.fromEntries(PACIFIC.formatToParts(t).map((p) => [p.type, Number(p.value)]));
  return Date.UTC(parts['year']!, parts['month']! - 1, parts['day'], parts['hour'], parts['minute']) - t;
}

/**
 * A California wall-clock time (as DOJ extracts write it, no zone) → epoch ms. Daylight saving is the zone's own;
 * a time in the skipped spring hour is read with the daylight offset, a repeated autumn hour as the first.
 */
export function pacificTime(y: number, month: number, d: number, h: number, mi: number): number {
  const wall = Date.UTC(y, month - 1, d, h, mi);
  const first = wall - pacificOffsetMs(wall);
  return wall - pacificOffsetMs(first);
}

/** YYYYMMDD → epoch ms (UTC midnight), or null when it is not a real date. */
export function parseYmd(text: string): number | null {
  if (!/^\d{8}$/.test(text)) return null;
  const y = Number(text.slice(0, 4));
  const m = Number(text.slice(4, 6));
  const d = Number(text.slice(6, 8));
  const t = Date.UTC(y, m - 1, d);
  const back = new Date(t);
  return back.getUTCFullYear() === y && back.getUTCMonth() === m - 1 && back.getUTCDate() === d && y >= 1950
    ? t
    : null;
}

// Person data that must never enter a hot list (a state audit found names, DOBs and charges stored in lists).
const PERSONAL = [
  { re: /\b(dob|d\.o\.b|date of birth|born)\b/i, what: 'a date of birth' },
  { re: /\b\d{1,2}[/-]\d{1,2}[/-](19|20)\d{2}\b/, what: 'a date (possibly a date of birth)' },
  {
    re: /\b(pc|vc|hs)\s*\d{2,5}(\.\d+)?\b|\b(charge[ds]?|convicted|felony warrant for|arrested)\b/i,
    what: 'a charge',
  },
  { re: /\b(ssn|social security)\b|\b\d{3}-\d{2}-\d{4}\b/i, what: 'a social security number' },
  { re: /\b(suspect|driver|owner|rp)\s*(name)?\s*[:=]/i, what: 'a person' },
];

/** A field that looks like a person's details; null when clean. */
export function personalDataIn(text: string | null): string | null {
  if (!text) return null;
  for (const { re, what } of PERSONAL) if (re.test(text)) return what;
  return null;
}
