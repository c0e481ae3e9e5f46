import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  type KvPressPlan,
  keptCount,
  PressInputError,
  pressCache,
  ReconstructionAttention,
  reconstructionScores,
  windowShares,
} from '@signal/miner';
import {
  buildModel,
  CausalLM,
  type KvCache,
  recallVocabulary,
  SeededRandom,
} from '@signal/runtime';

const vocabulary = recallVocabulary();
let root: string;
let lm: CausalLM;
let attention: ReconstructionAttention;

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'signal-press-cache-'));
  const built = await buildModel({
    arch: 'llama',
    preset: 'recall',
    outDir: join(root, 'recall'),
    exposeQueries: true,
  });
  lm = await CausalLM.load(built.dir, { session: { intraOpThreads: 1, interOpThreads: 1 } });
  attention = await ReconstructionAttention.create({ intraOpThreads: 1, interOpThreads: 1 });
}, 60_000);

afterAll(async () => {
  await attention?.dispose();
  await lm?.dispose();
  await rm(root, { recursive: true, force: true });
});

interface Pair {
  key: string;
  value: string[];
  /** Token positions of the value words (BOS is position 0). */
  positions: number[];
}

/** `pairs` key/value pairs (two value words each) among filler runs, `words` words in all. */
function pairsContext(
  seed: number,
  pairs: number,
  words: number,
): { ids: number[]; pairs: Pair[] } {
  const random = new SeededRandom(seed);
  const pick = <T>(items: readonly T[]) => items[Math.floor(random.next() * items.length)]!;
  const keys = [...vocabulary.keys].sort(() => random.next() - 0.5).slice(0, pairs);
  const values = [...vocabulary.values].sort(() => random.next() - 0.5).slice(0, 2 * pairs);
  const text: string[] = [];
  const placed: Pair[] = [];
  const every = Math.floor(words / pairs);
  for (let i = 0; i < pairs; i++) {
    while (text.length < i * every + Math.floor(random.next() * (every - 4))) {
      text.push(pick(vocabulary.fillers));
    }
    const value = values.slice(2 * i, 2 * i + 2);
    placed.push({ key: keys[i]!, value, positions: [text.length + 2, text.length + 3] });
    text.push(keys[i]!, ...value, pick(vocabulary.separators));
  }
  while (text.length < words) text.push(pick(vocabulary.fillers));
  return { ids: lm.tokenizer.encode(text.join(' ')), pairs: placed };
}

/** Whether greedy decoding after `key` on top of the cache gives the pair's value words. */
async function answers(cache: KvCache, pair: Pair): Promise<boolean> {
  const prompt = lm.tokenizer.encode(pair.key, { addSpecialTokens: false });
  const { text } = await lm.generateText(prompt, { cache, maxNewTokens: 2 });
  return text.trim() === pair.value.join(' ');
}

const plan = (overrides: Partial<KvPressPlan> = {}): KvPressPlan => ({
  scorer: { kind: 'reconstruction', options: { chunkTokens: 128 } },
  ...overrides,
});

describe('the reconstruction press (KVzip) on the recall model', () => {
  it('scores the answer-bearing positions above everything else the induction head caches', async () => {
    const { ids, pairs } = pairsContext(1, 8, 300);
    const prefill = await lm.prefill(ids);
    const scores = await reconstructionScores({
      lm,
      cache: prefill.cache,
      tokens: ids,
      attention,
      options: { chunkTokens: 100 },
    });
    expect(scores).toHaveLength(2);
    // Layer 2, head 0 (the induction head): re-reading each key and value token attends to
    // the position after it, so its top 24 are every value word and the separator after it.
    const head = Array.from(scores[1]!.data.subarray(0, ids.length));
    const ranked = head
      .map((score, position) => ({ score, position }))
      .sort((a, b) => b.score - a.score);
    const sinks = 4;
    const top = ranked
      .slice(sinks, sinks + 24)
      .map((r) => r.position)
      .sort((a, b) => a - b);
    expect(top).toEqual(
      pairs.flatMap((p) => [...p.positions, p.positions[1]! + 1]).sort((a, b) => a - b),
    );
  });

  it('keeps exactly the budget per head and answers every pair at 8× compression', async () => {
    const { ids, pairs } = pairsContext(2, 8, 400);
    for (const ratio of [0.75, 0.875]) {
      const kept = keptCount(ids.length, ratio);
      const { cache } = await pressCache({
        lm,
        model: 'recall',
        ids,
        plan: plan(),
        kept,
        reconstruction: attention,
      });
      expect(cache.length).toBe(kept);
      expect(cache.originalLength).toBe(ids.length);
      for (const pair of pairs) expect(await answers(cache, pair)).toBe(true);
    }
  });

  it('prefills window by window, keeping each window’s exact share and still answering', async () => {
    const { ids, pairs } = pairsContext(3, 8, 500);
    const kept = keptCount(ids.length, 0.75);
    const { cache } = await pressCache({
      lm,
      model: 'recall',
      ids,
      plan: plan({ prefillWindow: 128 }),
      kept,
      reconstruction: attention,
    });
    expect(cache.length).toBe(kept);
    expect(cache.originalLength).toBe(ids.length);
    let right = 0;
    for (const pair of pairs) if (await answers(cache, pair)) right++;
    // A pair cut by a window boundary loses its value's previous token: at most one per boundary.
    expect(right).toBeGreaterThanOrEqual(pairs.length - Math.ceil(ids.length / 128) + 1);
  });

  it('with head budgets pads narrow heads with zero entries and answers the same', async () => {
    const { ids, pairs } = pairsContext(4, 8, 400);
    const kept = keptCount(ids.length, 0.875);
    const { cache } = await pressCache({
      lm,
      model: 'recall',
      ids,
      plan: plan({ headBudgets: { safeguard: 0.2 } }),
      kept,
      reconstruction: attention,
    });
    expect(cache.length).toBeGreaterThan(kept);
    expect(cache.length).toBeLessThanOrEqual(2 * kept);
    for (const pair of pairs) expect(await answers(cache, pair)).toBe(true);
    await expect(
      pressCache({
        lm,
        model: 'recall',
        ids,
        plan: plan({ headBudgets: {}, prefillWindow: 64 }),
        kept,
        reconstruction: attention,
      }),
    ).rejects.toThrow(PressInputError);
  });

  it('runs any tensor press window by window too, keeping exactly the budget', async () => {
    const { ids } = pairsContext(5, 4, 300);
    for (const press of ['knorm', 'keydiff', 'snapkv', 'random'] as const) {
      const kept = keptCount(ids.length, 0.5);
      const { cache } = await pressCache({
        lm,
        model: 'recall',
        ids,
        plan: { scorer: { kind: 'press', press, options: {} }, prefillWindow: 100 },
        kept,
      });
      expect(cache.length).toBe(kept);
    }
  });
});

describe('windowShares', () => {
  it('splits a budget over windows in proportion, exactly, never more than a window holds', () => {
    expect(windowShares(10, 4, 5)).toEqual([2, 2, 1]);
    expect(windowShares(10, 4, 10)).toEqual([4, 4, 2]);
    expect(windowShares(9, 3, 1)).toEqual([1, 0, 0]);
    for (const [length, window, kept] of [
      [1000, 128, 125],
      [777, 100, 97],
      [5, 10, 3],
    ] as const) {
      const shares = windowShares(length, window, kept);
      expect(shares.reduce((a, b) => a + b, 0)).toBe(kept);
      for (const [i, share] of shares.entries()) {
        expect(share).toBeLessThanOrEqual(Math.min(window, length - i * window));
      }
    }
    expect(() => windowShares(10, 4, 11)).toThrow(PressInputError);
  });
});
