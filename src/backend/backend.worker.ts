// The backend worker: owns IndexedDB, the keys and every rule; the UI reaches it only through `call(name, input)`.
import * as Comlink from 'comlink';
import type { BackendRemote } from './api';
import { createBackend } from './backend';

const backend = createBackend({
  crossOriginIsolated: self.crossOriginIsolated,
  origin: self.location.origin,
  refreshCheckMs: 5 * 60_000,
  onInternalError: (name) => console.error(`[backend] ${name} failed unexpectedly`),
});

const remote: BackendRemote = { call: (name, input) => backend.call(name, input) };
Comlink.expose(remote);
