import { describe, expect, it } from 'vitest';
import { DEFAULT_POLICY } from '../policy/document';
import { HOUR_MS, MINUTE_MS } from '../policy/rules';
import {
  checkInterval,
  checkListName,
  checkMapping,
  checkSubstitutions,
  checkSourceUrl,
  dueAt,
  fetchDue,
  listIdentity,
  RETRY_AFTER_MS,
  type HotListSource,
  type SourceStatus,
} from './source';

const policy = DEFAULT_POLICY; // lists refreshed at least every 24 hours
const T0 = Date.UTC(2026, 10, 23, 12);
const url: HotListSource = {
  format: 'clew',
  list: 'SVS',
  origin: 'url',
  url: 'https://unit.example.gov/lists/svs.tbl',
  intervalHours: 6,
};
const never: SourceStatus = { lastAttemptAt: null, lastSuccessAt: null, lastError: null };

describe('hot-list sources', () => {
  it('names the list a file loads into', () => {
    expect(listIdentity({ format: 'clew', list: 'SFR' })).toEqual({ listId: 'sfr', name: 'SFR' });
    expect(listIdentity({ format: 'ncic' })).toEqual({ listId: 'ncic', name: 'NCIC' });
    expect(listIdentity({ format: 'csv', listName: 'Local bolo', mapping: { plate: 'P' } })).toEqual({
      listId: 'csv-local-bolo',
      name: 'LOCAL BOLO',
    });
    expect(() => checkListName('<script>')).toThrow(/listName: must be 2–40 letters/);
  });

  it('accepts URLs on the app’s own server only', () => {
    const app = 'https://unit.example.gov';
    expect(checkSourceUrl('/lists/svs.tbl', app)).toBe('https://unit.example.gov/lists/svs.tbl');
    expect(checkSourceUrl('https://unit.example.gov/a?v=1#x', app)).toBe('https://unit.example.gov/a?v=1');
    expect(() => checkSourceUrl('https://lists.example.com/svs.tbl', app)).toThrow(
      /must be on this app's server \(https:\/\/unit\.example\.gov\)/,
    );
    expect(() => checkSourceUrl('http://unit.example.gov/svs.tbl', app)).toThrow(/this app's server/);
    expect(() => checkSourceUrl('https://me:pw@unit.example.gov/svs.tbl', app)).toThrow(/password/);
    expect(() => checkSourceUrl('http://[bad', app)).toThrow(/is not a URL/);
  });

  it('holds intervals to whole hours within the policy', () => {
    expect(checkInterval(undefined, policy)).toBe(24);
    expect(checkInterval(6, policy)).toBe(6);
    expect(() => checkInterval(25, policy)).toThrow(/from 1 to 24/);
    expect(() => checkInterval(0.5, policy)).toThrow(/whole number/);
  });

  it('allows at most one substitution beyond look-alikes', () => {
    expect(checkSubstitutions(undefined)).toBe(0);
    expect(checkSubstitutions(1)).toBe(1);
    expect(() => checkSubstitutions(2)).toThrow(/substitutions: must be 0 or 1/);
  });

  it('checks a CSV column mapping', () => {
    expect(checkMapping({ plate: ' Plate ', state: '', reason: 'Why' })).toEqual({
      plate: 'Plate',
      reason: 'Why',
    });
    expect(() => checkMapping({ state: 'St' })).toThrow(/mapping.plate/);
    expect(() => checkMapping({ plate: 'P', owner: 'Owner' })).toThrow(/mapping.owner: is not a field/);
  });

  it('fetches a URL source when nothing is loaded or its data reaches the interval', () => {
    expect(fetchDue(url, never, null, policy, T0)).toBe(true);
    expect(fetchDue(url, never, T0 - 5 * HOUR_MS, policy, T0)).toBe(false);
    expect(fetchDue(url, never, T0 - 6 * HOUR_MS, policy, T0)).toBe(true);
    expect(dueAt(url, T0, policy)).toBe(T0 + 6 * HOUR_MS);
    expect(dueAt(null, T0, policy)).toBe(T0 + 24 * HOUR_MS);
  });

  it('waits before trying again after an attempt, and never fetches a file source', () => {
    const failed: SourceStatus = {
      lastAttemptAt: T0 - 5 * MINUTE_MS,
      lastSuccessAt: null,
      lastError: 'offline',
    };
    expect(fetchDue(url, failed, null, policy, T0)).toBe(false);
    expect(fetchDue(url, failed, null, policy, T0 - 5 * MINUTE_MS + RETRY_AFTER_MS)).toBe(true);
    expect(fetchDue({ ...url, origin: 'file', url: null }, never, null, policy, T0)).toBe(false);
  });
});
