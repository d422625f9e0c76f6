// Frame sources: where frames come from. Each hands VideoFrames (owned by the receiver) to one callback with a
// monotonic time. Cameras come through getUserMedia; video files play through a muted video element; the hardware
// bridge will deliver frames over a WebSocket (the interface is here; the bridge itself is not built yet).
import type { CameraSetting } from '../core/settings';

export interface FrameSource {
  readonly id: string;
  readonly name: string;
  readonly position: string;
  /** The file's SHA-256 for imported files; null for live sources. */
  readonly importedSha256: string | null;
  /** What the source actually delivers (a camera may ignore the requested size). */
  delivered(): { width: number; height: number; fps: number | null };
  /** The element showing the source, for the patrol screen. */
  readonly video: HTMLVideoElement;
  /**
   * Starts delivering frames. `onEnd`: a file played to its end. `onState`: a live source was lost (a camera
   * unplugged, its cable loose) and is being reopened, or is back.
   */
  start(
    onFrame: (frame: VideoFrame, t: number) => void,
    onEnd: () => void,
    onState?: (state: SourceState) => void,
  ): Promise<void>;
  stop(): void;
}

export type SourceState = 'live' | 'lost';

/** How often a lost camera is tried again (also at once when the browser reports a device change). */
export const RECONNECT_MS = 3_000;

/** A grey 32×18 thumbnail of the current picture, for the motion gate. */
export function thumbnail(video: HTMLVideoElement, canvas: OffscreenCanvas): Uint8Array {
  const ctx = canvas.getContext('2d', { willReadFrequently: true })!;
  ctx.drawImage(video, 0, 0, canvas.width, canvas.height);
  const d = ctx.getImageData(0, 0, canvas.width, canvas.height).data;
  const out = new Uint8Array(canvas.width * canvas.height);
  for (let i = 0; i < out.length; i++) out[i] = (d[i * 4]! + 2 * d[i * 4 + 1]! + d[i * 4 + 2]!) >> 2;
  return out;
}

abstract class VideoElementSource implements FrameSource {
  readonly video = document.createElement('video');
  private handle: number | null = null;
  protected stopped = false;
  abstract readonly id: string;
  abstract readonly name: string;
  abstract readonly position: string;
  abstract readonly importedSha256: string | null;

  delivered() {
    return { width: this.video.videoWidth, height: this.video.videoHeight, fps: this.fps() };
  }

  protected fps(): number | null {
    return null;
  }

  protected abstract open(): Promise<void>;

  async start(
    onFrame: (frame: VideoFrame, t: number) => void,
    onEnd: () => void,
    onState?: (state: SourceState) => void,
  ): Promise<void> {
    this.video.muted = true;
    this.video.playsInline = true;
    this.onFrame = onFrame;
    this.onState = onState ?? null;
    await this.open();
    await this.video.play();
    this.video.addEventListener('ended', () => onEnd(), { once: true });
    this.watchFrames();
  }

  private onFrame: ((frame: VideoFrame, t: number) => void) | null = null;
  protected onState: ((state: SourceState) => void) | null = null;

  /** Hands every presented frame on, from now until stopped (again after a reopen). */
  protected watchFrames(): void {
    if (this.handle !== null) this.video.cancelVideoFrameCallback(this.handle);
    const tick = (now: number) => {
      if (this.stopped) return;
      if (this.video.videoWidth > 0) {
        try {
          this.onFrame?.(new VideoFrame(this.video, { timestamp: Math.round(now * 1000) }), now);
        } catch {
          // A frame that cannot be grabbed (element not ready) is simply skipped.
        }
      }
      this.handle = this.video.requestVideoFrameCallback(tick);
    };
    this.handle = this.video.requestVideoFrameCallback(tick);
  }

  stop(): void {
    this.stopped = true;
    if (this.handle !== null) this.video.cancelVideoFrameCallback(this.handle);
    this.video.pause();
    this.close();
  }

  protected close(): void {}
}

export class CameraSource extends VideoElementSource {
  readonly importedSha256 = null;
  private stream: MediaStream | null = null;

  constructor(readonly setting: CameraSetting) {
    super();
  }

  get id() {
    return `camera:${this.setting.deviceId}`;
  }
  get name() {
    return this.setting.name;
  }
  get position() {
    return this.setting.position;
  }

  protected override fps(): number | null {
    return this.stream?.getVideoTracks()[0]?.getSettings().frameRate ?? null;
  }

  private retry: ReturnType<typeof setInterval> | null = null;
  private readonly onDeviceChange = () => void this.reopen();

  protected async open(): Promise<void> {
    const stream = await navigator.mediaDevices.getUserMedia({
      audio: false,
      video: {
        deviceId: this.setting.deviceId ? { exact: this.setting.deviceId } : undefined,
        width: { ideal: this.setting.width },
        height: { ideal: this.setting.height },
        frameRate: { ideal: this.setting.fps },
      },
    });
    this.stream = stream;
    this.video.srcObject = stream;
    // The track ends when the camera goes away (unplugged, a loose cable, the driver reset): reopen it.
    stream.getVideoTracks()[0]?.addEventListener('ended', () => this.lost(stream), { once: true });
  }

  private lost(stream: MediaStream): void {
    if (this.stopped || this.stream !== stream) return;
    stream.getTracks().forEach((t) => t.stop());
    this.stream = null;
    this.video.srcObject = null;
    this.onState?.('lost');
    navigator.mediaDevices.addEventListener('devicechange', this.onDeviceChange);
    this.retry = setInterval(() => void this.reopen(), RECONNECT_MS);
  }

  private reopening = false;

  /** One attempt to get the camera back; on success frames flow again through the same pipeline. */
  private async reopen(): Promise<void> {
    if (this.stopped || this.stream || this.reopening) return;
    this.reopening = true;
    try {
      await this.open();
      await this.video.play();
      this.endRetry();
      this.watchFrames();
      this.onState?.('live');
    } catch {
      // Still gone: the next device change or retry tries again.
      (this.stream as MediaStream | null)?.getTracks().forEach((t) => t.stop());
      this.stream = null;
      this.video.srcObject = null;
    } finally {
      this.reopening = false;
    }
  }

  private endRetry(): void {
    if (this.retry) clearInterval(this.retry);
    this.retry = null;
    navigator.mediaDevices.removeEventListener('devicechange', this.onDeviceChange);
  }

  protected override close(): void {
    this.endRetry();
    this.stream?.getTracks().forEach((t) => t.stop());
    this.stream = null;
    this.video.srcObject = null;
  }
}

export class VideoFileSource extends VideoElementSource {
  readonly position = 'imported';
  private url: string | null = null;

  constructor(
    private readonly file: File,
    readonly importedSha256: string,
  ) {
    super();
  }

  get id() {
    return `file:${this.importedSha256.slice(0, 16)}`;
  }
  get name() {
    return this.file.name.slice(0, 30).replace(/[^\p{L}\p{N} .,'()#/-]/gu, '_');
  }

  protected async open(): Promise<void> {
    this.url = URL.createObjectURL(this.file);
    this.video.src = this.url;
    await new Promise<void>((resolve, reject) => {
      this.video.addEventListener('loadedmetadata', () => resolve(), { once: true });
      this.video.addEventListener('error', () => reject(new Error(`${this.file.name} cannot be played`)), {
        once: true,
      });
    });
  }

  protected override close(): void {
    if (this.url) URL.revokeObjectURL(this.url);
    this.url = null;
  }
}

/** Cameras the browser can see (labels appear once camera permission is granted). */
export async function listCameras(): Promise<{ deviceId: string; label: string }[]> {
  const devices = await navigator.mediaDevices.enumerateDevices();
  return devices
    .filter((d) => d.kind === 'videoinput')
    .map((d, i) => ({ deviceId: d.deviceId, label: d.label || `Camera ${i + 1}` }));
}
