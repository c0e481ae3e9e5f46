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
    f: { method: 'kvzip', ratio: 0.875, prefill_window: 1024 },
    g: { method: 'keydiff', ratio: 0.5 },
  },
});

const plain = {
  format: undefined,
  groupSize: undefined,
  prefillChunk: undefined,
  prefillWindow: undefined,
};

describe('condenserPlan', () => {
  it('maps each tier method onto the condenser options it describes', () => {
    const kv = (ratio: number, scorer: object, encoding: object = plain) => ({
      kind: 'kv',
      ratio,
      scorer,
      encoding,
    });
    expect(condenserPlan(config.tiers.a!)).toEqual(
      kv(
        0.5,
        { kind: 'press', press: 'snapkv', options: { window: 8, kernel: 5 } },
        { ...plain, format: 'int4', groupSize: 64 },
      ),
    );
    expect(condenserPlan(config.tiers.b!)).toEqual(
      kv(
        0.25,
        { kind: 'press', press: 'streaming_llm', options: { sinkTokens: 4 } },
        { ...plain, prefillChunk: 512 },
      ),
    );
    expect(condenserPlan(config.tiers.c!)).toEqual(
      kv(0.5, {
        kind: 'press',
        press: 'expected_attention',
        options: {
          futurePositions: 32,
          sinkTokens: 4,
          useCovariance: true,
          useValueNorm: true,
          epsilon: 0,
        },
      }),
    );
    expect(condenserPlan(config.tiers.f!)).toEqual(
      kv(
        0.875,
        { kind: 'reconstruction', options: { chunkTokens: 512, sinkTokens: 4, overlapTokens: 8 } },
        { ...plain, prefillWindow: 1024 },
      ),
    );
    expect(condenserPlan(config.tiers.g!)).toEqual(
      kv(0.5, { kind: 'press', press: 'keydiff', options: {} }),
    );
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
    if (plan.kind !== 'kv' || plan.scorer.kind !== 'press' || plan.scorer.press !== 'snapkv') {
      throw new Error('expected a snapkv plan');
    }
    const layer = { keys: randomTensor([1, 20, 4], 1), queries: randomTensor([2, 8, 4], 2) };
    const { press, options } = plan.scorer;
    expect(runPress({ press, layers: [layer], ratio: plan.ratio, options }).kept).toBe(10);
    const text = condenserPlan(config.tiers.d!);
    if (text.kind !== 'text') throw new Error('expected a text plan');
    const result = compressText(
      { tokens: ['A', '.', ' B', '.'], logprobs: [-1, -1, -5, -1] },
      { ratio: text.ratio, ...text.options },
    );
    expect(result.text).toBe(' B.');
  });
});
