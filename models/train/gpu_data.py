"""Prepare the folder that travels with a GPU training job (models/train/gpu-job.sh): data, fonts, start weights.

    /usr/bin/python3 models/train/gpu_data.py --data ../shared/data --out .gpu [--reader R.pt|.npz --detector D.pt|.npz]

Writes OUT/data/train/{ro-dashcam,us-plate-templates} (frames re-encoded at JPEG quality 80), OUT/data/train/br-crops
and OUT/data/us-crops-dev resized to 128x64 (what the reader sees) with their labels.csv, the fonts synth.py uses
under OUT/fonts (same paths below /usr/share/fonts), and the start weights as OUT/init/{reader,detector}.npz.  Keep OUT
out of git (`echo /.gpu/ >> .git/info/exclude`): it is third-party data.  About 50 MB.
"""

import argparse
import csv
import os
import shutil

import cv2
import torch

import synth
from common import write_npz


def copy_resized(src, dst):
    os.makedirs(dst, exist_ok=True)
    with open(os.path.join(src, "labels.csv")) as f:
        rows = list(csv.DictReader(f))
    for r in rows:
        path = os.path.join(src, r["file"])
        if not os.path.exists(path):
            path = os.path.join(src, "images", r["file"])
        img = cv2.imread(path)
        if img is None:
            continue
        r["file"] = os.path.splitext(r["file"])[0] + ".jpg"
        cv2.imwrite(os.path.join(dst, r["file"]), cv2.resize(img, (128, 64), interpolation=cv2.INTER_AREA),
                    [cv2.IMWRITE_JPEG_QUALITY, 95])
    with open(os.path.join(dst, "labels.csv"), "w", newline="") as f:
        w = csv.DictWriter(f, fieldnames=list(rows[0].keys()))
        w.writeheader()
        w.writerows(rows)


def weights_npz(src, dst):
    if src.endswith(".npz"):
        shutil.copyfile(src, dst)
    else:
        write_npz(torch.load(src, map_location="cpu"), dst)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--data", default="../shared/data")
    ap.add_argument("--out", default=".gpu")
    ap.add_argument("--reader", default="")
    ap.add_argument("--detector", default="")
    args = ap.parse_args()
    train = os.path.join(args.out, "data", "train")
    os.makedirs(train, exist_ok=True)
    shutil.copytree(os.path.join(args.data, "train", "us-plate-templates"), os.path.join(train, "us-plate-templates"),
                    dirs_exist_ok=True)
    dash = os.path.join(train, "ro-dashcam")
    shutil.copytree(os.path.join(args.data, "train", "ro-dashcam"), dash, dirs_exist_ok=True)
    for name in os.listdir(os.path.join(dash, "images")):
        p = os.path.join(dash, "images", name)
        os.chmod(p, 0o644)
        cv2.imwrite(p, cv2.imread(p), [cv2.IMWRITE_JPEG_QUALITY, 80])
    copy_resized(os.path.join(args.data, "train", "br-crops"), os.path.join(train, "br-crops"))
    copy_resized(os.path.join(args.data, "us-crops-dev"), os.path.join(args.out, "data", "us-crops-dev"))
    for font in synth.FONT_FILES:
        rel = os.path.relpath(font, synth._FONT_ROOT)
        os.makedirs(os.path.join(args.out, "fonts", os.path.dirname(rel)), exist_ok=True)
        shutil.copyfile(font, os.path.join(args.out, "fonts", rel))
    os.makedirs(os.path.join(args.out, "init"), exist_ok=True)
    if args.reader:
        weights_npz(args.reader, os.path.join(args.out, "init", "reader.npz"))
    if args.detector:
        weights_npz(args.detector, os.path.join(args.out, "init", "detector.npz"))
    print("wrote", args.out)


if __name__ == "__main__":
    main()
