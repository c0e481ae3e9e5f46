import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { workerEntry } from '@signal/core';
import { LoraError } from '@signal/lora';
import type { WorkerModule } from '@signal/runtime';
import type { MinerConfig } from '../config/MinerConfigSchema';
import { MinerRequestError } from '../models/MinerRequestError';
import { InvalidRatioError } from '../presses/InvalidRatioError';
import { PressInputError } from '../presses/PressInputError';
import { SoftInputError } from '../soft/SoftInputError';
import { TextInputError } from '../text/TextInputError';
import type { MinerWorkerInit } from './MinerJobs';

/** The miner's worker module for a `ModelHost`: its entry, its init from the config, its errors. */
export function minerWorkerModule(config: MinerConfig): WorkerModule<MinerWorkerInit> {
  return {
    entry: workerEntry(__filename, { source: './minerWorker.ts', built: 'minerWorker' }),
    init: {
      models: config.models,
      memoryBytes: config.limits.model_memory_mb * 1024 * 1024,
      adapterBytes: config.limits.adapter_memory_mb * 1024 * 1024,
      adapterCacheDir: join(tmpdir(), 'signal-miner-adapters'),
      preRopeQueries: Object.values(config.tiers).some((m) => m.method === 'expected_attention'),
    },
    errors: [
      MinerRequestError,
      InvalidRatioError,
      PressInputError,
      SoftInputError,
      TextInputError,
      LoraError,
    ],
  };
}
