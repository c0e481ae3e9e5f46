import { randomInt } from 'node:crypto';
import { ApiError } from '../openai/ApiError';
import { stopList } from '../openai/SamplingFields';
import type { ServeSettings } from './ServeModel';

/** The sampling fields of a chat or text completion request, as `serve` reads them. */
export interface SamplingRequest {
  max_tokens?: number | null | undefined;
  temperature?: number | null | undefined;
  top_p?: number | null | undefined;
  seed?: number | null | undefined;
  stop?: string | string[] | null | undefined;
  n?: number | null | undefined;
}

export interface SettingsLimits {
  promptTokens: number;
  contextLength: number;
  /** Completion length when the request sets none (capped by what the context leaves). */
  defaultMaxTokens: number;
}

/**
 * OpenAI's sampling fields as runtime settings, with OpenAI's defaults (temperature 1,
 * top_p 1, a fresh seed per request unless `seed` is given; `top_p` 0 means greedy). A
 * request the model cannot serve is refused by field: `n` above 1, or a prompt plus
 * `max_tokens` longer than the context (`context_length_exceeded`).
 */
export function serveSettings(request: SamplingRequest, limits: SettingsLimits): ServeSettings {
  if ((request.n ?? 1) !== 1) {
    throw new ApiError('API_INVALID_REQUEST', 'Only n = 1 is supported.', {
      param: 'n',
      openaiCode: 'invalid_value',
    });
  }
  const room = limits.contextLength - limits.promptTokens;
  if (room < 1) {
    throw new ApiError(
      'API_INVALID_REQUEST',
      `The prompt is ${limits.promptTokens} tokens; this model's context is ${limits.contextLength}.`,
      { param: 'messages', openaiCode: 'context_length_exceeded' },
    );
  }
  const asked = request.max_tokens ?? undefined;
  if (asked !== undefined && asked > room) {
    throw new ApiError(
      'API_INVALID_REQUEST',
      `max_tokens ${asked} plus the prompt's ${limits.promptTokens} tokens exceed this model's context of ${limits.contextLength}.`,
      { param: 'max_tokens', openaiCode: 'context_length_exceeded' },
    );
  }
  const topP = request.top_p ?? 1;
  const seed = request.seed ?? randomInt(0, 2 ** 31);
  if (!Number.isSafeInteger(seed)) {
    throw new ApiError('API_INVALID_REQUEST', 'seed must be a safe integer.', {
      param: 'seed',
      openaiCode: 'invalid_value',
    });
  }
  return {
    maxNewTokens: asked ?? Math.min(limits.defaultMaxTokens, room),
    temperature: topP === 0 ? 0 : (request.temperature ?? 1),
    topP: topP === 0 ? 1 : topP,
    seed,
    stopStrings: stopList(request.stop),
  };
}
