"""Train the sequence (CTC) plate reader: a 64x128 RGB crop in, 32 column steps out (0-9, A-Z, blank).

    /usr/bin/python3 models/train/train_reader_ctc.py --data ../shared/data --minutes 60 \
        --init /tmp/alpr-train/reader/last.npz --out /tmp/alpr-train/reader-ctc

Why: the slot reader (train_reader.py) predicts character i from the whole crop through a dense layer, so it must
learn where character i sits; on real crops, framed differently from the rendered ones, it slips a character
(`FHGG521` for `FHG521`, `514ZZE` for `514KZE`). This reader keeps the crop's width as 32 columns to the end and reads
left to right with a CTC loss: the same convolution reads a character wherever it sits.

The convolutional trunk has the same layers as the slot reader's, with the last two poolings halving height only, so
it starts from the slot reader's trained trunk (`--init`); the column head is new. Training data are the same as the
slot reader's (synthetic crops rendered by synth.py, one batch item in eight from the real Brazilian crops), optionally
with a cache of pre-rendered crops (`--cache`, an .npz of x uint8 [N,64,128,3] BGR and y slot labels [N,8]) so a
2-core machine spends its time training rather than rendering. By default us-crops-dev only watches progress and
fits the temperature; with `--dev-train a|b` one half of it (train_reader.dev_fold) joins the real crops and the other
half is the held-out check (progress, temperature); with `--dev-train all` both halves train, nothing is held out, and
the temperature must be given (`--temperature`, from the half runs). `--photo-train a|b|all` does the same with the
labelled plates of us-plates-dev, cut out as the engine cuts a found plate (train_reader.load_photo_crops). Writes reader.onnx (input `image` float32 [N,3,64,128] 0..255, output `columns` logits [N,32,37], class
36 = blank) and reader.json.
"""

import argparse
import json
import os
import random
import time

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F
from torch.utils.data import DataLoader

import synth
from common import (Replay, fit_temperature, freeze_bn, load_weights, onnx_export, pick_device, read_state,
                    recover_from_onnx, save_weights, set_lr)
from train_reader import H, W, SynthStream, conv, load_labelled, load_photo_crops, mix_batch

BLANK = len(synth.CHARSET)
NCLS = BLANK + 1
STEPS = 32


class CtcReader(nn.Module):
    def __init__(self):
        super().__init__()
        self.features = nn.Sequential(
            conv(3, 24, s=2),                                    # 32x64
            conv(24, 48), nn.MaxPool2d(2),                       # 16x32
            conv(48, 64), conv(64, 64), nn.MaxPool2d((2, 1)),    # 8x32
            conv(64, 96), conv(96, 96), nn.MaxPool2d((2, 1)),    # 4x32
            conv(96, 128), nn.Dropout2d(0.1),
        )
        self.context = nn.Sequential(
            nn.Conv2d(128 * 4, 256, (1, 3), 1, (0, 1), bias=False), nn.BatchNorm2d(256), nn.ReLU(inplace=True),
            nn.Conv2d(256, 256, (1, 3), 1, (0, 1), bias=False), nn.BatchNorm2d(256), nn.ReLU(inplace=True),
        )
        self.classify = nn.Conv2d(256, NCLS, 1)

    def forward(self, x):
        x = self.features(x / 255.0 - 0.5)               # N,128,4,32
        x = torch.flatten(x, 1, 2).unsqueeze(2)          # N,512,1,32
        x = self.classify(F.dropout(self.context(x), 0.1, self.training))
        return x.squeeze(2).permute(0, 2, 1)             # N,32,37


def targets(y):
    """Slot labels (pad = len(CHARSET)) to CTC targets: concatenated characters and their lengths."""
    keep = y != BLANK
    return y[keep], keep.sum(1)


def greedy(logits):
    out = []
    for row in logits.argmax(-1).tolist():
        s, prev = [], BLANK
        for c in row:
            if c != prev and c != BLANK:
                s.append(synth.CHARSET[c])
            prev = c
        out.append("".join(s))
    return out


def texts(ys):
    return ["".join(synth.CHARSET[c] for c in row if c < BLANK) for row in ys.tolist()]


def evaluate(model, x, y, bs=256):
    model.eval()
    preds, logits_all = [], []
    with torch.no_grad():
        for i in range(0, len(x), bs):
            lg = model(torch.from_numpy(x[i:i + bs]).permute(0, 3, 1, 2).float()).float()
            logits_all.append(lg)
            preds += greedy(lg)
    model.train()
    truth = texts(y)
    return sum(p == t for p, t in zip(preds, truth)) / len(truth), torch.cat(logits_all), preds, truth


def path_confidence(p):
    """The greedy path's confidence: the product of its emitting columns' maxima (probabilities N,T,C)."""
    mx, arg = p.max(-1)
    emit = arg != BLANK
    emit[:, 1:] &= arg[:, 1:] != arg[:, :-1]
    return torch.where(emit, mx, torch.ones_like(mx)).prod(-1)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--data", default="../shared/data")
    ap.add_argument("--out", default="/tmp/alpr-train/reader-ctc")
    ap.add_argument("--minutes", type=float, default=60)
    ap.add_argument("--steps", type=int, default=0,
                    help="a budget of steps instead of minutes: the learning rate follows the steps, so the run does "
                         "not depend on how busy the machine is")
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--workers", type=int, default=1, help="DataLoader processes rendering synthetic crops")
    ap.add_argument("--device", default="auto")
    ap.add_argument("--batch", type=int, default=64)
    ap.add_argument("--ring", type=int, default=20000)
    ap.add_argument("--reuse", type=float, default=8.0)
    ap.add_argument("--cache", default="", help=".npz files (comma-separated) of pre-rendered crops (x, y) mixed in")
    ap.add_argument("--cache-share", type=float, default=0.5, help="share of the synthetic items from the cache")
    ap.add_argument("--init", default="", help="slot-reader weights whose trunk this reader starts from")
    ap.add_argument("--resume", default="", help="CTC-reader weights to continue from")
    ap.add_argument("--onnx", default="", help="a CTC reader.onnx (a pack's) to continue from: its weights are "
                    "recovered (common.recover_from_onnx) and its BatchNorms stay frozen")
    ap.add_argument("--export-only", default="")
    ap.add_argument("--lr", type=float, default=1e-3)
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--real-share", type=float, default=0.125)
    ap.add_argument("--augment", type=float, default=0.5)
    ap.add_argument("--lowres", type=float, default=0.0, help="share of each batch made low resolution")
    ap.add_argument("--augment-real", type=float, default=0.0,
                    help="share of the real crops given camera looks too (blur, contrast, gamma, noise)")
    ap.add_argument("--reframe-real", type=float, default=0.0,
                    help="share of the real crops framed as the engine frames a found plate (train_reader.reframe_real)")
    ap.add_argument("--dev-train", choices=["none", "a", "b", "all"], default="none",
                    help="train on this half of us-crops-dev too (a, b: measured on the other half; all: both)")
    ap.add_argument("--dev-repeat", type=int, default=6,
                    help="times the us-crops-dev training crops are repeated in the real pool (beside br-crops)")
    ap.add_argument("--photo-train", choices=["none", "a", "b", "all"], default="none",
                    help="train on the labelled plates of this half of us-plates-dev too, cut out as the engine cuts "
                         "them (a, b: the other half's plates watch progress and fit the temperature; all: both)")
    ap.add_argument("--photo-repeat", type=int, default=12,
                    help="times the us-plates-dev training plates are repeated in the real pool")
    ap.add_argument("--real-extra", default="",
                    help=".npz files (comma-separated, x uint8 [N,64,128,3] BGR, y slot labels) added to the real pool: "
                         "real plates with their characters reordered (shuffle_real.py)")
    ap.add_argument("--temperature", type=float, default=0.0,
                    help="confidence temperature to record instead of fitting one (required with --dev-train all)")
    args = ap.parse_args()
    torch.set_num_threads(args.threads)
    torch.manual_seed(args.seed)
    device = pick_device(args.device)
    os.makedirs(args.out, exist_ok=True)
    dev = os.path.join(args.data, "us-crops-dev")
    photos = os.path.join(args.data, "us-plates-dev")
    other = {"a": "b", "b": "a"}
    if args.dev_train in other:  # the held-out crops watch progress and fit the temperature
        held_out = f"us-crops-dev {other[args.dev_train]}"
        dx, dy = load_labelled(dev, "plate", other[args.dev_train])
    elif args.photo_train in other:  # else the held-out photos' plates
        held_out = f"us-plates-dev {other[args.photo_train]}"
        dx, dy = load_photo_crops(photos, other[args.photo_train])
    else:
        held_out = ""
        dx, dy = load_labelled(dev, "plate")
        if "all" in (args.dev_train, args.photo_train) and not args.temperature:
            ap.error("training on all of a dev set holds nothing out to fit the temperature on: give --temperature")
    model = CtcReader()
    if args.export_only:
        load_weights(model, args.export_only)
        finish(model, args.out, dx, dy, {"exportedFrom": os.path.basename(args.export_only)}, args.temperature)
        return
    if args.init:
        trunk = {k: v for k, v in read_state(args.init).items() if k.startswith("features.")}
        missing = model.load_state_dict(trunk, strict=False)
        print(f"trunk from {args.init}: {len(trunk)} tensors, new {len(missing.missing_keys)}", flush=True)
    if args.resume:
        load_weights(model, args.resume)
    if args.onnx:
        recover_from_onnx(model, args.onnx, torch.zeros(1, 3, H, W))
    model = model.to(device)
    bx, by = load_labelled(os.path.join(args.data, "train/br-crops"), "plate")
    n_br, n_dev_train = len(bx), 0
    if args.dev_train != "none":
        tx, ty = load_labelled(dev, "plate", None if args.dev_train == "all" else args.dev_train)
        n_dev_train = len(tx)
        bx = np.concatenate([bx] + [tx] * args.dev_repeat)
        by = np.concatenate([by] + [ty] * args.dev_repeat)
    n_photo_train = 0
    if args.photo_train != "none":
        px, py = load_photo_crops(photos, None if args.photo_train == "all" else args.photo_train)
        n_photo_train = len(px)
        bx = np.concatenate([bx] + [px] * args.photo_repeat)
        by = np.concatenate([by] + [py] * args.photo_repeat)
    n_extra = 0
    for f in filter(None, args.real_extra.split(",")):
        z = np.load(f)
        n_extra += len(z["y"])
        bx, by = np.concatenate([bx, z["x"]]), np.concatenate([by, z["y"]])
    real_x = torch.from_numpy(bx).permute(0, 3, 1, 2).float().to(device)
    real_y = torch.from_numpy(by).to(device)
    cache_x = cache_y = None
    if args.cache:
        parts = [np.load(f) for f in args.cache.split(",")]
        cache_x = torch.from_numpy(np.concatenate([z["x"] for z in parts]))
        cache_y = torch.from_numpy(np.concatenate([z["y"] for z in parts]))
    print(f"device {device}, real br {n_br} us-crops-dev {args.dev_train} {n_dev_train}x{args.dev_repeat}, "
          f"us-plates-dev {args.photo_train} {n_photo_train}x{args.photo_repeat}, extra {n_extra}, held out {held_out or 'none'} "
          f"({len(dx)}), cache {0 if cache_x is None else len(cache_x)}", flush=True)
    ring = None  # with the cache alone (--cache-share 1) nothing is rendered while training
    if cache_x is None or args.cache_share < 1:
        loader = DataLoader(SynthStream(args.data, args.seed), batch_size=64, num_workers=args.workers,
                            persistent_workers=args.workers > 0)
        ring = Replay(loader, args.ring, device, (torch.uint8, torch.int64), max_reuse=args.reuse)
        ring.fill(min(args.ring, 2 * args.batch))
    opt = torch.optim.AdamW(model.parameters(), lr=args.lr, weight_decay=1e-4)
    budget = args.minutes * 60
    start = time.time()
    step, bs, best = 0, args.batch, -1.0
    next_report = time.time() + 60
    def progress():
        return step / args.steps if args.steps else (time.time() - start) / budget

    while progress() < 1:
        lr = set_lr(opt, args.lr, progress())
        n_real = int(bs * args.real_share)
        n_cache = int((bs - n_real) * args.cache_share) if cache_x is not None else 0
        parts_x, parts_y = [], []
        if bs - n_real - n_cache > 0:
            sx, sy = ring.sample(bs - n_real - n_cache)
            parts_x.append(sx), parts_y.append(sy)
        if n_cache:
            ci = torch.randint(0, len(cache_x), (n_cache,))
            parts_x.append(cache_x[ci].to(device)), parts_y.append(cache_y[ci].to(device))
        xt, yt = mix_batch(torch.cat(parts_x), torch.cat(parts_y), real_x, real_y, n_real, args.augment,
                           args.lowres, args.augment_real, args.reframe_real)
        if args.onnx:
            freeze_bn(model.train())
        logp = F.log_softmax(model(xt).float(), -1).permute(1, 0, 2)  # T,N,C
        tgt, tlen = targets(yt)
        loss = F.ctc_loss(logp, tgt, torch.full((bs,), STEPS, dtype=torch.int64), tlen, blank=BLANK,
                          zero_infinity=True)
        opt.zero_grad()
        loss.backward()
        torch.nn.utils.clip_grad_norm_(model.parameters(), 5.0)
        opt.step()
        step += 1
        if time.time() >= next_report:
            next_report = time.time() + 120
            acc, _, _, _ = evaluate(model.cpu(), dx, dy)
            model.to(device)
            print(f"step {step} {time.time() - start:.0f}s lr {lr:.5f} loss {loss.item():.3f} "
                  f"{held_out or 'dev-crops (trained on)'} {acc:.3f} "
                  f"{ring.stats() if ring else 'cache only'}", flush=True)
            save_weights(model, os.path.join(args.out, "last"))
            if acc > best:
                best = acc
                save_weights(model, os.path.join(args.out, "best"))
    save_weights(model, os.path.join(args.out, "last"))
    finish(model.cpu(), args.out, dx, dy, {"steps": step, "batch": bs, "rendered": ring.produced if ring else 0,
                                           "cached": 0 if cache_x is None else len(cache_x),
                                           "realBr": n_br, "devTrain": args.dev_train, "devTrainCrops": n_dev_train,
                                           "devRepeat": args.dev_repeat, "photoTrain": args.photo_train,
                                           "photoTrainPlates": n_photo_train, "photoRepeat": args.photo_repeat,
                                           "realExtra": n_extra,
                                           "heldOut": held_out, "lowres": args.lowres,
                                           "augmentReal": args.augment_real, "reframeReal": args.reframe_real,
                                           "device": str(device)}, args.temperature)


def finish(model, out, dx, dy, info, temperature=0.0):
    """Measure on the (held-out) dev crops, fit or take the confidence temperature, export reader.onnx and
    reader.json."""
    acc, logits, preds, truth = evaluate(model, dx, dy)
    if temperature:
        temp, ece = temperature, None
    else:
        temp, ece = fit_temperature(
            logits, path_confidence, torch.tensor([p == t for p, t in zip(preds, truth)], dtype=torch.float32))
    print(f"final dev-crops {acc:.3f} temperature {temp:.2f} ece {ece if ece is None else round(ece, 3)}",
          flush=True)
    info.update({"devCropsAcc": acc, "temperature": temp, "ece": ece})
    model.eval()
    onnx_export(model, torch.zeros(1, 3, H, W), os.path.join(out, "reader.onnx"), "image", "columns")
    info.update({"charset": synth.CHARSET, "decoder": "ctc", "columns": STEPS, "blank": BLANK, "input": [3, H, W]})
    with open(os.path.join(out, "reader.json"), "w") as f:
        json.dump(info, f, indent=2)


if __name__ == "__main__":
    main()
