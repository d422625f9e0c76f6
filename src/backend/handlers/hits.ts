// Hits of the shift: list them (open, verified, closed, with each camera's misread rate), open one with the read's
// plate crop and overview, and record the verification steps in order (src/core/hotlist/verification.ts). Every
// call is in the access log; each recorded step names the officer and the time.
import { OUTCOMES, stepProblem, type HitStep, type Outcome } from '../../core/hotlist/verification';
import { HitStore, type HitView } from '../../store/hits';
import { ReadStore } from '../../store/reads';
import type { BackendContext } from '../context';
import { signedIn } from '../guard';
import { fields, ID, optionalText, text } from '../input';
import { BadInputError, HandlerError, type HandlerDef } from '../registry';

/** A shift: hits of the last 14 hours unless asked otherwise. */
const SHIFT_MS = 14 * 3_600_000;

export interface CameraErrorRate {
  camera: string;
  hits: number;
  misreads: number;
  /** Share of this camera's verified hits that were misreads. */
  misreadRate: number | null;
}

export interface HitList {
  hits: HitView[];
  cameras: CameraErrorRate[];
  /** Whether the hot lists are loaded for matching on this unit. */
  indexReady: boolean;
  indexEntries: number;
  indexError: string | null;
}

const list: HandlerDef<{ since: number | null }, HitList, BackendContext> = {
  access: { permission: 'hits.view' },
  parse(input) {
    const o = fields(input ?? {}, ['since']);
    const since = o['since'];
    if (since !== undefined && since !== null && (typeof since !== 'number' || !Number.isFinite(since))) {
      throw new BadInputError('since must be a time');
    }
    return { since: (since as number | undefined) ?? null };
  },
  async run(ctx, { since }) {
    const s = signedIn(ctx);
    const hits = await new HitStore(ctx.db, ctx.health).since(s.keys, since ?? ctx.now() - SHIFT_MS);
    const byCamera = new Map<string, { hits: number; misreads: number; checked: number }>();
    for (const h of hits) {
      const c = byCamera.get(h.camera) ?? { hits: 0, misreads: 0, checked: 0 };
      c.hits++;
      if (h.state.visual) {
        c.checked++;
        if (h.state.visual.step.kind === 'visual' && h.state.visual.step.result === 'misread') c.misreads++;
      }
      byCamera.set(h.camera, c);
    }
    return {
      hits,
      cameras: [...byCamera].map(([camera, c]) => ({
        camera,
        hits: c.hits,
        misreads: c.misreads,
        misreadRate: c.checked ? c.misreads / c.checked : null,
      })),
      indexReady: ctx.hits.ready,
      indexEntries: ctx.hits.entries,
      indexError: ctx.hits.lastError,
    };
  },
  audit: { count: (r) => r.hits.length },
};

export interface HitDetail extends HitView {
  crop: Uint8Array<ArrayBuffer> | null;
  overview: Uint8Array<ArrayBuffer> | null;
}

const get: HandlerDef<{ id: string }, HitDetail, BackendContext> = {
  access: { permission: 'hits.view' },
  parse: (input) => ({ id: text(fields(input, ['id']), 'id', ID) }),
  async run(ctx, { id }) {
    const s = signedIn(ctx);
    const hit = await new HitStore(ctx.db, ctx.health).get(s.keys, id);
    if (!hit) throw new HandlerError('not-found', 'No such hit.');
    const read = await new ReadStore(ctx.db, ctx.health, ctx.now).open(s.keys, hit.readId);
    return { ...hit, crop: read?.crop ?? null, overview: read?.overview ?? null };
  },
  audit: { terms: (i) => ({ hitId: i.id }) },
};

function parseStep(v: unknown): HitStep {
  const o = fields(v, ['kind', 'result', 'confirmedBy', 'stillOfInterest', 'note', 'outcome']);
  const note = optionalText(o, 'note', { max: 500 });
  switch (o['kind']) {
    case 'visual':
      if (o['result'] !== 'match' && o['result'] !== 'misread')
        throw new BadInputError('step.result must be match or misread');
      return { kind: 'visual', result: o['result'], note };
    case 'dispatch':
      if (typeof o['stillOfInterest'] !== 'boolean')
        throw new BadInputError('step.stillOfInterest must be true or false');
      return {
        kind: 'dispatch',
        confirmedBy: text(o, 'confirmedBy', { min: 1, max: 80 }),
        stillOfInterest: o['stillOfInterest'],
        note,
      };
    case 'exigent':
      return { kind: 'exigent', note: text(o, 'note', { min: 10, max: 500 }) };
    case 'disposition': {
      const outcome = o['outcome'];
      if (typeof outcome !== 'string' || !(OUTCOMES as readonly string[]).includes(outcome)) {
        throw new BadInputError(`step.outcome must be one of ${OUTCOMES.join(', ')}`);
      }
      return { kind: 'disposition', outcome: outcome as Outcome, note };
    }
    default:
      throw new BadInputError('step.kind must be visual, dispatch, exigent or disposition');
  }
}

const record: HandlerDef<{ id: string; step: HitStep }, HitView, BackendContext> = {
  access: { permission: 'hits.verify' },
  parse(input) {
    const o = fields(input, ['id', 'step']);
    return { id: text(o, 'id', ID), step: parseStep(o['step']) };
  },
  async run(ctx, { id, step }) {
    const s = signedIn(ctx);
    const store = new HitStore(ctx.db, ctx.health);
    const hit = await store.get(s.keys, id);
    if (!hit) throw new HandlerError('not-found', 'No such hit.');
    const problem = stepProblem(hit.steps, step);
    if (problem) throw new HandlerError('conflict', problem);
    await store.addStep(s.keys, id, { step, at: ctx.now(), by: s.user.username });
    return (await store.get(s.keys, id))!;
  },
  audit: {
    terms: (i) => ({
      hitId: i.id,
      step: i.step.kind,
      ...(i.step.kind === 'visual' ? { result: i.step.result } : {}),
      ...(i.step.kind === 'disposition' ? { outcome: i.step.outcome } : {}),
    }),
  },
};

export const hitHandlers = { 'hits.list': list, 'hits.get': get, 'hits.record': record };
