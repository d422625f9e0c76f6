// A hit's verification, step by step (POLICY.md §4): an alert alone is never grounds for a stop.
//   1. visual   the officer compares the plate characters, state and vehicle with the image: match or misread;
//   2. dispatch confirmation through dispatch/CLETS that the plate is still of interest (who, when), or an
//      exigent-circumstances note when there is no time to confirm;
//   3. disposition: stop made (with outcome), not located, misread, no longer on list, no action; a free note.
// Until steps 1 and 2 are recorded (and step 1 was a match), no enforcement action may rest on the alert.

export const OUTCOMES = ['stop-made', 'not-located', 'misread', 'no-longer-listed', 'no-action'] as const;
export type Outcome = (typeof OUTCOMES)[number];

export type HitStep =
  | { kind: 'visual'; result: 'match' | 'misread'; note: string | null }
  | { kind: 'dispatch'; confirmedBy: string; stillOfInterest: boolean; note: string | null }
  | { kind: 'exigent'; note: string }
  | { kind: 'disposition'; outcome: Outcome; note: string | null };

export interface RecordedStep {
  step: HitStep;
  at: number;
  by: string;
}

export type HitStatus = 'open' | 'verified' | 'closed';

export interface HitState {
  status: HitStatus;
  visual: RecordedStep | null;
  confirmation: RecordedStep | null;
  disposition: RecordedStep | null;
  /** Steps 1 and 2 done, the plate matched and the hit is still of interest (or exigent): action may follow. */
  actionable: boolean;
  /** What the officer must do next, in plain words; null once closed. */
  next: string | null;
}

export function hitState(steps: readonly RecordedStep[]): HitState {
  const visual = steps.find((s) => s.step.kind === 'visual') ?? null;
  const confirmation = steps.find((s) => s.step.kind === 'dispatch' || s.step.kind === 'exigent') ?? null;
  const disposition = steps.find((s) => s.step.kind === 'disposition') ?? null;
  const matched = visual?.step.kind === 'visual' && visual.step.result === 'match';
  const confirmed =
    confirmation !== null &&
    (confirmation.step.kind === 'exigent' ||
      (confirmation.step.kind === 'dispatch' && confirmation.step.stillOfInterest));
  const actionable = matched && confirmed && !disposition;
  const status: HitStatus = disposition ? 'closed' : matched && confirmation ? 'verified' : 'open';
  const next = disposition
    ? null
    : !visual
      ? 'Compare the plate characters, state and vehicle with the image.'
      : !matched
        ? 'Record the disposition (misread).'
        : !confirmation
          ? 'Confirm through dispatch/CLETS that the plate is still of interest.'
          : 'Record the disposition.';
  return { status, visual, confirmation, disposition, actionable, next };
}

/** Why a step cannot be recorded now (steps go in order and each is recorded once), or null. */
export function stepProblem(steps: readonly RecordedStep[], step: HitStep): string | null {
  const state = hitState(steps);
  if (state.disposition) return 'This hit is closed.';
  switch (step.kind) {
    case 'visual':
      return state.visual ? 'The visual check is already recorded.' : null;
    case 'dispatch':
    case 'exigent':
      if (!state.visual) return 'Record the visual check first.';
      if (state.visual.step.kind === 'visual' && state.visual.step.result === 'misread') {
        return 'The plate was a misread: record the disposition.';
      }
      if (state.confirmation) return 'The confirmation is already recorded.';
      if (step.kind === 'dispatch' && step.confirmedBy.trim() === '')
        return 'Name who confirmed it (dispatcher or CLETS).';
      if (step.kind === 'exigent' && step.note.trim().length < 10)
        return 'Describe the exigent circumstances.';
      return null;
    case 'disposition': {
      if (!state.visual) return 'Record the visual check first.';
      const misread = state.visual.step.kind === 'visual' && state.visual.step.result === 'misread';
      if (misread && step.outcome !== 'misread')
        return 'The visual check found a misread: the disposition is misread.';
      if (!misread && !state.confirmation && step.outcome === 'stop-made') {
        return 'A stop cannot rest on the alert alone: confirm through dispatch/CLETS first (or record exigent circumstances).';
      }
      if (
        step.outcome === 'stop-made' &&
        state.confirmation?.step.kind === 'dispatch' &&
        !state.confirmation.step.stillOfInterest
      ) {
        return 'Dispatch said the plate is no longer of interest: no stop can rest on this hit.';
      }
      return null;
    }
  }
}
