// Locally entered hot plates (BOLOs, partial plates from major crimes). POLICY.md §4: each carries the entering
// member, a synopsis of the originating call and a case number; it is inactive until an ALPR Administrator other
// than the person who entered it approves it; it expires within the policy's maximum; no names, dates of birth or
// charges. Partial plates use `?` (one character) and `*` (any run) and need at least 3 known characters. Later
// edits of an entry in force need the entering member's supervisor: until then the entry matches as it was.
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

/**
 * Whether `approver` may approve an edit to an entry `enteredBy` made (POLICY.md §4: later updates need the entering
 * member's supervisor). Returns the refusal, or null when allowed. `supervisorId` is the entering member's
 * supervisor on record, null when none is set.
 */
export function editApprovalProblem(
  approver: { id: string },
  enteredBy: { id: string; name: string },
  supervisorId: string | null,
): string | null {
  if (approver.id === enteredBy.id) return 'Edits to your own entry need your supervisor’s approval.';
  if (supervisorId === null) {
    return `${enteredBy.name} has no supervisor on record: an administrator sets one on the Admin screen first.`;
  }
  if (approver.id !== supervisorId)
    return `Only ${enteredBy.name}’s supervisor may approve edits to their entries.`;
  return null;
}

/** The expiry an edit may give: as requested, but never past the policy's maximum from the original entry. */
export function editedExpiry(policy: AgencyPolicy, enteredAt: number, requested: number | null): number {
  return localEntryExpiresAt(policy, enteredAt, requested ?? undefined);
}
