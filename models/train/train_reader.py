"""Train the plate reader: a 64x128 RGB crop in, 8 character slots out (0-9, A-Z, pad).

    /usr/bin/python3 models/train/train_reader.py --data ../shared/data --minutes 60 --out /tmp/alpr-train/reader

Training data: synthetic US plates rendered by synth.py (the bulk), plus the real Brazilian crops of
../shared/data/train/br-crops (AGPL-3.0, openalpr/train-detector) for real-photo texture.  us-crops-dev is used
only to watch progress and to fit the confidence temperature, never to train the weights.
Writes reader.onnx (opset 13, input `image` float32 [N,3,64,128] 0..255, output `slots` logits [N,8,37]) and
reader.json (temperature, charset, figures).
"""

import argparse
import csv
import json
import math
import os
import random
import time
from multiprocessing import Pool

import cv2
import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F

import synth

H, W = 64, 128
NCLS = len(synth.CHARSET) + 1


def conv(cin, cout, k=3, s=1):
    return nn.Sequential(nn.Conv2d(cin, cout, k, s, k // 2, bias=False), nn.BatchNorm2d(cout), nn.ReLU(inplace=True))


class Reader(nn.Module):
    def __init__(self):
        super().__init__()
        self.features = nn.Sequential(
            conv(3, 24, s=2),                        # 32x64
            conv(24, 48), nn.MaxPool2d(2),           # 16x32
            conv(48, 64), conv(64, 64), nn.MaxPool2d(2),    # 8x16
            conv(64, 96), conv(96, 96), nn.MaxPool2d(2),    # 4x8
            conv(96, 128), nn.Dropout2d(0.1),
        )
        self.head = nn.Linear(128 * 4 * 8, synth.SLOTS * NCLS)

    def forward(self, x):
        x = self.features(x / 255.0 - 0.5)
        x = torch.flatten(x, 1)
        return self.head(F.dropout(x, 0.2, self.training)).view(-1, synth.SLOTS, NCLS)


def _render_chunk(args):
    seed, n, root = args
    rng = random.Random(seed)
    np.random.seed(seed % (2**32))
    xs = np.zeros((n, H, W, 3), np.uint8)
    ys = np.zeros((n, synth.SLOTS), np.int64)
    for i in range(n):
        img, text = synth.reader_sample(rng, root)
        xs[i] = img
        ys[i] = synth.encode(text)
    return xs, ys


def synthetic(root, n, seed, procs):
    chunk = 2000
    jobs = [(seed * 100000 + i, min(chunk, n - i * chunk), root) for i in range(math.ceil(n / chunk))]
    with Pool(procs) as pool:
        parts = pool.map(_render_chunk, jobs)
    return np.concatenate([p[0] for p in parts]), np.concatenate([p[1] for p in parts])


def load_labelled(folder, fields):
    xs, ys = [], []
    with open(os.path.join(folder, "labels.csv")) as f:
        for row in csv.DictReader(f):
            path = os.path.join(folder, row["file"])
            if not os.path.exists(path):
                path = os.path.join(folder, "images", row["file"])
            img = cv2.imread(path)
            plate = "".join(c for c in row[fields].upper() if c.isalnum())
            if img is None or not plate or len(plate) > synth.SLOTS:
                continue
            xs.append(cv2.resize(img, (W, H), interpolation=cv2.INTER_AREA))
            ys.append(synth.encode(plate))
    return np.stack(xs), np.array(ys, np.int64)


def decode(logits):
    idx = logits.argmax(-1)
    out = []
    for row in idx.tolist():
        out.append("".join(synth.CHARSET[c] for c in row if c < len(synth.CHARSET)))
    return out


def texts(ys):
    return ["".join(synth.CHARSET[c] for c in row if c < len(synth.CHARSET)) for row in ys.tolist()]


def augment_real(x, rng):
    # light jitter for real crops: shift/scale a few pixels, brightness
    out = np.empty_like(x)
    for i in range(len(x)):
        m = np.float32([[rng.uniform(0.9, 1.08), rng.uniform(-0.05, 0.05), rng.uniform(-6, 6)],
                        [rng.uniform(-0.03, 0.03), rng.uniform(0.9, 1.1), rng.uniform(-5, 5)]])
        out[i] = cv2.warpAffine(x[i], m, (W, H), borderMode=cv2.BORDER_REPLICATE)
    return out


def evaluate(model, x, y, bs=256):
    model.eval()
    preds, logits_all = [], []
    with torch.no_grad():
        for i in range(0, len(x), bs):
            xb = torch.from_numpy(x[i:i + bs]).permute(0, 3, 1, 2).float()
            lg = model(xb)
            logits_all.append(lg)
            preds += decode(lg)
    model.train()
    truth = texts(y)
    acc = sum(p == t for p, t in zip(preds, truth)) / len(truth)
    return acc, torch.cat(logits_all), preds, truth


def fit_temperature(logits, y):
    """Temperature so that the product of slot max-probabilities is calibrated on held-out crops."""
    yt = torch.from_numpy(y)
    best = (1e9, 1.0)
    for t in np.arange(0.5, 3.01, 0.05):
        p = F.softmax(logits / t, -1)
        conf = p.max(-1).values.prod(-1)
        correct = (p.argmax(-1) == yt).all(-1).float()
        # expected calibration error over 10 bins
        ece = 0.0
        for lo in np.arange(0, 1, 0.1):
            m = (conf >= lo) & (conf < lo + 0.1 + (1e-9 if lo >= 0.9 else 0))
            if m.sum() > 0:
                ece += m.float().mean().item() * abs(conf[m].mean().item() - correct[m].mean().item())
        if ece < best[0]:
            best = (ece, float(t))
    return best[1], best[0]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--data", default="../shared/data")
    ap.add_argument("--out", default="/tmp/alpr-train/reader")
    ap.add_argument("--minutes", type=float, default=60)
    ap.add_argument("--synthetic", type=int, default=120000)
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--procs", type=int, default=2)
    ap.add_argument("--resume", default="")
    ap.add_argument("--lr", type=float, default=2e-3)
    ap.add_argument("--seed", type=int, default=7)
    args = ap.parse_args()
    torch.set_num_threads(args.threads)
    torch.manual_seed(args.seed)
    os.makedirs(args.out, exist_ok=True)
    rng = random.Random(args.seed)
    t0 = time.time()
    cache = os.path.join(os.path.dirname(args.out), f"reader-synth-{args.synthetic}-{args.seed}.npz")
    if os.path.exists(cache):
        z = np.load(cache)
        sx, sy = z["x"], z["y"]
    else:
        sx, sy = synthetic(args.data, args.synthetic, args.seed, args.procs)
        np.savez(cache, x=sx, y=sy)
    print(f"synthetic {len(sx)} in {time.time() - t0:.0f}s", flush=True)
    bx, by = load_labelled(os.path.join(args.data, "train/br-crops"), "plate")
    dx, dy = load_labelled(os.path.join(args.data, "us-crops-dev"), "plate")
    print(f"real br {len(bx)}, dev crops {len(dx)}", flush=True)

    model = Reader()
    if args.resume:
        model.load_state_dict(torch.load(args.resume))
    params = sum(p.numel() for p in model.parameters())
    print(f"params {params}", flush=True)
    opt = torch.optim.AdamW(model.parameters(), lr=args.lr, weight_decay=1e-4)
    budget = args.minutes * 60
    start = time.time()
    step, bs = 0, 64
    best = -1.0
    while time.time() - start < budget:
        frac = (time.time() - start) / budget
        lr = args.lr * 0.5 * (1 + math.cos(math.pi * frac)) if frac > 0.03 else args.lr * frac / 0.03 + 1e-5
        for g in opt.param_groups:
            g["lr"] = lr
        n_real = bs // 8
        si = np.random.randint(0, len(sx), bs - n_real)
        ri = np.random.randint(0, len(bx), n_real)
        xb = np.concatenate([sx[si], augment_real(bx[ri], rng)])
        yb = np.concatenate([sy[si], by[ri]])
        if rng.random() < 0.3:  # grey images now and then (night IR cameras are monochrome)
            g = xb.mean(-1, keepdims=True).astype(np.uint8)
            xb = np.repeat(g, 3, -1)
        xt = torch.from_numpy(xb).permute(0, 3, 1, 2).float()
        yt = torch.from_numpy(yb)
        logits = model(xt)
        loss = F.cross_entropy(logits.reshape(-1, NCLS), yt.reshape(-1), label_smoothing=0.05)
        opt.zero_grad()
        loss.backward()
        opt.step()
        step += 1
        if step % 500 == 0:
            acc, _, _, _ = evaluate(model, dx, dy)
            print(f"step {step} {time.time() - start:.0f}s lr {lr:.5f} loss {loss.item():.3f} dev-crops {acc:.3f}", flush=True)
            torch.save(model.state_dict(), os.path.join(args.out, "last.pt"))
            if acc > best:
                best = acc
                torch.save(model.state_dict(), os.path.join(args.out, "best.pt"))
    torch.save(model.state_dict(), os.path.join(args.out, "last.pt"))
    acc, logits, preds, truth = evaluate(model, dx, dy)
    temp, ece = fit_temperature(logits, dy)
    print(f"final dev-crops {acc:.3f} temperature {temp:.2f} ece {ece:.3f}", flush=True)
    export(model, args.out, {"devCropsAcc": acc, "temperature": temp, "ece": ece, "steps": step, "params": params,
                             "synthetic": len(sx), "realBr": len(bx)})


def export(model, out, info):
    model.eval()
    dummy = torch.zeros(1, 3, H, W)
    torch.onnx.export(model, dummy, os.path.join(out, "reader.onnx"), opset_version=13, input_names=["image"],
                      output_names=["slots"], dynamic_axes={"image": {0: "n"}, "slots": {0: "n"}})
    info.update({"charset": synth.CHARSET, "slots": synth.SLOTS, "input": [3, H, W]})
    with open(os.path.join(out, "reader.json"), "w") as f:
        json.dump(info, f, indent=2)


if __name__ == "__main__":
    main()
