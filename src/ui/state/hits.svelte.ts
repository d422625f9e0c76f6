// Rune state for hits: the queue of alerts raised by capture (none is lost: each stays until the officer opens or
// acknowledges it), the shift's hits, and the one being verified.
import type { HitAlert, HitDetail, HitList, HitStep } from '../../backend/api';
import type { AuthState } from './auth.svelte';

export interface QueuedAlert {
  alert: HitAlert;
  crop: ImageBitmap;
  receivedAt: number;
  /** performance.now() when capture ended the vehicle pass, until the alert has been on screen (then null). */
  passAt: number | null;
}

/** The User Timing measure of each alert: from the end of the vehicle pass to the alert's first frame on screen. */
export const ALERT_LATENCY_MEASURE = 'alpr:alert-latency';

export class HitsState {
  queue = $state<QueuedAlert[]>([]);
  muted = $state(false);
  list = $state<HitList | null>(null);
  detail = $state<HitDetail | null>(null);
  error = $state<string | null>(null);
  busy = $state(false);
  private audio: AudioContext | null = null;

  constructor(private readonly auth: AuthState) {}

  /** A new alert: queued, announced with a tone (high-priority alerts sound even when muted). */
  raise(alert: HitAlert, crop: ImageBitmap, passAt: number | null = null): void {
    this.queue = [...this.queue, { alert, crop, receivedAt: Date.now(), passAt }];
    if (!this.muted || alert.priority === 'high') this.tone(alert.priority === 'high');
  }

  /** Once an alert has been painted: record how long it took from the read (a User Timing measure). */
  shown(q: QueuedAlert): void {
    if (q.passAt === null) return;
    performance.measure(ALERT_LATENCY_MEASURE, { start: q.passAt, end: performance.now() });
    q.passAt = null;
  }

  /** Takes the first alert off the queue (it stays in the shift's hits, open until verified). */
  acknowledge(): QueuedAlert | null {
    const [first, ...rest] = this.queue;
    this.queue = rest;
    return first ?? null;
  }

  async load(): Promise<void> {
    this.error = null;
    try {
      this.list = await this.auth.backend.call('hits.list', { since: null });
    } catch (e) {
      this.error = (e as Error).message;
      this.auth.handle(e);
    }
  }

  async open(id: string): Promise<void> {
    this.error = null;
    try {
      this.detail = await this.auth.backend.call('hits.get', { id });
    } catch (e) {
      this.error = (e as Error).message;
      this.auth.handle(e);
    }
  }

  async record(step: HitStep): Promise<void> {
    if (!this.detail) return;
    this.busy = true;
    this.error = null;
    try {
      const updated = await this.auth.backend.call('hits.record', { id: this.detail.id, step });
      this.detail = { ...this.detail, ...updated };
      await this.load();
    } catch (e) {
      this.error = (e as Error).message;
      this.auth.handle(e);
    } finally {
      this.busy = false;
    }
  }

  /** Opens the audio output for alert tones ahead of the first alert (opening it takes a while). */
  prepareAudio(): void {
    try {
      this.audio ??= new AudioContext();
    } catch {
      // No audio device: alerts show without a tone.
    }
  }

  private tone(urgent: boolean): void {
    try {
      this.prepareAudio();
      const ctx = this.audio;
      if (!ctx) return;
      const beeps = urgent ? 3 : 1;
      for (let i = 0; i < beeps; i++) {
        const osc = ctx.createOscillator();
        const gain = ctx.createGain();
        osc.frequency.value = urgent ? 1046 : 880;
        gain.gain.value = 0.25;
        osc.connect(gain).connect(ctx.destination);
        const at = ctx.currentTime + i * 0.3;
        osc.start(at);
        osc.stop(at + 0.2);
      }
    } catch {
      // No audio device: the banner still shows.
    }
  }
}
