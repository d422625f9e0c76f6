"""Render a cache of synthetic reader crops, so that training on a small CPU spends its time training.

    /usr/bin/python3 models/train/render_crops.py --data ../shared/data --n 24000 --seed 101 --out /tmp/crops.npz

Writes an .npz of x uint8 [N,64,128,3] (BGR, as synth.reader_sample renders them) and y int64 [N,8] slot labels
(pad = len(CHARSET)), the form train_reader_ctc.py --cache reads. --procs renders in parallel (one seed each,
seed, seed+1, ...); a 2-core machine renders ~150 crops a second.
"""

import argparse
import os
import random
from multiprocessing import Pool

import numpy as np

import synth


def render(job):
    data, seed, n, marks, frames, new_ca = job
    synth.MARKS = marks
    synth.FRAMES = frames
    synth.NEW_CA = new_ca
    rng = random.Random(seed)
    np.random.seed(seed)
    xs = np.zeros((n, 64, 128, 3), np.uint8)
    ys = np.zeros((n, synth.SLOTS), np.int64)
    for i in range(n):
        img, text = synth.reader_sample(rng, data)
        xs[i] = img
        ys[i] = synth.encode(text)
    return xs, ys


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--data", default="../shared/data")
    ap.add_argument("--n", type=int, required=True)
    ap.add_argument("--seed", type=int, default=101)
    ap.add_argument("--procs", type=int, default=os.cpu_count() or 1)
    ap.add_argument("--out", required=True)
    ap.add_argument("--marks", action="store_true",
                    help="draw coloured emblems between character groups and bolts, stickers and bars beside them")
    ap.add_argument("--frames", action="store_true",
                    help="draw a dealer frame (bands with a dealer's name or a slogan) around half the plates")
    ap.add_argument("--new-ca", action="store_true",
                    help="draw California's new serial shapes (123ABC4, 12345A1) among the others")
    args = ap.parse_args()
    share = [args.n // args.procs + (1 if i < args.n % args.procs else 0) for i in range(args.procs)]
    with Pool(args.procs) as pool:
        parts = pool.map(render, [(args.data, args.seed + i, k, args.marks, args.frames, args.new_ca) for i, k in enumerate(share) if k > 0])
    np.savez(args.out, x=np.concatenate([p[0] for p in parts]), y=np.concatenate([p[1] for p in parts]))
    print(f"wrote {args.n} crops to {args.out}")


if __name__ == "__main__":
    main()
