"""Measuring whether int8 helps: write a static int8 (QDQ) copy of a Conv/Relu ONNX model.

    /usr/bin/python3 models/train/quantize_int8.py models/plates-us/detector.onnx /tmp/detector-int8.onnx
    node models/train/time_onnx.mjs /tmp/detector-int8.onnx 1024x576      # onnxruntime-web's wasm, 1 thread
    node models/train/time_onnx.mjs models/plates-us/detector.onnx 1024x576

Weights are per-channel symmetric int8, biases int32, activations uint8 with the ranges given as JSON
({tensor: [min, max]}; without it every activation gets [-1, 6], which is enough to time the model but not to run it
for real). A Relu after a Conv is folded into the Conv's quantized output (zero point 0). onnxruntime fuses each
DequantizeLinear → Conv → QuantizeLinear into a QLinearConv when it loads the model. Not used by the pack: on
onnxruntime-web's wasm the int8 detector ran 2.5x slower than fp32 (models/README.md).
"""
import json
import sys

import numpy as np
import onnx
from onnx import helper, numpy_helper

def quantize(model, ranges, skip_out=()):
    """The model with QDQ int8 Convs; `skip_out`: outputs left in float (the model's own outputs)."""
    g = model.graph
    inits = {i.name: i for i in g.initializer}
    consumers = {}
    for n in g.node:
        for i in n.input: consumers.setdefault(i, []).append(n)
    producers = {o: n for n in g.node for o in n.output}
    new_nodes = []; new_inits = []
    dq_of = {}  # float tensor -> its DQ output name
    act_scale = {}
    def qparams(name):
        lo, hi = ranges[name]; lo = min(lo, 0.0); hi = max(hi, 0.0)
        scale = max((hi - lo) / 255.0, 1e-8); zp = int(round(-lo / scale)); zp = min(255, max(0, zp))
        return np.float32(scale), np.uint8(zp)
    def add_qdq(name):
        if name in dq_of: return dq_of[name]
        s, z = qparams(name); act_scale[name] = s
        sn, zn = name + '_qs', name + '_qz'
        new_inits.append(numpy_helper.from_array(np.array(s, np.float32), sn))
        new_inits.append(numpy_helper.from_array(np.array(z, np.uint8), zn))
        q = name + '_q'; d = name + '_dq'
        new_nodes.append(helper.make_node('QuantizeLinear', [name, sn, zn], [q], name=name + '_Q'))
        new_nodes.append(helper.make_node('DequantizeLinear', [q, sn, zn], [d], name=name + '_DQ'))
        dq_of[name] = d; return d
    # remove Relu after Conv: Conv output renamed to relu output, range = relu range
    relu_of = {}
    drop = set()
    for n in g.node:
        if n.op_type == 'Relu':
            p = producers.get(n.input[0])
            if p is not None and p.op_type == 'Conv' and len(consumers[n.input[0]]) == 1:
                relu_of[p.name] = n.output[0]; drop.add(n.name)
    out_nodes = []
    for n in g.node:
        if n.name in drop: continue
        if n.op_type == 'Conv':
            x, w = n.input[0], n.input[1]
            b = n.input[2] if len(n.input) > 2 else None
            xd = add_qdq(x)
            W = numpy_helper.to_array(inits[w]).astype(np.float32)
            sw = np.maximum(np.abs(W).reshape(W.shape[0], -1).max(1) / 127.0, 1e-8).astype(np.float32)
            Wq = np.clip(np.round(W / sw[:, None, None, None]), -127, 127).astype(np.int8)
            new_inits += [numpy_helper.from_array(Wq, w + '_q8'), numpy_helper.from_array(sw, w + '_ws'),
                          numpy_helper.from_array(np.zeros(W.shape[0], np.int8), w + '_wz')]
            out_nodes.append(helper.make_node('DequantizeLinear', [w + '_q8', w + '_ws', w + '_wz'], [w + '_wdq'], name=w + '_WDQ', axis=0))
            ins = [xd, w + '_wdq']
            if b:
                B = numpy_helper.to_array(inits[b]).astype(np.float32)
                sb = (act_scale[x] * sw).astype(np.float32)
                Bq = np.round(B / sb).astype(np.int32)
                new_inits += [numpy_helper.from_array(Bq, b + '_q32'), numpy_helper.from_array(sb, b + '_bs'),
                              numpy_helper.from_array(np.zeros(W.shape[0], np.int32), b + '_bz')]
                out_nodes.append(helper.make_node('DequantizeLinear', [b + '_q32', b + '_bs', b + '_bz'], [b + '_bdq'], name=b + '_BDQ', axis=0))
                ins.append(b + '_bdq')
            out = relu_of.get(n.name, n.output[0])
            attrs = {a.name: helper.get_attribute_value(a) for a in n.attribute}
            conv_out = out if out in skip_out else out + '_f'
            # flush pending Q/DQ of the input before the conv
            out_nodes += new_nodes; new_nodes.clear()
            out_nodes.append(helper.make_node('Conv', ins, [conv_out], name=n.name, **attrs))
            if out not in skip_out:
                s, z = qparams(out); act_scale[out] = s
                sn, zn = out + '_qs', out + '_qz'
                new_inits += [numpy_helper.from_array(np.array(s, np.float32), sn), numpy_helper.from_array(np.array(z, np.uint8), zn)]
                out_nodes.append(helper.make_node('QuantizeLinear', [conv_out, sn, zn], [out + '_q'], name=out + '_Q'))
                out_nodes.append(helper.make_node('DequantizeLinear', [out + '_q', sn, zn], [out], name=out + '_DQ'))
                dq_of[out] = out  # already a DQ output
        else:
            out_nodes += new_nodes; new_nodes.clear()
            out_nodes.append(n)
    used = set(i for n in out_nodes for i in n.input)
    keep = [i for i in g.initializer if i.name in used]
    del g.node[:]; g.node.extend(out_nodes)
    del g.initializer[:]; g.initializer.extend(keep + [i for i in new_inits if i.name in used])
    return model

if __name__ == '__main__':
    m = onnx.load(sys.argv[1])
    if len(sys.argv) > 3:
        with open(sys.argv[3]) as f:
            ranges = json.load(f)
    else:
        from collections import defaultdict
        ranges = defaultdict(lambda: (-1.0, 6.0))
    skip = [o.name for o in m.graph.output]
    m = quantize(m, ranges, skip_out=skip)
    onnx.checker.check_model(m)
    onnx.save(m, sys.argv[2])
    print('ok', len(m.graph.node))
