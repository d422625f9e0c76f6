// One benchmark figure, printed by `npm run bench` as one JSON line.
export interface BenchFigure {
  /** `<area>.<name>`, e.g. `shell.worker_call_ms`. */
  bench: string;
  value: number;
  unit: 'ms' | 'per_s' | 'MB' | 'KB' | 'pct';
  /** Samples behind the value. */
  n: number;
}

export type Report = (figure: BenchFigure) => void;

export function median(values: number[]): number {
  const s = [...values].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}

export function percentile(values: number[], p: number): number {
  const s = [...values].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.max(0, Math.ceil((p / 100) * s.length) - 1))]!;
}

export const round = (v: number, digits = 3): number => Number(v.toFixed(digits));
