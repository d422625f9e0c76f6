// The page side of the engine worker: starts it and turns its envelopes back into results or EngineClientError.
// Frames handed to recognize() are transferred to the worker (the caller must not use them afterwards).
import * as Comlink from 'comlink';
import type {
  EngineErrorCode,
  EngineInfo,
  EngineOptions,
  EngineRemote,
  Frame,
  RecognizeOptions,
  RecognizeResult,
} from './api';

export class EngineClientError extends Error {
  constructor(
    readonly code: EngineErrorCode,
    message: string,
    readonly file?: string,
  ) {
    super(message);
    this.name = 'EngineClientError';
  }
}

export interface EngineClient {
  info(): Promise<EngineInfo>;
  load(): Promise<EngineInfo>;
  recognize(frame: Frame, options?: RecognizeOptions): Promise<RecognizeResult>;
  cancel(id: string): Promise<void>;
  terminate(): void;
}

export function startEngine(options: EngineOptions = {}): EngineClient {
  const worker = new Worker(new URL('./engine.worker.ts', import.meta.url), {
    type: 'module',
    name: 'engine',
  });
  const remote = Comlink.wrap<EngineRemote>(worker);
  const configured = remote.configure(options);
  const unwrap = <T>(
    e:
      | { ok: true; value: T }
      | { ok: false; error: { code: EngineErrorCode; message: string; file?: string } },
  ): T => {
    if (e.ok) return e.value;
    throw new EngineClientError(e.error.code, e.error.message, e.error.file);
  };
  return {
    info: async () => (await configured, remote.info()),
    load: async () => {
      await configured;
      return unwrap(await remote.load());
    },
    recognize: async (frame, opts) => {
      await configured;
      const transfer =
        typeof ImageData !== 'undefined' && frame instanceof ImageData
          ? [frame.data.buffer]
          : [frame as Transferable];
      return unwrap(await remote.recognize(Comlink.transfer(frame, transfer), opts));
    },
    cancel: async (id) => remote.cancel(id),
    terminate: () => {
      remote[Comlink.releaseProxy]();
      worker.terminate();
    },
  };
}
