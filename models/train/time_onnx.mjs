// Times one ONNX model on onnxruntime-web's wasm backend in Node (1 thread), as the engine runs it in a browser:
//   node models/train/time_onnx.mjs MODEL.onnx WIDTHxHEIGHT [BATCH]
// prints the p50 and the fastest of 15 runs (after 3 warm-up runs) on random 0..255 input of [BATCH,3,H,W].
import { readFileSync } from 'node:fs';
import * as ort from 'onnxruntime-web';

const [file, size, batch = '1'] = process.argv.slice(2);
if (!file || !/^\d+x\d+$/.test(size ?? '')) {
  console.error('usage: node models/train/time_onnx.mjs MODEL.onnx WIDTHxHEIGHT [BATCH]');
  process.exit(2);
}
const [w, h] = size.split('x').map(Number);
ort.env.wasm.numThreads = 1;
const session = await ort.InferenceSession.create(readFileSync(file), {
  executionProviders: ['wasm'],
  graphOptimizationLevel: 'all',
});
const shape = [Number(batch), 3, h, w];
const data = Float32Array.from({ length: shape.reduce((a, b) => a * b) }, () => Math.random() * 255);
const feeds = { [session.inputNames[0]]: new ort.Tensor('float32', data, shape) };
for (let i = 0; i < 3; i++) await session.run(feeds);
const ms = [];
for (let i = 0; i < 15; i++) {
  const t0 = performance.now();
  await session.run(feeds);
  ms.push(performance.now() - t0);
}
ms.sort((a, b) => a - b);
console.log(`${file} ${w}x${h} batch ${batch}: p50 ${ms[7].toFixed(1)} ms, min ${ms[0].toFixed(1)} ms`);
