import type { CondensedPayload, EncodedPayload, TierConfig } from '@signal/core';
import type { JobSpec } from '@signal/runtime';
import type { CondenseTimings } from '../condensers/CondenseResult';
import type { CondenserPlan } from '../config/condenserPlan';
import type { MinerConfig } from '../config/MinerConfigSchema';

/** What the miner's worker threads are built from (structured-clonable). */
export interface MinerWorkerInit {
  readonly models: MinerConfig['models'];
  readonly memoryBytes: number;
  readonly adapterBytes: number;
  readonly adapterCacheDir: string;
  /** Load every model with its pre-RoPE queries exposed (a tier uses expected_attention). */
  readonly preRopeQueries: boolean;
}

export interface CondenseJob {
  readonly context: string;
  readonly targetModel: string;
  readonly adapter: string | null;
  readonly tier: TierConfig;
  readonly plan: CondenserPlan;
  readonly dtype: 'float16' | 'float32';
}

export interface CondenseJobResult {
  /** Tensors as raw bytes (quantized when the tier says so): what crosses back from the worker. */
  readonly payload: EncodedPayload;
  readonly timings: CondenseTimings;
  /** Adapters this worker has activated so far (Metadata lists the union). */
  readonly activatedAdapters: readonly string[];
}

/** An Inference request as the worker runs it: the synapse's fields, its payload checked. */
export interface InferenceJob {
  readonly model: string;
  readonly adapter: string | null;
  readonly prompt: string;
  readonly condensed: CondensedPayload | null;
  readonly maxNewTokens: number;
  readonly temperature: number;
  readonly topK: number;
  readonly topP: number;
  readonly seed: number | null;
  readonly stop: readonly string[];
  /** Emit text deltas as they decode (a streaming request). */
  readonly stream: boolean;
}

export interface InferenceJobResult {
  readonly completion: string;
  readonly tokens: number[];
  readonly activatedAdapters: readonly string[];
}

/** The jobs a miner's worker threads run; every ONNX Runtime call of a miner is in one. */
export type MinerJobs = {
  condense: JobSpec<CondenseJob, CondenseJobResult>;
  inference: JobSpec<InferenceJob, InferenceJobResult, string>;
};
