// Locally entered hot plates (BOLOs, partial plates from major crimes). POLICY.md §4: each carries the entering
// member, a synopsis of the originating call and a case number; it is inactive until an ALPR Administrator other
// than the person who entered it approves it; it expires within the policy's maximum; no names, dates of birth or
// charges. Partial plates use `?` (one character) and `*` (any run) and need at least 3 known characters.
import type { AgencyPolicy } from '../policy/document';
import { localEntryExpiresAt } from '../policy/rules';
import { caseNumberMatcher } from '../security/purpose';
import { personalDataIn, US_STATES, type HotEntry } from './entry';

export const LOCAL_LISTS = ['BOLO', 'STOLEN', 'WANTED-VEHICLE', 'MISSING', 'AMBER'] as const;
export type LocalList = (typeof LOCAL_LISTS)[number];

export interface LocalEntryInput {
  plate: string;
  state: string | null;
  list: LocalList;
  synopsis: string;
  caseNumber: string;
  vehicle: string | null;
  /** Requested expiry (epoch ms); clamped to the policy's maximum. */
  expiresAt: number | null;
  priority: 'high' | 'normal';
}

export interface LocalEntryProblem {
  field: keyof LocalEntryInput;
  message: string;
}

export function validateLocalEntry(
  input: LocalEntryInput,
  policy: AgencyPolicy,
  now: number,
): { ok: true; entry: HotEntry } | { ok: false; problems: LocalEntryProblem[] } {
  const problems: LocalEntryProblem[] = [];
  const plate = input.plate.toUpperCase().replace(/[\s-]/g, '');
  if (!/^[A-Z0-9?*]{1,8}$/.test(plate)) {
    problems.push({
      field: 'plate',
      message: 'Use 1–8 letters and digits; ? for one unknown character, * for several',
    });
  } else if (/[?*]/.test(plate) && plate.replace(/[?*]/g, '').length < 3) {
    problems.push({ field: 'plate', message: 'A partial plate needs at least 3 known characters' });
  }
  const state = input.state ? input.state.toUpperCase() : null;
  if (state && !US_STATES.has(state))
    problems.push({ field: 'state', message: `"${state}" is not a state code` });
  const synopsis = input.synopsis.trim();
  if (synopsis.length < 10 || synopsis.length > 500) {
    problems.push({ field: 'synopsis', message: 'Summarise the originating call in 10–500 characters' });
  }
  for (const field of ['synopsis', 'vehicle'] as const) {
    const what = personalDataIn(input[field]);
    if (what)
      problems.push({ field, message: `This looks like ${what}: hot lists describe vehicles, never people` });
  }
  const caseNumber = input.caseNumber.trim().toUpperCase();
  if (!caseNumberMatcher(policy).test(caseNumber)) {
    problems.push({ field: 'caseNumber', message: "Give the case number in the agency's format" });
  }
  if (input.expiresAt !== null && input.expiresAt <= now) {
    problems.push({ field: 'expiresAt', message: 'The expiry must be in the future' });
  }
  if (problems.length) return { ok: false, problems };
  const vehicle = input.vehicle?.trim() || null;
  return {
    ok: true,
    entry: {
      plate,
      state,
      listCode: input.list,
      reason: synopsis,
      reference: caseNumber,
      vehicle: vehicle ? { year: null, make: null, model: vehicle, colour: null } : null,
      effectiveAt: null,
      expiresAt: localEntryExpiresAt(policy, now, input.expiresAt ?? undefined),
      priority: input.priority,
    },
  };
}
