/** Shared set-up for the runtime benchmarks: a builder model on disk and timing helpers. */
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { buildModel } from '../../packages/runtime/src/index';

/** Writes the builder's `small` Llama into `<tmp>/models/small` and returns both paths. */
export async function smallModelDir(
  seed = 3,
): Promise<{ root: string; name: string; dir: string }> {
  const root = join(await mkdtemp(join(tmpdir(), 'signal-bench-runtime-')), 'models');
  const name = 'small';
  const dir = join(root, name);
  await buildModel({ arch: 'llama', size: 'small', seed, outDir: dir });
  return { root, name, dir };
}

export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

export async function timeMs(fn: () => Promise<unknown>): Promise<number> {
  const start = performance.now();
  await fn();
  return performance.now() - start;
}

/**
 * CPU time (user + system, all threads) a call takes. On cores shared with other
 * processes, wall time mostly measures the neighbours; with one ORT thread the work is the
 * same either way, so CPU time is the steadier comparison.
 */
export async function cpuMs(fn: () => Promise<unknown>): Promise<number> {
  const start = process.cpuUsage();
  await fn();
  const used = process.cpuUsage(start);
  return (used.user + used.system) / 1000;
}

/** A deterministic token sequence inside the vocabulary. */
export function promptIds(length: number, vocab: number): number[] {
  return Array.from({ length }, (_, i) => 3 + ((i * 7919) % (vocab - 3)));
}

export const round = (x: number, digits = 3): number => Number(x.toFixed(digits));
