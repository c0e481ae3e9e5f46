import { BINARY_ROUTE_LIMIT, FRAME_VERSION, type MetadataSynapse } from '@signal/core';
import type { MinerContext } from './MinerContext';

/**
 * Answers `Metadata`: the tier this miner competes in (the first it serves), its models,
 * the adapters it has activated so far, its condenser methods and its limits, including
 * `binary_route` (the payload-frame version its `/Condense/binary` route speaks) and each
 * KV tier's `kv_format`.
 */
export function metadataHandler(miner: MinerContext) {
  return (synapse: MetadataSynapse): MetadataSynapse => {
    const { config } = miner;
    const tiers = Object.entries(config.tiers);
    const limits: MetadataSynapse['limits'] = {
      max_concurrency: config.limits.max_concurrency,
      queue_size: config.limits.queue_size,
      max_new_tokens: config.limits.max_new_tokens,
      rate_limit_per_epoch: config.limits.rate_limit_per_epoch,
      min_validator_stake_rao: config.limits.min_validator_stake.toString(),
      payload_dtype: config.payload_dtype,
      [BINARY_ROUTE_LIMIT]: FRAME_VERSION,
    };
    for (const [name, method] of tiers) {
      const tier = miner.tiers.find((t) => t.name === name);
      limits[`${name}.method`] = method.method;
      limits[`${name}.ratio`] = method.ratio;
      if ('kv_format' in method && method.kv_format) limits[`${name}.kv_format`] = method.kv_format;
      if (tier) limits[`${name}.max_context_chars`] = tier.maxContextChars;
    }
    return {
      ...synapse,
      tier: tiers[0]?.[0] ?? null,
      models: Object.keys(config.models),
      adapters: [...miner.adapters],
      methods: [...new Set(tiers.map(([, method]) => method.method))],
      limits,
    };
  };
}
