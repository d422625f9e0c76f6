import { describe, expect, it } from 'vitest';
import {
  BadInputError,
  combineHandlers,
  createDispatcher,
  DuplicateHandlerError,
  HandlerError,
  noInput,
  objectInput,
  type HandlerDef,
} from './registry';

interface Ctx {
  greeting: string;
}

const hello: HandlerDef<{ name: string }, string, Ctx> = {
  access: 'public',
  parse(input) {
    const o = objectInput(input, ['name']);
    if (typeof o['name'] !== 'string') throw new BadInputError('name must be text');
    return { name: o['name'] };
  },
  run: async (ctx, { name }) => `${ctx.greeting}, ${name}`,
};

const ping: HandlerDef<Record<string, never>, 'pong', Ctx> = {
  access: 'public',
  parse: noInput,
  run: async () => 'pong',
};

describe('handler registry', () => {
  it('combines groups into one registry', () => {
    const handlers = combineHandlers({ 'test.hello': hello }, { 'test.ping': ping });
    expect(Object.keys(handlers).sort()).toEqual(['test.hello', 'test.ping']);
    expect(Object.isFrozen(handlers)).toBe(true);
  });

  it('rejects a duplicate name across groups instead of overriding', () => {
    const attempt = () =>
      combineHandlers({ 'test.ping': ping }, { 'test.hello': hello }, { 'test.ping': ping });
    expect(attempt).toThrow(DuplicateHandlerError);
    expect(attempt).toThrow(/Duplicate handler name "test\.ping"/);
  });

  it('rejects names that are not area.action', () => {
    expect(() => combineHandlers({ ping })).toThrow(/area\.action/);
  });

  describe('dispatcher', () => {
    const handlers = combineHandlers({ 'test.hello': hello, 'test.ping': ping });
    const failing: HandlerDef<Record<string, never>, string, Ctx> = {
      access: 'public',
      parse: noInput,
      run: async () => {
        throw new TypeError('boom');
      },
    };
    const refusing: HandlerDef<Record<string, never>, string, Ctx> = {
      access: 'public',
      parse: noInput,
      run: async () => {
        throw new HandlerError('not-found', 'No such read');
      },
    };
    const internal: string[] = [];
    const dispatcher = createDispatcher(
      combineHandlers(handlers, { 'test.fail': failing, 'test.refuse': refusing }),
      () => ({ greeting: 'Hello' }),
      { onInternalError: (name) => internal.push(name) },
    );

    it('runs a handler with its parsed input and the context', async () => {
      expect(await dispatcher.call('test.hello', { name: 'Unit 7' })).toEqual({
        ok: true,
        value: 'Hello, Unit 7',
      });
    });

    it('answers an unknown name, even a prototype key, with unknown-handler', async () => {
      for (const name of ['test.nope', 'toString', '__proto__']) {
        const r = await dispatcher.call(name, {});
        expect(r).toMatchObject({ ok: false, error: { code: 'unknown-handler' } });
      }
    });

    it('refuses bad input before the handler runs', async () => {
      expect(await dispatcher.call('test.hello', { name: 5 })).toEqual({
        ok: false,
        error: { code: 'bad-input', message: 'name must be text' },
      });
      expect(await dispatcher.call('test.hello', { name: 'a', extra: 1 })).toMatchObject({
        error: { code: 'bad-input', message: 'Unknown field "extra"' },
      });
      expect(await dispatcher.call('test.ping', { x: 1 })).toMatchObject({ error: { code: 'bad-input' } });
    });

    it('passes deliberate errors through and reports unexpected ones as internal', async () => {
      expect(await dispatcher.call('test.refuse', {})).toEqual({
        ok: false,
        error: { code: 'not-found', message: 'No such read' },
      });
      expect(await dispatcher.call('test.fail', {})).toEqual({
        ok: false,
        error: { code: 'internal', message: 'test.fail failed: boom' },
      });
      expect(internal).toEqual(['test.fail']);
    });

    it('lists its handler names', () => {
      expect(dispatcher.names()).toEqual(['test.fail', 'test.hello', 'test.ping', 'test.refuse']);
    });
  });

  describe('security hooks', () => {
    const audited: HandlerDef<{ name: string }, string, Ctx> = {
      ...hello,
      access: { permission: 'audit.view' },
      audit: { terms: (i) => ({ name: i.name }), count: () => 1 },
    };

    it('authorizes before parsing and running, and records refusals and successes', async () => {
      const recorded: string[] = [];
      let allow = false;
      const d = createDispatcher(
        combineHandlers({ 'test.audited': audited, 'test.ping': ping }),
        () => ({ greeting: 'Hi' }),
        {
          authorize: async () => {
            if (!allow) throw new HandlerError('forbidden', 'no');
            return { purpose: null };
          },
          record: async (_ctx, c) => {
            recorded.push(`${c.name}:${c.outcome}:${JSON.stringify(c.terms)}:${c.resultCount}`);
          },
        },
      );
      expect(await d.call('test.audited', { name: 'x' })).toMatchObject({
        ok: false,
        error: { code: 'forbidden' },
      });
      allow = true;
      expect(await d.call('test.audited', { name: 'x' })).toEqual({ ok: true, value: 'Hi, x' });
      expect(await d.call('test.ping', {})).toEqual({ ok: true, value: 'pong' }); // public, not audited: not logged
      expect(recorded).toEqual(['test.audited:refused:null:null', 'test.audited:ok:{"name":"x"}:1']);
    });

    it('hands over no data when the log entry cannot be written', async () => {
      const d = createDispatcher(combineHandlers({ 'test.audited': audited }), () => ({ greeting: 'Hi' }), {
        authorize: async () => ({ purpose: null }),
        record: async () => {
          throw new Error('disk full');
        },
      });
      const r = await d.call('test.audited', { name: 'x' });
      expect(r.ok).toBe(false);
    });

    it('refuses non-public handlers when no authorize hook is installed', async () => {
      const d = createDispatcher(combineHandlers({ 'test.audited': audited }), () => ({ greeting: 'Hi' }));
      expect(await d.call('test.audited', { name: 'x' })).toMatchObject({
        ok: false,
        error: { code: 'forbidden' },
      });
    });
  });
});
