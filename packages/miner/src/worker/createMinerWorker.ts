import { type ServedWorker, transferred, type WorkerSetup } from '@signal/runtime';
import { condense } from '../condensers/condense';
import { WindowAttention } from '../condensers/WindowAttention';
import { TargetModels } from '../models/TargetModels';
import { ReconstructionAttention } from '../presses/reconstruction/ReconstructionAttention';
import { generationInput } from './generationInput';
import type { MinerJobs, MinerWorkerInit } from './MinerJobs';
import { payloadBuffers } from './payloadBuffers';

/**
 * A miner worker's state and jobs: its own `TargetModels` (registry, LoRA grafts and
 * adapters, soft-token embedders), SnapKV's `WindowAttention` and the reconstruction press's
 * `ReconstructionAttention` (whose extra passes of the model run here too), all on the intra-op threads
 * the host's budget gives it. The condensers run here unchanged; only the encoded payload
 * (or the generated text) goes back.
 */
export async function createMinerWorker(
  init: MinerWorkerInit,
  setup: WorkerSetup,
): Promise<ServedWorker<MinerJobs>> {
  const session = { intraOpThreads: setup.intraOpThreads, interOpThreads: 1 };
  const models = new TargetModels({
    models: init.models,
    memoryBytes: init.memoryBytes,
    adapterBytes: init.adapterBytes,
    adapterCacheDir: init.adapterCacheDir,
    preRopeQueries: init.preRopeQueries,
    // One job at a time per worker: the host schedules, the registry only loads.
    maxConcurrency: 1,
    session,
  });
  const windowAttention = await WindowAttention.create(session);
  const reconstruction = await ReconstructionAttention.create(session);
  return {
    handlers: {
      condense: async (job, { signal }) => {
        const result = await condense(models, {
          ...job,
          signal,
          windowAttention,
          reconstruction,
        });
        return transferred(
          { ...result, activatedAdapters: models.activatedAdapters },
          payloadBuffers(result.payload),
        );
      },
      inference: async (job, { signal, emit }) => {
        const lease = await models.acquire(job.model, job.adapter, signal);
        try {
          const { prompt, options } = generationInput(job, lease, signal);
          const tokens: number[] = [];
          let completion = '';
          for await (const chunk of lease.lm.generate(prompt, options)) {
            if (chunk.type === 'done') {
              completion = chunk.text;
              break;
            }
            tokens.push(chunk.token);
            if (job.stream && chunk.text.length > 0) emit(chunk.text);
          }
          return { completion, tokens, activatedAdapters: models.activatedAdapters };
        } finally {
          lease.release();
        }
      },
    },
    close: async () => {
      await models.dispose();
      await windowAttention.dispose();
      await reconstruction.dispose();
    },
  };
}
