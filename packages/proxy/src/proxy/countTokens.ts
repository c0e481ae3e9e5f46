/** Counts the tokens of a text; exact with the upstream model's tokenizer, estimated without. */
export type TokenCounter = (text: string) => number;

/**
 * OpenAI's rule of thumb, about four characters per token of English: what the proxy uses
 * to find long parts when it is given no tokenizer. The subnet's miners report the exact
 * counts under the target tokenizer, and those are what the response headers carry.
 */
export const estimateTokens: TokenCounter = (text) => Math.ceil(text.length / 4);
