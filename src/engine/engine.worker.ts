// The engine worker: recognition off the page's thread and off the backend worker. Frames come in transferred;
// results go back with their plate crops transferred. Errors cross as {code, message, file} envelopes.
// (Keep this module's top level free of other side effects: onnxruntime may start its thread workers from it.)
import * as Comlink from 'comlink';
import type { EngineRemote, Envelope } from './api';
import { failureOf, PlateEngine } from './engine';

const engine = new PlateEngine({ packUrl: new URL('/models/plates-us/', self.location.origin).href });

async function envelope<T>(work: () => Promise<T>): Promise<Envelope<T>> {
  try {
    return { ok: true, value: await work() };
  } catch (e) {
    return { ok: false, error: failureOf(e) };
  }
}

const remote: EngineRemote = {
  async configure(options) {
    engine.configure(options);
  },
  async info() {
    return engine.info();
  },
  load: () => envelope(() => engine.load()),
  async recognize(frame, options) {
    const result = await envelope(() => engine.recognize(frame, options));
    if (!result.ok) return result;
    const crops: Transferable[] = result.value.plates.flatMap((p) => (p.crop ? [p.crop] : []));
    if (result.value.overview) crops.push(result.value.overview);
    return Comlink.transfer(result, crops);
  },
  async cancel(id) {
    engine.cancel(id);
  },
  async shutdown() {
    await engine.release();
  },
};

Comlink.expose(remote);
