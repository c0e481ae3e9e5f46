import { isSignalError } from '../../src/errors/SignalError';
import { assertContextFits, contextLength } from '../../src/tiers/assertContextFits';
import { DEFAULT_SUPPORTING_MODEL, DEFAULT_TIERS } from '../../src/tiers/defaultTiers';
import { getTier } from '../../src/tiers/getTier';
import { loadTiers } from '../../src/tiers/loadTiers';
import type { TierConfig } from '../../src/tiers/TierConfig';
import { TierError } from '../../src/tiers/TierError';

const clone = (): TierConfig[] => DEFAULT_TIERS.map((tier) => ({ ...tier }));

function configError(config: unknown, knownModels?: readonly string[]): TierError {
  try {
    loadTiers(config, { knownModels });
  } catch (error) {
    expect(error).toBeInstanceOf(TierError);
    expect((error as TierError).code).toBe('TIER_CONFIG_INVALID');
    return error as TierError;
  }
  throw new Error('expected loadTiers to throw');
}

describe('default tiers', () => {
  it('match the design table', () => {
    expect(DEFAULT_TIERS.map((t) => [t.name, t.maxContextChars, t.incentive])).toEqual([
      ['research', 2_500, 1],
      ['inference_0', 3_000, 0],
      ['inference_1', 7_000, 0],
      ['long_context', 128_000, 0],
    ]);
    for (const tier of DEFAULT_TIERS) {
      expect(tier.supportingModels).toEqual([DEFAULT_SUPPORTING_MODEL]);
      expect(tier.minCondensedTokens).toBeLessThanOrEqual(tier.maxCondensedTokens);
    }
    expect(DEFAULT_SUPPORTING_MODEL).toBe('mistralai/Mistral-7B-Instruct-v0.2');
  });

  it('give long contexts a tier whose payload cap fits 8 192 float16 tokens of a 7B cache as raw bytes', () => {
    const long = DEFAULT_TIERS.find((t) => t.name === 'long_context')!;
    // At four characters a Mistral token, 128 000 characters are 32 k tokens.
    expect(long.maxContextChars / 4).toBeGreaterThanOrEqual(32_000);
    const fp16Bytes = long.maxCondensedTokens * 32 * 2 * 8 * 128 * 2;
    expect(long.maxPayloadBytes).toBeGreaterThanOrEqual(fp16Bytes);
    // As base64 it would not fit: the JSON route carries this tier only quantized.
    expect(long.maxPayloadBytes).toBeLessThan((fp16Bytes * 4) / 3);
    expect(long.maxCompressionRate).toBeLessThanOrEqual(0.5);
  });

  it('are frozen', () => {
    expect(Object.isFrozen(DEFAULT_TIERS)).toBe(true);
    expect(Object.isFrozen(DEFAULT_TIERS[0])).toBe(true);
  });
});

describe('loadTiers', () => {
  it('accepts a valid table and a swapped-in local model', () => {
    const config = clone().map((tier) => ({ ...tier, supportingModels: ['local/tiny-llama'] }));
    const tiers = loadTiers(config, { knownModels: ['local/tiny-llama'] });
    expect(tiers.map((t) => t.name)).toEqual([
      'research',
      'inference_0',
      'inference_1',
      'long_context',
    ]);
  });

  it('accepts incentives that sum to 1 within rounding', () => {
    const config = clone().map((tier) => ({ ...tier, incentive: 1 / 3 }));
    config.pop();
    expect(() => loadTiers(config)).not.toThrow();
  });

  it('refuses incentives that do not sum to 1', () => {
    const config = clone();
    config[1]!.incentive = 0.5;
    expect(configError(config).details).toMatch(/sum to 1, got 1\.5/);
  });

  it('refuses min above max', () => {
    const tokens = clone();
    tokens[0]!.minCondensedTokens = 600;
    expect(configError(tokens).details).toMatch(/minCondensedTokens \(600\) exceeds/);
    const rates = clone();
    rates[2]!.minCompressionRate = 0.9;
    expect(configError(rates).details).toMatch(/minCompressionRate \(0.9\) exceeds/);
  });

  it('refuses a model the deployment does not know', () => {
    const error = configError(clone(), ['local/tiny-llama']);
    expect(error.details).toMatch(/unknown model "mistralai\/Mistral-7B-Instruct-v0.2"/);
    expect(error.details).toMatch(/supportingModels/);
  });

  it('refuses duplicate names', () => {
    const config = clone();
    config[2]!.name = 'research';
    expect(configError(config).details).toMatch(/duplicate tier name "research"/);
  });

  it('refuses wrong shapes, NaN and empty tables', () => {
    expect(configError('research').details).toBeTruthy();
    expect(configError([]).details).toMatch(/at least one tier/);
    const nan = clone();
    nan[0]!.alpha = Number.NaN;
    expect(configError(nan).details).toMatch(/alpha/);
    const negative = clone();
    negative[0]!.maxPayloadBytes = -1;
    expect(configError(negative).details).toMatch(/maxPayloadBytes/);
    const missing: Partial<TierConfig>[] = clone();
    delete missing[0]!.timeoutSeconds;
    expect(configError(missing).details).toMatch(/timeoutSeconds/);
  });
});

describe('getTier', () => {
  it('finds a tier by name', () => {
    expect(getTier(DEFAULT_TIERS, 'inference_1').maxContextChars).toBe(7_000);
  });

  it('throws TIER_UNKNOWN listing the known tiers', () => {
    try {
      getTier(DEFAULT_TIERS, 'gold');
      throw new Error('expected a throw');
    } catch (error) {
      expect(isSignalError(error, 'TIER_UNKNOWN')).toBe(true);
      expect((error as TierError).message).toMatch(/"gold"/);
      expect((error as TierError).details).toBe(
        'Known tiers: research, inference_0, inference_1, long_context.',
      );
    }
  });
});

describe('assertContextFits', () => {
  const research = getTier(DEFAULT_TIERS, 'research');

  it('accepts a context at the limit and refuses one over it', () => {
    expect(() => assertContextFits(research, 'a'.repeat(2_500))).not.toThrow();
    try {
      assertContextFits(research, 'a'.repeat(2_501));
      throw new Error('expected a throw');
    } catch (error) {
      expect(isSignalError(error, 'TIER_CONTEXT_TOO_LONG')).toBe(true);
      const message = (error as TierError).message;
      expect(message).toMatch(/research/);
      expect(message).toMatch(/2500/);
      expect(message).toMatch(/2501/);
    }
  });

  it('counts code points like Python, not UTF-16 units', () => {
    const emoji = '😀'.repeat(2_500);
    expect(emoji.length).toBe(5_000);
    expect(contextLength(emoji)).toBe(2_500);
    expect(() => assertContextFits(research, emoji)).not.toThrow();
    expect(() => assertContextFits(research, `${emoji}x`)).toThrow(TierError);
    // A lone surrogate is still one code point in Python.
    expect(contextLength('\ud800a')).toBe(2);
  });
});
