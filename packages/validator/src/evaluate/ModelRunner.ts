import { argmax, type CausalLM, type KvCache, logProb } from '@signal/runtime';
import type { Conditioning } from './Conditioning';
import { EvaluateError } from './EvaluateError';
import type { TokenEmbedder } from './TokenEmbedder';

function concat(a: Float32Array, b: Float32Array): Float32Array {
  const out = new Float32Array(a.length + b.length);
  out.set(a);
  out.set(b, a.length);
  return out;
}

function embedsUnsupported(): EvaluateError {
  return new EvaluateError('EVAL_INPUT_MISMATCH', 'Input embeddings and this graph do not match.', {
    details: 'embeddings need a decoder that takes inputs_embeds and an onnx/embed_tokens.onnx',
  });
}

/**
 * Runs the target model after a conditioning, whichever input its graph takes: token ids go
 * through the runtime's scoring and generation; a graph that takes `inputs_embeds` gets every
 * token embedded first, so soft payloads and token inputs mix in one sequence.
 */
export class ModelRunner {
  constructor(
    readonly lm: CausalLM,
    private readonly embedder: TokenEmbedder | undefined,
  ) {}

  get takesEmbeds(): boolean {
    return this.lm.signature.inputsEmbeds;
  }

  /** log P(rest[i] | conditioning, first, rest[<i]) for every i. */
  async continuationLogProbs(
    conditioning: Conditioning,
    first: number,
    rest: readonly number[],
  ): Promise<Float64Array> {
    if (!this.takesEmbeds) {
      if (conditioning.kind === 'embeds') throw embedsUnsupported();
      const context = conditioning.kind === 'cache' ? conditioning.cache : conditioning.ids;
      return (await this.lm.scoreContinuation(context, rest, { prompt: [first] })).logProbs;
    }
    const fed = [first, ...rest.slice(0, -1)];
    const { logits } = await this.#feed(conditioning, fed, rest.length);
    const out = new Float64Array(rest.length);
    for (let j = 0; j < rest.length; j++) out[j] = logProb(logits.at(0, j - rest.length), rest[j]!);
    return out;
  }

  /** Greedy completion of `prompt` after the conditioning, cut at the first newline. */
  async answer(
    conditioning: Conditioning,
    prompt: readonly number[],
    maxTokens: number,
  ): Promise<string> {
    const settings = { maxNewTokens: maxTokens, temperature: 0, stopStrings: ['\n'] };
    if (!this.takesEmbeds) {
      if (conditioning.kind === 'embeds') throw embedsUnsupported();
      const result =
        conditioning.kind === 'cache'
          ? await this.lm.generateText(prompt, { ...settings, cache: conditioning.cache })
          : await this.lm.generateText([...conditioning.ids, ...prompt], settings);
      return result.text;
    }
    const eos = new Set(this.lm.eosTokenIds);
    let { logits, cache } = await this.#feed(conditioning, prompt, 1);
    const tokens: number[] = [];
    for (let i = 0; i < maxTokens; i++) {
      const token = argmax(logits.at(0, -1));
      if (eos.has(token)) break;
      tokens.push(token);
      const text = this.lm.tokenizer.decode(tokens, { skipSpecialTokens: true });
      const newline = text.indexOf('\n');
      if (newline >= 0) return text.slice(0, newline);
      if (i + 1 === maxTokens) break;
      ({ logits, cache } = await this.#forwardEmbeds(await this.#embed([token]), 1, cache, 1));
    }
    return this.lm.tokenizer.decode(tokens, { skipSpecialTokens: true });
  }

  /** The model's own greedy continuation after the conditioning, `count` tokens, EOS ignored. */
  async greedyTokens(conditioning: Conditioning, count: number): Promise<number[]> {
    if (!this.takesEmbeds) {
      if (conditioning.kind === 'embeds') throw embedsUnsupported();
      const settings = { maxNewTokens: count, temperature: 0, ignoreEos: true };
      const result =
        conditioning.kind === 'cache'
          ? await this.lm.generateText([], { ...settings, cache: conditioning.cache })
          : await this.lm.generateText(conditioning.ids, settings);
      return result.tokens;
    }
    let { logits, cache } = await this.#feed(conditioning, [], 1);
    const tokens: number[] = [];
    while (tokens.length < count) {
      const token = argmax(logits.at(0, -1));
      tokens.push(token);
      if (tokens.length < count) {
        ({ logits, cache } = await this.#forwardEmbeds(await this.#embed([token]), 1, cache, 1));
      }
    }
    return tokens;
  }

  async #embed(ids: readonly number[]): Promise<Float32Array> {
    if (!this.embedder) throw embedsUnsupported();
    return this.embedder.embed(ids);
  }

  /** Feeds the conditioning (unless it is a cache) and `ids` as embeddings in one pass. */
  async #feed(conditioning: Conditioning, ids: readonly number[], keep: number) {
    const tail = await this.#embed(ids);
    if (conditioning.kind === 'cache') {
      return this.#forwardEmbeds(tail, ids.length, conditioning.cache, keep);
    }
    const head =
      conditioning.kind === 'embeds' ? conditioning.data : await this.#embed(conditioning.ids);
    const headRows = conditioning.kind === 'embeds' ? conditioning.rows : conditioning.ids.length;
    return this.#forwardEmbeds(
      concat(head, tail),
      headRows + ids.length,
      this.lm.emptyCache(1),
      keep,
    );
  }

  #forwardEmbeds(data: Float32Array, seq: number, cache: KvCache, keep: number) {
    return this.lm.forward({ embeds: { data, batch: 1, seq }, cache, logitsToKeep: keep });
  }
}
