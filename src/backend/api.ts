// The typed surface the UI sees: handler names, their inputs and outputs. Types only; no worker code.
import type { BackendHandlers } from './handlers';
import type { Envelope, InputOf, OutputOf } from './registry';

export type HandlerName = keyof BackendHandlers & string;
export type HandlerInput<K extends HandlerName> = InputOf<BackendHandlers[K]>;
export type HandlerOutput<K extends HandlerName> = OutputOf<BackendHandlers[K]>;

/** What the worker exposes through comlink. */
export interface BackendRemote {
  call(name: string, input: unknown): Promise<Envelope<unknown>>;
}

export type { ErrorCode } from './registry';
export type { AppStatus, PolicyView } from './handlers/shell';
export type { StorageStatus } from '../store/health';
