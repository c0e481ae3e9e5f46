import type { TextTokenizer } from '@signal/runtime';
import { ApiError } from '../openai/ApiError';
import type { CompletionRequest } from '../openai/CompletionRequest';

/**
 * A text completion's prompt as ids: a string is encoded with the tokenizer's special tokens
 * (BOS) unless a condensed context already began the sequence; token ids are taken as they
 * are. One prompt per request, as `n = 1`.
 */
export function completionPromptIds(
  tokenizer: TextTokenizer,
  prompt: CompletionRequest['prompt'],
  afterCondensed: boolean,
): number[] {
  const single = (): string | number[] => {
    if (typeof prompt === 'string') return prompt;
    if (prompt.length === 0) throw one('an empty prompt array');
    if (typeof prompt[0] === 'number') return prompt as number[];
    if (prompt.length > 1) throw one(`${prompt.length} prompts`);
    return prompt[0] as string | number[];
  };
  const value = single();
  if (typeof value !== 'string') {
    if (value.length === 0) throw one('an empty token list');
    const outside = value.find((id) => id >= tokenizer.vocabSize);
    if (outside !== undefined) {
      throw new ApiError('API_INVALID_REQUEST', `Token id ${outside} is outside the vocabulary.`, {
        details: `ids must be below ${tokenizer.vocabSize}.`,
        param: 'prompt',
        openaiCode: 'invalid_value',
      });
    }
    return value;
  }
  const ids = tokenizer.encode(value, { addSpecialTokens: !afterCondensed });
  if (ids.length === 0) throw one('a prompt with no tokens');
  return ids;
}

function one(got: string): ApiError {
  return new ApiError(
    'API_INVALID_REQUEST',
    `Exactly one non-empty prompt is supported; got ${got}.`,
    {
      param: 'prompt',
      openaiCode: 'invalid_value',
    },
  );
}
