// The UI's only way to the data: named, typed calls to the backend worker. The UI never opens IndexedDB.
import * as Comlink from 'comlink';
import type { BackendRemote, ErrorCode, HandlerInput, HandlerName, HandlerOutput } from '../backend/api';

export class BackendError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'BackendError';
  }
}

export interface Backend {
  call<K extends HandlerName>(name: K, input: HandlerInput<K>): Promise<HandlerOutput<K>>;
}

export function startBackend(): Backend {
  const worker = new Worker(new URL('../backend/backend.worker.ts', import.meta.url), {
    type: 'module',
    name: 'backend',
  });
  const remote = Comlink.wrap<BackendRemote>(worker);
  return {
    async call(name, input) {
      const envelope = await remote.call(name, input);
      if (envelope.ok) return envelope.value as HandlerOutput<typeof name>;
      throw new BackendError(envelope.error.code, envelope.error.message);
    },
  };
}
