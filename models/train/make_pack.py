"""Assemble a model pack from trained models: copy the ONNX files and write manifest.json with sizes and SHA-256.

    /usr/bin/python3 models/train/make_pack.py --detector /tmp/alpr-train/detector --reader /tmp/alpr-train/reader \
        --out models/plates-us --version 0.1.0

The reader folder may hold a slot reader (train_reader.py) or a sequence reader (train_reader_ctc.py, whose
reader.json names `decoder: ctc` and its `columns`); the manifest says which.
"""

import argparse
import hashlib
import json
import os
import shutil

import synth


def sha256(path):
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def dev_crops_use(rd_info):
    """What the reader's training did with us-crops-dev (train_reader_ctc.py --dev-train), for the provenance."""
    train = rd_info.get("devTrain", "none")
    if train == "all":
        return ("reader training (both halves, each crop repeated in the real pool); the confidence temperature "
                "and the dev-crop figures come from readers trained on one half and measured on the other")
    if train in ("a", "b"):
        return (f"reader training (half {train}); progress checks and the confidence temperature on the other "
                f"half only")
    return "confidence temperature fit and progress checks only, not weights"


def pair(text, option, lo, hi, what):
    """"X,Y" as two numbers from lo to hi, width first; a clear exit otherwise."""
    try:
        v = [float(x) for x in text.split(",")]
    except ValueError:
        v = []
    if len(v) != 2 or not all(lo <= x <= hi for x in v):
        raise SystemExit(f"{option} {text}: two {what} from {lo} to {hi}, width first")
    return v


def dev_photos_use(det_info, box_scale, rd_info):
    """What the pack did with us-plates-dev, for the provenance (the manifest takes 200 characters): tuned the detector
    (tune_detector.py), trained the reader on its labelled plates (train_reader_ctc.py --photo-train) and/or fitted
    detector.boxScale on it; empty when it did none of these."""
    uses = []
    photo_train = rd_info.get("photoTrain", "none")
    if photo_train == "all":
        uses.append("reader training (--photo-train all, reordered by shuffle_real.py)")
    elif photo_train in ("a", "b"):
        uses.append(f"reader training (train_reader_ctc.py --photo-train {photo_train})")
    tuned = det_info.get("tuned")
    tuned_all = bool(tuned) and tuned.get("half") == "all"
    if tuned_all:
        uses.append("detector training (tune_detector.py, all photos)")
    elif tuned:
        uses.append(f"detector training (tune_detector.py, half {tuned.get('half')})")
    if photo_train == "all" or tuned_all:
        uses.append("figures from models trained on one half, measured on the other")
    if box_scale:
        uses.append("detector.boxScale: the median ratio of labelled plate boxes to the detector's boxes (two "
                    "numbers), not weights")
    return "; ".join(uses)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--detector", required=True)
    ap.add_argument("--reader", required=True)
    ap.add_argument("--out", required=True)
    ap.add_argument("--version", required=True)
    ap.add_argument("--threshold", type=float, default=0.3)
    ap.add_argument("--fast-input", default="",
                    help="WxH: the detector's smaller input for live video (manifest detector.fastInput); the "
                         "detector must have been exported with dynamic height and width")
    ap.add_argument("--fast-threshold", type=float, default=0.0,
                    help="the centre score threshold for the fast input (manifest detector.fastThreshold; default "
                         "--threshold): pack 0.8.1 takes 0.3 for live video, 0.4 for photos")
    ap.add_argument("--box-scale", default="",
                    help="W,H: factors that fit the detector's boxes to the plate (manifest detector.boxScale), the "
                         "boxFit that `npm run eval` prints for real photos with the pack's boxes unscaled")
    ap.add_argument("--read-margin", default="",
                    help="X,Y: fractions of a detector box's width and height the engine adds on each side before "
                         "reading it (manifest reader.margin); default the training crops' margin, synth.CROP_MARGIN, "
                         "right for a detector whose boxes are as loose as 0.5.x's; a detector whose boxes fit the "
                         "plate needs more (pack 0.6.0: 0.095,0.185)")
    args = ap.parse_args()
    read_margin = pair(args.read_margin, "--read-margin", 0, 1, "fractions") if args.read_margin \
        else list(synth.CROP_MARGIN)
    box_scale = pair(args.box_scale, "--box-scale", 0.5, 1.5, "factors") if args.box_scale else None
    os.makedirs(args.out, exist_ok=True)
    det_info = json.load(open(os.path.join(args.detector, "detector.json")))
    rd_info = json.load(open(os.path.join(args.reader, "reader.json")))
    photos_use = dev_photos_use(det_info, box_scale, rd_info)
    shutil.copyfile(os.path.join(args.detector, "detector.onnx"), os.path.join(args.out, "detector.onnx"))
    shutil.copyfile(os.path.join(args.reader, "reader.onnx"), os.path.join(args.out, "reader.onnx"))
    files = []
    for name in ("detector.onnx", "reader.onnx"):
        p = os.path.join(args.out, name)
        files.append({"name": name, "bytes": os.path.getsize(p), "sha256": sha256(p)})
    manifest = {
        "format": 1,
        "name": os.path.basename(os.path.normpath(args.out)),
        "version": args.version,
        "files": files,
        "detector": {"file": "detector.onnx", "input": det_info["input"], "stride": det_info["stride"],
                     "threshold": args.threshold, "channels": "rgb",
                     **({"fastInput": [3, *reversed([int(v) for v in args.fast_input.split("x")])]}
                        if args.fast_input else {}),
                     **({"fastThreshold": args.fast_threshold} if args.fast_threshold else {}),
                     **({"boxScale": box_scale} if box_scale else {})},
        "reader": {"file": "reader.onnx", "input": rd_info["input"], "decoder": rd_info.get("decoder", "slots"),
                   "slots": rd_info["columns"] if rd_info.get("decoder") == "ctc" else rd_info["slots"],
                   "charset": rd_info["charset"], "temperature": round(rd_info["temperature"], 3),
                   "margin": read_margin, "channels": "bgr"},
        "provenance": {
            "training": "models/train (train_detector.py, train_reader.py or train_reader_ctc.py, synth.py); "
                        "see models/README.md",
            "data": [
                {"name": "synthetic US plates rendered by models/train/synth.py (fonts-routed-gothic, "
                         "fonts-opendin, fonts-bebas-neue, fonts-dejavu, fonts-liberation: SIL OFL / free licences)",
                 "licence": "project-made", "use": "reader and detector training"},
                {"name": "openalpr/openalpr us plate templates (../shared/data/train/us-plate-templates)",
                 "licence": "AGPL-3.0", "use": "backgrounds of synthetic plates"},
                {"name": "openalpr/train-detector Brazilian crops (../shared/data/train/br-crops)",
                 "licence": "AGPL-3.0", "use": "reader training (real photo texture)"},
                {"name": "Romanian dashcam frames (../shared/data/train/ro-dashcam)", "licence": "MIT",
                 "use": "detector training scenes"},
                {"name": "openalpr/benchmarks US crops (../shared/data/us-crops-dev)", "licence": "AGPL-3.0",
                 "use": dev_crops_use(rd_info)},
                *([{"name": "openalpr/benchmarks US photos (../shared/data/us-plates-dev)", "licence": "AGPL-3.0",
                    "use": photos_use}] if photos_use else []),
            ],
            "figures": {"reader": rd_info, "detector": det_info},
        },
    }
    with open(os.path.join(args.out, "manifest.json"), "w") as f:
        json.dump(manifest, f, indent=2)
        f.write("\n")
    print(json.dumps({"files": files}))


if __name__ == "__main__":
    main()
