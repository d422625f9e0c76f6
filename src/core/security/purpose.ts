// The purpose gate's rules: every look at stored data states a category from the policy plus a specific
// reference (a case/incident number in the agency's format, or a suspect's last name). Pure and table-tested.
// Invariant: a purpose that passes holds no personal data beyond a last name, nothing that reads as criminal
// history or CLETS data, and nothing prohibited (POLICY.md §2, §3).
import {
  STATUTORY_PROHIBITED_TERMS,
  STATUTORY_VAGUE_TERMS,
  type AgencyPolicy,
  type PurposeCategory,
} from '../policy/document';

export interface PurposeInput {
  /** Id of a category in the policy's list. */
  category: string;
  /** Case/incident number, or a suspect's last name. */
  reference: string;
  /** Optional short free text (kept in the access log). */
  note?: string;
}

export interface StatedPurpose {
  category: PurposeCategory;
  reference: string;
  referenceKind: 'case-number' | 'last-name';
  note: string | null;
}

export type PurposeVerdict = { ok: true; purpose: StatedPurpose } | { ok: false; reasons: string[] };

const MAX_NOTE = 200;

/** Patterns that look like personal data, criminal history or CLETS output: never allowed in a stated purpose. */
const PERSONAL_DATA: ReadonlyArray<{ re: RegExp; what: string }> = [
  { re: /\b(dob|d\.o\.b\.?|date of birth|born( on)?)\b/i, what: 'a date of birth' },
  {
    re: /\b\d{1,2}[/.-]\d{1,2}[/.-](19|20)\d{2}\b|\b(19|20)\d{2}-\d{2}-\d{2}\b/,
    what: 'a date (possibly a date of birth)',
  },
  { re: /\b(ssn|social security)\b/i, what: 'a social security number' },
  { re: /\b\d{3}[- ]\d{2}[- ]\d{4}\b/, what: 'a social security number' },
  { re: /\b(cdl|dl|driver'?s? licen[cs]e|oln)\b\s*#?\s*[a-z]?\d{5,}/i, what: "a driver's licence number" },
  { re: /\b[A-Z]\d{7}\b/, what: "a California driver's licence number" },
  {
    re: /\b(cii|fbi|sid|ncic|clets|rap sheet|criminal history|prior(s| arrests?| convictions?)|convicted|parolee|probationer)\b/i,
    what: 'criminal history or CLETS information',
  },
  { re: /\b(phone|cell|tel)\b|\(?\b\d{3}\)?[-. ]\d{3}[-. ]\d{4}\b/i, what: 'a phone number' },
  { re: /[^\s@]+@[^\s@]+\.[a-z]{2,}/i, what: 'an e-mail address' },
  { re: /\b\d{9}\b/, what: 'a nine-digit number (possibly a social security number)' },
];

/** Lower-case, collapse spaces, drop surrounding punctuation: how vague terms are compared. */
function normalise(text: string): string {
  return text
    .toLowerCase()
    .replace(/[\s_]+/g, ' ')
    .replace(/^[\s.,;:!?'"()-]+|[\s.,;:!?'"()-]+$/g, '')
    .trim();
}

/** A term as a whole-word phrase; a word ending in `*` matches any ending ("monitor* protest*"). */
function termRegex(term: string): RegExp {
  const words = term
    .trim()
    .split(/\s+/)
    .map((w) => {
      const prefix = w.endsWith('*');
      const core = (prefix ? w.slice(0, -1) : w).replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
      return prefix ? `${core}\\w*` : `${core}\\b`;
    });
  return new RegExp(`\\b${words.join('\\s+')}`, 'i');
}

function prohibitedIn(text: string, terms: readonly string[]): string | null {
  for (const term of terms) if (termRegex(term).test(text)) return term.replace(/\*$/, '');
  return null;
}

function personalDataIn(text: string): string | null {
  for (const { re, what } of PERSONAL_DATA) if (re.test(text)) return what;
  return null;
}

// Controls, markup and bidi overrides have no place in a purpose (it is shown, exported and audited).
// eslint-disable-next-line no-control-regex
const UNSAFE_CHARS = /[\u0000-\u001f\u007f<>\u202a-\u202e\u2066-\u2069]/;
const LAST_NAME = /^[\p{L}][\p{L}' -]*[\p{L}]$/u;

export function caseNumberMatcher(policy: AgencyPolicy): RegExp {
  return new RegExp(`^(?:${policy.purpose.caseNumberPattern})$`);
}

/** Check a stated purpose against the policy. Never throws; every reason is a sentence an officer can act on. */
export function checkPurpose(input: PurposeInput, policy: AgencyPolicy): PurposeVerdict {
  const reasons: string[] = [];
  const category = policy.purpose.categories.find((c) => c.id === input.category);
  if (!category) reasons.push('Choose a purpose category from the list.');

  const reference = (input.reference ?? '').trim().replace(/\s+/g, ' ');
  const note = (input.note ?? '').trim().replace(/\s+/g, ' ');
  const vague = new Set([...STATUTORY_VAGUE_TERMS, ...policy.purpose.vagueTerms].map(normalise));
  const prohibitedTerms = [...STATUTORY_PROHIBITED_TERMS, ...policy.purpose.prohibitedTerms];

  for (const [label, text] of [
    ['reference', reference],
    ['note', note],
  ] as const) {
    if (UNSAFE_CHARS.test(text)) reasons.push(`The ${label} contains characters that are not allowed.`);
    const prohibited = prohibitedIn(text, prohibitedTerms);
    if (prohibited)
      reasons.push(`ALPR data may not be used for "${prohibited}" (agency policy and state law).`);
  }
  if (note.length > MAX_NOTE) reasons.push(`Keep the note under ${MAX_NOTE} characters.`);

  let referenceKind: StatedPurpose['referenceKind'] | null = null;
  if (reference === '') {
    reasons.push('Give a case or incident number, or a suspect’s last name.');
  } else if (vague.has(normalise(reference))) {
    reasons.push(`"${reference}" is too vague: give a case or incident number, or a suspect’s last name.`);
  } else {
    // Personal data is checked first, so a licence or social security number can never pass as a case number.
    const personal = personalDataIn(reference);
    if (personal) {
      reasons.push(
        `The reference looks like ${personal}: purposes may not hold personal data or criminal history.`,
      );
    } else if (caseNumberMatcher(policy).test(reference.toUpperCase())) {
      referenceKind = 'case-number';
    } else if (LAST_NAME.test(reference) && reference.split(' ').length <= 3) {
      if (reference.length < policy.purpose.minReferenceLength) {
        reasons.push(`The reference must be at least ${policy.purpose.minReferenceLength} characters.`);
      } else {
        referenceKind = 'last-name';
      }
    } else {
      reasons.push(
        'The reference must be a case or incident number in the agency’s format, or a suspect’s last name only.',
      );
    }
  }

  if (note !== '') {
    const personal = personalDataIn(note);
    if (personal)
      reasons.push(`The note looks like it holds ${personal}: leave personal data out of the purpose.`);
  }

  if (reasons.length > 0 || !category || !referenceKind) {
    return { ok: false, reasons: [...new Set(reasons)] };
  }
  return {
    ok: true,
    purpose: {
      category,
      reference: referenceKind === 'case-number' ? reference.toUpperCase() : reference,
      referenceKind,
      note: note === '' ? null : note,
    },
  };
}
