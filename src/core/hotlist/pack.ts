// Hot-list entries packed column by column for storage: a 1M-entry list packs into tens of megabytes instead of
// a million objects, and unpacks in one pass. Lossless: unpack(pack(x)) equals x.
import type { HotEntry } from './entry';

export interface PackedEntries {
  v: 1;
  plate: string[];
  state: (string | null)[];
  listCode: string[];
  reason: (string | null)[];
  reference: (string | null)[];
  vehicle: (HotEntry['vehicle'] | null)[];
  effectiveAt: (number | null)[];
  expiresAt: (number | null)[];
  /** 1 high, 0 normal. */
  priority: number[];
}

export function packEntries(entries: HotEntry[]): PackedEntries {
  const p: PackedEntries = {
    v: 1,
    plate: [],
    state: [],
    listCode: [],
    reason: [],
    reference: [],
    vehicle: [],
    effectiveAt: [],
    expiresAt: [],
    priority: [],
  };
  for (const e of entries) {
    p.plate.push(e.plate);
    p.state.push(e.state);
    p.listCode.push(e.listCode);
    p.reason.push(e.reason);
    p.reference.push(e.reference);
    p.vehicle.push(e.vehicle);
    p.effectiveAt.push(e.effectiveAt);
    p.expiresAt.push(e.expiresAt);
    p.priority.push(e.priority === 'high' ? 1 : 0);
  }
  return p;
}

export function unpackEntries(p: PackedEntries): HotEntry[] {
  if (p.v !== 1) throw new Error(`Unknown packed hot-list format ${String(p.v)}`);
  const n = p.plate.length;
  for (const column of [
    p.state,
    p.listCode,
    p.reason,
    p.reference,
    p.vehicle,
    p.effectiveAt,
    p.expiresAt,
    p.priority,
  ]) {
    if (column.length !== n)
      throw new Error('A packed hot-list segment is damaged: its columns differ in length');
  }
  const out: HotEntry[] = new Array(n);
  for (let i = 0; i < n; i++) {
    out[i] = {
      plate: p.plate[i]!,
      state: p.state[i]!,
      listCode: p.listCode[i]!,
      reason: p.reason[i]!,
      reference: p.reference[i]!,
      vehicle: p.vehicle[i]!,
      effectiveAt: p.effectiveAt[i]!,
      expiresAt: p.expiresAt[i]!,
      priority: p.priority[i] === 1 ? 'high' : 'normal',
    };
  }
  return out;
}
