import { access } from 'node:fs/promises';
import { join } from 'node:path';
import type { TierConfig } from '@signal/core';
import { loraGraftBlocker } from '@signal/lora';
import { isHubRef, loadModelDir, prunedCacheSupport, resolveModelLocation } from '@signal/runtime';
import { queriesOutput } from '../condensers/pressLayers';
import type { MinerConfig, TierMethod } from '../config/MinerConfigSchema';
import { MinerStartError } from '../serve/MinerStartError';
import { adapterNameOf } from './adapterSource';
import { hasQueryProjections } from './queryProjections';

const KV_METHODS = new Set<TierMethod['method']>([
  'knorm',
  'streaming_llm',
  'snapkv',
  'random',
  'expected_attention',
]);

type ModelDir = Awaited<ReturnType<typeof loadModelDir>>;

/** Why a model directory cannot serve a method, or undefined when it can. */
async function cannotServe(
  method: TierMethod['method'],
  modelDir: ModelDir,
): Promise<string | undefined> {
  const { graph } = modelDir;
  if (KV_METHODS.has(method)) {
    const pruned = prunedCacheSupport(graph);
    if (!pruned.ok)
      return `a condensed KV cache must continue at its original positions, but ${pruned.reason}`;
  }
  if (method === 'snapkv' && !graph.outputs.includes(queriesOutput(0))) {
    return `snapkv reads the post-RoPE queries, and the graph has no ${queriesOutput(0)} output (export it with its queries exposed)`;
  }
  if (method === 'expected_attention' && !hasQueryProjections(graph.nodeNames)) {
    return 'expected_attention reads the pre-RoPE queries, and the graph has no q projection nodes (/model/layers.N/self_attn/q_proj, /model/layers.N/attn/q_proj or qkv_proj) to expose them from';
  }
  if (method === 'soft') {
    const embedder = join(modelDir.dir, 'onnx', 'embed_tokens.onnx');
    if (
      !(await access(embedder).then(
        () => true,
        () => false,
      ))
    ) {
      return `soft tokens need the embedder ${embedder}, which is missing`;
    }
  }
  return undefined;
}

/**
 * What a miner does with its models before it serves: pulls every `hf:` model into the
 * huggingface_hub cache, reads each model directory (any layout, the configured `dtype`), and
 * refuses to start when a configured tier method cannot run on a model that tier serves
 * (naming the model, the method and the reason), or when a model's configured adapter cannot
 * be grafted onto it (naming the model and the adapter), instead of failing the first request.
 * An `hf:` adapter is pulled here too (its two PEFT files), so a missing or gated adapter
 * repository stops the start with its Hub error; it keeps its name (the repository's).
 * Returns the config with every model and adapter at a local directory.
 */
export async function prepareServedModels(
  config: MinerConfig,
  tiers: readonly TierConfig[],
): Promise<MinerConfig> {
  const models: MinerConfig['models'] = {};
  for (const [name, entry] of Object.entries(config.models)) {
    const dir = await resolveModelLocation(entry.base_model_dir, {
      kind: 'model',
      ...(entry.dtype ? { dtype: entry.dtype } : {}),
    });
    const modelDir = await loadModelDir(dir, entry.dtype ? { dtype: entry.dtype } : {});
    const graftBlocker = entry.adapter ? loraGraftBlocker(modelDir) : undefined;
    if (entry.adapter && graftBlocker) {
      throw new MinerStartError(
        'MINER_ADAPTER_UNSUPPORTED',
        `Model "${name}" cannot take adapter "${adapterNameOf(entry.adapter)}": ${graftBlocker}.`,
        {
          details: `${dir} (${modelDir.layout}, ${modelDir.dtype}); configure an fp32 variant of the model (dtype: fp32) to serve adapters`,
        },
      );
    }
    for (const [tierName, method] of Object.entries(config.tiers)) {
      const tier = tiers.find((t) => t.name === tierName);
      // Condense refuses a model outside the tier's supporting models, so only those must fit.
      if (!tier?.supportingModels.includes(name)) continue;
      const reason = await cannotServe(method.method, modelDir);
      if (reason) {
        throw new MinerStartError(
          'MINER_MODEL_CANNOT_SERVE',
          `Model "${name}" cannot serve method "${method.method}" (tier "${tierName}"): ${reason}.`,
          { details: `${dir} (${modelDir.layout}, ${modelDir.dtype})` },
        );
      }
    }
    const adapter =
      entry.adapter && 'dir' in entry.adapter && isHubRef(entry.adapter.dir)
        ? {
            name: adapterNameOf(entry.adapter),
            dir: await resolveModelLocation(entry.adapter.dir, { kind: 'adapter' }),
          }
        : entry.adapter;
    models[name] = { ...entry, base_model_dir: dir, ...(adapter ? { adapter } : {}) };
  }
  return { ...config, models };
}
