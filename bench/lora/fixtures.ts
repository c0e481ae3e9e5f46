/**
 * Shared setup for the LoRA benchmarks: a `small` builder model (4 layers, hidden 256),
 * its q/k/v/o graft, and seeded r=16 PEFT adapters, all in a temporary directory.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import {
  LoraModel,
  localDirSource,
  readModelLinears,
  writeTestAdapter,
} from '../../packages/lora/src/index';
import { buildModel } from '../../packages/runtime/src/index';

export const TARGETS = ['q_proj', 'k_proj', 'v_proj', 'o_proj'];
export const RANK = 16;
/** One intra-op thread for every session, so base and grafted runs compete on equal terms. */
export const SESSION = { intraOpThreads: 1, interOpThreads: 1 };

export interface Fixture {
  readonly root: string;
  readonly modelDir: string;
  readonly adaptersDir: string;
  readonly adapterNames: string[];
  cleanup(): Promise<void>;
}

export async function makeFixture(adapters: number): Promise<Fixture> {
  const root = await mkdtemp(join(tmpdir(), 'bench-lora-'));
  const modelDir = (
    await buildModel({ arch: 'llama', size: 'small', seed: 1, outDir: join(root, 'model') })
  ).dir;
  const adaptersDir = join(root, 'adapters');
  const linears = await readModelLinears(modelDir);
  const adapterNames: string[] = [];
  for (let i = 0; i < adapters; i++) {
    const name = `adapter-${i}`;
    await writeTestAdapter({
      outDir: join(adaptersDir, name),
      targets: linears,
      seed: 100 + i,
      config: { r: RANK, lora_alpha: 2 * RANK, target_modules: TARGETS },
    });
    adapterNames.push(name);
  }
  return {
    root,
    modelDir,
    adaptersDir,
    adapterNames,
    cleanup: () => rm(root, { recursive: true, force: true }),
  };
}

export function loadLora(fixture: Fixture): Promise<LoraModel> {
  return LoraModel.load(fixture.modelDir, {
    targets: TARGETS,
    sources: [localDirSource(fixture.adaptersDir)],
    maxAdapterBytes: 256 << 20,
    session: SESSION,
  });
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
