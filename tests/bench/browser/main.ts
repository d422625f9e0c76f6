/// <reference types="vite/client" />
// The in-browser benchmark page: runs the area named in ?area= and hands its figures to the runner.
import type { BenchFigure } from '../figure';

const areas = import.meta.glob<{ run: (report: (f: BenchFigure) => void) => Promise<void> }>('./*.bench.ts');

declare global {
  interface Window {
    benchDone?: Promise<{ figures: BenchFigure[]; error?: string }>;
  }
}

async function main(): Promise<{ figures: BenchFigure[]; error?: string }> {
  const area = new URLSearchParams(location.search).get('area') ?? '';
  const load = areas[`./${area}.bench.ts`];
  if (!load) return { figures: [], error: `no browser benchmark area "${area}"` };
  const figures: BenchFigure[] = [];
  try {
    await (await load()).run((f) => figures.push(f));
    return { figures };
  } catch (e) {
    return { figures, error: (e as Error).stack ?? String(e) };
  }
}

window.benchDone = main();
