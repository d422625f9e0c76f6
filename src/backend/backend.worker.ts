// The backend worker: owns IndexedDB and every rule; the UI reaches it only through `call(name, input)`.
// Start-up opens the database and initialises the device once; calls made meanwhile wait for it.
import * as Comlink from 'comlink';
import { AlprDb } from '../store/db';
import { initializeDevice } from '../store/device';
import { StorageHealth } from '../store/health';
import type { BackendRemote } from './api';
import type { BackendContext } from './context';
import { handlers } from './handlers';
import { createDispatcher } from './registry';

const startedAt = Date.now();
const db = new AlprDb();
const health = new StorageHealth();

let ready: Promise<BackendContext> | null = null;
function context(): Promise<BackendContext> {
  ready ??= initializeDevice(db, health, Date.now()).then((device) => ({
    db,
    health,
    device,
    now: Date.now,
    startedAt,
    handlerNames: () => dispatcher.names(),
    crossOriginIsolated: self.crossOriginIsolated,
  }));
  // A failed start-up (e.g. storage blocked) is retried on the next call instead of poisoning the worker.
  ready.catch(() => {
    ready = null;
  });
  return ready;
}

const dispatcher = createDispatcher(handlers, context, (name, error) => {
  console.error(`[backend] ${name} failed`, error);
});

const remote: BackendRemote = { call: (name, input) => dispatcher.call(name, input) };
Comlink.expose(remote);
