// Rune state for live capture on the patrol screen: the unit's cameras (device settings), the running session,
// the latest reads, the counters and any warning. The pipeline itself is src/capture/session.ts.
import type { StopResult } from '../../backend/api';
import { DEFAULT_DEVICE_SETTINGS, type CameraSetting, type CameraPosition } from '../../core/settings';
import { CaptureSession, type CaptureStats, type ShownRead } from '../../capture/session';
import { fileSha256 } from '../../capture/still';
import { CameraSource, listCameras, VideoFileSource, type FrameSource } from '../../capture/sources';
import type { AuthState, SignOutGuardAnswer } from './auth.svelte';
import type { RecognitionState } from './recognition.svelte';
import type { HitsState } from './hits.svelte';

const STRIP = 12;

export interface DetectedCamera {
  deviceId: string;
  label: string;
}

export class CaptureState {
  cameras = $state<CameraSetting[]>([]);
  detected = $state<DetectedCamera[]>([]);
  dedupeWindowS = $state(DEFAULT_DEVICE_SETTINGS.dedupeWindowS);
  running = $state(false);
  busy = $state(false);
  reads = $state<ShownRead[]>([]);
  stats = $state<CaptureStats | null>(null);
  warning = $state<string | null>(null);
  /** Ids of live sources lost and being reopened (a camera unplugged). */
  lostSources = $state<string[]>([]);
  /** What the backend stored in the last capture session, once it ended (every queued read written). */
  lastStop = $state<StopResult | null>(null);
  error = $state<string | null>(null);
  sources = $state<FrameSource[]>([]);
  /** Latest plate boxes per source id, in source pixels. */
  boxes = $state<
    Record<string, { boxes: { x: number; y: number; w: number; h: number }[]; width: number; height: number }>
  >({});
  private session: CaptureSession | null = null;
  /** A stopped session whose reads still wait to be stored (it keeps retrying; the backend session stays open). */
  private draining: CaptureSession | null = null;

  constructor(
    private readonly auth: AuthState,
    private readonly recognition: RecognitionState,
    private readonly hits: HitsState,
  ) {
    auth.beforeSignOut(() => this.endForSignOut());
    // Closing or reloading the app while capturing, or with reads not stored yet, asks first.
    addEventListener('beforeunload', (e) => {
      if (this.running || this.waitingReads() > 0) e.preventDefault();
    });
  }

  /** Reads made but not stored yet, by the running session or one that was stopped. */
  waitingReads(): number {
    return (this.session?.pendingWrites ?? 0) + (this.draining?.pendingWrites ?? 0);
  }

  /**
   * Before sign-out: capture stops (cameras released; reads waiting are retried while the officer is still signed
   * in). Reads that still cannot be stored would be lost at sign-out, so the officer is asked first; `confirm` is
   * the question (the browser's dialog by default). Answers whether sign-out may go on, with the reads given up
   * (the backend records them with the sign-out).
   */
  async endForSignOut(
    confirm: (message: string) => boolean = (m) => window.confirm(m),
  ): Promise<SignOutGuardAnswer> {
    await this.stop();
    const left = this.waitingReads();
    if (left === 0) return { proceed: true };
    const reads = left === 1 ? '1 read has' : `${left} reads have`;
    const ok = confirm(
      `${reads} not been stored yet (the device storage is refusing writes). They are kept and retried while you ` +
        `stay signed in; signing out now loses ${left === 1 ? 'it' : 'them'}. Sign out anyway?`,
    );
    if (!ok) return { proceed: false };
    const unstoredReads = this.draining?.abandon() ?? 0;
    this.draining = null;
    return { proceed: true, unstoredReads };
  }

  /** Hot lists past their refresh interval: the patrol screen shows each in a banner with its age. */
  staleLists = $state<{ name: string; ageHours: number }[]>([]);

  async load(): Promise<void> {
    try {
      const s = await this.auth.backend.call('settings.get', {});
      this.cameras = s.cameras;
      this.dedupeWindowS = s.dedupeWindowS;
    } catch (e) {
      this.auth.handle(e);
    }
    await this.loadLists();
  }

  async loadLists(): Promise<void> {
    try {
      const lists = await this.auth.backend.call('hotlists.list', {});
      this.staleLists = lists.filter((l) => l.stale).map((l) => ({ name: l.name, ageHours: l.ageHours }));
    } catch (e) {
      this.auth.handle(e);
    }
  }

  /** Asks for camera permission once (so labels show) and lists the cameras. */
  async detect(): Promise<void> {
    this.error = null;
    try {
      const probe = await navigator.mediaDevices.getUserMedia({ video: true, audio: false });
      probe.getTracks().forEach((t) => t.stop());
      this.detected = await listCameras();
    } catch (e) {
      this.error = `No camera could be opened: ${(e as Error).message}`;
    }
  }

  /** Saves the unit's cameras and the dedupe window (a plate seen again within it is the same vehicle pass). */
  async saveCameras(cameras: CameraSetting[], dedupeWindowS = this.dedupeWindowS): Promise<void> {
    this.error = null;
    try {
      const s = await this.auth.backend.call('settings.update', { cameras, dedupeWindowS });
      this.cameras = s.cameras;
      this.dedupeWindowS = s.dedupeWindowS;
    } catch (e) {
      this.error = (e as Error).message;
      this.auth.handle(e);
    }
  }

  /** Starts live capture from the saved cameras. */
  startCameras(): Promise<void> {
    return this.start(this.cameras.map((c) => new CameraSource(c)));
  }

  /** Processes a video file the same way as a camera; its reads are marked imported with the file's SHA-256. */
  async importVideo(file: File): Promise<void> {
    const sha = await fileSha256(file);
    await this.start([new VideoFileSource(file, sha)]);
  }

  private async start(sources: FrameSource[]): Promise<void> {
    if (this.session || sources.length === 0) return;
    const waiting = this.waitingReads();
    if (waiting > 0) {
      this.error =
        `${waiting === 1 ? '1 read' : `${waiting} reads`} from the last capture ${waiting === 1 ? 'is' : 'are'} ` +
        'still waiting to be stored; capture starts again once they are (free some storage).';
      return;
    }
    this.draining = null;
    // The alert tone's audio output is opened now (the officer's click), not on the first hit, where opening it
    // delayed the first alert of a shift.
    this.hits.prepareAudio();
    this.busy = true;
    this.error = null;
    this.reads = [];
    this.lastStop = null;
    this.lostSources = [];
    const backend = this.auth.backend;
    const session = new CaptureSession(
      {
        start: async (cameras) => (await backend.call('capture.start', { cameras })).token,
        addRead: (input) => backend.call('capture.addRead', input),
        stop: async () => {
          this.lastStop = await backend.call('capture.stop', {});
        },
      },
      this.recognition.client(),
      {
        read: (r) => {
          const dropped = this.reads.slice(STRIP - 1);
          dropped.forEach((d) => d.crop.close());
          this.reads = [r, ...this.reads.slice(0, STRIP - 1)];
        },
        stats: (s) => (this.stats = s),
        hit: (alert, crop, passAt) => this.hits.raise(alert, crop, passAt),
        warning: (w) => (this.warning = w),
        error: (m) => (this.error = m),
        source: (id, state) =>
          (this.lostSources =
            state === 'lost'
              ? [...this.lostSources.filter((x) => x !== id), id]
              : this.lostSources.filter((x) => x !== id)),
        stored: (r) =>
          (this.reads = this.reads.map((x) =>
            x.plate === r.plate && x.capturedAt === r.capturedAt ? { ...x, id: r.id, stored: true } : x,
          )),
        boxes: (id, boxes, width, height) => (this.boxes = { ...this.boxes, [id]: { boxes, width, height } }),
      },
      { dedupeWindowS: this.dedupeWindowS },
    );
    try {
      await session.start(sources);
      this.session = session;
      this.sources = sources;
      this.running = true;
    } catch (e) {
      sources.forEach((s) => s.stop());
      this.error = `Capture could not start: ${(e as Error).message}`;
      this.auth.handle(e);
    } finally {
      this.busy = false;
    }
  }

  async stop(): Promise<void> {
    const session = this.session;
    if (!session) return;
    this.busy = true;
    try {
      await session.stop();
    } finally {
      if (session.pendingWrites > 0) this.draining = session;
      this.session = null;
      this.sources = [];
      this.lostSources = [];
      this.running = false;
      this.busy = false;
    }
  }
}

export const POSITIONS: { value: CameraPosition; label: string }[] = [
  { value: 'front', label: 'Front' },
  { value: 'rear', label: 'Rear' },
  { value: 'left', label: 'Left side' },
  { value: 'right', label: 'Right side' },
  { value: 'fixed', label: 'Fixed site' },
];
