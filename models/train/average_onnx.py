"""Average models weight by weight: ONNX files of one architecture, continued from the same start (a "model soup").

    /usr/bin/python3 models/train/average_onnx.py --out /tmp/soup.onnx /tmp/a/detector.onnx /tmp/b/detector.onnx

Every floating-point initializer of the output is the mean of the inputs' (`--weights` to weigh them otherwise);
integer initializers (shapes) must be equal. The inputs must have the same graph: the same initializers by name,
shape and type, and the same nodes; anything else is an error naming what differs, and nothing is written. The
detectors `tune_detector.py` makes carry their BatchNorms folded into the convolutions, so for them the mean of the
ONNX weights is the mean of the trained weights.
"""
import argparse
import sys

import numpy as np
import onnx
from onnx import numpy_helper


def average(paths, weights=None):
    models = [onnx.load(p) for p in paths]
    if len(models) < 2:
        raise ValueError("give two models or more")
    weights = np.asarray(weights if weights else [1.0] * len(models), dtype=np.float64)
    if len(weights) != len(models) or np.any(weights < 0) or weights.sum() <= 0:
        raise ValueError("--weights needs one non-negative weight per model, not all zero")
    weights = weights / weights.sum()
    first = models[0]
    ops = [(n.op_type, list(n.input), list(n.output)) for n in first.graph.node]
    inits = [{i.name: numpy_helper.to_array(i) for i in m.graph.initializer} for m in models]
    for path, m, init in zip(paths[1:], models[1:], inits[1:]):
        if [(n.op_type, list(n.input), list(n.output)) for n in m.graph.node] != ops:
            raise ValueError(f"{path}: its graph's nodes differ from {paths[0]}'s")
        if set(init) != set(inits[0]):
            raise ValueError(f"{path}: its initializers differ by name from {paths[0]}'s")
        for name, a in inits[0].items():
            if init[name].shape != a.shape or init[name].dtype != a.dtype:
                raise ValueError(f"{path}: initializer {name} is {init[name].dtype}{list(init[name].shape)}, "
                                 f"{paths[0]} has {a.dtype}{list(a.shape)}")
    out = []
    for tensor in first.graph.initializer:
        arrays = [init[tensor.name] for init in inits]
        if np.issubdtype(arrays[0].dtype, np.floating):
            mean = sum(w * a.astype(np.float64) for w, a in zip(weights, arrays)).astype(arrays[0].dtype)
        else:
            if any(not np.array_equal(a, arrays[0]) for a in arrays[1:]):
                raise ValueError(f"initializer {tensor.name} is not floating point and differs between the models")
            mean = arrays[0]
        out.append(numpy_helper.from_array(mean, tensor.name))
    del first.graph.initializer[:]
    first.graph.initializer.extend(out)
    onnx.checker.check_model(first)
    return first


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("models", nargs="+")
    ap.add_argument("--out", required=True)
    ap.add_argument("--weights", default="", help="comma-separated, one per model (default: equal)")
    args = ap.parse_args()
    try:
        model = average(args.models, [float(w) for w in args.weights.split(",")] if args.weights else None)
    except ValueError as e:
        print(f"average_onnx: {e}", file=sys.stderr)
        sys.exit(1)
    onnx.save(model, args.out)
    print(f"averaged {len(args.models)} models into {args.out}")


if __name__ == "__main__":
    main()
