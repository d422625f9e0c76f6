// The backend's handler registry: every operation the UI can ask of the worker is a named, typed handler.
// Invariants: names are unique across all handler groups (a duplicate is a start-up error, not a silent override);
// every input is parsed by the handler's own `parse` before `run` sees it; errors cross to the UI as
// { code, message } envelopes, never as half-serialised exceptions.

import type { Permission } from '../core/security/permissions';
import type { StatedPurpose } from '../core/security/purpose';

/**
 * Who may call a handler; the dispatcher enforces it before the handler runs, so no screen can forget.
 * - 'public': nobody needs to be signed in (shell status, settings, sign-in itself).
 * - 'session': a signed-in user, even one blocked by training or policy acknowledgement (to see why, to enrol a
 *   second factor, to acknowledge the policy).
 * - { permission }: a signed-in, unblocked, unlocked user whose roles grant the permission; with `purpose: true`
 *   the input must carry a stated purpose that passes the purpose gate.
 */
export type Access = 'public' | 'session' | { permission: Permission; purpose?: boolean };

/** What the access log records about a call, beyond who, when, what and the outcome. */
export interface AuditSpec<I, O> {
  terms?: (input: I) => Record<string, string> | null;
  count?: (output: O) => number | null;
}

export interface CallInfo {
  /** The purpose that passed the gate, for handlers declared with `purpose: true`. */
  purpose: StatedPurpose | null;
}

export interface HandlerDef<I, O, Ctx> {
  access: Access;
  /** Turn untrusted input into I, or throw BadInputError naming the field. */
  parse: (input: unknown) => I;
  run: (ctx: Ctx, input: I, call: CallInfo) => Promise<O>;
  /** Present on every handler that shows, searches, exports or changes data: the dispatcher logs each call. */
  audit?: AuditSpec<I, O>;
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- a handler group holds handlers of any I/O.
export type AnyHandler<Ctx> = HandlerDef<any, any, Ctx>;
export type HandlerGroup<Ctx> = Record<string, AnyHandler<Ctx>>;

export type InputOf<H> = H extends { parse: (input: unknown) => infer I } ? I : never;
export type OutputOf<H> = H extends { run: (...args: never[]) => Promise<infer O> } ? O : never;

const ERROR_CODES = [
  'bad-input',
  'unknown-handler',
  'unauthenticated',
  'locked',
  'blocked',
  'forbidden',
  'purpose-refused',
  'not-found',
  'conflict',
  'storage',
  'internal',
] as const;
export type ErrorCode = (typeof ERROR_CODES)[number];

export type Envelope<O> = { ok: true; value: O } | { ok: false; error: { code: ErrorCode; message: string } };

/** An error a handler throws on purpose; its code and message reach the UI unchanged. */
export class HandlerError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'HandlerError';
  }
}

export class BadInputError extends HandlerError {
  constructor(message: string) {
    super('bad-input', message);
  }
}

export class DuplicateHandlerError extends Error {
  constructor(readonly handlerName: string) {
    super(`Duplicate handler name "${handlerName}": every backend handler needs a unique name`);
    this.name = 'DuplicateHandlerError';
  }
}

type UnionToIntersection<U> = (U extends unknown ? (x: U) => void : never) extends (x: infer I) => void
  ? I
  : never;

const NAME_RE = /^[a-z][a-zA-Z0-9]*(\.[a-z][a-zA-Z0-9]*)+$/;

/**
 * Merge handler groups into one registry; throws DuplicateHandlerError if two groups share a name.
 * (`HandlerGroup<never>` accepts handlers of any context type; the dispatcher pins the context.)
 */
export function combineHandlers<G extends HandlerGroup<never>[]>(
  ...groups: G
): UnionToIntersection<G[number]> {
  const merged: HandlerGroup<never> = Object.create(null) as HandlerGroup<never>;
  for (const group of groups) {
    for (const [name, def] of Object.entries(group)) {
      if (Object.prototype.hasOwnProperty.call(merged, name)) throw new DuplicateHandlerError(name);
      if (!NAME_RE.test(name)) throw new Error(`Handler name "${name}" must look like "area.action"`);
      merged[name] = def;
    }
  }
  return Object.freeze(merged) as UnionToIntersection<G[number]>;
}

/** Errors from lower layers (e.g. the store's StorageWriteError) that carry one of our codes on purpose. */
function isCodedError(e: unknown): e is Error & { code: ErrorCode } {
  if (!(e instanceof Error)) return false;
  const code: unknown = (e as Error & { code?: unknown }).code;
  return typeof code === 'string' && (ERROR_CODES as readonly string[]).includes(code);
}

export interface Dispatcher {
  call(name: string, input: unknown): Promise<Envelope<unknown>>;
  names(): string[];
}

export interface DispatchHooks<Ctx> {
  /** Enforce `access` (throw a HandlerError to refuse); returns the checked purpose, if any. */
  authorize?: (ctx: Ctx, name: string, def: AnyHandler<Ctx>, input: unknown) => Promise<CallInfo>;
  /** Record the call in the access log: every non-public call and every audited one, success or refusal. */
  record?: (ctx: Ctx, call: RecordedCall) => Promise<void>;
  onInternalError?: (name: string, error: unknown) => void;
}

export interface RecordedCall {
  name: string;
  outcome: 'ok' | 'refused' | 'failed';
  purpose: StatedPurpose | null;
  terms: Record<string, string> | null;
  resultCount: number | null;
  detail: string | null;
}

export function createDispatcher<Ctx>(
  handlers: HandlerGroup<Ctx>,
  context: () => Ctx | Promise<Ctx>,
  hooks: DispatchHooks<Ctx> = {},
): Dispatcher {
  const refusal = (e: unknown): { code: ErrorCode; message: string } | null =>
    e instanceof HandlerError || isCodedError(e) ? { code: e.code, message: e.message } : null;

  return {
    names: () => Object.keys(handlers).sort(),
    async call(name, input) {
      if (typeof name !== 'string' || !Object.prototype.hasOwnProperty.call(handlers, name)) {
        return {
          ok: false,
          error: { code: 'unknown-handler', message: `No backend handler named ${String(name)}` },
        };
      }
      const def = handlers[name]!;
      let ctx: Ctx;
      try {
        ctx = await context();
      } catch (e) {
        hooks.onInternalError?.(name, e);
        return {
          ok: false,
          error: refusal(e) ?? {
            code: 'internal',
            message: `The backend could not start: ${(e as Error)?.message ?? e}`,
          },
        };
      }
      const logged = def.access !== 'public' || def.audit !== undefined;
      let call: CallInfo = { purpose: null };
      let parsed: unknown;
      let terms: Record<string, string> | null = null;
      const record = async (
        outcome: RecordedCall['outcome'],
        resultCount: number | null,
        detail: string | null,
      ) => {
        if (logged && hooks.record) {
          await hooks.record(ctx, { name, outcome, purpose: call.purpose, terms, resultCount, detail });
        }
      };
      try {
        if (hooks.authorize) call = await hooks.authorize(ctx, name, def, input);
        else if (def.access !== 'public')
          throw new HandlerError('forbidden', `${name} needs a signed-in user`);
        parsed = def.parse(input);
        terms = def.audit?.terms?.(parsed) ?? null;
        const value: unknown = await def.run(ctx, parsed, call);
        // The log entry is written before the data is handed over: no record, no data.
        await record('ok', def.audit?.count?.(value) ?? null, null);
        return { ok: true, value };
      } catch (e) {
        const known = refusal(e);
        if (!known) hooks.onInternalError?.(name, e);
        const error = known ?? {
          code: 'internal' as const,
          message: `${name} failed: ${(e as Error)?.message ?? e}`,
        };
        try {
          await record(known ? 'refused' : 'failed', null, `${error.code}: ${error.message}`);
        } catch (logError) {
          hooks.onInternalError?.(name, logError);
        }
        return { ok: false, error };
      }
    },
  };
}

// ---- input parsing helpers shared by handlers -----------------------------------------------------------------

export function noInput(input: unknown): Record<string, never> {
  if (
    input !== undefined &&
    input !== null &&
    !(typeof input === 'object' && Object.keys(input).length === 0)
  ) {
    throw new BadInputError('This handler takes no input');
  }
  return {};
}

export function objectInput(input: unknown, allowed: readonly string[]): Record<string, unknown> {
  if (typeof input !== 'object' || input === null || Array.isArray(input)) {
    throw new BadInputError('Input must be an object');
  }
  for (const key of Object.keys(input)) {
    if (!allowed.includes(key)) throw new BadInputError(`Unknown field "${key}"`);
  }
  return input as Record<string, unknown>;
}
