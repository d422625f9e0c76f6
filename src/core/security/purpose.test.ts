import { describe, expect, it } from 'vitest';
import { DEFAULT_POLICY, type AgencyPolicy } from '../policy/document';
import { checkPurpose } from './purpose';

const policy: AgencyPolicy = DEFAULT_POLICY;
const ok = (reference: string, note?: string, category = 'criminal-investigation') =>
  checkPurpose({ category, reference, ...(note === undefined ? {} : { note }) }, policy);

describe('purpose gate', () => {
  it.each([
    ['24-012345', 'case-number', '24-012345'],
    ['2024-0012345', 'case-number', '2024-0012345'],
    ['so24-01234', 'case-number', 'SO24-01234'],
    ['Hernandez', 'last-name', 'Hernandez'],
    ["O'Brien", 'last-name', "O'Brien"],
    ['Smith-Jones', 'last-name', 'Smith-Jones'],
    ['  van der  Berg ', 'last-name', 'van der Berg'],
    ['Nguyễn', 'last-name', 'Nguyễn'],
  ])('accepts the reference %j as a %s', (reference, kind, normalised) => {
    const v = ok(reference);
    expect(v).toMatchObject({ ok: true, purpose: { referenceKind: kind, reference: normalised } });
  });

  it.each([
    ['', /case or incident number/],
    ['investigation', /too vague/],
    ['Investigation.', /too vague/],
    ['INV', /too vague/],
    ['test', /too vague/],
    ['n/a', /too vague/],
    ['misc', /too vague/],
    ['Ng', /at least 3/],
    ['ABC123 parked downtown', /case or incident number .* or a suspect’s last name only/],
    ['123-45-6789', /social security/],
    ['123456789', /nine-digit/],
    ['A1234567', /driver's licence/],
    ['DOB 01/02/1980', /date of birth/],
    ['(916) 555-0100', /phone number/],
    ['CII A12345678', /criminal history/],
    ['rap sheet', /criminal history/],
    ['j.doe@example.com', /e-mail/],
    ['<script>', /not allowed/],
    ['Smith\u202e', /not allowed/],
  ])('refuses the reference %j, saying why', (reference, reason) => {
    const v = ok(reference);
    expect(v.ok).toBe(false);
    if (!v.ok) expect(v.reasons.join(' ')).toMatch(reason);
  });

  it.each([
    ['24-012345', 'immigration enforcement request'],
    ['24-012345', 'possible deportation case'],
    ['24-012345', 'personal use'],
    ['24-012345', 'harassing my neighbour'],
    ['24-012345', 'monitoring protesters at city hall'],
    ['24-012345', 'First Amendment event'],
    ['Immigrant', undefined],
  ])('refuses prohibited purposes: %j / %j', (reference, note) => {
    const v = ok(reference, note);
    expect(v.ok).toBe(false);
    if (!v.ok) expect(v.reasons.join(' ')).toMatch(/may not be used for/);
  });

  it('does not mistake words that merely contain a prohibited term', () => {
    expect(ok('24-012345', 'generally seen near the harbour').ok).toBe(true);
    expect(ok('Churchill').ok).toBe(true);
  });

  it('refuses personal data in the note even with a good reference', () => {
    const v = ok('24-012345', 'suspect DOB 1980-01-02');
    expect(v.ok).toBe(false);
    if (!v.ok) expect(v.reasons.join(' ')).toMatch(/note looks like .*date of birth/);
    expect(ok('24-012345', 'x'.repeat(201)).ok).toBe(false);
    expect(ok('24-012345', 'white pickup seen at the scene')).toMatchObject({
      ok: true,
      purpose: { note: 'white pickup seen at the scene' },
    });
  });

  it('needs a category from the policy, and applies agency-added terms and case formats', () => {
    expect(ok('24-012345', undefined, 'curiosity').ok).toBe(false);
    const strict: AgencyPolicy = {
      ...policy,
      purpose: {
        ...policy.purpose,
        caseNumberPattern: 'R[0-9]{8}',
        vagueTerms: ['follow up'],
        prohibitedTerms: ['civil dispute*'],
      },
    };
    const check = (reference: string, note?: string) =>
      checkPurpose({ category: 'criminal-investigation', reference, ...(note ? { note } : {}) }, strict);
    expect(check('R20240001')).toMatchObject({ ok: true, purpose: { referenceKind: 'case-number' } });
    expect(check('24-012345').ok).toBe(false);
    expect(check('Follow-up').ok).toBe(true); // hyphenated, treated as a name: normalise keeps it distinct
    expect(check('follow up').ok).toBe(false);
    expect(check('R20240001', 'civil disputes between neighbours').ok).toBe(false);
  });
});
