import type { TierMethod } from '@signal/miner';

/** One devnet miner: its wallet name and the condenser every tier of it runs. */
export interface DevnetMiner {
  readonly name: string;
  readonly method: TierMethod;
  /** The deliberately poor miner, there to show the validator tells it apart. */
  readonly poor: boolean;
}

/**
 * Honest condensers in the order miners take them: the KV presses drop 30 % of the cache
 * (a recall context has few tokens to spare), text compression half the words.
 */
const HONEST: readonly TierMethod[] = [
  { method: 'snapkv', ratio: 0.3, window: 4, kernel: 3 },
  {
    method: 'expected_attention',
    ratio: 0.3,
    future_positions: 8,
    sink_tokens: 4,
    use_covariance: true,
    use_value_norm: true,
    epsilon: 0,
  },
  {
    method: 'text',
    ratio: 0.5,
    granularity: 'word',
    aggregate: 'mean',
    force: { newlines: true, digits: true, punctuation: true },
  },
  { method: 'streaming_llm', ratio: 0.3, sink_tokens: 4 },
  { method: 'knorm', ratio: 0.3 },
];

/** Keeps a random tenth of the cache: cheap to serve, and it forgets most of the context. */
const POOR: TierMethod = { method: 'random', ratio: 0.9, seed: 7 };

/**
 * `honest` miners with distinct condensers (snapkv, expected_attention, text,
 * streaming_llm, knorm, then the same methods pruning less), plus the poor one last.
 */
export function minerLineup(honest: number): DevnetMiner[] {
  const miners = Array.from({ length: honest }, (_, i): DevnetMiner => {
    const base = HONEST[i % HONEST.length]!;
    const round = Math.floor(i / HONEST.length);
    // A second lap keeps configurations distinct by pruning 0.1 less each time.
    const method = { ...base, ratio: Math.max(0.1, base.ratio - 0.1 * round) } as TierMethod;
    return { name: `miner-${i + 1}`, method, poor: false };
  });
  return [...miners, { name: 'miner-poor', method: POOR, poor: true }];
}
