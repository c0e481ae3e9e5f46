import type { KvPressPlan } from '@signal/miner';

/** How a leaderboard method condenses: not at all, with the answers in hand, or with a press. */
export type MethodKind =
  | { readonly kind: 'full' }
  | { readonly kind: 'oracle' }
  | { readonly kind: 'press'; readonly plan: KvPressPlan };

export interface LeaderboardMethodSpec {
  readonly name: string;
  readonly description: string;
  /** Condenses without knowing the questions (every press does; the oracle does not). */
  readonly queryAgnostic: boolean;
  readonly method: MethodKind;
}

const press = (name: string, description: string, plan: KvPressPlan): LeaderboardMethodSpec => ({
  name,
  description,
  queryAgnostic: true,
  method: { kind: 'press', plan },
});
const scorer = (
  name: 'random' | 'knorm' | 'streaming_llm' | 'snapkv' | 'expected_attention' | 'keydiff',
) => ({ kind: 'press', press: name, options: name === 'random' ? { seed: 0 } : {} }) as const;
const kvzip = { kind: 'reconstruction', options: {} } as const;

/** Window of the chunked row: a few windows per research-tier context. */
export const CHUNKED_WINDOW = 256;

/** Every method the leaderboard knows, in table order. */
export const LEADERBOARD_METHODS: readonly LeaderboardMethodSpec[] = [
  {
    name: 'full',
    description: 'The whole context: the ceiling overall (ratio 0).',
    queryAgnostic: true,
    method: { kind: 'full' },
  },
  {
    name: 'oracle',
    description:
      'Keeps exactly the answer-bearing positions (then fillers): the ceiling for any press at that ratio.',
    queryAgnostic: false,
    method: { kind: 'oracle' },
  },
  press('random', 'Seeded uniform scores: the floor.', { scorer: scorer('random') }),
  press('knorm', 'Drops the keys with the largest norm.', { scorer: scorer('knorm') }),
  press('streaming_llm', 'Keeps 4 sink tokens and the most recent ones.', {
    scorer: scorer('streaming_llm'),
  }),
  press('snapkv', "Attention of the context's last 64 queries, pooled (query-agnostic SnapKV).", {
    scorer: scorer('snapkv'),
  }),
  press(
    'expected_attention',
    'Attention expected from a Gaussian model of future queries, × ‖v‖.',
    {
      scorer: scorer('expected_attention'),
    },
  ),
  press('keydiff', 'Keeps the keys least like their head’s mean key (KeyDiff).', {
    scorer: scorer('keydiff'),
  }),
  press(
    'kvzip',
    'Context reconstruction: attention each position receives while the model repeats the context (KVzip).',
    {
      scorer: kvzip,
    },
  ),
  press(
    'adakv(expected_attention)',
    'Expected attention with head-adaptive budgets (AdaKV: one top-k across a layer’s heads).',
    { scorer: scorer('expected_attention'), headBudgets: {} },
  ),
  press('adakv(kvzip)', 'Context reconstruction with head-adaptive budgets.', {
    scorer: kvzip,
    headBudgets: {},
  }),
  press(
    'chunked(kvzip)',
    `Context reconstruction window by window (${CHUNKED_WINDOW} tokens), each window keeping its share.`,
    { scorer: kvzip, prefillWindow: CHUNKED_WINDOW },
  ),
];

export const METHOD_NAMES = LEADERBOARD_METHODS.map((method) => method.name);
