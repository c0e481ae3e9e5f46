import {
  argmax,
  type KvCache,
  kvCacheFromPayload,
  kvCacheToPayload,
  RECALL_VALUE_COUNT,
  recallVocabulary,
  SeededRandom,
} from '@signal/runtime';
import { type PlacedPair, recallContext } from './recallContext';
import { type LoadedRecallModel, loadRecallModel } from './recallModel';

const vocabulary = recallVocabulary();
const CONTEXTS = 3;
const LENGTH = 600;
const PAIRS = 8;

let model: LoadedRecallModel;

beforeAll(async () => {
  model = await loadRecallModel();
});
afterAll(async () => {
  await model?.cleanup();
});

/** Every position but `dropped`, in order. */
const keepAllBut = (length: number, dropped: readonly number[]) =>
  Array.from({ length }, (_, i) => i).filter((i) => !dropped.includes(i));

async function answers(cache: KvCache, pair: PlacedPair): Promise<boolean> {
  const { logits } = await model.lm.step(pair.key, cache);
  return argmax(logits.at(0)) === pair.value;
}

describe('the recall model with a pruned KV cache', () => {
  it('fails when the needle is dropped and answers when as many fillers are dropped', async () => {
    const random = new SeededRandom(5);
    let asked = 0;
    let withoutNeedle = 0;
    let withoutFillers = 0;
    let full = 0;
    for (let c = 0; c < CONTEXTS; c++) {
      const context = recallContext(model.lm.tokenizer, vocabulary, {
        length: LENGTH,
        pairs: PAIRS,
        seed: 500 + c,
      });
      const { cache } = await model.lm.prefill(context.ids);
      for (const pair of context.pairs) {
        asked++;
        if (await answers(cache, pair)) full++;

        const needle = [pair.keyPosition, pair.valuePosition];
        const pruned = cache.gather(keepAllBut(LENGTH, needle));
        // Positions continue where the text ended, not where the shorter cache ends.
        expect(pruned.length).toBe(LENGTH - 2);
        expect(pruned.originalLength).toBe(LENGTH);
        if (await answers(pruned, pair)) withoutNeedle++;

        const fillers = [0, 1].map(
          () =>
            context.fillerPositions[Math.floor(random.next() * context.fillerPositions.length)]!,
        );
        if (fillers[0] === fillers[1])
          fillers[1] = context.fillerPositions.find((p) => p !== fillers[0])!;
        if (await answers(cache.gather(keepAllBut(LENGTH, fillers)), pair)) withoutFillers++;
      }
    }
    expect(asked).toBe(CONTEXTS * PAIRS);
    expect(full).toBe(asked);
    expect(withoutNeedle / asked).toBeLessThanOrEqual(1 / RECALL_VALUE_COUNT);
    expect(withoutFillers).toBe(asked);
  }, 30_000);

  it('needs only the value position: the key was already folded into it by layer 1', async () => {
    const context = recallContext(model.lm.tokenizer, vocabulary, {
      length: 200,
      pairs: 4,
      seed: 9,
    });
    const { cache } = await model.lm.prefill(context.ids);
    for (const pair of context.pairs) {
      expect(await answers(cache.gather(keepAllBut(200, [pair.keyPosition])), pair)).toBe(true);
      expect(await answers(cache.gather(keepAllBut(200, [pair.valuePosition])), pair)).toBe(false);
    }
  });

  it('answers from the value position alone, whatever else the cache lost', async () => {
    const context = recallContext(model.lm.tokenizer, vocabulary, {
      length: 300,
      pairs: 6,
      seed: 13,
    });
    const { cache } = await model.lm.prefill(context.ids);
    for (const pair of context.pairs) {
      // Not even the position before the question is left for its previous-token head.
      expect(await answers(cache.gather([0, pair.valuePosition]), pair)).toBe(true);
      expect(await answers(cache.gather([pair.valuePosition]), pair)).toBe(true);
    }
  });

  it('answers from a pruned cache sent as a float16 kv payload, as a validator receives it', async () => {
    const { lm } = model;
    const context = recallContext(lm.tokenizer, vocabulary, { length: 900, pairs: 8, seed: 31 });
    const { cache } = await lm.prefill(context.ids);
    const needles = context.pairs.flatMap((p) => [p.keyPosition, p.valuePosition]);
    // Keep every needle and half of the rest: a 2× condensed context.
    const keep = Array.from({ length: 900 }, (_, i) => i).filter(
      (i) => needles.includes(i) || i % 2 === 0,
    );
    const payload = kvCacheToPayload(cache.gather(keep), { model: 'recall', dtype: 'float16' });
    const { numLayers, kvHeads, headDim } = lm.signature;
    const received = kvCacheFromPayload(payload, { expect: { numLayers, kvHeads, headDim } });
    expect(received.originalLength).toBe(900);
    for (const pair of context.pairs) expect(await answers(received, pair)).toBe(true);
  });
});
