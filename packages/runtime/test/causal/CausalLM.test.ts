import { isSignalError } from '@signal/core';
import { type CausalLM, KvCache } from '@signal/runtime';
import { maxAbsDiff, tinyModel } from './tinyModel';

let lm: CausalLM;
let cleanup: () => Promise<void>;
beforeAll(async () => {
  ({ lm, cleanup } = await tinyModel());
});
afterAll(() => cleanup());

const text = 'The quick brown fox jumps over the lazy dog while the cat sleeps.';

describe('CausalLM forward passes', () => {
  it('decodes incrementally with the cache exactly like a full recompute', async () => {
    const ids = lm.tokenizer.encode(text);
    const full = await lm.prefill(ids, { allLogits: true });
    expect(full.logits.positions).toBe(ids.length);
    let { logits, cache } = await lm.prefill(ids.slice(0, 4));
    expect(maxAbsDiff(logits.at(0), full.logits.at(0, 3))).toBeLessThanOrEqual(1e-4);
    for (let i = 4; i < ids.length; i++) {
      ({ logits, cache } = await lm.step(ids[i]!, cache));
      expect(maxAbsDiff(logits.at(0), full.logits.at(0, i))).toBeLessThanOrEqual(1e-4);
    }
    expect(cache.length).toBe(ids.length);
    expect(cache.originalLength).toBe(ids.length);
  });

  it('continues from a keep-everything "pruned" cache exactly as from the full cache', async () => {
    const ids = lm.tokenizer.encode(text);
    const { cache } = await lm.prefill(ids.slice(0, 10));
    const kept = cache.gather(Array.from({ length: cache.length }, (_, i) => i));
    const cont = ids.slice(10);
    const a = await lm.prefill(cont, { cache, allLogits: true });
    const b = await lm.prefill(cont, { cache: kept, allLogits: true });
    expect(maxAbsDiff(a.logits.data, b.logits.data)).toBe(0);
  });

  it('continues from a hand-pruned cache like a full cache with those positions masked', async () => {
    const ids = lm.tokenizer.encode(text);
    const ctx = ids.slice(0, 16);
    const cont = ids.slice(16, 22);
    const { cache } = await lm.prefill(ctx);
    const dropped = new Set([2, 5, 6, 11]);
    const keep = ctx.map((_, i) => i).filter((i) => !dropped.has(i));
    const pruned = cache.gather(keep);
    expect(pruned.length).toBe(12);
    expect(pruned.originalLength).toBe(16);
    const masked = new KvCache({
      ...cache,
      layers: cache.layers,
      mask: Uint8Array.from(ctx, (_, i) => (dropped.has(i) ? 0 : 1)),
    });
    const got = await lm.prefill(cont, { cache: pruned, allLogits: true });
    const want = await lm.prefill(cont, { cache: masked, allLogits: true });
    expect(maxAbsDiff(got.logits.data, want.logits.data)).toBeLessThanOrEqual(1e-4);
    // The continuation's positions really continue from 16: restarting them at 12 differs.
    const renumbered = pruned.withNextPositions([12]);
    const wrong = await lm.prefill(cont, { cache: renumbered, allLogits: true });
    expect(maxAbsDiff(wrong.logits.data, want.logits.data)).toBeGreaterThan(1e-3);
    expect(got.cache.originalLength).toBe(22);
    expect(got.cache.length).toBe(18);
  });

  it('runs a left-padded batch like one prompt at a time', async () => {
    const prompts = ['a', 'hello there, general', 'short one'].map((p) => lm.tokenizer.encode(p));
    const batched = await lm.prefill(prompts);
    expect(batched.cache.batch).toBe(3);
    const next = [7, 8, 9];
    const stepped = await lm.step(next, batched.cache);
    for (let b = 0; b < prompts.length; b++) {
      const single = await lm.prefill(prompts[b]!);
      expect(maxAbsDiff(batched.logits.at(b), single.logits.at(0))).toBeLessThanOrEqual(1e-4);
      const row = batched.cache.row(b);
      expect(row.length).toBe(prompts[b]!.length);
      expect(maxAbsDiff(row.layers[1]!.key, single.cache.layers[1]!.key)).toBeLessThanOrEqual(1e-4);
      const singleStep = await lm.step(next[b]!, single.cache);
      expect(maxAbsDiff(stepped.logits.at(b), singleStep.logits.at(0))).toBeLessThanOrEqual(1e-4);
    }
    expect(stepped.cache.nextPositions).toEqual(prompts.map((p) => p.length + 1));
  });

  it('refuses bad input with typed errors', async () => {
    const cases: [Promise<unknown>, string][] = [
      [lm.prefill([]), 'LM_INVALID_INPUT'],
      [lm.prefill([1, lm.vocabSize]), 'LM_INVALID_INPUT'],
      [lm.prefill([1, 2.5]), 'LM_INVALID_INPUT'],
      [lm.step(3, lm.emptyCache(2)), 'LM_INVALID_INPUT'],
      [lm.step(3, KvCache.empty(1, 1, 2, 16)), 'LM_INVALID_INPUT'],
    ];
    for (const [promise, code] of cases) {
      const error = await promise.catch((e: unknown) => e);
      expect(isSignalError(error, code)).toBe(true);
    }
  });
});

describe('CausalLM generation', () => {
  const prompt = 'Once upon a time';

  it('generates greedily like a manual argmax loop', async () => {
    const result = await lm.generateText(prompt, { maxNewTokens: 12, ignoreEos: true });
    expect(result.tokens).toHaveLength(12);
    expect(result.finishReason).toBe('max_tokens');
    let { logits, cache } = await lm.prefill(lm.tokenizer.encode(prompt));
    const manual: number[] = [];
    for (let i = 0; i < 12; i++) {
      const row = logits.at(0);
      const token = row.indexOf(Math.max(...row));
      manual.push(token);
      ({ logits, cache } = await lm.step(token, cache));
    }
    expect(result.tokens).toEqual(manual);
    expect(result.text).toBe(lm.tokenizer.decode(manual, { skipSpecialTokens: true }));
  });

  it('samples deterministically for a seed', async () => {
    const opts = { maxNewTokens: 16, temperature: 1.2, topK: 50, topP: 0.95, ignoreEos: true };
    const a = await lm.generateText(prompt, { ...opts, seed: 1 });
    const b = await lm.generateText(prompt, { ...opts, seed: 1 });
    const c = await lm.generateText(prompt, { ...opts, seed: 2 });
    expect(b.tokens).toEqual(a.tokens);
    expect(c.tokens).not.toEqual(a.tokens);
  });

  it('streams text deltas that add up to the final text', async () => {
    const chunks = [];
    for await (const chunk of lm.generate(prompt, {
      maxNewTokens: 10,
      ignoreEos: true,
      temperature: 1,
      seed: 4,
    })) {
      chunks.push(chunk);
    }
    const done = chunks.at(-1)!;
    expect(done.type).toBe('done');
    const deltas = chunks.filter((c) => c.type === 'token').map((c) => c.text);
    expect(deltas).toHaveLength(10);
    expect(deltas.join('')).toBe(done.text);
  });

  it('stops at stop tokens and before stop strings', async () => {
    const free = await lm.generateText(prompt, { maxNewTokens: 12, ignoreEos: true });
    const stopToken = free.tokens[5]!;
    const byToken = await lm.generateText(prompt, {
      maxNewTokens: 12,
      ignoreEos: true,
      stopTokens: [stopToken],
    });
    expect(byToken.finishReason).toBe('stop_token');
    expect(byToken.tokens).toEqual(free.tokens.slice(0, free.tokens.indexOf(stopToken)));

    const chars = [...free.text];
    // A stop string of two settled characters (not U+FFFD, which streaming may still rewrite).
    const at = chars.findIndex(
      (c, i) => i >= 3 && c !== '\uFFFD' && chars[i + 1] !== undefined && chars[i + 1] !== '\uFFFD',
    );
    const stop = chars.slice(at, at + 2).join('');
    const byString = await lm.generateText(prompt, {
      maxNewTokens: 12,
      ignoreEos: true,
      stopStrings: [stop],
    });
    expect(byString.finishReason).toBe('stop_string');
    expect(byString.text).toBe(free.text.slice(0, free.text.indexOf(stop)));
  });

  it('never streams a stop string, even one split across tokens', async () => {
    const free = await lm.generateText(prompt, {
      maxNewTokens: 16,
      ignoreEos: true,
      temperature: 1,
      seed: 8,
    });
    const chars = [...free.text];
    // Three settled characters late in the text: likely to span a token boundary.
    const at = chars.findIndex(
      (c, i) =>
        i >= 6 && [c, chars[i + 1], chars[i + 2]].every((x) => x !== undefined && x !== '\uFFFD'),
    );
    const stop = chars.slice(at, at + 3).join('');
    let streamed = '';
    let done: string | undefined;
    for await (const chunk of lm.generate(prompt, {
      maxNewTokens: 16,
      ignoreEos: true,
      temperature: 1,
      seed: 8,
      stopStrings: [stop],
    })) {
      if (chunk.type === 'token') streamed += chunk.text;
      else done = chunk.text;
    }
    expect(done).toBe(free.text.slice(0, free.text.indexOf(stop)));
    expect(streamed).toBe(done);
  });

  it('continues from a given cache', async () => {
    const ids = lm.tokenizer.encode(prompt);
    const { cache } = await lm.prefill(ids.slice(0, -2));
    const continued = await lm.generateText(ids.slice(-2), {
      cache,
      maxNewTokens: 6,
      ignoreEos: true,
    });
    const whole = await lm.generateText(ids, { maxNewTokens: 6, ignoreEos: true });
    expect(continued.tokens).toEqual(whole.tokens);
  });

  it('cancels through an AbortSignal', async () => {
    const controller = new AbortController();
    const seen: number[] = [];
    const run = (async () => {
      for await (const chunk of lm.generate(prompt, {
        maxNewTokens: 50,
        ignoreEos: true,
        signal: controller.signal,
      })) {
        if (chunk.type === 'token') seen.push(chunk.token);
        if (seen.length === 3) controller.abort(new Error('user left'));
      }
    })();
    const error = await run.catch((e: unknown) => e);
    expect(isSignalError(error, 'LM_ABORTED')).toBe(true);
    expect(seen).toHaveLength(3);
  });

  it('rejects invalid generation options', async () => {
    const error = await lm.generateText(prompt, { maxNewTokens: 0 }).catch((e: unknown) => e);
    expect(isSignalError(error, 'LM_INVALID_INPUT')).toBe(true);
    expect((error as Error).message).toContain('maxNewTokens');
  });
});
