// The backend's handler registry: every operation the UI can ask of the worker is a named, typed handler.
// Invariants: names are unique across all handler groups (a duplicate is a start-up error, not a silent override);
// every input is parsed by the handler's own `parse` before `run` sees it; errors cross to the UI as
// { code, message } envelopes, never as half-serialised exceptions.

export type Access = 'public';

export interface HandlerDef<I, O, Ctx> {
  /**
   * Who may call it. 'public': no signed-in user needed (shell status and device settings only).
   * The security core adds permission-checked levels; the dispatcher enforces them, so no screen can forget.
   */
  access: Access;
  /** Turn untrusted input into I, or throw BadInputError naming the field. */
  parse: (input: unknown) => I;
  run: (ctx: Ctx, input: I) => Promise<O>;
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- a handler group holds handlers of any I/O.
export type AnyHandler<Ctx> = HandlerDef<any, any, Ctx>;
export type HandlerGroup<Ctx> = Record<string, AnyHandler<Ctx>>;

export type InputOf<H> = H extends { parse: (input: unknown) => infer I } ? I : never;
export type OutputOf<H> = H extends { run: (...args: never[]) => Promise<infer O> } ? O : never;

const ERROR_CODES = [
  'bad-input',
  'unknown-handler',
  'forbidden',
  'not-found',
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

export function createDispatcher<Ctx>(
  handlers: HandlerGroup<Ctx>,
  context: () => Ctx | Promise<Ctx>,
  onInternalError: (name: string, error: unknown) => void = () => {},
): Dispatcher {
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
      try {
        if (def.access !== 'public') throw new HandlerError('forbidden', `${name} needs a signed-in user`);
        const parsed: unknown = def.parse(input);
        const value: unknown = await def.run(await context(), parsed);
        return { ok: true, value };
      } catch (e) {
        if (e instanceof HandlerError || isCodedError(e)) {
          return { ok: false, error: { code: e.code, message: e.message } };
        }
        onInternalError(name, e);
        // Internal details (stack, data) stay in the worker; the UI gets a plain statement.
        return {
          ok: false,
          error: { code: 'internal', message: `${name} failed: ${(e as Error)?.message ?? e}` },
        };
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
