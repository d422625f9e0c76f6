"""Train a plate state classifier: the reader's 64x128 crop in, which state's plate design it is out. Tried, not
shipped (models/README.md, "a state classifier"): it names the state of held-out dev crops but not of the plates in
the dev photos, so the engine still reports no state (`PlateFound.region` null).

    /usr/bin/python3 models/train/train_state.py --data ../shared/data --render 24000 --minutes 12 \
        --dev-train a --save-cache /tmp/alpr-train/state-cache.npz --out /tmp/alpr-train/state-a

The classes are the 51 designs of `train/us-plate-templates` (50 states and DC, one design each; the file name
gives the state) and `none`: a plate on a plain background, a design the model was not taught, so that it learns to
say it cannot tell.

Training data: plates rendered by synth.py on each template (the reader's text, fonts, degradation, perspective and
detector-like framing; a plain background for `none`), rendered once before training (`--render N`, or `--cache`
an .npz this script wrote with `--save-cache`), and the real crops of us-crops-dev, whose labels name the state: with
`--dev-train a|b` one half (train_reader.dev_fold) joins the training batches (`--real-share` of each, each crop
jittered) and the other half is held out to measure accuracy and fit the temperature; with `--dev-train all` both
halves train and the temperature must be given. The dev photos have no state labels; their plates whose serial
shape belongs to one state (California's 1ABC234, Missouri's AB1C2D) are taken as labelled so (`photoProxy` in
state.json: how many the model names, and how many of those it names right). Writes state.onnx (input `image`
float32 [N,3,64,128] BGR 0..255, as the reader's; output `states` logits [N,52]) and state.json (classes,
temperature, held-out figures).
"""

import argparse
import json
import os
import random
import re
import time
from multiprocessing import Pool

import cv2
import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F

import synth
from common import fit_temperature, onnx_export, pick_device, save_weights, set_lr
from train_reader import H, W, augment_photo, augment_real, conv, labelled_rows, load_photo_crops, texts

NONE = "none"


def classes(data_root):
    """The model's classes: the templates' states (sorted, unique) and `none`."""
    return sorted(set(synth.template_states(data_root))) + [NONE]


class StateNet(nn.Module):
    """A small CNN: four stages to a 4x8 map, pooled to 2x4 (where on the plate a design's marks sit matters), one
    linear layer. About 0.14M parameters (0.57 MB as ONNX fp32)."""

    def __init__(self, n_classes):
        super().__init__()
        self.features = nn.Sequential(
            conv(3, 16, s=2),                       # 32x64
            conv(16, 32), nn.MaxPool2d(2),          # 16x32
            conv(32, 48), nn.MaxPool2d(2),          # 8x16
            conv(48, 64), nn.MaxPool2d(2),          # 4x8
            conv(64, 96),
            nn.AdaptiveAvgPool2d((2, 4)),
        )
        self.head = nn.Linear(96 * 8, n_classes)

    def forward(self, x):
        x = self.features(x / 255.0 - 0.5)
        return self.head(F.dropout(torch.flatten(x, 1), 0.2, self.training))


def render(job):
    """n rendered crops (uint8 NHWC BGR) and their class indices; a plain background for `none` one time in ten."""
    data, seed, n = job
    rng = random.Random(seed)
    np.random.seed(seed)
    states = synth.template_states(data)
    names = classes(data)
    xs = np.zeros((n, H, W, 3), np.uint8)
    ys = np.zeros(n, np.int64)
    for i in range(n):
        t = -1 if rng.random() < 0.1 else rng.randrange(len(states))
        plate, _ = synth.render_plate(rng, data, template=t)
        plate = synth.degrade(plate, rng)
        canvas, corners = synth.place_in_scene(plate, rng)
        xs[i] = synth.crop_like_detector(canvas, corners, rng)
        ys[i] = names.index(states[t]) if t >= 0 else names.index(NONE)
    return xs, ys


def rendered(data, n, seed, procs):
    share = [n // procs + (1 if i < n % procs else 0) for i in range(procs)]
    with Pool(procs) as pool:
        parts = pool.map(render, [(data, seed + i, k) for i, k in enumerate(share) if k > 0])
    return np.concatenate([p[0] for p in parts]), np.concatenate([p[1] for p in parts])


def real_crops(data, names, fold):
    """us-crops-dev resized to the model's input and their state's class; `fold` a half, or None for all."""
    xs, ys = [], []
    for row, img, _ in labelled_rows(os.path.join(data, "us-crops-dev"), "plate", fold):
        state = row["state"].strip().lower()
        if state not in names:
            continue
        xs.append(cv2.resize(img, (W, H), interpolation=cv2.INTER_AREA))
        ys.append(names.index(state))
    return np.stack(xs), np.array(ys, np.int64)


# Serial shapes that belong to one state: the dev photos' plates of these shapes are taken to be that state's.
PROXY_SHAPES = {"ca": re.compile(r"[1-9][A-Z]{3}[0-9]{3}"), "mo": re.compile(r"[A-Z]{2}[0-9][A-Z][0-9][A-Z]")}


def photo_proxy(model, data, names, temperature, device):
    """The dev photos' labelled plates, cut out as the engine cuts a found plate (pack 0.6.0's margin), read by the
    model: at each threshold, how many it names a state for, and of those whose serial shape belongs to one state
    (PROXY_SHAPES) how many it names and how many right."""
    x, y = load_photo_crops(os.path.join(data, "us-plates-dev"), margin=(0.095, 0.185))
    want = [next((s for s, r in PROXY_SHAPES.items() if r.fullmatch(t)), None) for t in texts(y)]
    conf, idx = torch.softmax(logits_of(model, x, device) / temperature, -1).max(-1)
    out = {"n": len(want), "proxyN": sum(1 for w in want if w)}
    for th in (0.5, 0.8, 0.9):
        named = [(names[i], w) for i, c, w in zip(idx.tolist(), conf.tolist(), want) if c >= th and names[i] != NONE]
        out[f"at{int(th * 100)}"] = {"named": len(named), "proxyNamed": sum(1 for _, w in named if w),
                                     "proxyRight": sum(1 for n, w in named if w and n == w)}
    return out


def to_tensor(x, device):
    return torch.from_numpy(x).to(device).permute(0, 3, 1, 2).float()


@torch.no_grad()
def logits_of(model, x, device, bs=256):
    model.eval()
    out = torch.cat([model(to_tensor(x[i:i + bs], device)).cpu() for i in range(0, len(x), bs)])
    model.train()
    return out


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--data", default="../shared/data")
    ap.add_argument("--out", required=True)
    ap.add_argument("--render", type=int, default=30000, help="crops to render before training")
    ap.add_argument("--cache", help="an .npz of rendered crops (x, y) written by --save-cache, instead of --render")
    ap.add_argument("--save-cache", help="write the rendered crops here")
    ap.add_argument("--dev-train", choices=["a", "b", "all"], default="a")
    ap.add_argument("--real-share", type=float, default=0.25)
    ap.add_argument("--augment", type=float, default=0.0,
                    help="share of each batch given camera looks (train_reader.augment_photo: blur, contrast, gamma, "
                         "noise)")
    ap.add_argument("--temperature", type=float, help="required with --dev-train all")
    ap.add_argument("--minutes", type=float, default=12)
    ap.add_argument("--lr", type=float, default=2e-3)
    ap.add_argument("--batch", type=int, default=64)
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--device", default="auto")
    ap.add_argument("--procs", type=int, default=os.cpu_count() or 1)
    args = ap.parse_args()
    if args.dev_train == "all" and args.temperature is None:
        ap.error("--dev-train all holds nothing out: give --temperature (from the half runs)")
    os.makedirs(args.out, exist_ok=True)
    torch.manual_seed(args.seed)
    rng = np.random.default_rng(args.seed)
    device = pick_device(args.device)
    names = classes(args.data)

    t0 = time.time()
    if args.cache:
        c = np.load(args.cache)
        sx, sy = c["x"], c["y"]
    else:
        sx, sy = rendered(args.data, args.render, args.seed * 1000, args.procs)
        if args.save_cache:
            np.savez(args.save_cache, x=sx, y=sy)
    print(f"{len(sx)} rendered crops in {time.time() - t0:.0f} s", flush=True)
    train_fold = None if args.dev_train == "all" else args.dev_train
    rx, ry = real_crops(args.data, names, train_fold)
    held = None
    if train_fold:
        held = real_crops(args.data, names, "b" if train_fold == "a" else "a")
    print(f"real crops: {len(rx)} training" + (f", {len(held[0])} held out" if held else ""), flush=True)

    model = StateNet(len(names)).to(device)
    opt = torch.optim.AdamW(model.parameters(), lr=args.lr, weight_decay=1e-4)
    n_real = round(args.batch * args.real_share)
    n_synth = args.batch - n_real
    step, start, budget = 0, time.time(), args.minutes * 60
    while time.time() - start < budget:
        set_lr(opt, args.lr, (time.time() - start) / budget)
        i = rng.integers(0, len(sx), n_synth)
        j = rng.integers(0, len(rx), n_real)
        x = torch.cat([to_tensor(sx[i], device), augment_real(to_tensor(rx[j], device))])
        y = torch.from_numpy(np.concatenate([sy[i], ry[j]])).to(device)
        if rng.random() < 0.5:  # brightness and contrast on the whole batch: real cameras vary more than renders
            x = (x * float(rng.uniform(0.7, 1.3)) + float(rng.uniform(-30, 30))).clamp(0, 255)
        if args.augment > 0:
            x = augment_photo(x, args.augment)
        loss = F.cross_entropy(model(x), y, label_smoothing=0.1)
        opt.zero_grad()
        loss.backward()
        opt.step()
        step += 1
        if step % 200 == 0:
            line = f"step {step} loss {loss.item():.3f}"
            if held:
                acc = (logits_of(model, held[0], device).argmax(1).numpy() == held[1]).mean()
                line += f" held-out {acc:.3f}"
            print(line, flush=True)

    info = {"steps": step, "batch": args.batch, "rendered": int(len(sx)), "realTrain": int(len(rx)),
            "devTrain": args.dev_train, "realShare": args.real_share, "augment": args.augment, "classes": names}
    if held:
        lg = logits_of(model, held[0], device)
        pred = lg.argmax(1).numpy()
        correct = torch.from_numpy((pred == held[1]).astype(np.float32))
        t, ece = fit_temperature(lg, lambda p: p.max(-1).values, correct)
        p = torch.softmax(lg / t, -1).max(-1).values.numpy()
        info.update(temperature=t, ece=ece, heldOutN=int(len(pred)), heldOutAcc=float(correct.mean()))
        for th in (0.5, 0.7, 0.8, 0.9):
            m = p >= th
            info[f"heldOutAt{int(th * 100)}"] = {"n": int(m.sum()), "right": int((pred[m] == held[1][m]).sum())}
    else:
        info["temperature"] = args.temperature
    info["photoProxy"] = photo_proxy(model, args.data, names, info["temperature"], device)
    save_weights(model.cpu(), os.path.join(args.out, "last"))
    model.eval()
    onnx_export(model, torch.zeros(1, 3, H, W), os.path.join(args.out, "state.onnx"), "image", "states")
    with open(os.path.join(args.out, "state.json"), "w") as f:
        json.dump(info, f)
    print(json.dumps({k: v for k, v in info.items() if k != "classes"}))


if __name__ == "__main__":
    main()
