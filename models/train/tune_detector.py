"""Tune the plate detector on real US photos: a shipped detector.onnx continued with windows of us-plates-dev photos
(one half, or both) mixed with train_detector.py's synthetic scenes.

    /usr/bin/python3 models/train/tune_detector.py --onnx models/plates-us/detector.onnx --half all \
        --ignore /tmp/eval-dump.jsonl --minutes 22 --out /tmp/alpr-train/detector-tuned

The detector's weights come back from its ONNX: the exporter folded each BatchNorm into the convolution before it,
so each convolution gets the folded weights and its BatchNorm becomes the identity plus the folded bias, frozen
(`--check` exports the recovered model again and compares every initializer).  Each batch is `--synth` scenes from
train_detector.py (Romanian dashcam frames with rendered US plates) and `--real` windows of 512x288 cut from the
photos at the scale the engine sees them (a 1280x720 photo in 1024x576: 0.8, times 0.6-1.5), each holding its
labelled plate, whose labelled box (the plate, 2:1) is the target.  The photos have one labelled plate each; the
plates the shipped engine reported elsewhere in a photo (`--ignore`: the JSON lines `npm run eval --dump` writes)
are left out of the loss rather than taught as background.  With a half (train_reader.dev_fold's split) the other
half measures it: `npm run eval -- --half b` for a detector tuned on half a.  Writes detector.onnx, detector.json,
last.pt and last.npz.
"""
import argparse
import csv
import json
import math
import os
import random
import time

import cv2
import numpy as np
import onnx
import torch
from onnx import numpy_helper
from torch.utils.data import DataLoader

import train_detector as td
from common import Replay, freeze_bn, recover_from_onnx, save_weights, set_lr
from train_reader import dev_fold

IN_W, IN_H, STRIDE = td.IN_W, td.IN_H, td.STRIDE
OUT_W, OUT_H = td.OUT_W, td.OUT_H


class RealScenes:
    """Windows of real photos at the detector's scale, each with its labelled plate; other plates in the photo are
    unlabelled, so the boxes the shipped engine reported elsewhere are left out of the loss (ignore mask)."""

    def __init__(self, root, half, dump, rng):
        self.rng = rng
        self.items = []
        others = {}
        for line in open(dump) if dump else []:
            d = json.loads(line)
            others[d["file"]] = [p["box"] for p in d["plates"]]
        for r in csv.DictReader(open(os.path.join(root, "labels.csv"))):
            if half != "all" and dev_fold(r["file"]) != half:
                continue
            img = cv2.imread(os.path.join(root, r["file"]))
            box = [float(r[k]) for k in "xywh"]
            ign = []
            for b in others.get(r["file"], []):
                bb = [b["x"], b["y"], b["w"], b["h"]]
                if iou(bb, box) < 0.2:
                    ign.append(bb)
            self.items.append((img, box, ign))

    def sample(self):
        rng = self.rng
        img, (x, y, w, h), ign = rng.choice(self.items)
        H, W = img.shape[:2]
        # the engine letterboxes a 1280x720 photo into 1024x576 (0.8); training windows are 512x288 at that scale
        base = min(1024 / W, 576 / H) if W >= H else min(576 / W, 1024 / H)
        s = base * math.exp(rng.uniform(math.log(0.6), math.log(1.5)))
        sc = cv2.resize(img, None, fx=s, fy=s, interpolation=cv2.INTER_AREA if s < 1 else cv2.INTER_LINEAR)
        sh, sw = sc.shape[:2]
        px0, py0, px1, py1 = x * s, y * s, (x + w) * s, (y + h) * s
        ox = window_start(rng, px0, px1, IN_W, sw)
        oy = window_start(rng, py0, py1, IN_H, sh)
        m = np.float32([[1, 0, -ox], [0, 1, -oy]])
        canvas = np.full((IN_H, IN_W, 3), 114, np.uint8)
        canvas = cv2.warpAffine(sc, m, (IN_W, IN_H), dst=canvas, borderMode=cv2.BORDER_TRANSPARENT)
        box = [px0 - ox, py0 - oy, px1 - ox, py1 - oy]
        ignb = [[b[0] * s - ox, b[1] * s - oy, (b[0] + b[2]) * s - ox, (b[1] + b[3]) * s - oy] for b in ign]
        c = canvas.astype(np.float32) * rng.uniform(0.6, 1.3) + rng.uniform(-30, 30)
        c = np.clip(c, 0, 255).astype(np.uint8)
        if rng.random() < 0.3:
            c = cv2.imdecode(cv2.imencode(".jpg", c, [cv2.IMWRITE_JPEG_QUALITY, rng.randint(40, 90)])[1], 1)
        if rng.random() < 0.5:
            c = c[:, ::-1].copy()
            box = [IN_W - box[2], box[1], IN_W - box[0], box[3]]
            ignb = [[IN_W - b[2], b[1], IN_W - b[0], b[3]] for b in ignb]
        boxes = [box] if box[2] > 0 and box[0] < IN_W and box[3] > 0 and box[1] < IN_H else []
        hm, reg, mask = td.targets(boxes)
        ignore = np.zeros((OUT_H, OUT_W), np.float32)
        for x0, y0, x1, y1 in ignb:
            gx0, gy0 = max(0, int(x0 / STRIDE) - 1), max(0, int(y0 / STRIDE) - 1)
            gx1, gy1 = min(OUT_W, int(x1 / STRIDE) + 2), min(OUT_H, int(y1 / STRIDE) + 2)
            if gx1 > gx0 and gy1 > gy0:
                ignore[gy0:gy1, gx0:gx1] = 1
        ignore[hm > 0.05] = 0
        return (torch.from_numpy(np.ascontiguousarray(c[:, :, ::-1])).permute(2, 0, 1).contiguous().float(),
                torch.from_numpy(hm), torch.from_numpy(reg), torch.from_numpy(mask), torch.from_numpy(ignore))


def window_start(rng, p0, p1, size, extent):
    """Where a window `size` long starts on one axis so that it holds [p0, p1] (at random among such starts), moved
    inside an image `extent` long as far as it fits."""
    o = rng.uniform(min(p1 - size, p0), max(p1 - size, p0))
    return min(max(o, min(0, extent - size)), max(0, extent - size))


def iou(a, b):
    x0, y0 = max(a[0], b[0]), max(a[1], b[1])
    x1, y1 = min(a[0] + a[2], b[0] + b[2]), min(a[1] + a[3], b[1] + b[3])
    i = max(0, x1 - x0) * max(0, y1 - y0)
    return i / (a[2] * a[3] + b[2] * b[3] - i)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--onnx", required=True, help="the detector to start from (a pack's detector.onnx)")
    ap.add_argument("--data", default="../shared/data")
    ap.add_argument("--half", default="all", choices=["a", "b", "all"], help="which us-plates-dev photos to train on")
    ap.add_argument("--ignore", default="", help="npm run eval --dump output of the starting pack on us-plates-dev")
    ap.add_argument("--out", required=True)
    ap.add_argument("--minutes", type=float, default=22)
    ap.add_argument("--steps", type=int, default=0,
                    help="a budget of steps instead of minutes: the learning rate follows the steps, so the run does "
                         "not depend on how busy the machine is")
    ap.add_argument("--seed", type=int, default=7, help="seeds the photo windows and PyTorch")
    ap.add_argument("--lr", type=float, default=3e-4)
    ap.add_argument("--real", type=int, default=8, help="real photo windows per batch")
    ap.add_argument("--synth", type=int, default=8, help="synthetic scenes per batch")
    ap.add_argument("--check", action="store_true", help="recover, export again, compare the weights, stop")
    args = ap.parse_args()
    torch.set_num_threads(1)
    os.makedirs(args.out, exist_ok=True)
    model = td.Detector()
    recover_from_onnx(model, args.onnx, torch.zeros(1, 3, 64, 128))
    if args.check:
        td.export(model, args.out, {"recovered": True}, "1024x576")
        a = {i.name: numpy_helper.to_array(i) for i in onnx.load(args.onnx).graph.initializer}
        b = {i.name: numpy_helper.to_array(i) for i in onnx.load(os.path.join(args.out, "detector.onnx")).graph.initializer}
        va, vb = list(a.values()), list(b.values())
        print("inits", len(va), len(vb), "max diff", max(float(np.abs(x - y).max()) for x, y in zip(va, vb)))
        return
    rng = random.Random(args.seed)
    torch.manual_seed(args.seed)
    real = RealScenes(os.path.join(args.data, "us-plates-dev"), args.half, args.ignore, rng)
    print("real photos", len(real.items), flush=True)
    loader = DataLoader(td.Scenes(args.data, "train", 11, (0.7, 2.0)), batch_size=16, num_workers=1,
                        persistent_workers=True)
    ring = Replay(loader, 256, torch.device("cpu"), (torch.uint8, torch.float16, torch.float16, torch.uint8),
                  max_reuse=4.0)
    ring.fill(32)
    # BN stays frozen (its statistics are folded into the recovered weights)
    opt = torch.optim.AdamW(model.parameters(), lr=args.lr, weight_decay=1e-4)
    start = time.time()
    budget = args.minutes * 60
    step = 0
    next_report = start + 30
    while True:
        frac = step / args.steps if args.steps else (time.time() - start) / budget
        if frac >= 1:
            break
        freeze_bn(model.train())
        parts = []
        if args.synth:
            img, hm, reg, mask = ring.sample(args.synth)
            parts.append((img.float(), hm.float(), reg.float(), mask.float(), torch.zeros_like(hm.float())))
        if args.real:
            rs = [real.sample() for _ in range(args.real)]
            parts.append(tuple(torch.stack([r[k] for r in rs]) for k in range(5)))
        img, hm, reg, mask, ign = (torch.cat([p[k] for p in parts]) for k in range(5))
        lr = set_lr(opt, args.lr, frac)
        ls = td.step(model, opt, img, hm, reg, mask, ign)
        step += 1
        if time.time() >= next_report:
            next_report = time.time() + 60
            print(f"step {step} {time.time() - start:.0f}s lr {lr:.5f} {td.loss_text(ls)}", flush=True)
            save_weights(model, os.path.join(args.out, "last"))
    save_weights(model, os.path.join(args.out, "last"))
    td.export(model.eval(), args.out, {"steps": step, "tuned": {k: v for k, v in vars(args).items() if k != "check"},
                                      "realPhotos": len(real.items)}, "1024x576")
    print("done", step, flush=True)


if __name__ == "__main__":
    main()
