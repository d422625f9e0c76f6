import { describe, expect, it } from 'vitest';
import type { HotEntry } from './entry';
import { foldPlate, HotListIndex, type ListInput } from './matcher';

const NOW = Date.UTC(2026, 10, 1);
const entry = (plate: string, extra: Partial<HotEntry> = {}): HotEntry => ({
  plate,
  state: 'CA',
  listCode: 'SVS',
  reason: null,
  reference: null,
  vehicle: null,
  effectiveAt: null,
  expiresAt: null,
  priority: 'normal',
  ...extra,
});
const list = (listId: string, entries: HotEntry[], substitutionBudget: 0 | 1 = 0): ListInput => ({
  listId,
  name: listId,
  substitutionBudget,
  entries,
});
const kinds = (index: HotListIndex, readings: string[], state: string | null = 'CA') =>
  index.match({ readings, state, at: NOW }).map((m) => `${m.entry.plate}:${m.kind}:${m.reading}`);

describe('hot-list matching', () => {
  const index = new HotListIndex([
    list('svs', [
      entry('7ABC123'),
      entry('8XYZ789', { state: 'NV' }),
      entry('AB1'),
      entry('OLD1234', { expiresAt: NOW - 1 }),
    ]),
    list(
      'bolo',
      [entry('5GHS204', { listCode: 'BOLO', priority: 'high' }), entry('4K?L2*', { listCode: 'BOLO' })],
      1,
    ),
  ]);

  it('finds every entry of a plate listed more than once, in one list or several', () => {
    const many = new HotListIndex([
      list('a', [
        entry('7ABC123', { reference: 'a1' }),
        entry('5XYZ999'),
        entry('7ABC123', { reference: 'a2' }),
      ]),
      list('b', [entry('7ABC123', { reference: 'b1' }), entry('7A8C123', { reference: 'b2' })]),
    ]);
    const found = many.match({ readings: ['7ABC123'], state: 'CA', at: NOW });
    expect(found.map((m) => `${m.listId}:${m.entry.reference}:${m.kind}`)).toEqual([
      'a:a1:exact',
      'a:a2:exact',
      'b:b1:exact',
      'b:b2:look-alike',
    ]);
  });

  it('folds look-alike characters', () => {
    expect(foldPlate('O0DQ I1LT B8 S5 Z2 G6')).toBe('0000 1111 88 55 22 66');
  });

  it.each([
    [['7ABC123'], ['7ABC123:exact:0']],
    [['7A8C123'], ['7ABC123:look-alike:0']], // B read as 8
    [['TABC1Z3'], []], // T folds to 1, and 7 is no look-alike of 1: no match
    [['7ABC12E'], []], // one substitution, but SVS has no budget
    [['5GHS2O4'], ['5GHS204:look-alike:0']],
    [['5GHS284'], ['5GHS204:substitution:0']], // one real difference on the BOLO list (budget 1)
    [['5GHX284'], []], // two differences: no
    [['4KXL29'], ['4K?L2*:wildcard:0']],
    [['4KXL2999'], ['4K?L2*:wildcard:0']],
    [['4KL2'], []],
    [['AB1'], ['AB1:exact:0']],
    [['A81'], []], // short plates: exact only
    [['OLD1234'], []], // expired
  ])('%j → %j', (readings, expected) => {
    expect(kinds(index, readings)).toEqual(expected);
  });

  it('requires the state to agree when both sides know it', () => {
    expect(kinds(index, ['8XYZ789'], 'CA')).toEqual([]);
    expect(kinds(index, ['8XYZ789'], 'NV')).toEqual(['8XYZ789:exact:0']);
    expect(kinds(index, ['8XYZ789'], null)).toEqual(['8XYZ789:exact:0']);
  });

  it('matches alternates, ranking the top reading and exact matches first, one match per entry', () => {
    const m = index.match({ readings: ['5GHS2O4', '7ABC123', '5GHS204'], state: 'CA', at: NOW });
    // 5GHS204 matched the top reading as a look-alike and alternate 2 exactly: the better (exact) one is kept.
    expect(m.map((x) => `${x.entry.plate}:${x.kind}:${x.reading}`)).toEqual([
      '7ABC123:exact:1',
      '5GHS204:exact:2',
    ]);
    expect(m[0]!.rank).toBeGreaterThan(m[1]!.rank);
  });

  it('ignores entries not yet effective and reading noise', () => {
    const later = new HotListIndex([list('x', [entry('9QQQ999', { effectiveAt: NOW + 1000 })])]);
    expect(kinds(later, ['9QQQ999'])).toEqual([]);
    expect(kinds(index, ['7-abc 123'])).toEqual(['7ABC123:exact:0']);
    expect(kinds(index, ['', '---'])).toEqual([]);
  });
});
