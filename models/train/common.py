"""A replay buffer on the training device, fed by DataLoader workers.

Rendering a training sample costs far more CPU than a training step costs a GPU.  Samples stream from the loader's
worker processes (a background thread pulls them) into a ring buffer kept on the training device; each step draws a
random batch from the ring.  `max_reuse` bounds how many times, on average, a rendered sample is used, so a fast device
waits for fresh samples rather than overfitting a small ring.  On a CPU-only machine the same code runs with a small
ring and one or two workers.
"""

import inspect
import math
import os
import queue
import threading

import numpy as np
import torch
import torch.nn as nn


class Replay:
    def __init__(self, loader, capacity, device, dtypes, max_reuse=8.0):
        self.loader, self.capacity, self.device, self.dtypes = loader, capacity, device, dtypes
        self.max_reuse = max_reuse
        self.q = queue.Queue(maxsize=32)
        self.tensors = None
        self.n = 0          # filled slots
        self.head = 0       # next slot to write
        self.produced = 0   # samples received in all
        self.consumed = 0   # samples drawn in all
        self.error = None
        threading.Thread(target=self._pull, daemon=True).start()

    def _pull(self):
        try:
            for batch in self.loader:
                self.q.put(batch)
        except Exception as e:  # surfaced on the training thread
            self.error = e

    def _store(self, batch):
        if self.tensors is None:
            self.tensors = [torch.empty((self.capacity,) + tuple(t.shape[1:]), dtype=d, device=self.device)
                            for t, d in zip(batch, self.dtypes)]
        k = batch[0].shape[0]
        idx = (torch.arange(k) + self.head) % self.capacity
        idx_dev = idx.to(self.device)
        for dst, src, d in zip(self.tensors, batch, self.dtypes):
            dst[idx_dev] = src.to(self.device, non_blocking=True).to(d)
        self.head = (self.head + k) % self.capacity
        self.n = min(self.capacity, self.n + k)
        self.produced += k

    def update(self, block=False):
        """Move whatever the workers have rendered into the ring."""
        if self.error:
            raise self.error
        while True:
            try:
                self._store(self.q.get(block=block, timeout=60 if block else None))
                block = False
            except queue.Empty:
                return

    def fill(self, n):
        while self.n < min(n, self.capacity):
            self.update(block=True)

    def sample(self, batch_size):
        self.update()
        while self.consumed + batch_size > self.max_reuse * self.produced:
            self.update(block=True)
        self.consumed += batch_size
        idx = torch.randint(0, self.n, (batch_size,), device=self.device)
        return [t[idx] for t in self.tensors]

    def stats(self):
        return f"ring {self.n} produced {self.produced} reuse {self.consumed / max(1, self.produced):.1f}"


def fit_temperature(logits, confidence, correct):
    """The softmax temperature (0.5 to 3.0) whose confidences are best calibrated: `confidence(probabilities)` gives
    one score per sample, `correct` (0/1 per sample) whether the reading was right (argmax readings do not change
    with the temperature). Returns (temperature, expected calibration error over 10 bins)."""
    best = (1e9, 1.0)
    for t in np.arange(0.5, 3.01, 0.05):
        conf = confidence(torch.softmax(logits / t, -1))
        ece = 0.0
        for lo in np.arange(0, 1, 0.1):
            m = (conf >= lo) & (conf < lo + 0.1 + (1e-9 if lo >= 0.9 else 0))
            if m.sum() > 0:
                ece += m.float().mean().item() * abs(conf[m].mean().item() - correct[m].mean().item())
        if ece < best[0]:
            best = (ece, float(t))
    return best[1], best[0]


def pick_device(name):
    if name == "auto":
        return torch.device("cuda" if torch.cuda.is_available() else "cpu")
    return torch.device(name)


def onnx_export(model, dummy, path, input_name, output_name, spatial=False):
    """ONNX opset 13 through the TorchScript exporter (newer PyTorch defaults to the dynamo exporter, whose graphs
    onnxruntime-web has not been checked with here).  The batch axis is dynamic; with spatial=True height and width
    are too (a fully convolutional model run at more than one input size)."""
    kwargs = {"dynamo": False} if "dynamo" in inspect.signature(torch.onnx.export).parameters else {}
    axes = {0: "n", 2: "h", 3: "w"} if spatial else {0: "n"}
    torch.onnx.export(model, dummy, path, opset_version=13, input_names=[input_name], output_names=[output_name],
                      dynamic_axes={input_name: axes, output_name: axes}, **kwargs)


def write_npz(state, path):
    """A state dict as plain arrays, written aside and renamed: a copy taken meanwhile is never torn."""
    with open(path + ".tmp", "wb") as f:
        np.savez(f, **{k: v.detach().cpu().numpy() for k, v in state.items()})
    os.replace(path + ".tmp", path)


def save_weights(model, path):
    """`path`.pt for PyTorch and `path`.npz (plain arrays) so that another PyTorch version can read them back."""
    state = model.state_dict()
    torch.save(state, path + ".tmp.pt")
    os.replace(path + ".tmp.pt", path + ".pt")
    write_npz(state, path + ".npz")


def read_state(path, device="cpu"):
    """A state dict from `.npz` (plain arrays) or `.pt`."""
    if path.endswith(".npz"):
        z = np.load(path)
        return {k: torch.from_numpy(z[k]) for k in z.files}
    return torch.load(path, map_location=device)


def load_weights(model, path, device="cpu"):
    model.load_state_dict(read_state(path, device))


def set_lr(opt, base, frac):
    """The trainers' schedule at `frac` of the time budget: linear warm-up over the first 3%, then cosine to 0.
    Sets it on every parameter group and returns it."""
    lr = base * 0.5 * (1 + math.cos(math.pi * frac)) if frac > 0.03 else base * frac / 0.03 + 1e-5
    for g in opt.param_groups:
        g["lr"] = lr
    return lr


def recover_from_onnx(model, onnx_path, dummy):
    """Loads a model's weights back from the ONNX this project exported it to.  The exporter folded each BatchNorm
    into the convolution before it, so each convolution gets the folded weights and its BatchNorm becomes the identity
    plus the folded bias: train such a model with its BatchNorms frozen (`freeze_bn`).  Convolutions are matched to
    the graph's Conv nodes in the order `dummy` runs through them."""
    import onnx
    from onnx import numpy_helper
    m = onnx.load(onnx_path)
    inits = {i.name: numpy_helper.to_array(i) for i in m.graph.initializer}
    convs = [n for n in m.graph.node if n.op_type == "Conv"]
    order = []
    hooks = [mod.register_forward_hook(lambda mod, i, o: order.append(mod))
             for mod in model.modules() if isinstance(mod, nn.Conv2d)]
    model.eval()
    with torch.no_grad():
        model(dummy)
    for h in hooks:
        h.remove()
    if len(order) != len(convs):
        raise SystemExit(f"{onnx_path}: {len(convs)} convolutions, the model has {len(order)}: not this model's export")
    bn_after = {}  # a Conv2d directly followed by a BatchNorm2d in a Sequential
    for mod in model.modules():
        if isinstance(mod, nn.Sequential):
            for a, b in zip(list(mod)[:-1], list(mod)[1:]):
                if isinstance(a, nn.Conv2d) and isinstance(b, nn.BatchNorm2d):
                    bn_after[a] = b
    for conv, node in zip(order, convs):
        w = inits[node.input[1]]
        b = inits[node.input[2]] if len(node.input) > 2 else np.zeros(w.shape[0], np.float32)
        if tuple(conv.weight.shape) != w.shape:
            raise SystemExit(f"{onnx_path}: a convolution of shape {w.shape} where the model has {tuple(conv.weight.shape)}")
        with torch.no_grad():
            conv.weight.copy_(torch.from_numpy(np.array(w)))
            if conv in bn_after:
                bn = bn_after[conv]
                bn.weight.fill_(1.0)
                bn.bias.copy_(torch.from_numpy(b))
                bn.running_mean.zero_()
                bn.running_var.fill_(1.0 - bn.eps)
            else:
                conv.bias.copy_(torch.from_numpy(b))


def freeze_bn(model):
    """Puts every BatchNorm of a model in eval mode (its statistics fixed, as recover_from_onnx leaves them)."""
    for mod in model.modules():
        if isinstance(mod, nn.BatchNorm2d):
            mod.eval()
    return model
