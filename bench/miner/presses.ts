/**
 * What each KV press costs on one prefilled context, split into scoring, selection and gather,
 * against two baselines measured in the same run: the gather alone (copying the kept keys and
 * values, which any press must do) and top-k by a comparator sort of indices (the obvious
 * selection our threshold selection replaces). Prints JSON.
 *
 *   npx tsx bench/miner/presses.ts [geometry=small|mistral] [length=700] [ratio=0.5] [iterations=3]
 *
 * `small` is a Qwen2.5-0.5B-like model (24 layers, 2 KV heads, 14 heads, head_dim 64);
 * `mistral` is Mistral-7B (32 layers, 8 KV heads, 32 heads, head_dim 128). 700 tokens is about
 * the research tier's 2 500 characters.
 */
import { performance } from 'node:perf_hooks';
import { gatherKept } from '../../packages/miner/src/presses/gatherKept';
import { keptCount } from '../../packages/miner/src/presses/keptCount';
import type { PressLayer } from '../../packages/miner/src/presses/PressLayer';
import { PRESS_NAMES, PRESSES } from '../../packages/miner/src/presses/presses';
import { selectKept } from '../../packages/miner/src/presses/selectKept';
import type { Tensor3 } from '../../packages/miner/src/presses/Tensor3';

const geometries = {
  small: { layers: 24, kvHeads: 2, heads: 14, headDim: 64 },
  mistral: { layers: 32, kvHeads: 8, heads: 32, headDim: 128 },
} as const;
const geometryName = (process.argv[2] ?? 'small') as keyof typeof geometries;
const geometry = geometries[geometryName];
if (!geometry) throw new Error(`unknown geometry ${geometryName}`);
const length = Number(process.argv[3] ?? 700);
const ratio = Number(process.argv[4] ?? 0.5);
const iterations = Number(process.argv[5] ?? 3);
const window = Math.min(64, length - 1);

/** Uniform values in [-1, 1): timing does not depend on them, only on shapes. */
function tensor(shape: [number, number, number]): Tensor3 {
  const data = new Float32Array(shape[0] * shape[1] * shape[2]);
  for (let i = 0; i < data.length; i++) data[i] = Math.random() * 2 - 1;
  return { data, shape };
}

const layers: PressLayer[] = [];
for (let l = 0; l < geometry.layers; l++) {
  layers.push({
    keys: tensor([geometry.kvHeads, length, geometry.headDim]),
    queries: tensor([geometry.heads, window, geometry.headDim]),
    preRopeQueries: tensor([geometry.heads, length, geometry.headDim]),
    values: tensor([geometry.kvHeads, length, geometry.headDim]),
  });
}

/**
 * Mean wall and CPU milliseconds over `iterations` runs after one warm-up. CPU time is reported
 * too because on a shared machine wall time mostly measures the neighbours.
 */
function time<T>(run: () => T): { meanMs: number; cpuMs: number; result: T } {
  let result = run();
  let wall = 0;
  let cpu = 0;
  for (let i = 0; i < iterations; i++) {
    const start = performance.now();
    const startCpu = process.cpuUsage();
    result = run();
    const used = process.cpuUsage(startCpu);
    wall += performance.now() - start;
    cpu += (used.user + used.system) / 1000;
  }
  return { meanMs: round(wall / iterations), cpuMs: round(cpu / iterations), result };
}

function round(ms: number): number {
  return Math.round(ms * 1000) / 1000;
}

/** expected_attention needs the model's RoPE base; 1e6 is Mistral v0.2's and Qwen2.5's. */
const options = { ropeTheta: 1_000_000 };

const methods = PRESS_NAMES.map((name) => {
  const press = PRESSES[name] as (typeof PRESSES)['expected_attention'];
  const scoring = time(() => layers.map((layer, index) => press.score(layer, index, options)));
  const selection = time(() => selectKept(scoring.result, ratio));
  const gather = time(() =>
    selection.result.layers.map((heads, l) => [
      gatherKept(layers[l]!.keys, heads),
      gatherKept(layers[l]!.values!, heads),
    ]),
  );
  const totalCpuMs = scoring.cpuMs + selection.cpuMs + gather.cpuMs;
  return {
    method: name,
    scoreMs: scoring.meanMs,
    selectMs: selection.meanMs,
    gatherMs: gather.meanMs,
    scoreCpuMs: scoring.cpuMs,
    selectCpuMs: selection.cpuMs,
    gatherCpuMs: gather.cpuMs,
    totalCpuOverGatherCpu: Math.round((totalCpuMs / gather.cpuMs) * 100) / 100,
  };
});

/** The baseline selection: sort every head's positions with a comparator, take k, re-sort. */
const knormScores = layers.map((layer, index) => PRESSES.knorm.score(layer, index, {}));
const kept = keptCount(length, ratio);
const comparatorSelect = time(() =>
  knormScores.map((scores) => {
    const heads: Int32Array[] = [];
    for (let h = 0; h < scores.heads; h++) {
      const row = scores.data.subarray(h * length, (h + 1) * length);
      const order = Int32Array.from({ length }, (_, i) => i).sort(
        (a, b) => row[b]! - row[a]! || b - a,
      );
      heads.push(order.slice(0, kept).sort());
    }
    return heads;
  }),
);
const thresholdSelect = time(() => selectKept(knormScores, ratio));

console.log(
  JSON.stringify(
    {
      benchmark: 'miner/presses',
      geometry: { name: geometryName, ...geometry },
      length,
      ratio,
      kept,
      window,
      iterations,
      methods,
      selection: {
        thresholdCpuMs: thresholdSelect.cpuMs,
        comparatorSortBaselineCpuMs: comparatorSelect.cpuMs,
        speedup: Math.round((comparatorSelect.cpuMs / thresholdSelect.cpuMs) * 100) / 100,
      },
    },
    null,
    2,
  ),
);
