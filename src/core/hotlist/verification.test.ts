import { describe, expect, it } from 'vitest';
import { hitState, stepProblem, type HitStep, type RecordedStep } from './verification';

const rec = (step: HitStep, at = 1): RecordedStep => ({ step, at, by: 'op1' });
const match = rec({ kind: 'visual', result: 'match', note: null });
const misread = rec({ kind: 'visual', result: 'misread', note: 'B read as 8' });
const dispatch = (stillOfInterest = true) =>
  rec({ kind: 'dispatch', confirmedBy: 'Dispatcher 42', stillOfInterest, note: null });

describe('hit verification', () => {
  it('is open and not actionable until the visual match and the confirmation are recorded', () => {
    expect(hitState([])).toMatchObject({ status: 'open', actionable: false });
    expect(hitState([match])).toMatchObject({
      status: 'open',
      actionable: false,
      next: expect.stringMatching(/dispatch/),
    });
    expect(hitState([match, dispatch()])).toMatchObject({ status: 'verified', actionable: true });
    expect(
      hitState([match, rec({ kind: 'exigent', note: 'vehicle fleeing toward a school' })]).actionable,
    ).toBe(true);
  });
  it('is not actionable when dispatch says the plate is no longer of interest', () => {
    expect(hitState([match, dispatch(false)]).actionable).toBe(false);
  });
  it('closes with the disposition', () => {
    const s = hitState([
      match,
      dispatch(),
      rec({ kind: 'disposition', outcome: 'stop-made', note: 'arrest' }),
    ]);
    expect(s).toMatchObject({ status: 'closed', actionable: false, next: null });
  });

  it.each([
    [[], { kind: 'dispatch', confirmedBy: 'D', stillOfInterest: true, note: null }, /visual check first/],
    [[match], { kind: 'visual', result: 'match', note: null }, /already recorded/],
    [[misread], { kind: 'dispatch', confirmedBy: 'D', stillOfInterest: true, note: null }, /misread/],
    [[misread], { kind: 'disposition', outcome: 'no-action', note: null }, /disposition is misread/],
    [[match], { kind: 'disposition', outcome: 'stop-made', note: null }, /cannot rest on the alert alone/],
    [
      [match, dispatch(false)],
      { kind: 'disposition', outcome: 'stop-made', note: null },
      /no longer of interest/,
    ],
    [
      [match],
      { kind: 'dispatch', confirmedBy: '  ', stillOfInterest: true, note: null },
      /Name who confirmed/,
    ],
    [[match], { kind: 'exigent', note: 'hurry' }, /exigent/],
    [
      [match, dispatch(), rec({ kind: 'disposition', outcome: 'not-located', note: null })],
      { kind: 'visual', result: 'match', note: null },
      /closed/,
    ],
  ] as [RecordedStep[], HitStep, RegExp][])(
    'refuses out-of-order or unsupported steps (%#)',
    (steps, step, problem) => {
      expect(stepProblem(steps, step)).toMatch(problem);
    },
  );

  it.each([
    [[], { kind: 'visual', result: 'misread', note: null }],
    [[misread], { kind: 'disposition', outcome: 'misread', note: null }],
    [[match], { kind: 'disposition', outcome: 'not-located', note: null }],
    [[match, dispatch()], { kind: 'disposition', outcome: 'stop-made', note: 'driver cited' }],
  ] as [RecordedStep[], HitStep][])('accepts the steps in order (%#)', (steps, step) => {
    expect(stepProblem(steps, step)).toBeNull();
  });
});
