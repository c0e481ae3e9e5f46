import { workerEntry } from '@signal/core';
import {
  HostQueueFullError,
  loadModelDir,
  type ModelDtype,
  ModelHost,
  type PullOptions,
  resolveModelLocation,
} from '@signal/runtime';
import { ApiError } from '../openai/ApiError';
import type { ServeChunk, ServeModel } from './ServeModel';
import type { ServeJobs, ServeWorkerInit } from './serveJobs';

export interface HostedModelOptions {
  /** Cores the model's workers may use (workers × intra-op threads); default every core. */
  threads?: number;
  /** Worker threads, each with its own copy of the model; default 1. */
  workers?: number;
  /** Generations that may wait before new ones get a 503 with Retry-After. Default 32. */
  queueSize?: number;
  /** The variant to load (and, for an `hf:` model, to pull); default the directory's fp32. */
  dtype?: ModelDtype;
  /** How an `hf:` model is pulled: Hub settings (default from the environment), progress. */
  hub?: Pick<PullOptions, 'settings' | 'onProgress' | 'signal' | 'concurrency'>;
}

const DEFAULT_QUEUE_SIZE = 32;

/**
 * A ServeModel whose sessions run in the runtime's ModelHost (worker threads), so the
 * server's event loop never waits on a forward pass. `location` is a model directory or
 * `hf:org/name@rev`, pulled into the huggingface_hub cache first (only the files the
 * `dtype` variant needs), as the miner does. The tokenizer is read on this thread (plain
 * JavaScript); generations go to the host as whole jobs and stream their tokens back. A
 * full queue is a 503 with `Retry-After`; a client that goes away cancels its job.
 */
export async function loadHostedModel(
  location: string,
  options: HostedModelOptions = {},
): Promise<ServeModel> {
  const dtype = options.dtype ? { dtype: options.dtype } : {};
  const dir = await resolveModelLocation(location, { kind: 'model', ...dtype, ...options.hub });
  const { tokenizer } = await loadModelDir(dir, dtype);
  const queueSize = options.queueSize ?? DEFAULT_QUEUE_SIZE;
  const host = await ModelHost.start<ServeJobs, ServeWorkerInit>({
    module: {
      entry: workerEntry(__filename, { source: './serveWorker.ts', built: 'serveWorker' }),
      init: { modelDir: dir, ...dtype },
    },
    name: 'signal-serve',
    queueSize,
    ...(options.threads === undefined ? {} : { threads: options.threads }),
    ...(options.workers === undefined ? {} : { workers: options.workers }),
  });
  const described = await host.run('describe', undefined);
  return {
    tokenizer,
    ...described,
    runtime: {
      workers: host.budget.workers,
      intraOpThreads: host.budget.intraOpThreads,
      queueSize,
    },
    async *generate(generation, signal): AsyncGenerator<ServeChunk> {
      const stream = host.stream('generate', generation, { lane: 'generate', signal });
      try {
        for await (const chunk of stream) yield chunk;
        yield await stream.result;
      } catch (error) {
        if (error instanceof HostQueueFullError) {
          throw new ApiError('API_OVERLOADED', 'The model is at capacity.', {
            details: `${error.queued} generations are waiting.`,
            openaiCode: 'overloaded',
            retryAfterSeconds: error.retryAfterSeconds,
            cause: error,
          });
        }
        throw error;
      }
    },
    close: () => host.close(),
  };
}
