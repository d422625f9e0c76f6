import { describe, expect, it } from 'vitest';
import { MAX_AUTO_THREADS, wasmThreads } from './threads';

describe('wasm threads', () => {
  it('are 1 wherever the page is not cross-origin isolated, whatever was asked', () => {
    expect(wasmThreads('auto', false, 8)).toBe(1);
    expect(wasmThreads(4, false, 8)).toBe(1);
  });

  it("'auto' takes one per core, up to the cap", () => {
    expect(wasmThreads('auto', true, 1)).toBe(1);
    expect(wasmThreads('auto', true, 2)).toBe(2);
    expect(wasmThreads('auto', true, 16)).toBe(MAX_AUTO_THREADS);
    // A browser that hides its core count (0 or undefined becomes NaN) gets one.
    expect(wasmThreads('auto', true, 0)).toBe(1);
    expect(wasmThreads('auto', true, Number.NaN)).toBe(1);
  });

  it('a number is taken as asked, and never below 1', () => {
    expect(wasmThreads(3, true, 2)).toBe(3);
    expect(wasmThreads(0, true, 8)).toBe(1);
    expect(wasmThreads(-2, true, 8)).toBe(1);
    expect(wasmThreads(2.7, true, 8)).toBe(2);
  });
});
