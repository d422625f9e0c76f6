"""A box refiner, tried and not shipped (models/README.md, "Tried after pack 0.8.0"): a small CNN that takes the
region around a detector's box (widened by a quarter of its width and half its height on each side, 64x128) and
puts the plate's box in it, so the reader reads a box as close to the plate as a labelled one.

    /usr/bin/python3 models/train/train_refiner.py train --data ../shared/data --half a --steps 2000 --out /tmp/ref-a.pt
    /usr/bin/python3 models/train/train_refiner.py train --data ../shared/data --half b --steps 2000 --out /tmp/ref-b.pt
    npm run eval -- --data ../shared/data/us-plates-dev --heldout --dump /tmp/e.jsonl
    /usr/bin/python3 models/train/train_refiner.py eval --data ../shared/data --dump /tmp/e.jsonl \\
        --refiners /tmp/ref-a.pt,/tmp/ref-b.pt --reader models/plates-us/reader.onnx

Training windows are cut around a labelled box moved at random by 1.5 times the held-out detectors' spread about the
labels: the labelled plates of one half of us-plates-dev (dev_fold), the plate boxes of train/ro-dashcam, and 2,500
rendered US plates placed in synthetic scenes (synth.place_in_scene); the target is the labelled box. `eval` refines
each photo's engine box (from an eval --dump; the refiner that did not train on that half) and prints the boxes'
mean overlap with the labels and the photos read (screen_reader's proxy) before and after.
"""

import argparse
import csv
import json
import os
import random

import cv2
import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F

import synth
from screen_reader import engine_box, iou, jitter, load_image, load_reader, read_texts
from train_reader import dev_fold

WX, WY = 0.25, 0.5  # the window around a box: this share of its width, height on each side


def window(img, box):
    """The window around `box` (x, y, w, h) resized to 128x64, and the window (x, y, w, h) in image pixels."""
    x0, y0 = box[0] - box[2] * WX, box[1] - box[3] * WY
    w, h = box[2] * (1 + 2 * WX), box[3] * (1 + 2 * WY)
    m = np.float32([[128 / w, 0, -x0 * 128 / w], [0, 64 / h, -y0 * 64 / h]])
    crop = cv2.warpAffine(img, m, (128, 64), flags=cv2.INTER_AREA if w > 128 else cv2.INTER_LINEAR,
                          borderMode=cv2.BORDER_REPLICATE)
    return crop, (x0, y0, w, h)


class Refiner(nn.Module):
    def __init__(self):
        super().__init__()
        c = lambda i, o: nn.Sequential(nn.Conv2d(i, o, 3, 1, 1, bias=False), nn.BatchNorm2d(o), nn.ReLU(inplace=True))
        self.features = nn.Sequential(nn.Conv2d(3, 24, 3, 2, 1), nn.ReLU(inplace=True), c(24, 32), nn.MaxPool2d(2),
                                      c(32, 64), nn.MaxPool2d(2), c(64, 96), nn.MaxPool2d(2), c(96, 96))
        self.head = nn.Sequential(nn.Flatten(), nn.Linear(96 * 4 * 8, 128), nn.ReLU(inplace=True), nn.Linear(128, 4))

    def forward(self, x):  # N,3,64,128 BGR 0..255 -> N,4: the plate's x0, y0, x1, y1 in the window, 0..1
        return self.head(self.features(x / 255.0 - 0.5))


def refine(model, img, box):
    crop, (x0, y0, w, h) = window(img, box)
    with torch.no_grad():
        t = model(torch.from_numpy(crop.transpose(2, 0, 1)[None].astype(np.float32)))[0].numpy()
    return [x0 + t[0] * w, y0 + t[1] * h, (t[2] - t[0]) * w, (t[3] - t[1]) * h]


def training_sets(data, half):
    rows = list(csv.DictReader(open(os.path.join(data, "us-plates-dev/labels.csv"))))
    dev = [(cv2.imread(os.path.join(data, "us-plates-dev", r["file"])), [float(r[k]) for k in "xywh"])
           for r in rows if dev_fold(r["file"]) == half]
    ro = []
    for r in csv.DictReader(open(os.path.join(data, "train/ro-dashcam/labels.csv"))):
        img = cv2.imread(os.path.join(data, "train/ro-dashcam/images", r["file"]))
        if img is not None:
            ro.append((img, [float(r[k]) for k in "xywh"]))
    rng = random.Random(5)
    np.random.seed(5)
    rendered = []
    for _ in range(2500):
        plate, _ = synth.render_plate(rng, data)
        canvas, corners = synth.place_in_scene(synth.degrade(plate, rng), rng)
        (x0, y0), (x1, y1) = corners.min(0), corners.max(0)
        rendered.append((canvas, [x0, y0, x1 - x0, y1 - y0]))
    return [dev, ro, rendered]


def train(args):
    torch.set_num_threads(args.threads)
    sets = training_sets(args.data, args.half)
    print("training windows from", [len(s) for s in sets], "plates (dev half, ro-dashcam, rendered)", flush=True)
    rng = np.random.default_rng(args.seed)
    torch.manual_seed(args.seed)
    model = Refiner()
    opt = torch.optim.AdamW(model.parameters(), 1e-3, weight_decay=1e-4)
    for step in range(args.steps):
        for g in opt.param_groups:
            g["lr"] = 1e-3 * 0.5 * (1 + np.cos(np.pi * step / args.steps))
        xs, ys = [], []
        for _ in range(args.batch):
            s = sets[rng.choice(3, p=[0.4, 0.3, 0.3])]
            img, gt = s[rng.integers(len(s))]
            crop, (x0, y0, w, h) = window(img, jitter(gt, rng, 1.5))
            if rng.random() < 0.3:  # night IR cameras are monochrome
                crop = cv2.cvtColor(cv2.cvtColor(crop, cv2.COLOR_BGR2GRAY), cv2.COLOR_GRAY2BGR)
            xs.append(crop)
            ys.append([(gt[0] - x0) / w, (gt[1] - y0) / h, (gt[0] + gt[2] - x0) / w, (gt[1] + gt[3] - y0) / h])
        x = torch.from_numpy(np.stack(xs).transpose(0, 3, 1, 2).astype(np.float32))
        loss = F.smooth_l1_loss(model(x), torch.tensor(ys, dtype=torch.float32), beta=0.02)
        opt.zero_grad()
        loss.backward()
        opt.step()
        if step % 500 == 0:
            print(f"step {step} loss {loss.item():.4f}", flush=True)
    torch.save(model.state_dict(), args.out)


def evaluate(args):
    refiners = {}
    for half, path in zip("ab", args.refiners.split(",")):
        m = Refiner()
        m.load_state_dict(torch.load(path))
        refiners[half] = m.eval()
    reader = load_reader(args.reader)
    folder = os.path.join(args.data, "us-plates-dev")
    labels = {r["file"]: r for r in csv.DictReader(open(os.path.join(folder, "labels.csv")))}

    def read(img, box):
        texts = read_texts([reader], img, box)
        return max(texts.items(), key=lambda kv: kv[1])[0].replace("O", "0")

    before, after, read0, read1, n = [], [], 0, 0, 0
    for line in open(args.dump):
        d = json.loads(line)
        row = labels[d["file"]]
        n += 1
        lb = [float(row[k]) * args.scale for k in "xywh"]
        box = engine_box(d["plates"], lb)
        if box is None:
            continue
        img = load_image(os.path.join(folder, d["file"]), args.scale)
        refined = refine(refiners["b" if dev_fold(d["file"]) == "a" else "a"], img, box)
        before.append(iou(box, lb))
        after.append(iou(refined, lb))
        label = row["plate"].replace("O", "0")
        read0 += read(img, box) == label
        read1 += read(img, refined) == label
    print(json.dumps({"n": n, "iouBefore": round(float(np.mean(before)), 3), "iouAfter": round(float(np.mean(after)), 3),
                      "readBefore": read0, "readAfter": read1}))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("command", choices=["train", "eval"])
    ap.add_argument("--data", default="../shared/data")
    ap.add_argument("--half", choices=["a", "b"], help="train: the half of us-plates-dev trained on")
    ap.add_argument("--steps", type=int, default=2000)
    ap.add_argument("--batch", type=int, default=32)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--threads", type=int, default=1)
    ap.add_argument("--out", default="/tmp/alpr-train/refiner.pt")
    ap.add_argument("--dump", help="eval: an `npm run eval --heldout --dump` file (the engine's boxes)")
    ap.add_argument("--scale", type=float, default=1.0, help="eval: the --scale the dump was made with")
    ap.add_argument("--refiners", help="eval: the refiners trained on half a and on half b, comma-separated")
    ap.add_argument("--reader", default="models/plates-us/reader.onnx")
    args = ap.parse_args()
    if args.command == "train":
        if not args.half:
            ap.error("train needs --half a|b (the other half is held out)")
        train(args)
    else:
        if not (args.dump and args.refiners):
            ap.error("eval needs --dump and --refiners")
        evaluate(args)


if __name__ == "__main__":
    main()
