// The one registry of backend handlers. Add a group here; a name used twice stops the worker at start-up.
import { combineHandlers } from '../registry';
import { shellHandlers } from './shell';

export const handlers = combineHandlers(shellHandlers);

export type BackendHandlers = typeof handlers;
