import { describe, expect, it } from 'vitest';
import { DEFAULT_POLICY } from '../policy/document';
import { DAY_MS } from '../policy/rules';
import { editApprovalProblem, editedExpiry, validateLocalEntry, type LocalEntryInput } from './local';

const NOW = Date.UTC(2026, 10, 20);
const good: LocalEntryInput = {
  plate: '7abc 123',
  state: 'ca',
  list: 'BOLO',
  synopsis: 'Vehicle left the scene of an armed robbery on J Street',
  caseNumber: '26-004512',
  vehicle: 'grey Honda Civic, dented rear bumper',
  expiresAt: null,
  priority: 'high',
};

describe('local hot-list entries', () => {
  it('normalises a good entry and gives it the policy maximum expiry', () => {
    const r = validateLocalEntry(good, DEFAULT_POLICY, NOW);
    expect(r).toMatchObject({
      ok: true,
      entry: {
        plate: '7ABC123',
        state: 'CA',
        listCode: 'BOLO',
        reference: '26-004512',
        priority: 'high',
        expiresAt: NOW + 30 * DAY_MS,
      },
    });
  });

  it('keeps a shorter requested expiry and accepts partial plates with enough known characters', () => {
    const r = validateLocalEntry(
      { ...good, plate: '4K?L2*', expiresAt: NOW + 3 * DAY_MS },
      DEFAULT_POLICY,
      NOW,
    );
    expect(r).toMatchObject({ ok: true, entry: { plate: '4K?L2*', expiresAt: NOW + 3 * DAY_MS } });
  });

  it.each<[Partial<LocalEntryInput>, string]>([
    [{ plate: '7AB-C!23' }, 'plate'],
    [{ plate: '4?*' }, 'plate'],
    [{ state: 'XX' }, 'state'],
    [{ synopsis: 'robbery' }, 'synopsis'],
    [{ synopsis: 'Driver name: John Doe, DOB 01/02/1980' }, 'synopsis'],
    [{ vehicle: 'owned by suspect: John, PC 459 charge' }, 'vehicle'],
    [{ caseNumber: 'investigation' }, 'caseNumber'],
    [{ expiresAt: NOW - 1 }, 'expiresAt'],
  ])('refuses %j, naming %s', (change, field) => {
    const r = validateLocalEntry({ ...good, ...change }, DEFAULT_POLICY, NOW);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.problems.map((p) => p.field)).toContain(field);
  });

  it('edits need the entering member’s supervisor, and never outlive the original entry’s maximum', () => {
    const pat = { id: 'u-pat', name: 'Pat Person' };
    expect(editApprovalProblem({ id: 'u-sup' }, pat, 'u-sup')).toBeNull();
    expect(editApprovalProblem({ id: 'u-other' }, pat, 'u-sup')).toMatch(/Only Pat Person’s supervisor/);
    expect(editApprovalProblem({ id: 'u-sup' }, pat, null)).toMatch(/no supervisor on record/);
    expect(editApprovalProblem({ id: 'u-pat' }, pat, 'u-pat')).toMatch(/your supervisor’s approval/);
    const entered = NOW - 10 * DAY_MS;
    expect(editedExpiry(DEFAULT_POLICY, entered, null)).toBe(entered + 30 * DAY_MS);
    expect(editedExpiry(DEFAULT_POLICY, entered, NOW + 60 * DAY_MS)).toBe(entered + 30 * DAY_MS);
    expect(editedExpiry(DEFAULT_POLICY, entered, NOW + DAY_MS)).toBe(NOW + DAY_MS);
  });
});
