// Capture sessions in the worker. An operator starts capture (permission capture.run, logged with the cameras);
// the page then adds one read per vehicle pass with the session's token. Adding reads is not an access to stored
// data, so it is not logged per read, and it carries on while the screen is locked: reads are sealed under the
// capture-session key (sealed to the device's public key), so a locked unit stores reads it cannot open.
// Sign-out or stop ends the session (logged with its counts).
//
// Storage: at `WARN_AT` of the quota the page is told; at `OVERVIEW_STOP_AT` the overview image is no longer
// stored (the plate crop and the read always are) and the result says so.
import { toHex } from '../../core/hex';
import { normalizePlate } from '../../core/plate';
import { readDeviceSettings } from '../../store/device';
import { ReadStore, type ReadPayload } from '../../store/reads';
import { SessionKeyWriter } from '../../store/sessionKeys';
import type { HitAlert } from '../hits';
import type { BackendContext } from '../context';
import { signedIn } from '../guard';
import { fields, text } from '../input';
import { BadInputError, HandlerError, noInput, type HandlerDef } from '../registry';

export const WARN_AT = 0.8;
export const OVERVIEW_STOP_AT = 0.95;
const QUOTA_CACHE_MS = 5_000;
const MAX_CROP = 256 * 1024;
const MAX_OVERVIEW = 1024 * 1024;

export interface CameraInfo {
  id: string;
  name: string;
  position: string;
}

export interface CaptureSession {
  token: string;
  startedBy: { id: string; username: string };
  startedAt: number;
  cameras: CameraInfo[];
  reads: number;
  overviewsDropped: number;
}

/** The worker's one capture session (memory only) and a cached storage estimate. */
export class CaptureHolder {
  session: CaptureSession | null = null;
  /** One capture-session key per worker for reads and hits (not one per record). */
  private writerFor: SessionKeyWriter | null = null;

  writer(ctx: BackendContext): SessionKeyWriter {
    this.writerFor ??= new SessionKeyWriter(ctx.db, 'capture-session', ctx.now);
    return this.writerFor;
  }
  private quota: { at: number; used: number | null } | null = null;

  /** Share of the quota in use (null where the browser cannot tell), re-read at most every few seconds. */
  async used(ctx: BackendContext): Promise<number | null> {
    const now = ctx.now();
    if (!this.quota || now - this.quota.at > QUOTA_CACHE_MS) {
      const s = await ctx.health.status();
      this.quota = {
        at: now,
        used: s.usageBytes !== null && s.quotaBytes ? s.usageBytes / s.quotaBytes : null,
      };
    }
    return this.quota.used;
  }
}

const randomToken = () => toHex(crypto.getRandomValues(new Uint8Array(16)));

export interface StartInput {
  cameras: CameraInfo[];
}

const CAMERA_TEXT = { min: 1, max: 60, pattern: /^[\w .,'()#/-]+$/, patternHint: 'must be plain text' };

function parseStart(input: unknown): StartInput {
  const o = fields(input, ['cameras']);
  const cams = o['cameras'];
  if (!Array.isArray(cams) || cams.length === 0 || cams.length > 8) {
    throw new BadInputError('cameras: list 1 to 8 cameras');
  }
  return {
    cameras: cams.map((c: unknown) => {
      const f = fields(c, ['id', 'name', 'position']);
      return {
        id: text(f, 'id', { min: 1, max: 200, raw: true }),
        name: text(f, 'name', CAMERA_TEXT),
        position: text(f, 'position', CAMERA_TEXT),
      };
    }),
  };
}

const start: HandlerDef<StartInput, { token: string }, BackendContext> = {
  access: { permission: 'capture.run' },
  parse: parseStart,
  async run(ctx, input) {
    const s = signedIn(ctx);
    if (ctx.capture.session) {
      throw new HandlerError('conflict', 'Capture is already running on this unit. Stop it first.');
    }
    // Hits need the hot lists in memory; a first sign-in (enrolment, acknowledgement) has not built them yet.
    if (!ctx.hits.ready) await ctx.hits.rebuild(ctx, s.keys);
    const token = randomToken();
    ctx.capture.session = {
      token,
      startedBy: { id: s.user.id, username: s.user.username },
      startedAt: ctx.now(),
      cameras: input.cameras,
      reads: 0,
      overviewsDropped: 0,
    };
    return { token };
  },
  audit: { terms: (i) => ({ cameras: i.cameras.map((c) => `${c.name} (${c.position})`).join(', ') }) },
};

export interface StopResult {
  reads: number;
  overviewsDropped: number;
  minutes: number;
}

const stop: HandlerDef<Record<string, never>, StopResult, BackendContext> = {
  access: { permission: 'capture.run' },
  parse: noInput,
  async run(ctx) {
    const s = ctx.capture.session;
    if (!s) throw new HandlerError('not-found', 'Capture is not running.');
    ctx.capture.session = null;
    return {
      reads: s.reads,
      overviewsDropped: s.overviewsDropped,
      minutes: Math.round((ctx.now() - s.startedAt) / 60_000),
    };
  },
  audit: { count: (r) => r.reads },
};

export interface AddReadInput {
  token: string;
  read: Pick<
    ReadPayload,
    | 'plate'
    | 'confidence'
    | 'alternates'
    | 'region'
    | 'capturedAt'
    | 'cameraId'
    | 'gps'
    | 'engine'
    | 'imported'
  >;
  crop: Uint8Array<ArrayBuffer>;
  overview: Uint8Array<ArrayBuffer> | null;
}

export interface AddReadResult {
  id: string;
  /** The hit this read raised, if it matched a hot list. */
  hit: HitAlert | null;
  /** Whether hot lists are loaded for matching (false until someone signs in on this unit). */
  hotListsReady: boolean;
  overviewStored: boolean;
  /** Share of storage quota in use, when the browser tells. */
  storageUsed: number | null;
  storageWarning: string | null;
}

const num = (v: unknown, field: string, min: number, max: number): number => {
  if (typeof v !== 'number' || !Number.isFinite(v) || v < min || v > max) {
    throw new BadInputError(`${field} must be a number from ${min} to ${max}`);
  }
  return v;
};
const orNull = <T>(v: unknown, f: (v: unknown) => T): T | null =>
  v === null || v === undefined ? null : f(v);

function parseAddRead(input: unknown): AddReadInput {
  const o = fields(input, ['token', 'read', 'crop', 'overview']);
  const r = fields(o['read'], [
    'plate',
    'confidence',
    'alternates',
    'region',
    'capturedAt',
    'cameraId',
    'gps',
    'engine',
    'imported',
  ]);
  const plate = normalizePlate(text(r, 'plate', { min: 1, max: 12, raw: true }));
  if (plate.length < 1 || plate.length > 8)
    throw new BadInputError('read.plate must be 1–8 letters or digits');
  const alternates = r['alternates'];
  if (!Array.isArray(alternates) || alternates.length > 5)
    throw new BadInputError('read.alternates: at most 5');
  const crop = o['crop'];
  if (!(crop instanceof Uint8Array) || crop.byteLength === 0 || crop.byteLength > MAX_CROP) {
    throw new BadInputError('crop: the plate image (up to 256 KB) is required');
  }
  const overview = o['overview'];
  if (
    overview !== null &&
    overview !== undefined &&
    (!(overview instanceof Uint8Array) || overview.byteLength > MAX_OVERVIEW)
  ) {
    throw new BadInputError('overview: up to 1 MB');
  }
  return {
    token: text(o, 'token', { min: 32, max: 32, raw: true }),
    read: {
      plate,
      confidence: num(r['confidence'], 'read.confidence', 0, 1),
      alternates: alternates.map((a: unknown, i) => {
        const f = fields(a, ['plate', 'confidence']);
        const p = normalizePlate(text(f, 'plate', { min: 1, max: 12, raw: true }));
        if (p.length < 1 || p.length > 8)
          throw new BadInputError(`read.alternates[${i}].plate is not a plate`);
        return { plate: p, confidence: num(f['confidence'], `read.alternates[${i}].confidence`, 0, 1) };
      }),
      region: orNull(r['region'], (v) => {
        if (typeof v !== 'string' || !/^[A-Z]{2}$/.test(v))
          throw new BadInputError('read.region must be a 2-letter code');
        return v;
      }),
      capturedAt: num(r['capturedAt'], 'read.capturedAt', 0, 8.64e15),
      cameraId: text(r, 'cameraId', { min: 1, max: 200, raw: true }),
      gps: orNull(r['gps'], (v) => {
        const g = fields(v, ['lat', 'lon', 'accuracyM', 'headingDeg', 'speedMps', 'fixAt']);
        return {
          lat: num(g['lat'], 'read.gps.lat', -90, 90),
          lon: num(g['lon'], 'read.gps.lon', -180, 180),
          accuracyM: num(g['accuracyM'], 'read.gps.accuracyM', 0, 1e6),
          headingDeg: orNull(g['headingDeg'], (h) => num(h, 'read.gps.headingDeg', 0, 360)),
          speedMps: orNull(g['speedMps'], (sp) => num(sp, 'read.gps.speedMps', 0, 200)),
          fixAt: num(g['fixAt'], 'read.gps.fixAt', 0, 8.64e15),
        };
      }),
      engine: text(r, 'engine', { min: 1, max: 80, raw: true }),
      imported: orNull(r['imported'], (v) => {
        const f = fields(v, ['fileSha256']);
        const sha = text(f, 'fileSha256', {
          min: 64,
          max: 64,
          pattern: /^[0-9a-f]{64}$/,
          patternHint: 'must be a SHA-256',
        });
        return { fileSha256: sha };
      }),
    },
    crop: crop as Uint8Array<ArrayBuffer>,
    overview: (overview ?? null) as Uint8Array<ArrayBuffer> | null,
  };
}

const addRead: HandlerDef<AddReadInput, AddReadResult, BackendContext> = {
  // Guarded by the capture token instead of the session: capture goes on while the screen is locked.
  access: 'public',
  parse: parseAddRead,
  async run(ctx, input) {
    const s = ctx.capture.session;
    if (!s || s.token !== input.token) {
      throw new HandlerError('forbidden', 'Capture is not running (it stops at sign-out). Start it again.');
    }
    const vault = ctx.vault;
    if (!vault) throw new HandlerError('forbidden', 'This unit is not set up.');
    const camera = s.cameras.find((c) => c.id === input.read.cameraId);
    if (!camera) throw new BadInputError('read.cameraId is not one of the capture session’s cameras');
    const used = await ctx.capture.used(ctx);
    const keepOverview = input.overview !== null && (used === null || used < OVERVIEW_STOP_AT);
    const settings = await readDeviceSettings(ctx.db);
    const session = ctx.sessions.peek();
    const payload: ReadPayload = {
      ...input.read,
      cameraId: `${camera.name} (${camera.position})`,
      unitId: settings.unitName,
      operatorId: s.startedBy.username,
    };
    const writer = ctx.capture.writer(ctx);
    const id = await new ReadStore(ctx.db, ctx.health, ctx.now, writer).add(
      vault,
      payload,
      { crop: input.crop, overview: keepOverview ? input.overview : null },
      session?.keys?.indexKey ?? null,
    );
    s.reads++;
    if (input.overview !== null && !keepOverview) s.overviewsDropped++;
    // Match against the hot lists now: the alert goes back with this answer.
    const hit = await ctx.hits.check(ctx, vault, writer, {
      id,
      plate: input.read.plate,
      alternates: input.read.alternates.map((a) => a.plate),
      region: input.read.region,
      camera: payload.cameraId,
      capturedAt: input.read.capturedAt,
    });
    return {
      id,
      hit,
      hotListsReady: ctx.hits.ready,
      overviewStored: keepOverview,
      storageUsed: used,
      storageWarning:
        used === null || used < WARN_AT
          ? null
          : used < OVERVIEW_STOP_AT
            ? `Storage is ${Math.round(used * 100)}% full. Sync to headquarters soon.`
            : `Storage is ${Math.round(used * 100)}% full: overview images are no longer stored; plates and their crops still are. Sync to headquarters now.`,
    };
  },
};

export interface CaptureStatus {
  running: boolean;
  startedBy: string | null;
  startedAt: number | null;
  cameras: CameraInfo[];
  reads: number;
  overviewsDropped: number;
}

const status: HandlerDef<Record<string, never>, CaptureStatus, BackendContext> = {
  access: 'session',
  parse: noInput,
  async run(ctx) {
    const s = ctx.capture.session;
    return {
      running: !!s,
      startedBy: s?.startedBy.username ?? null,
      startedAt: s?.startedAt ?? null,
      cameras: s?.cameras ?? [],
      reads: s?.reads ?? 0,
      overviewsDropped: s?.overviewsDropped ?? 0,
    };
  },
};

export const captureHandlers = {
  'capture.start': start,
  'capture.stop': stop,
  'capture.addRead': addRead,
  'capture.status': status,
};
