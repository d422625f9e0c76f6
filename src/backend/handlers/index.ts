// The one registry of backend handlers. Add a group here; a name used twice stops the worker at start-up.
import { combineHandlers } from '../registry';
import { auditHandlers } from './audit';
import { authHandlers } from './auth';
import { captureHandlers } from './capture';
import { hitHandlers } from './hits';
import { hotListHandlers, localEntryHandlers } from './hotlists';
import { policyHandlers } from './policy';
import { readHandlers } from './reads';
import { shellHandlers } from './shell';
import { userHandlers } from './users';

export const handlers = combineHandlers(
  shellHandlers,
  authHandlers,
  userHandlers,
  auditHandlers,
  policyHandlers,
  hotListHandlers,
  localEntryHandlers,
  captureHandlers,
  readHandlers,
  hitHandlers,
);

export type BackendHandlers = typeof handlers;
