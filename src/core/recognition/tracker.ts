// Following plates across frames so one vehicle pass makes one read: observations of the same plate (near where it
// was last seen, or reading the same once look-alikes are folded) join one track; the track's text is voted across
// its frames; a track ends when the plate has not been seen for `lostAfterMs` (or has been in view for
// `maxTrackMs`, a parked car); a pass whose text was emitted within `dedupeWindowMs` is a duplicate, not a new read.
import { foldPlate } from '../plate';
import { iou, type Box } from './geometry';

export interface Observation<E> {
  box: Box;
  text: string;
  confidence: number;
  alternates: readonly { text: string; confidence: number }[];
  /** What the caller wants back with the pass's best observation (its frame's crop, overview…). */
  extra: E;
}

export interface Pass<E> {
  text: string;
  /** Mean over the track's frames of the probability each frame gave this text. */
  confidence: number;
  alternates: { text: string; confidence: number }[];
  /** Frames that saw the plate. */
  frames: number;
  firstSeen: number;
  lastSeen: number;
  /** The frame with the most confident reading of the winning text. */
  best: Observation<E>;
  /** Its time. */
  bestAt: number;
}

export interface TrackerOptions {
  /** A plate not seen for this long has left the view (default 1,500 ms). */
  lostAfterMs?: number;
  /** A plate in view this long is emitted anyway, and not again while it stays (default 8,000 ms). */
  maxTrackMs?: number;
  /** The same plate again within this window is the same pass (default 30,000 ms). A device setting. */
  dedupeWindowMs?: number;
  /**
   * A track seen in fewer frames than this makes no pass (default 1). Live capture uses 2: a detector false positive
   * on a car body reads as junk ("L2" at 0.14) in a single frame, while a passing plate is seen in many.
   */
  minFrames?: number;
  /**
   * A pass whose voted reading is less probable than this is not emitted (default 0). Live capture uses 0.2: a
   * false detection followed for a few frames reads as junk ("693" at 0.15, "63" at 0.06), a plate as 0.9 or more.
   */
  minConfidence?: number;
  /** Called with an observation's `extra` once the tracker no longer needs it (to close images). */
  discard?: (extra: unknown) => void;
}

interface Track<E> {
  box: Box;
  key: string;
  first: number;
  last: number;
  frames: number;
  /** Summed probability per text over the track's frames. */
  votes: Map<string, number>;
  best: Observation<E>;
  bestAt: number;
  bestScore: number;
  emitted: boolean;
}

const near = (a: Box, b: Box) => {
  if (iou(a, b) > 0.05) return true;
  const dx = a.x + a.w / 2 - (b.x + b.w / 2);
  const dy = a.y + a.h / 2 - (b.y + b.h / 2);
  return Math.hypot(dx, dy) < Math.max(a.w, b.w) * 1.5;
};

/** Edit distance between two texts (plates are at most a few characters: the plain table is cheap). */
export function editDistance(a: string, b: string): number {
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    for (let j = 1; j <= b.length; j++)
      row[j] = Math.min(prev[j]! + 1, row[j - 1]! + 1, prev[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
    prev = row;
  }
  return prev[b.length]!;
}

/** Readings close enough to be one plate misread in a frame or two (look-alikes already folded). */
const similar = (a: string, b: string) =>
  editDistance(a, b) <= Math.max(1, Math.floor(Math.min(a.length, b.length) / 3));

/**
 * A reading near a track's last box joins it whatever its text if it comes right after (a misread frame in a
 * pass); after a longer gap only if it reads alike: the next car often enters where the last one left the view.
 */
const CONTINUITY_MS = 400;

export class PlateTracker<E> {
  private readonly lostAfter: number;
  private readonly maxTrack: number;
  private readonly window: number;
  private readonly minFrames: number;
  private readonly minConfidence: number;
  private readonly discard: (extra: E) => void;
  private tracks: Track<E>[] = [];
  /** Folded text → when that plate was last seen in an emitted pass. */
  private readonly recent = new Map<string, number>();
  /** Passes dropped as duplicates of an earlier one. */
  duplicates = 0;
  /** Tracks that made no pass: seen in fewer than `minFrames` frames, or read less surely than `minConfidence`. */
  rejected = 0;

  constructor(options: TrackerOptions = {}) {
    this.lostAfter = options.lostAfterMs ?? 1_500;
    this.maxTrack = options.maxTrackMs ?? 8_000;
    this.window = options.dedupeWindowMs ?? 30_000;
    this.minFrames = options.minFrames ?? 1;
    this.minConfidence = options.minConfidence ?? 0;
    this.discard = (options.discard as (extra: E) => void) ?? (() => undefined);
  }

  get active(): number {
    return this.tracks.length;
  }

  /** Adds one frame's observations (time `t`, monotonic ms) and returns the passes that ended. */
  update(t: number, observations: readonly Observation<E>[]): Pass<E>[] {
    const free = new Set(this.tracks);
    for (const obs of [...observations].sort((a, b) => b.confidence - a.confidence)) {
      const key = foldPlate(obs.text);
      let match: Track<E> | undefined;
      for (const track of free) {
        const follows =
          near(track.box, obs.box) && (t - track.last <= CONTINUITY_MS || similar(track.key, key));
        if (track.key === key || follows) {
          match = track;
          break;
        }
      }
      if (match) {
        free.delete(match);
        this.observe(match, t, obs);
      } else {
        const track: Track<E> = {
          box: obs.box,
          key,
          first: t,
          last: t,
          frames: 0,
          votes: new Map(),
          best: obs,
          bestAt: t,
          bestScore: -1,
          emitted: false,
        };
        this.observe(track, t, obs);
        this.tracks.push(track);
      }
    }
    return this.collect(t, false);
  }

  /** Ends every track now (camera stopped, shift over) and returns their passes. */
  flush(t: number): Pass<E>[] {
    return this.collect(t, true);
  }

  private observe(track: Track<E>, t: number, obs: Observation<E>): void {
    track.box = obs.box;
    track.last = t;
    track.frames++;
    track.votes.set(obs.text, (track.votes.get(obs.text) ?? 0) + obs.confidence);
    for (const alt of obs.alternates)
      track.votes.set(alt.text, (track.votes.get(alt.text) ?? 0) + alt.confidence);
    const winner = this.winner(track);
    track.key = foldPlate(winner);
    // The best image is the frame that read the current winner most confidently.
    if (obs.text === winner && (track.best.text !== winner || obs.confidence > track.bestScore)) {
      if (track.best !== obs) this.discard(track.best.extra);
      track.best = obs;
      track.bestAt = t;
      track.bestScore = obs.confidence;
    } else if (track.best !== obs) {
      this.discard(obs.extra);
    }
  }

  private winner(track: Track<E>): string {
    let best = '';
    let bestVotes = -1;
    for (const [text, v] of track.votes) {
      if (v > bestVotes) {
        best = text;
        bestVotes = v;
      }
    }
    return best;
  }

  private collect(t: number, all: boolean): Pass<E>[] {
    const out: Pass<E>[] = [];
    for (const [key, seen] of this.recent) if (t - seen > this.window) this.recent.delete(key);
    this.tracks = this.tracks.filter((track) => {
      const lost = all || t - track.last > this.lostAfter;
      const long = t - track.first >= this.maxTrack;
      if ((lost || long) && !track.emitted) {
        track.emitted = true;
        const pass = track.frames >= this.minFrames ? this.pass(track) : null;
        if (!pass || pass.confidence < this.minConfidence) {
          this.rejected++;
          this.discard(track.best.extra);
          return !lost;
        }
        const seen = this.recent.get(track.key);
        if (seen !== undefined && track.first - seen <= this.window) {
          this.duplicates++;
          this.discard(track.best.extra);
        } else out.push(pass);
      }
      if (track.emitted) this.recent.set(track.key, track.last);
      return !lost;
    });
    return out;
  }

  private pass(track: Track<E>): Pass<E> {
    const ranked = [...track.votes].sort((a, b) => b[1] - a[1]);
    const [text, votes] = ranked[0]!;
    return {
      text,
      confidence: Math.min(1, votes / track.frames),
      alternates: ranked
        .slice(1, 6)
        .map(([t, v]) => ({ text: t, confidence: Math.min(1, v / track.frames) })),
      frames: track.frames,
      firstSeen: track.first,
      lastSeen: track.last,
      best: track.best,
      bestAt: track.bestAt,
    };
  }
}
