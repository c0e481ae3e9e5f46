import { compressText, condenserPlan, parseMinerConfig, runPress } from '@signal/miner';
import { randomTensor } from '../presses/helpers';

const config = parseMinerConfig({
  models: { m: { base_model_dir: '/m' } },
  tiers: {
    a: { method: 'snapkv', ratio: 0.5, window: 8, kv_format: 'int4', kv_group_size: 64 },
    b: { method: 'streaming_llm', ratio: 0.25, prefill_chunk: 512 },
    c: { method: 'expected_attention', ratio: 0.5, future_positions: 32 },
    d: { method: 'text', ratio: 0.5, granularity: 'sentence', force: { punctuation: false } },
    e: { method: 'soft', ratio: 0.75 },
  },
});

describe('condenserPlan', () => {
  it('maps each tier method onto the condenser options it describes', () => {
    expect(condenserPlan(config.tiers.a!)).toEqual({
      kind: 'kv',
      press: 'snapkv',
      ratio: 0.5,
      options: { window: 8, kernel: 5 },
      encoding: { format: 'int4', groupSize: 64, prefillChunk: undefined },
    });
    expect(condenserPlan(config.tiers.b!)).toEqual({
      kind: 'kv',
      press: 'streaming_llm',
      ratio: 0.25,
      options: { sinkTokens: 4 },
      encoding: { format: undefined, groupSize: undefined, prefillChunk: 512 },
    });
    expect(condenserPlan(config.tiers.c!)).toEqual({
      kind: 'kv',
      press: 'expected_attention',
      ratio: 0.5,
      options: {
        futurePositions: 32,
        sinkTokens: 4,
        useCovariance: true,
        useValueNorm: true,
        epsilon: 0,
      },
      encoding: { format: undefined, groupSize: undefined, prefillChunk: undefined },
    });
    expect(condenserPlan(config.tiers.d!)).toEqual({
      kind: 'text',
      ratio: 0.5,
      options: {
        granularity: 'sentence',
        aggregate: 'mean',
        force: { newlines: true, digits: true, punctuation: false },
      },
    });
    expect(condenserPlan(config.tiers.e!)).toEqual({ kind: 'soft', ratio: 0.75 });
  });

  it('refuses a kv format on a tier that does not condense a cache', () => {
    expect(() =>
      parseMinerConfig({
        models: { m: { base_model_dir: '/m' } },
        tiers: { t: { method: 'text', ratio: 0.5, kv_format: 'int8' } },
      }),
    ).toThrow(/kv_format/);
  });

  it('yields options the condensers accept as they are', () => {
    const plan = condenserPlan(config.tiers.a!);
    if (plan.kind !== 'kv' || plan.press !== 'snapkv') throw new Error('expected a snapkv plan');
    const layer = { keys: randomTensor([1, 20, 4], 1), queries: randomTensor([2, 8, 4], 2) };
    expect(
      runPress({ press: plan.press, layers: [layer], ratio: plan.ratio, options: plan.options })
        .kept,
    ).toBe(10);
    const text = condenserPlan(config.tiers.d!);
    if (text.kind !== 'text') throw new Error('expected a text plan');
    const result = compressText(
      { tokens: ['A', '.', ' B', '.'], logprobs: [-1, -1, -5, -1] },
      { ratio: text.ratio, ...text.options },
    );
    expect(result.text).toBe(' B.');
  });
});
