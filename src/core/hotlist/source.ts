// Where each general hot list comes from and how often it is refreshed (POLICY.md §4: general lists are loaded at
// least daily, the newest replacing the old). A source is a file an administrator picks (the unit reminds them
// when it is due: a page cannot read a file by itself) or a URL on the app's own server, fetched by the unit when
// due. The column mapping of a CSV source is saved with it. Pure: no storage, no network.
import { HOUR_MS, MINUTE_MS } from '../policy/rules';
import type { AgencyPolicy } from '../policy';
import type { ClewList } from './clew';
import { CSV_FIELDS, type CsvMapping } from './csv';

export const SOURCE_FORMATS = ['clew', 'ncic', 'csv'] as const;
export type SourceFormat = (typeof SOURCE_FORMATS)[number];
export const SOURCE_ORIGINS = ['file', 'url'] as const;
export type SourceOrigin = (typeof SOURCE_ORIGINS)[number];

/** What a file holds: its format and, for CLEW, which list; for CSV, the list's name and the column mapping. */
export type ListFormat =
  | { format: 'clew'; list: ClewList }
  | { format: 'ncic' }
  | { format: 'csv'; listName: string; mapping: CsvMapping };

export type HotListSource = ListFormat & {
  origin: SourceOrigin;
  /** For `url` sources: an absolute URL on the app's own origin (the Content-Security-Policy allows no other). */
  url: string | null;
  /** Refresh at least this often; never longer than the policy's refresh interval. */
  intervalHours: number;
  /**
   * One character beyond look-alikes may differ in a match (ranked below exact and look-alike matches): for
   * small, high-value lists; lists over 20,000 entries match through their maps only. Absent on older sources: 0.
   */
  substitutions?: 0 | 1;
};

export interface SourceStatus {
  lastAttemptAt: number | null;
  lastSuccessAt: number | null;
  /** Why the last attempt failed; null after a success. */
  lastError: string | null;
}

/** After an attempt that left the list due (a failure, nothing newer), the unit tries again this much later. */
export const RETRY_AFTER_MS = 15 * MINUTE_MS;

const LIST_NAME = /^[A-Z0-9 _-]{2,40}$/i;

/** The list a file of this format loads into: `svs`, `sfr`, `slr`, `ncic` or `csv-<name>`. */
export function listIdentity(f: ListFormat): { listId: string; name: string } {
  if (f.format === 'clew') return { listId: f.list.toLowerCase(), name: f.list };
  if (f.format === 'ncic') return { listId: 'ncic', name: 'NCIC' };
  return {
    listId: `csv-${f.listName.toLowerCase().replace(/[^a-z0-9]+/g, '-')}`,
    name: f.listName.toUpperCase(),
  };
}

export class SourceError extends Error {
  constructor(
    readonly field: string,
    message: string,
  ) {
    super(`${field}: ${message}`);
    this.name = 'SourceError';
  }
}

/** Check a list name for a CSV source (letters, digits, spaces, _ or -; 2–40 characters). */
export function checkListName(name: string): string {
  const n = name.trim();
  if (!LIST_NAME.test(n)) throw new SourceError('listName', 'must be 2–40 letters, digits, spaces, _ or -');
  return n;
}

/**
 * A source URL: absolute or a path, resolved against the app's origin, and on that origin (https, or http only
 * where the app itself is served over http, e.g. localhost). No credentials or fragments in it.
 */
export function checkSourceUrl(url: string, appOrigin: string): string {
  let u: URL;
  try {
    u = new URL(url.trim(), appOrigin);
  } catch {
    throw new SourceError('url', `"${url}" is not a URL`);
  }
  if (u.origin !== new URL(appOrigin).origin) {
    throw new SourceError(
      'url',
      `must be on this app's server (${new URL(appOrigin).origin}); lists from other servers come through headquarters sync`,
    );
  }
  if (u.username || u.password) throw new SourceError('url', 'must not carry a user name or password');
  u.hash = '';
  return u.href;
}

/** A source's interval: whole hours from 1 to the policy's refresh interval (default: the policy's). */
export function checkInterval(hours: number | null | undefined, policy: AgencyPolicy): number {
  const max = policy.hotLists.refreshIntervalHours;
  if (hours === null || hours === undefined) return max;
  if (!Number.isInteger(hours) || hours < 1 || hours > max) {
    throw new SourceError(
      'intervalHours',
      `must be a whole number of hours from 1 to ${max} (the policy refreshes lists at least every ${max} hours)`,
    );
  }
  return hours;
}

/** A source's substitution budget: 0 (default) or 1. */
export function checkSubstitutions(n: unknown): 0 | 1 {
  if (n === undefined || n === null || n === 0) return 0;
  if (n === 1) return 1;
  throw new SourceError('substitutions', 'must be 0 or 1 (one differing character beyond look-alikes)');
}

/** Check a CSV column mapping: known fields only, `plate` required, header names 1–80 characters. */
export function checkMapping(mapping: Record<string, unknown>): CsvMapping {
  const out: Record<string, string> = {};
  for (const [key, value] of Object.entries(mapping)) {
    if (!(CSV_FIELDS as readonly string[]).includes(key))
      throw new SourceError(`mapping.${key}`, 'is not a field');
    if (value === undefined || value === null || value === '') continue;
    if (typeof value !== 'string' || value.trim().length === 0 || value.length > 80) {
      throw new SourceError(`mapping.${key}`, 'must be a column header of 1–80 characters');
    }
    out[key] = value.trim();
  }
  if (!out['plate']) throw new SourceError('mapping.plate', 'name the column that holds the plate');
  return out as unknown as CsvMapping;
}

/** The interval a list is held to: its source's, else the policy's. */
export function intervalOf(
  source: Pick<HotListSource, 'intervalHours'> | null,
  policy: AgencyPolicy,
): number {
  return Math.min(source?.intervalHours ?? Infinity, policy.hotLists.refreshIntervalHours);
}

/**
 * Whether the unit should fetch a URL source now: never loaded, or the list's data is as old as the interval —
 * but not within RETRY_AFTER_MS of the last attempt (a failure, or a server with nothing newer). File sources are never fetched (their due time is shown).
 */
export function fetchDue(
  source: HotListSource,
  status: SourceStatus,
  /** When the list in force was extracted (or loaded, if the file does not say); null when none is loaded. */
  dataAt: number | null,
  policy: AgencyPolicy,
  now: number,
): boolean {
  if (source.origin !== 'url') return false;
  if (status.lastAttemptAt !== null && now - status.lastAttemptAt < RETRY_AFTER_MS) return false;
  if (dataAt === null) return true;
  return now - dataAt >= intervalOf(source, policy) * HOUR_MS;
}

/** When the list next falls due (its data plus the interval); null when nothing is loaded (due now). */
export function dueAt(
  source: HotListSource | null,
  dataAt: number | null,
  policy: AgencyPolicy,
): number | null {
  return dataAt === null ? null : dataAt + intervalOf(source, policy) * HOUR_MS;
}
