"""Train the plate detector: a CenterNet-style single-class detector, 512x288 letterboxed RGB in, stride-8 maps out.

    /usr/bin/python3 models/train/train_detector.py --data ../shared/data --minutes 60 --out /tmp/alpr-train/detector

Training scenes: the dashcam frames of ../shared/data/train/ro-dashcam (MIT) with their European plates painted out
and US plates rendered by synth.py put in their place (a US plate is about 0.59 of a European plate's width), plus
extra synthetic plates at random places and scales, plus some frames with their original plates.  The split is by
video (the dataset's `split` column).  us-plates-dev is never used to train.

Outputs (opset 13): input `image` float32 [N,3,H,W] 0..255 (trained at 512x288; exported with dynamic H and W, named
1024x576 in detector.json, see --export-size); output `maps` [N,5,H/8,W/8]: plate-centre logit, centre offset x/y
(cells), log width/height (cells).  Writes detector.onnx and detector.json.
"""

import argparse
import csv
import json
import math
import os
import random
import time
from collections import defaultdict

import cv2
import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F
from torch.utils.data import DataLoader, IterableDataset

import synth
from common import Replay, load_weights, onnx_export, pick_device, save_weights, set_lr

IN_W, IN_H, STRIDE = 512, 288, 8
OUT_W, OUT_H = IN_W // STRIDE, IN_H // STRIDE


def cbr(cin, cout, k=3, s=1, groups=1):
    return nn.Sequential(nn.Conv2d(cin, cout, k, s, k // 2, groups=groups, bias=False), nn.BatchNorm2d(cout),
                         nn.ReLU(inplace=True))


def dws(cin, cout, s=1):
    return nn.Sequential(cbr(cin, cin, 3, s, groups=cin), cbr(cin, cout, 1))


class Detector(nn.Module):
    def __init__(self):
        super().__init__()
        self.s4 = nn.Sequential(cbr(3, 16, 3, 2), dws(16, 32, 2), dws(32, 32))
        self.s8 = nn.Sequential(dws(32, 64, 2), dws(64, 64), dws(64, 64))
        self.s16 = nn.Sequential(dws(64, 128, 2), dws(128, 128), dws(128, 128))
        self.s32 = nn.Sequential(dws(128, 160, 2), dws(160, 160))
        self.l32 = cbr(160, 64, 1)
        self.l16 = cbr(128, 64, 1)
        self.l8 = cbr(64, 64, 1)
        self.m16 = dws(64, 64)
        self.m8 = nn.Sequential(dws(64, 64), dws(64, 64))
        self.head = nn.Conv2d(64, 5, 1)
        nn.init.constant_(self.head.bias, 0.0)
        with torch.no_grad():
            self.head.bias[0] = -4.0

    def forward(self, x):
        x = x / 255.0 - 0.5
        c8 = self.s8(self.s4(x))
        c16 = self.s16(c8)
        c32 = self.s32(c16)
        p16 = self.m16(self.l16(c16) + F.interpolate(self.l32(c32), scale_factor=2, mode="nearest"))
        p8 = self.m8(self.l8(c8) + F.interpolate(p16, scale_factor=2, mode="nearest"))
        return self.head(p8)


def read_boxes(root):
    boxes = defaultdict(list)
    split = {}
    with open(os.path.join(root, "labels.csv")) as f:
        for row in csv.DictReader(f):
            boxes[row["file"]].append(tuple(int(row[k]) for k in ("x", "y", "w", "h")))
            split[row["file"]] = row["split"]
    return boxes, split


def paint_out(img, boxes):
    mask = np.zeros(img.shape[:2], np.uint8)
    for x, y, w, h in boxes:
        cv2.rectangle(mask, (x - 3, y - 3), (x + w + 3, y + h + 3), 255, -1)
    return cv2.inpaint(img, mask, 3, cv2.INPAINT_TELEA)


class PlatePool:
    """Rendered, degraded plates reused across scenes (rendering one costs more than the rest of a scene); one is
    replaced by a fresh render per draw, so the pool keeps changing."""

    def __init__(self, rng, data_root, size=1500):
        self.rng, self.data_root = rng, data_root
        self.plates = [self.render() for _ in range(size)]

    def render(self):
        plate, _ = synth.render_plate(self.rng, self.data_root)
        return synth.degrade(plate, self.rng)

    def draw(self):
        i = self.rng.randrange(len(self.plates))
        plate = self.plates[i]
        if self.rng.random() < 0.3:
            self.plates[i] = self.render()
        return plate


def paste_plate(img, rng, pool, cx, cy, width):
    """Warp a US plate from the pool onto img centred at (cx, cy); return its box (x0, y0, x1, y1)."""
    plate = pool.draw()
    h = width / 2 * rng.uniform(0.9, 1.1)
    small_w = max(8, int(width * 1.5))
    plate = cv2.resize(plate, (small_w, max(4, small_w // 2)), interpolation=cv2.INTER_AREA)
    ph, pw = plate.shape[:2]
    ang = np.deg2rad(rng.uniform(-6, 6))
    shear = rng.uniform(-0.15, 0.15)
    pts = []
    for (x, y) in [(-0.5, -0.5), (0.5, -0.5), (0.5, 0.5), (-0.5, 0.5)]:
        px, py = x * width + shear * y * h, y * h
        pts.append([cx + px * math.cos(ang) - py * math.sin(ang), cy + px * math.sin(ang) + py * math.cos(ang)])
    dst = np.float32(pts)
    m = cv2.getPerspectiveTransform(np.float32([[0, 0], [pw, 0], [pw, ph], [0, ph]]), dst)
    cv2.warpPerspective(plate, m, (img.shape[1], img.shape[0]), dst=img, borderMode=cv2.BORDER_TRANSPARENT)
    x0, y0 = dst.min(0)
    x1, y1 = dst.max(0)
    return (float(x0), float(y0), float(x1), float(y1))


def letterbox_params(w, h):
    s = min(IN_W / w, IN_H / h)
    return s, (IN_W - w * s) / 2, (IN_H - h * s) / 2


def make_scene(rng, frame, painted, boxes, pool, scale=(0.7, 2.0)):
    """One training image (IN_H x IN_W) and its plate boxes in input pixels.  `scale`: the range (log-uniform) of
    the frame's scale relative to letterboxing it whole into the input; 2.0 is what running the detector at
    1024x576 does to a frame."""
    keep_original = rng.random() < 0.2
    img = (frame if keep_original else painted).copy()
    out_boxes = []
    for x, y, w, h in boxes:
        if keep_original:
            out_boxes.append((x, y, x + w, y + h))
        else:
            width = w * rng.uniform(0.5, 0.72)
            out_boxes.append(paste_plate(img, rng, pool, x + w / 2, y + h / 2 + rng.uniform(-0.3, 0.3) * h, width))
    for _ in range(rng.choice([0, 0, 1, 1, 2, 3])):
        width = math.exp(rng.uniform(math.log(40), math.log(260)))
        cx, cy = rng.uniform(width, img.shape[1] - width), rng.uniform(img.shape[0] * 0.3, img.shape[0] - width / 2)
        if all(not (b[0] - width < cx < b[2] + width and b[1] - width < cy < b[3] + width) for b in out_boxes):
            out_boxes.append(paste_plate(img, rng, pool, cx, cy, width))
    # scale and crop to the input size: scale relative to the letterbox scale, then a random window
    s0, _, _ = letterbox_params(img.shape[1], img.shape[0])
    s = s0 * math.exp(rng.uniform(math.log(scale[0]), math.log(scale[1])))
    scaled = cv2.resize(img, None, fx=s, fy=s, interpolation=cv2.INTER_AREA if s < 1 else cv2.INTER_LINEAR)
    sh, sw = scaled.shape[:2]
    canvas = np.full((IN_H, IN_W, 3), 114, np.uint8)
    ox = rng.uniform(min(0, IN_W - sw), max(0, IN_W - sw))
    oy = rng.uniform(min(0, IN_H - sh), max(0, IN_H - sh))
    m = np.float32([[1, 0, ox], [0, 1, oy]])
    canvas = cv2.warpAffine(scaled, m, (IN_W, IN_H), dst=canvas, borderMode=cv2.BORDER_TRANSPARENT)
    res = []
    for x0, y0, x1, y1 in out_boxes:
        b = [x0 * s + ox, y0 * s + oy, x1 * s + ox, y1 * s + oy]
        cx, cy = (b[0] + b[2]) / 2, (b[1] + b[3]) / 2
        if 0 <= cx < IN_W and 0 <= cy < IN_H and b[2] - b[0] >= 6:
            res.append(b)
    # photometric
    canvas = canvas.astype(np.float32)
    canvas = canvas * rng.uniform(0.5, 1.4) + rng.uniform(-40, 40)
    if rng.random() < 0.15:  # night
        canvas = canvas * rng.uniform(0.2, 0.5)
    canvas = np.clip(canvas, 0, 255).astype(np.uint8)
    if rng.random() < 0.2:
        g = cv2.cvtColor(canvas, cv2.COLOR_BGR2GRAY)
        canvas = cv2.cvtColor(g, cv2.COLOR_GRAY2BGR)
    if rng.random() < 0.2:
        canvas = cv2.GaussianBlur(canvas, (3, 3), 0)
    if rng.random() < 0.3:
        canvas = cv2.imdecode(cv2.imencode(".jpg", canvas, [cv2.IMWRITE_JPEG_QUALITY, rng.randint(30, 90)])[1], 1)
    if rng.random() < 0.5:
        canvas = canvas[:, ::-1].copy()
        res = [[IN_W - b[2], b[1], IN_W - b[0], b[3]] for b in res]
    return canvas, res


def targets(boxes):
    hm = np.zeros((OUT_H, OUT_W), np.float32)
    reg = np.zeros((4, OUT_H, OUT_W), np.float32)
    mask = np.zeros((OUT_H, OUT_W), np.float32)
    ys, xs = np.mgrid[0:OUT_H, 0:OUT_W]
    for x0, y0, x1, y1 in boxes:
        cx, cy = (x0 + x1) / 2 / STRIDE, (y0 + y1) / 2 / STRIDE
        w, h = (x1 - x0) / STRIDE, (y1 - y0) / STRIDE
        ix, iy = min(OUT_W - 1, int(cx)), min(OUT_H - 1, int(cy))
        sx, sy = max(0.6, w / 5), max(0.5, h / 5)
        g = np.exp(-(((xs - ix) ** 2) / (2 * sx * sx) + ((ys - iy) ** 2) / (2 * sy * sy)))
        hm = np.maximum(hm, g)
        hm[iy, ix] = 1.0
        reg[:, iy, ix] = [cx - ix, cy - iy, math.log(max(w, 0.1)), math.log(max(h, 0.1))]
        mask[iy, ix] = 1.0
    return hm, reg, mask


class Scenes(IterableDataset):
    def __init__(self, data_root, split, seed, scale=(0.7, 2.0)):
        self.data_root, self.split, self.seed, self.scale = data_root, split, seed, scale

    def __iter__(self):
        info = torch.utils.data.get_worker_info()
        rng = random.Random(self.seed + (info.id if info else 0) + int(time.time()))
        np.random.seed(rng.randrange(2**31))
        folder = os.path.join(self.data_root, "train/ro-dashcam")
        boxes, split = read_boxes(folder)
        files = [f for f in boxes if split[f] == self.split]
        frames = {}
        pool = PlatePool(rng, self.data_root)
        while True:
            f = rng.choice(files)
            if f not in frames:
                img = cv2.imread(os.path.join(folder, "images", f))
                frames[f] = (img, paint_out(img, boxes[f]))
            frame, painted = frames[f]
            canvas, res = make_scene(rng, frame, painted, boxes[f], pool, self.scale)
            hm, reg, mask = targets(res)
            yield (torch.from_numpy(np.ascontiguousarray(canvas[:, :, ::-1])).permute(2, 0, 1).contiguous(),
                   torch.from_numpy(hm), torch.from_numpy(reg), torch.from_numpy(mask))


def focal(logits, gt, ignore=None):
    """CenterNet's focal loss on the centre map; cells where `ignore` is 1 add no background loss."""
    p = torch.sigmoid(logits).clamp(1e-4, 1 - 1e-4)
    pos = gt.eq(1).float()
    neg = 1 - pos if ignore is None else (1 - pos) * (1 - ignore)
    pos_loss = torch.log(p) * (1 - p) ** 2 * pos
    neg_loss = torch.log(1 - p) * p ** 2 * (1 - gt) ** 4 * neg
    n = pos.sum().clamp(min=1)
    return -(pos_loss.sum() + neg_loss.sum()) / n


def losses(out, hm, reg, mask, ignore=None):
    """The centre-map focal loss and the L1 losses of the offset and log size at the plate centres."""
    m = mask.unsqueeze(1)
    n = mask.sum().clamp(min=1)
    l_off = (F.l1_loss(out[:, 1:3], reg[:, 0:2], reduction="none") * m).sum() / n
    l_size = (F.l1_loss(out[:, 3:5], reg[:, 2:4], reduction="none") * m).sum() / n
    return focal(out[:, 0], hm, ignore), l_off, l_size


def step(model, opt, img, hm, reg, mask, ignore=None):
    """One optimiser step on a batch; returns its three losses (see `loss_text`)."""
    ls = losses(model(img), hm, reg, mask, ignore)
    opt.zero_grad()
    sum(ls).backward()
    opt.step()
    return ls


def loss_text(ls):
    """The losses `step` returns, for a progress line (read only when printed: each .item() waits for the device)."""
    l_hm, l_off, l_size = ls
    return f"hm {l_hm.item():.3f} off {l_off.item():.3f} size {l_size.item():.3f}"


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--data", default="../shared/data")
    ap.add_argument("--out", default="/tmp/alpr-train/detector")
    ap.add_argument("--minutes", type=float, default=60)
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--workers", type=int, default=1, help="DataLoader processes composing scenes")
    ap.add_argument("--batch", type=int, default=16)
    ap.add_argument("--device", default="auto", help="auto, cpu or cuda")
    ap.add_argument("--ring", type=int, default=512, help="composed scenes kept for reuse (replay ring)")
    ap.add_argument("--reuse", type=float, default=4.0, help="how many times a composed scene is used on average")
    ap.add_argument("--resume", default="", help="weights to start from (.pt or .npz)")
    ap.add_argument("--export-only", default="", help="export these weights (.pt or .npz) and stop")
    ap.add_argument("--lr", type=float, default=2e-3)
    ap.add_argument("--preview", action="store_true")
    ap.add_argument("--scale", default="0.7,2.0",
                    help="min,max scale of a training frame relative to letterboxing it into 512x288 (log-uniform); "
                         "the detector runs stills at 1024x576, a scale of 2")
    ap.add_argument("--export-size", default="1024x576",
                    help="input WxH the exported model is traced at and detector.json names (multiples of 32).  The "
                         "export takes any size (height and width are dynamic axes): the detector is fully "
                         "convolutional, and weights trained at 512x288 find more of the small plates at 1024x576")
    args = ap.parse_args()
    torch.set_num_threads(args.threads)
    os.makedirs(args.out, exist_ok=True)
    if args.preview:
        it = iter(Scenes(args.data, "train", 1))
        tiles = []
        for _ in range(6):
            img, hm, _, _ = next(it)
            im = img.permute(1, 2, 0).numpy()[:, :, ::-1].copy()
            heat = cv2.resize((hm.numpy() * 255).astype(np.uint8), (IN_W, IN_H), interpolation=cv2.INTER_NEAREST)
            im[:, :, 2] = np.maximum(im[:, :, 2], heat)
            tiles.append(im)
        cv2.imwrite(os.path.join(args.out, "preview.png"), np.vstack([np.hstack(tiles[i:i + 2]) for i in (0, 2, 4)]))
        return
    if args.export_only:
        model = Detector()
        load_weights(model, args.export_only)
        export(model, args.out, {"exportedFrom": os.path.basename(args.export_only)}, args.export_size)
        return
    device = pick_device(args.device)
    model = Detector().to(device)
    if args.resume:
        load_weights(model, args.resume, device)
    params = sum(p.numel() for p in model.parameters())
    print(f"device {device}, params {params}", flush=True)
    scale = tuple(float(v) for v in args.scale.split(","))
    loader = DataLoader(Scenes(args.data, "train", 11, scale), batch_size=16, num_workers=args.workers,
                        persistent_workers=args.workers > 0)
    ring = Replay(loader, args.ring, device, (torch.uint8, torch.float16, torch.float16, torch.uint8),
                  max_reuse=args.reuse)
    t0 = time.time()
    ring.fill(2 * args.batch)
    print(f"first scenes in {time.time() - t0:.0f}s", flush=True)
    opt = torch.optim.AdamW(model.parameters(), lr=args.lr, weight_decay=1e-4)
    budget = args.minutes * 60
    start = time.time()
    steps = 0
    next_report = time.time() + 30
    while True:
        frac = (time.time() - start) / budget
        if frac >= 1:
            break
        img, hm, reg, mask = ring.sample(args.batch)
        img, hm, reg, mask = img.float(), hm.float(), reg.float(), mask.float()
        lr = set_lr(opt, args.lr, frac)
        ls = step(model, opt, img, hm, reg, mask)
        steps += 1
        if time.time() >= next_report:
            next_report = time.time() + 30
            print(f"step {steps} {time.time() - start:.0f}s lr {lr:.5f} {loss_text(ls)} {ring.stats()}",
                  flush=True)
            save_weights(model, os.path.join(args.out, "last"))
    save_weights(model, os.path.join(args.out, "last"))
    export(model.cpu(), args.out, {"steps": steps, "params": params, "batch": args.batch, "device": str(device),
                                   "scenes": ring.produced}, args.export_size)


def export(model, out, info, size):
    w, h = (int(v) for v in size.split("x"))
    if w % 32 or h % 32:
        raise SystemExit(f"--export-size {size}: width and height must be multiples of 32")
    model.eval()
    onnx_export(model, torch.zeros(1, 3, h, w), os.path.join(out, "detector.onnx"), "image", "maps", spatial=True)
    info.update({"input": [3, h, w], "stride": STRIDE})
    with open(os.path.join(out, "detector.json"), "w") as f:
        json.dump(info, f, indent=2)


if __name__ == "__main__":
    main()
