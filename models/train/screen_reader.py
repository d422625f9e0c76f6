"""Screen reader ideas offline, in seconds, before an engine eval: read each dev photo's plate with CTC readers in
PyTorch, cut out as the engine cuts it, and count the photos whose best reading is the label (O = 0).

    npm run eval -- --data ../shared/data/us-plates-dev --heldout --dump /tmp/e.jsonl     # the engine's boxes
    /usr/bin/python3 models/train/screen_reader.py --data ../shared/data/us-plates-dev --dump /tmp/e.jsonl \\
        --readers models/plates-us/reader.onnx,/tmp/other/reader.onnx [--scale 0.5] [--boxes label] [--jitter 1]

Each photo's box is the engine's (from an eval --dump: the reported box that overlaps the label most) or the label's
(`--boxes label`), optionally moved at random by the detector's own error (`--jitter K`: K times the spread of the
held-out detectors' boxes about the labels). The box is framed as the engine frames it (the pack's margin times each
of `--views`), resized to 64x128, read by each reader (temperature `--temperature`), decoded by CTC prefix beam
search, and the texts' probabilities summed over readers and framings (the engine averages its framings' readings
the same way). There is no plate grammar here (no look-alike rules, no edge marks), so counts run a few under the
engine's: a proxy that ranks ideas, not a figure to report. The engine eval (`npm run eval`) is the measure.
"""

import argparse
import csv
import json
import os

import cv2
import numpy as np
import torch

import synth
from common import recover_from_onnx
from train_reader_ctc import BLANK, CtcReader

CH = synth.CHARSET
# The pack's reader margin and the engine's two framings (multiples of it), as `npm run eval` reads a photo.
MARGIN = (0.095, 0.185)
VIEWS = ((1, 1), (0.3, 0.5))
# The held-out detectors' spread about the labelled boxes (sd of centre x, y as a share of width, height; of width,
# height): what a detector's box error looks like on the dev photos.
DETECTOR_SPREAD = (0.02, 0.04, 0.07, 0.085)


def load_reader(path):
    m = CtcReader()
    recover_from_onnx(m, path, torch.zeros(1, 3, 64, 128))
    return m.eval()


def iou(a, b):
    x0, y0 = max(a[0], b[0]), max(a[1], b[1])
    x1, y1 = min(a[0] + a[2], b[0] + b[2]), min(a[1] + a[3], b[1] + b[3])
    inter = max(0, x1 - x0) * max(0, y1 - y0)
    return inter / (a[2] * a[3] + b[2] * b[3] - inter)


def jitter(box, rng, k=1.0):
    """The box (x, y, w, h) moved at random as a detector's is, k times DETECTOR_SPREAD."""
    ex, ey, ew, eh = rng.normal(0, [s * k for s in DETECTOR_SPREAD])
    w, h = box[2] * (1 + ew), box[3] * (1 + eh)
    cx, cy = box[0] + box[2] * (0.5 + ex), box[1] + box[3] * (0.5 + ey)
    return [cx - w / 2, cy - h / 2, w, h]


def engine_box(plates, label_box):
    """Of an eval --dump line's plates, the box that overlaps the labelled one most; None below IoU 0.3 (not found)."""
    boxes = sorted(([p["box"][k] for k in "xywh"] for p in plates), key=lambda b: -iou(b, label_box))
    return boxes[0] if boxes and iou(boxes[0], label_box) >= 0.3 else None


def load_image(path, scale=1.0):
    """A photo, shrunk by `scale` as `npm run eval --scale` shrinks it."""
    img = cv2.imread(path)
    if scale != 1:
        img = cv2.resize(img, (round(img.shape[1] * scale), round(img.shape[0] * scale)), interpolation=cv2.INTER_AREA)
    return img


def frame(img, box, fx, fy, margin):
    """The engine's crop: the box widened by fx, fy times the margin, clipped to the image, resized to 128x64."""
    mx, my = margin[0] * fx, margin[1] * fy
    x0, y0 = max(0.0, box[0] - box[2] * mx), max(0.0, box[1] - box[3] * my)
    x1 = min(img.shape[1], box[0] + box[2] * (1 + mx))
    y1 = min(img.shape[0], box[1] + box[3] * (1 + my))
    sub = img[int(y0):int(np.ceil(y1)), int(x0):int(np.ceil(x1))]
    return cv2.resize(sub, (128, 64), interpolation=cv2.INTER_AREA if sub.shape[1] > 128 else cv2.INTER_CUBIC)


def beam(p, width=8, floor=1e-4):
    """CTC prefix beam search over column probabilities p [T, C]: {text: probability}."""
    beams = {"": (1.0, 0.0)}  # text: (ending in blank, ending in its last character)
    for row in p:
        cand = [c for c in range(len(CH)) if row[c] >= floor]
        nxt = {}

        def add(k, pb, pn):
            a, b = nxt.get(k, (0.0, 0.0))
            nxt[k] = (a + pb, b + pn)

        for s, (pb, pn) in beams.items():
            add(s, (pb + pn) * row[BLANK], 0.0)
            if s:
                add(s, 0.0, pn * row[CH.index(s[-1])])
            for c in cand:
                n = s + CH[c]
                add(n, 0.0, (pb if s and s[-1] == CH[c] else pb + pn) * row[c])
        beams = dict(sorted(nxt.items(), key=lambda kv: -sum(kv[1]))[:width])
    return {k: a + b for k, (a, b) in beams.items()}


def read_texts(readers, img, box, views=VIEWS, margin=MARGIN, temperature=0.7):
    """The box read by each reader in each framing: {text: probability summed over readers and framings}."""
    crops = np.stack([frame(img, box, fx, fy, margin) for fx, fy in views])
    x = torch.from_numpy(crops.transpose(0, 3, 1, 2).astype(np.float32))
    texts = {}
    with torch.no_grad():
        for m in readers:
            for p in torch.softmax(m(x) / temperature, -1).numpy():
                for t, q in beam(p).items():
                    texts[t] = texts.get(t, 0.0) + q
    return texts


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--data", required=True, help="a photo set: labels.csv (file,plate,x,y,w,h) and the images")
    ap.add_argument("--dump", default="", help="an `npm run eval --dump` file: the engine's boxes (else --boxes label)")
    ap.add_argument("--readers", required=True, help="CTC reader.onnx files, comma-separated")
    ap.add_argument("--boxes", choices=["engine", "label"], default="engine")
    ap.add_argument("--jitter", type=float, default=0.0)
    ap.add_argument("--scale", type=float, default=1.0, help="the --scale the dump was made with")
    ap.add_argument("--views", default=";".join(f"{fx},{fy}" for fx, fy in VIEWS),
                    help="framings (multiples of the margin), as the engine's")
    ap.add_argument("--margin", default=",".join(str(v) for v in MARGIN))
    ap.add_argument("--temperature", type=float, default=0.7)
    ap.add_argument("--seed", type=int, default=0)
    args = ap.parse_args()
    margin = [float(v) for v in args.margin.split(",")]
    views = [tuple(float(v) for v in f.split(",")) for f in args.views.split(";")]
    readers = [load_reader(p) for p in args.readers.split(",")]
    rng = np.random.default_rng(args.seed)
    with open(os.path.join(args.data, "labels.csv")) as f:
        labels = {r["file"]: r for r in csv.DictReader(f)}
    engine = {}
    if args.boxes == "engine":
        if not args.dump:
            ap.error("--boxes engine needs --dump")
        with open(args.dump) as f:
            for line in f:
                d = json.loads(line)
                engine[d["file"]] = d["plates"]
    read, n, missed = 0, 0, []
    for name, row in labels.items():
        if args.boxes == "engine" and name not in engine:
            continue
        n += 1
        label = "".join(c for c in row["plate"].upper() if c.isalnum())
        lb = [float(row[k]) * args.scale for k in "xywh"]
        box = engine_box(engine[name], lb) if args.boxes == "engine" else lb
        if box is None:
            missed.append((name, label, "(not found)"))
            continue
        if args.jitter:
            box = jitter(box, rng, args.jitter)
        img = load_image(os.path.join(args.data, name), args.scale)
        texts = read_texts(readers, img, box, views, margin, args.temperature)
        best = max(texts.items(), key=lambda kv: kv[1])[0] if texts else ""
        if best.replace("O", "0") == label.replace("O", "0"):
            read += 1
        else:
            missed.append((name, label, best))
    print(json.dumps({"n": n, "read": read, "readers": args.readers, "boxes": args.boxes, "jitter": args.jitter,
                      "views": args.views, "scale": args.scale}))
    for m in missed:
        print(",".join(m))


if __name__ == "__main__":
    main()
