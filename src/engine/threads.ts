// How many wasm threads the engine asks onnxruntime for. Pure, so the rule is tested without a browser.

/** The most threads 'auto' asks for: the engine's models are small, and a tablet's other cores have work too. */
export const MAX_AUTO_THREADS = 4;

/**
 * Threads for onnxruntime's wasm backend: 1 where the page is not cross-origin isolated (wasm threads need
 * SharedArrayBuffer); otherwise the number asked for, or with 'auto' one per core up to MAX_AUTO_THREADS. Measured
 * on a 2-core machine (README, Recognition): 2 threads read a dev photo in 85 ms at p50 against 123 ms with 1, the
 * same plates; live capture ran at the same frame rate (13.1 against 12.8 frames a second).
 */
export function wasmThreads(setting: number | 'auto', isolated: boolean, cores: number): number {
  if (!isolated) return 1;
  if (setting === 'auto') return Math.max(1, Math.min(MAX_AUTO_THREADS, Math.floor(cores) || 1));
  return Math.max(1, Math.floor(setting) || 1);
}
