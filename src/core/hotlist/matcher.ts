// Matching reads against every active hot list, in memory (built in the worker, rebuilt when lists change).
// How a read can match an entry, best first:
//   exact       the reading equals the plate;
//   look-alike  equal once look-alike characters are folded (O/0/D/Q, I/1/L/T, B/8, S/5, Z/2, G/6);
//   substitution  one more character differs, for lists whose budget allows it (local BOLOs, small lists);
//   wildcard    a partial plate from a major crime (`?` one character, `*` any run), compared folded.
// The read's top reading outranks its alternates. Plates under 4 characters match exactly only (a fold or a
// substitution would hit thousands of them). When both sides know the state, it must agree. Expired or not yet
// effective entries never match.
import { foldPlate } from '../plate';
import type { HotEntry } from './entry';

export { foldPlate };

const SHORT = 4;
/** Lists larger than this are matched through maps only (no linear substitution scan). */
const MAX_SCAN = 20_000;

export interface ListInput {
  listId: string;
  name: string;
  /** Extra differing characters tolerated beyond look-alikes: 0 or 1. */
  substitutionBudget: 0 | 1;
  entries: HotEntry[];
}

export type MatchKind = 'exact' | 'look-alike' | 'substitution' | 'wildcard';

export interface HotMatch {
  listId: string;
  listName: string;
  entry: HotEntry;
  kind: MatchKind;
  /** Which reading matched: 0 the top reading, 1.. the alternates. */
  reading: number;
  /** Higher is better: exact top reading first. */
  rank: number;
}

export interface ReadForMatch {
  readings: string[];
  state: string | null;
  at: number;
}

/**
 * An entry's place in the index, packed into one number (list × 2^24 + entry): a small integer the engine keeps
 * unboxed, so a million entries cost no objects. A map value is one ref, or an array only where plates repeat.
 */
type Ref = number;
type Refs = Ref | Ref[];
const REF_STRIDE = 2 ** 24;

const KIND_RANK: Record<MatchKind, number> = {
  exact: 400,
  'look-alike': 300,
  substitution: 200,
  wildcard: 100,
};

export class HotListIndex {
  private readonly exact = new Map<string, Refs>();
  private readonly folded = new Map<string, Refs>();
  private readonly scan: { ref: Ref; folded: string }[] = [];
  private readonly wildcards: { ref: Ref; re: RegExp }[] = [];
  readonly size: number;

  constructor(private readonly lists: ListInput[]) {
    let size = 0;
    lists.forEach((list, li) => {
      const scanThis = list.substitutionBudget > 0 && list.entries.length <= MAX_SCAN;
      if (list.entries.length >= REF_STRIDE)
        throw new RangeError(`${list.name}: more than ${REF_STRIDE - 1} entries in one list`);
      list.entries.forEach((e, ei) => {
        const ref = li * REF_STRIDE + ei;
        size++;
        if (/[?*]/.test(e.plate)) {
          const pattern = [...foldPlate(e.plate)]
            .map((c) => (c === '?' ? '.' : c === '*' ? '.*' : c))
            .join('');
          this.wildcards.push({ ref, re: new RegExp(`^${pattern}$`) });
          return;
        }
        push(this.exact, e.plate, ref);
        if (e.plate.length >= SHORT) {
          const f = foldPlate(e.plate);
          push(this.folded, f, ref);
          if (scanThis) this.scan.push({ ref, folded: f });
        }
      });
    });
    this.size = size;
  }

  /** Every match for a read (its top reading and alternates), best first, one per entry. */
  match(read: ReadForMatch): HotMatch[] {
    const best = new Map<Ref, HotMatch>();
    const consider = (ref: Ref, kind: MatchKind, reading: number) => {
      const list = this.lists[Math.floor(ref / REF_STRIDE)]!;
      const entry = list.entries[ref % REF_STRIDE]!;
      if (entry.expiresAt !== null && entry.expiresAt <= read.at) return;
      if (entry.effectiveAt !== null && entry.effectiveAt > read.at) return;
      if (entry.state && read.state && entry.state !== read.state) return;
      const rank = KIND_RANK[kind] - reading * 10;
      const prev = best.get(ref);
      if (!prev || prev.rank < rank)
        best.set(ref, { listId: list.listId, listName: list.name, entry, kind, reading, rank });
    };
    read.readings.forEach((raw, reading) => {
      const plate = raw.toUpperCase().replace(/[^A-Z0-9]/g, '');
      if (!plate) return;
      each(this.exact.get(plate), (ref) => consider(ref, 'exact', reading));
      if (plate.length < SHORT) return;
      const f = foldPlate(plate);
      each(this.folded.get(f), (ref) => consider(ref, 'look-alike', reading));
      for (const { ref, folded } of this.scan)
        if (oneApart(folded, f)) consider(ref, 'substitution', reading);
      for (const { ref, re } of this.wildcards) if (re.test(f)) consider(ref, 'wildcard', reading);
    });
    return [...best.values()].sort((a, b) => b.rank - a.rank);
  }
}

function push(map: Map<string, Refs>, key: string, ref: Ref): void {
  const refs = map.get(key);
  if (refs === undefined) map.set(key, ref);
  else if (typeof refs === 'number') map.set(key, [refs, ref]);
  else refs.push(ref);
}

function each(refs: Refs | undefined, fn: (ref: Ref) => void): void {
  if (refs === undefined) return;
  if (typeof refs === 'number') fn(refs);
  else refs.forEach(fn);
}

/** Same length, exactly one position different. */
function oneApart(a: string, b: string): boolean {
  if (a.length !== b.length) return false;
  let diff = 0;
  for (let i = 0; i < a.length; i++) if (a.charCodeAt(i) !== b.charCodeAt(i) && ++diff > 1) return false;
  return diff === 1;
}
