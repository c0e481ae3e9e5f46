import { readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { isSignalError } from '@signal/core';
import { CausalLM, derivedModelDir, type KvCache } from '@signal/runtime';
import { layoutRoot, maxAbsDiff, SESSION } from '../layouts/layoutFixtures';

let fixture: Awaited<ReturnType<typeof layoutRoot>>;
let gqa: CausalLM;
let exported: CausalLM;
let twin: CausalLM;

const CONTEXT = 'The courier left the depot at dawn with fourteen parcels for the hill farms.';
const ANSWER = ' She came back by noon.';
const PROMPT = ' Question:';

beforeAll(async () => {
  fixture = await layoutRoot();
  const genai = await fixture.build('genai', { layout: 'genai' });
  // Same seed, projections rounded through the same int4 blocks, optimum layout and ops.
  const optimum = await fixture.build('twin', { layout: 'optimum', roundWeights: 'int4' });
  gqa = await CausalLM.load(genai.dir, { session: SESSION });
  exported = await CausalLM.load(genai.dir, { session: SESSION, positions: 'as-exported' });
  twin = await CausalLM.load(optimum.dir, { session: SESSION });
}, 60_000);
afterAll(async () => {
  await Promise.all([gqa, exported, twin].map((lm) => lm?.dispose()));
  await fixture?.cleanup();
});

const ids = (lm: CausalLM) => ({
  context: lm.tokenizer.encode(CONTEXT),
  answer: lm.tokenizer.encode(ANSWER, { addSpecialTokens: false }),
  prompt: lm.tokenizer.encode(PROMPT, { addSpecialTokens: false }),
});

/** Every other position, and always the last: ratio 0.5. */
const half = (cache: KvCache) =>
  Array.from({ length: cache.length }, (_, i) => i).filter(
    (i) => i % 2 === 1 || i === cache.length - 1,
  );

describe('pruned caches on GroupQueryAttention graphs', () => {
  it('loads the rewritten graph: rotary on explicit position_ids, cached beside the model', async () => {
    expect(exported.signature).toMatchObject({
      rotary: 'inside-attention-op',
      positions: 'derived',
      supportsPrunedCache: false,
    });
    expect(gqa.signature).toMatchObject({
      rotary: 'rotary-embedding-op',
      supportsPrunedCache: true,
    });
    const source = join(fixture.root, 'genai');
    expect(gqa.modelDir.dir).toBe(derivedModelDir(source, 'positions-model'));
    // A second load reuses the copy instead of rewriting it.
    const before = await stat(gqa.modelDir.modelPath);
    const again = await CausalLM.load(source, { session: SESSION });
    expect((await stat(again.modelDir.modelPath)).mtimeMs).toBe(before.mtimeMs);
    await again.dispose();
    // The weights are shared with the source, not copied.
    const data = await stat(join(gqa.modelDir.dir, 'model.onnx.data'));
    expect(data.ino).toBe((await stat(join(source, 'model.onnx.data'))).ino);
    const manifest = JSON.parse(
      await readFile(join(gqa.modelDir.dir, 'signal_positions.json'), 'utf8'),
    );
    expect(manifest.source.modelPath).toBe(join(source, 'model.onnx'));
  });

  it('at ratio 0 the cache continues exactly like the full context', async () => {
    const { context, answer } = ids(gqa);
    const { cache } = await gqa.prefill(context);
    const fromCache = await gqa.scoreContinuation(cache, answer);
    const fromText = await gqa.scoreContinuation(context, answer);
    expect(maxAbsDiff(fromCache.logProbs, fromText.logProbs)).toBeLessThan(1e-4);
    // And like the graph as exported, rotary inside the op.
    const asExported = await exported.scoreContinuation(context, answer);
    expect(maxAbsDiff(fromText.logProbs, asExported.logProbs)).toBeLessThan(1e-4);
  });

  it('at ratio 0.5 the pruned cache continues exactly like the optimum twin of the same weights', async () => {
    const { context, answer, prompt } = ids(gqa);
    const { cache } = await gqa.prefill(context);
    const pruned = cache.gather(half(cache));
    const twinCache = (await twin.prefill(context)).cache;
    const twinPruned = twinCache.gather(half(twinCache));
    expect(pruned.length).toBe(Math.ceil(context.length / 2));
    expect(pruned.originalLength).toBe(context.length);
    const ours = await gqa.scoreContinuation(pruned, answer, { prompt });
    const reference = await twin.scoreContinuation(twinPruned, answer, { prompt });
    expect(maxAbsDiff(ours.logProbs, reference.logProbs)).toBeLessThan(1e-4);
    // Pruning changed the answer's log-probs: the match above is not the full context's.
    const full = await twin.scoreContinuation([...context, ...prompt], answer);
    expect(maxAbsDiff(full.logProbs, reference.logProbs)).toBeGreaterThan(1e-3);
    // Generation from the pruned cache follows the twin's greedy tokens.
    const a = await gqa.generateText(prompt, { cache: pruned, maxNewTokens: 8, ignoreEos: true });
    const b = await twin.generateText(prompt, {
      cache: twinPruned,
      maxNewTokens: 8,
      ignoreEos: true,
    });
    expect(a.tokens).toEqual(b.tokens);
  });

  it('the graph as exported refuses a pruned cache, naming why', async () => {
    const { context, answer, prompt } = ids(exported);
    const { cache } = await exported.prefill(context);
    const error = await exported
      .scoreContinuation(cache.gather(half(cache)), answer, { prompt })
      .catch((e: unknown) => e);
    expect(isSignalError(error, 'LM_PRUNED_CACHE_UNSUPPORTED')).toBe(true);
  });

  it('refuses left-padded rows, which GroupQueryAttention would attend', async () => {
    const { context } = ids(gqa);
    const error = await gqa.prefill([context.slice(0, 4), context]).catch((e: unknown) => e);
    expect(isSignalError(error, 'LM_PADDING_UNSUPPORTED')).toBe(true);
    const same = await gqa.prefill([context, context]);
    const single = await gqa.prefill(context);
    expect(maxAbsDiff(same.logits.at(1), single.logits.at(0))).toBeLessThan(1e-4);
  });
});

describe('derivedModelDir', () => {
  it('puts copies of hub-cache snapshots under SIGNAL_CACHE, never inside snapshots/', () => {
    const commit = 'a'.repeat(40);
    const env = { SIGNAL_CACHE: '/var/signal' };
    expect(
      derivedModelDir(
        `/hf/hub/models--org--name/snapshots/${commit}/cpu-int4`,
        'positions-model',
        env,
      ),
    ).toBe(`/var/signal/derived/models--org--name--${commit}--cpu-int4-positions-model`);
    expect(derivedModelDir('/models/tiny', 'positions-model', env)).toBe(
      '/models/tiny-positions-model',
    );
  });
});
