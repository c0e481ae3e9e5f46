import { TextStream } from '../tokenizer/TextStream';
import type { CausalLM } from './CausalLM';
import { CausalLMError } from './CausalLMError';
import {
  type GenerationChunk,
  type GenerationOptions,
  type GenerationSettings,
  GenerationSettingsSchema,
} from './GenerationOptions';
import { SeededRandom } from './SeededRandom';
import { sampleToken } from './sampleToken';

export type {
  FinishReason,
  GenerationChunk,
  GenerationOptions,
  GenerationResult,
} from './GenerationOptions';

/**
 * The decode loop: prefill the prompt (on top of `options.cache` if given), then sample and
 * step one token at a time. Text is released in deltas, holding back any tail that could
 * still become a stop string or an incomplete UTF-8 character. The final `done` chunk
 * carries the full text and the cache, so callers can continue the conversation.
 * With `streamText` false (the non-streaming convenience) token chunks carry no text.
 */
export async function* generateStream(
  lm: CausalLM,
  input: string | readonly number[],
  options: GenerationOptions,
  streamText = true,
): AsyncGenerator<GenerationChunk> {
  const settings = parseSettings(options);
  const { signal } = options;
  const ids =
    typeof input === 'string'
      ? lm.tokenizer.encode(input, { addSpecialTokens: settings.addSpecialTokens })
      : input;
  const stopTokens = new Set([
    ...settings.stopTokens,
    ...(settings.ignoreEos ? [] : lm.eosTokenIds),
  ]);
  const random = new SeededRandom(settings.seed);
  const text = new TextStream(lm.tokenizer, settings.skipSpecialTokens);
  // Without streaming and stop strings, the text is decoded once at the end instead of per token.
  const trackText = streamText || settings.stopStrings.length > 0;
  const generated: number[] = [];
  const finalText = () =>
    trackText
      ? text.fullText
      : lm.tokenizer.decode(generated, { skipSpecialTokens: settings.skipSpecialTokens });
  const extra = options.extraFeeds ? { extraFeeds: options.extraFeeds } : {};

  checkAbort(signal);
  let { logits, cache } = await lm.prefill(ids, {
    ...(options.cache ? { cache: options.cache } : {}),
    ...extra,
  });
  for (let produced = 0; ; produced++) {
    checkAbort(signal);
    const token = sampleToken(logits.at(0, -1), settings, random);
    if (stopTokens.has(token)) {
      yield { type: 'done', text: finalText(), finishReason: 'stop_token', cache };
      return;
    }
    generated.push(token);
    const last = produced + 1 >= settings.maxNewTokens;
    if (trackText) {
      const full = text.push(token);
      const stopAt = firstStop(full, settings.stopStrings);
      if (stopAt !== undefined) {
        yield { type: 'token', token, text: text.flush(stopAt) };
        yield { type: 'done', text: full.slice(0, stopAt), finishReason: 'stop_string', cache };
        return;
      }
      yield {
        type: 'token',
        token,
        text: last ? text.flush() : text.take(holdBack(full, settings.stopStrings)),
      };
    } else {
      yield { type: 'token', token, text: '' };
    }
    if (last) {
      // The cache covers the prompt and every token but the last, which was never fed.
      yield { type: 'done', text: finalText(), finishReason: 'max_tokens', cache };
      return;
    }
    checkAbort(signal);
    ({ logits, cache } = await lm.step(token, cache, options.extraFeeds));
  }
}

function parseSettings(options: GenerationOptions): GenerationSettings {
  const { signal: _signal, cache: _cache, extraFeeds: _extra, ...rest } = options;
  const parsed = GenerationSettingsSchema.safeParse(rest);
  if (!parsed.success) {
    throw new CausalLMError('LM_INVALID_INPUT', 'invalid generation options', {
      details: parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; '),
      cause: parsed.error,
    });
  }
  return parsed.data;
}

function checkAbort(signal: AbortSignal | undefined): void {
  if (signal?.aborted) {
    throw new CausalLMError('LM_ABORTED', 'generation was aborted', { cause: signal.reason });
  }
}

/** Index of the earliest stop string in `text` (decoding may rewrite earlier text, so search it all). */
function firstStop(text: string, stops: readonly string[]): number | undefined {
  let best: number | undefined;
  for (const stop of stops) {
    const at = text.indexOf(stop);
    if (at >= 0 && (best === undefined || at < best)) best = at;
  }
  return best;
}

/** Length of the longest suffix of `text` that is a proper prefix of a stop string. */
function holdBack(text: string, stops: readonly string[]): number {
  let longest = 0;
  for (const stop of stops) {
    for (let n = Math.min(stop.length - 1, text.length); n > longest; n--) {
      if (text.endsWith(stop.slice(0, n))) {
        longest = n;
        break;
      }
    }
  }
  return longest;
}
