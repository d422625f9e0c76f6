"""Real plates with their characters reordered: more real-looking training crops from the few real US plates there are.

    /usr/bin/python3 models/train/shuffle_real.py --data ../shared/data --onnx models/plates-us/reader.onnx \
        --crops a --photos a --n 20 --out /tmp/alpr-train/shuffled-a.npz

The reader has trained on 370 real US crops (us-crops-dev) beside rendered ones, and repeats them: it can learn those
plates rather than their characters. Each real crop the given reader reads right by its greedy path (so its columns
say where each character sits) is cut into one strip per character, at the midpoints between the columns that read
them, and the strips are put back in another order (`--n` orders per crop, drawn at random, the label reordered with
them): the plate's own lettering, background, blur and framing, with sequences it never had. What lies left of the
first character and right of the last stays where it is. The strips are full height, so a state name or a slogan
above or below the characters is cut and reordered too, as the reader must learn to ignore it.

`--crops a|b|all|none` takes that half of us-crops-dev (train_reader.dev_fold), `--photos a|b|all|none` the labelled
plates of that half of us-plates-dev cut out as the engine cuts a found plate (train_reader.load_photo_crops). Writes an
.npz of x uint8 [N,64,128,3] BGR and y slot labels [N,8] (train_reader_ctc.py --real-extra), and with `--preview` a
PNG of the first crops and their reorderings.
"""

import argparse
import os
import random

import cv2
import numpy as np
import torch

import synth
from common import recover_from_onnx
from train_reader import H, W, load_labelled, load_photo_crops
from train_reader_ctc import BLANK, STEPS, CtcReader


def columns_of(logits):
    """The greedy path's text and, per character, the mean column of the run that reads it."""
    idx = logits.argmax(-1).tolist()
    text, cols, prev, run = [], [], BLANK, []
    for t, c in enumerate(idx + [BLANK]):
        if c != prev and run:
            text.append(synth.CHARSET[prev])
            cols.append(sum(run) / len(run))
            run = []
        if c != BLANK:
            run.append(t)
        prev = c
    return "".join(text), cols


def strips(cols):
    """Pixel column bounds [x0, x1) of each character's strip, from its column centres (STEPS columns over W px)."""
    px = [(c + 0.5) * W / STEPS for c in cols]
    if len(px) < 2:
        return None
    mids = [(a + b) / 2 for a, b in zip(px, px[1:])]
    # The outer strips reach 0.38 of a usual character pitch past their character, not half the gap beside it (a wide
    # gap after the first character would bring the plate's edge into its strip, and the edge into the plate's middle).
    half = 0.38 * float(np.median(np.diff(px)))
    left = max(0.0, px[0] - min(half, mids[0] - px[0]))
    right = min(float(W), px[-1] + min(half, px[-1] - mids[-1]))
    bounds = [round(v) for v in [left] + mids + [right]]
    if any(b1 - b0 < 2 for b0, b1 in zip(bounds, bounds[1:])):
        return None
    return bounds


def reorder(img, bounds, order):
    """The crop with its character strips (bounds) put in `order`; what lies outside them stays."""
    pieces = [img[:, bounds[i]:bounds[i + 1]] for i in range(len(bounds) - 1)]
    out = img.copy()
    out[:, bounds[0]:bounds[-1]] = np.concatenate([pieces[i] for i in order], axis=1)
    return out


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--data", default="../shared/data")
    ap.add_argument("--onnx", required=True, help="a CTC reader.onnx whose greedy columns place the characters")
    ap.add_argument("--crops", choices=["none", "a", "b", "all"], default="none")
    ap.add_argument("--photos", choices=["none", "a", "b", "all"], default="none")
    ap.add_argument("--n", type=int, default=20, help="reorderings per crop")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--out", required=True)
    ap.add_argument("--preview")
    args = ap.parse_args()
    rng = random.Random(args.seed)
    xs, ys = [], []
    fold = lambda v: None if v == "all" else v
    if args.crops != "none":
        x, y = load_labelled(os.path.join(args.data, "us-crops-dev"), "plate", fold(args.crops))
        xs.append(x), ys.append(y)
    if args.photos != "none":
        x, y = load_photo_crops(os.path.join(args.data, "us-plates-dev"), fold(args.photos))
        xs.append(x), ys.append(y)
    if not xs:
        ap.error("nothing to reorder: give --crops or --photos")
    x, y = np.concatenate(xs), np.concatenate(ys)
    model = CtcReader()
    recover_from_onnx(model, args.onnx, torch.zeros(1, 3, H, W))
    model.eval()
    with torch.no_grad():
        logits = torch.cat([model(torch.from_numpy(x[i:i + 128]).permute(0, 3, 1, 2).float())
                            for i in range(0, len(x), 128)])
    out_x, out_y, used, preview = [], [], 0, []
    for img, label, lg in zip(x, y, logits):
        want = "".join(synth.CHARSET[c] for c in label if c < len(synth.CHARSET))
        text, cols = columns_of(lg)
        bounds = strips(cols) if text == want else None
        if bounds is None:
            continue
        used += 1
        row = [img]
        for _ in range(args.n):
            order = list(range(len(want)))
            rng.shuffle(order)
            shuffled = reorder(img, bounds, order)
            out_x.append(shuffled)
            out_y.append(synth.encode("".join(want[i] for i in order)))
            row.append(shuffled)
        if args.preview and len(preview) < 12:
            marked = img.copy()
            for b in bounds:
                marked[:, min(W - 1, b)] = (0, 0, 255)
            preview.append(np.concatenate([marked] + row[1:4], axis=1))
    np.savez(args.out, x=np.stack(out_x), y=np.array(out_y, np.int64))
    print(f"{used} of {len(x)} crops read right and cut into strips; {len(out_x)} reordered crops to {args.out}")
    if args.preview and preview:
        cv2.imwrite(args.preview, np.concatenate(preview, axis=0))


if __name__ == "__main__":
    main()
