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
import hashlib
import json
import os
import random
import time

import cv2
import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F
from torch.utils.data import DataLoader, IterableDataset

import synth
from common import Replay, fit_temperature, load_weights, onnx_export, pick_device, save_weights, set_lr

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


class SynthStream(IterableDataset):
    """Endless synthetic reader crops (uint8 HWC BGR) and their slot labels, rendered in a DataLoader worker."""

    def __init__(self, root, seed):
        self.root, self.seed = root, seed

    def __iter__(self):
        info = torch.utils.data.get_worker_info()
        wid = info.id if info else 0
        rng = random.Random(self.seed * 1000 + wid + int(time.time() * 1000) % 100000)
        np.random.seed(rng.randrange(2**31))
        while True:
            img, text = synth.reader_sample(rng, self.root)
            yield torch.from_numpy(img), torch.tensor(synth.encode(text), dtype=torch.int64)


def dev_fold(name):
    """The half of a labelled set a file falls in, "a" or "b", from its name's SHA-1 (stable across machines and
    orderings): a reader trained on one half of us-crops-dev is measured on the other."""
    return "a" if hashlib.sha1(name.encode()).digest()[0] % 2 == 0 else "b"


def labelled_rows(folder, field, fold=None):
    """Rows of a labelled folder's labels.csv with their image (BGR) and plate text (uppercase alphanumerics), left
    out where the image does not load or the plate is empty or longer than the reader's slots; with `fold` ("a" or
    "b") only that half (dev_fold). Images are looked for beside labels.csv, then in images/."""
    with open(os.path.join(folder, "labels.csv")) as f:
        for row in csv.DictReader(f):
            if fold and dev_fold(row["file"]) != fold:
                continue
            path = os.path.join(folder, row["file"])
            if not os.path.exists(path):
                path = os.path.join(folder, "images", row["file"])
            img = cv2.imread(path)
            plate = "".join(c for c in row[field].upper() if c.isalnum())
            if img is None or not plate or len(plate) > synth.SLOTS:
                continue
            yield row, img, plate


def load_labelled(folder, fields, fold=None):
    """Crops of a labelled folder resized to the reader's input (uint8 NHWC BGR) and their slot labels; with `fold`
    ("a" or "b") only that half (dev_fold)."""
    xs, ys = [], []
    for _, img, plate in labelled_rows(folder, fields, fold):
        xs.append(cv2.resize(img, (W, H), interpolation=cv2.INTER_AREA))
        ys.append(synth.encode(plate))
    return np.stack(xs), np.array(ys, np.int64)


def load_photo_crops(folder, fold=None, margin=synth.CROP_MARGIN):
    """The labelled plates of a photo set (labels.csv: file,plate,x,y,w,h) cut out as the engine cuts a found plate
    (the box widened by the pack's crop margin, clipped to the photo) and resized to the reader's input; with `fold`
    only that half of the photos (dev_fold)."""
    xs, ys = [], []
    for row, img, plate in labelled_rows(folder, "plate", fold):
        x, y, w, h = (float(row[k]) for k in ("x", "y", "w", "h"))
        x0, y0 = max(0, round(x - w * margin[0])), max(0, round(y - h * margin[1]))
        x1 = min(img.shape[1], round(x + w * (1 + margin[0])))
        y1 = min(img.shape[0], round(y + h * (1 + margin[1])))
        if x1 - x0 < 4 or y1 - y0 < 4:
            continue
        crop = img[y0:y1, x0:x1]
        interp = cv2.INTER_AREA if crop.shape[1] > W else cv2.INTER_CUBIC
        xs.append(cv2.resize(crop, (W, H), interpolation=interp))
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


def augment_real(x):
    """Light jitter for real crops (N,3,H,W float on any device): shift/scale a few pixels, a little rotation."""
    n = x.shape[0]
    u = lambda lo, hi: torch.empty(n, device=x.device).uniform_(lo, hi)
    theta = torch.stack([torch.stack([1 / u(0.9, 1.08), u(-0.05, 0.05), u(-0.09, 0.09)], 1),
                         torch.stack([u(-0.03, 0.03), 1 / u(0.9, 1.1), u(-0.15, 0.15)], 1)], 1)
    grid = F.affine_grid(theta, list(x.shape), align_corners=False)
    return F.grid_sample(x, grid, padding_mode="border", align_corners=False)


def augment_photo(x, strength):
    """Camera looks on the device, applied to a share `strength` of a batch (N,3,H,W, 0..255): a little shift and
    rotation, blur, contrast and gamma, sensor noise. Narrows the gap between rendered and real crops."""
    n = x.shape[0]
    pick = (torch.rand(n, 1, 1, 1, device=x.device) < strength).float()
    y = augment_real(x)
    k = torch.tensor([1.0, 4.0, 6.0, 4.0, 1.0], device=x.device)
    k = (k[:, None] * k[None, :]) / 256.0
    blurred = F.conv2d(F.pad(y, (2, 2, 2, 2), mode="replicate"), k.expand(3, 1, 5, 5).contiguous(), groups=3)
    mix = torch.rand(n, 1, 1, 1, device=x.device) * (torch.rand(n, 1, 1, 1, device=x.device) < 0.4).float()
    y = y * (1 - mix) + blurred * mix
    mean = y.mean((1, 2, 3), keepdim=True)
    y = (y - mean) * torch.empty(n, 1, 1, 1, device=x.device).uniform_(0.5, 1.3) + mean
    gamma = torch.empty(n, 1, 1, 1, device=x.device).uniform_(0.6, 1.6)
    y = 255.0 * (y.clamp(0, 255) / 255.0) ** gamma
    y = y + torch.randn_like(y) * torch.empty(n, 1, 1, 1, device=x.device).uniform_(0, 8)
    return (x * (1 - pick) + y.clamp(0, 255) * pick)


def reframe_real(x):
    """Real crops (N,3,H,W float) framed as the engine frames a found plate. The real crops are cut tight to
    the plate; the engine reads a detector's box widened by the pack's margin (the plate spans about 0.84 x 0.73 of
    the crop in the first framing, 0.95 x 0.84 in the second) and the box is a few percent off (on the dev photos the
    held-out detectors' centres are off by 1.5% of the plate's width and 3% of its height, their sizes by 6-7%,
    mean absolute). Each picked crop is shrunk into a frame the plate spans 0.78-1.0 of in width and 0.64-0.96 of in
    height, shifted by the box's error, a little rotated; the margin repeats the crop's edge (reflecting it put mirrored
    pieces of characters at the plate's sides, which the label does not name)."""
    n = x.shape[0]
    u = lambda lo, hi: torch.empty(n, device=x.device).uniform_(lo, hi)
    g = lambda sd: torch.randn(n, device=x.device) * sd
    theta = torch.stack([torch.stack([1 / u(0.78, 1.0), u(-0.04, 0.04), g(0.04)], 1),
                         torch.stack([u(-0.03, 0.03), 1 / u(0.64, 0.96), g(0.08)], 1)], 1)
    grid = F.affine_grid(theta, list(x.shape), align_corners=False)
    return F.grid_sample(x, grid, padding_mode="border", align_corners=False)


def low_resolution(x, share, widths=(22, 48)):
    """A share of a batch (N,3,H,W float) seen from further away: each picked crop shrunk (area average) to a width
    drawn from `widths` and enlarged back (bilinear, as the app's crop is), so a plate 20 to 45 px wide in a small
    photo is in the training data, not only the 36 px and up that synth.crop_like_detector renders."""
    if share <= 0:
        return x
    h, w = x.shape[2:]
    out = x.clone()
    for i in torch.nonzero(torch.rand(len(x)) < share).flatten().tolist():
        sw = random.randint(*widths)
        small = F.interpolate(x[i:i + 1], size=(max(8, round(sw * h / w)), sw), mode="area")
        out[i:i + 1] = F.interpolate(small, size=(h, w), mode="bilinear", align_corners=False)
    return out


def mix_batch(synth_x, synth_y, real_x, real_y, n_real, augment, lowres=0.0, augment_real_share=0.0,
              reframe_share=0.0):
    """One training batch (N,3,H,W float, labels): the synthetic crops (uint8 NHWC, camera looks on a share
    `augment` of them), `n_real` real crops drawn at random and jittered (a share `reframe_share` of them framed
    as the engine frames a found plate instead, reframe_real; camera looks on a share `augment_real_share` of them),
    a share `lowres` of all made low resolution (low_resolution), and 3 in 10 of all made grey (night IR cameras
    are monochrome)."""
    sx = synth_x.permute(0, 3, 1, 2).float()
    if augment > 0:
        sx = augment_photo(sx, augment)
    ri = torch.randint(0, len(real_y), (n_real,), device=real_x.device)
    rx = augment_real(real_x[ri])
    if reframe_share > 0:
        pick = torch.rand(n_real, 1, 1, 1, device=real_x.device) < reframe_share
        rx = torch.where(pick, reframe_real(real_x[ri]), rx)
    if augment_real_share > 0:
        rx = augment_photo(rx, augment_real_share)
    xt = low_resolution(torch.cat([sx, rx]), lowres)
    grey = torch.rand(len(xt), 1, 1, 1, device=xt.device) < 0.3
    return torch.where(grey, xt.mean(1, keepdim=True).expand_as(xt), xt), torch.cat([synth_y, real_y[ri]])


def evaluate(model, x, y, bs=256):
    model.eval()
    device = next(model.parameters()).device
    preds, logits_all = [], []
    with torch.no_grad():
        for i in range(0, len(x), bs):
            xb = torch.from_numpy(x[i:i + bs]).permute(0, 3, 1, 2).float().to(device)
            lg = model(xb).float().cpu()
            logits_all.append(lg)
            preds += decode(lg)
    model.train()
    truth = texts(y)
    acc = sum(p == t for p, t in zip(preds, truth)) / len(truth)
    return acc, torch.cat(logits_all), preds, truth


def slot_temperature(logits, y):
    """Temperature so that the product of slot max-probabilities is calibrated on held-out crops."""
    correct = (logits.argmax(-1) == torch.from_numpy(y)).all(-1).float()
    return fit_temperature(logits, lambda p: p.max(-1).values.prod(-1), correct)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--data", default="../shared/data")
    ap.add_argument("--out", default="/tmp/alpr-train/reader")
    ap.add_argument("--minutes", type=float, default=60)
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--workers", type=int, default=2, help="DataLoader processes rendering synthetic crops")
    ap.add_argument("--device", default="auto", help="auto, cpu or cuda")
    ap.add_argument("--batch", type=int, default=64)
    ap.add_argument("--ring", type=int, default=20000, help="rendered crops kept for reuse (replay ring)")
    ap.add_argument("--reuse", type=float, default=8.0, help="how many times a rendered crop is used on average")
    ap.add_argument("--resume", default="", help="weights to start from (.pt or .npz)")
    ap.add_argument("--export-only", default="", help="export these weights (.pt or .npz) and stop")
    ap.add_argument("--lr", type=float, default=2e-3)
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--real-share", type=float, default=0.125, help="share of each batch from the real crops")
    ap.add_argument("--augment", type=float, default=0.0, help="share of synthetic crops given camera looks")
    args = ap.parse_args()
    torch.set_num_threads(args.threads)
    torch.manual_seed(args.seed)
    device = pick_device(args.device)
    os.makedirs(args.out, exist_ok=True)
    dx, dy = load_labelled(os.path.join(args.data, "us-crops-dev"), "plate")
    if args.export_only:
        model = Reader()
        load_weights(model, args.export_only)
        finish(model, args.out, dx, dy, {"exportedFrom": os.path.basename(args.export_only)})
        return
    bx, by = load_labelled(os.path.join(args.data, "train/br-crops"), "plate")
    print(f"device {device}, real br {len(bx)}, dev crops {len(dx)}", flush=True)
    real_x = torch.from_numpy(bx).permute(0, 3, 1, 2).float().to(device)
    real_y = torch.from_numpy(by).to(device)
    model = Reader().to(device)
    if args.resume:
        load_weights(model, args.resume, device)
    params = sum(p.numel() for p in model.parameters())
    print(f"params {params}", flush=True)
    loader = DataLoader(SynthStream(args.data, args.seed), batch_size=64, num_workers=args.workers,
                        persistent_workers=args.workers > 0)
    ring = Replay(loader, args.ring, device, (torch.uint8, torch.int64), max_reuse=args.reuse)
    t0 = time.time()
    ring.fill(min(args.ring, 4 * args.batch))
    print(f"first crops in {time.time() - t0:.0f}s", flush=True)
    opt = torch.optim.AdamW(model.parameters(), lr=args.lr, weight_decay=1e-4)
    budget = args.minutes * 60
    start = time.time()
    step, bs = 0, args.batch
    best = -1.0
    next_report = time.time() + 30
    while time.time() - start < budget:
        lr = set_lr(opt, args.lr, (time.time() - start) / budget)
        n_real = int(bs * args.real_share)
        sx, sy = ring.sample(bs - n_real)
        xt, yt = mix_batch(sx, sy, real_x, real_y, n_real, args.augment)
        logits = model(xt)
        loss = F.cross_entropy(logits.reshape(-1, NCLS), yt.reshape(-1), label_smoothing=0.05)
        opt.zero_grad()
        loss.backward()
        opt.step()
        step += 1
        if time.time() >= next_report:
            next_report = time.time() + 30
            acc, _, _, _ = evaluate(model, dx, dy)
            print(f"step {step} {time.time() - start:.0f}s lr {lr:.5f} loss {loss.item():.3f} dev-crops {acc:.3f} "
                  f"{ring.stats()}", flush=True)
            save_weights(model, os.path.join(args.out, "last"))
            if acc > best:
                best = acc
                save_weights(model, os.path.join(args.out, "best"))
    save_weights(model, os.path.join(args.out, "last"))
    finish(model.cpu(), args.out, dx, dy, {"steps": step, "batch": bs, "params": params, "synthetic": ring.produced,
                                           "realBr": len(bx), "device": str(device)})


def finish(model, out, dx, dy, info):
    acc, logits, _, _ = evaluate(model, dx, dy)
    temp, ece = slot_temperature(logits, dy)
    print(f"final dev-crops {acc:.3f} temperature {temp:.2f} ece {ece:.3f}", flush=True)
    info.update({"devCropsAcc": acc, "temperature": temp, "ece": ece})
    export(model, out, info)


def export(model, out, info):
    model.eval()
    dummy = torch.zeros(1, 3, H, W)
    onnx_export(model, dummy, os.path.join(out, "reader.onnx"), "image", "slots")
    info.update({"charset": synth.CHARSET, "slots": synth.SLOTS, "input": [3, H, W]})
    with open(os.path.join(out, "reader.json"), "w") as f:
        json.dump(info, f, indent=2)


if __name__ == "__main__":
    main()
