/** Which kinds of token the text compressor never drops. */
export interface ForcedTokenRules {
  /** Tokens containing a line break: they carry a document's layout. */
  newlines: boolean;
  /** Tokens containing a decimal digit: numbers are cheap to keep and costly to lose. */
  digits: boolean;
  /** Tokens made only of punctuation (ignoring surrounding whitespace). */
  punctuation: boolean;
}

export const DEFAULT_FORCED_TOKENS: Readonly<ForcedTokenRules> = {
  newlines: true,
  digits: true,
  punctuation: true,
};

const NEWLINE = /[\n\r\u2028\u2029]/;
const DIGIT = /\p{Nd}/u;
const PUNCTUATION_ONLY = /^\p{P}+$/u;

/** True when `token` falls under one of the enabled rules. */
export function isForcedToken(token: string, rules: Readonly<ForcedTokenRules>): boolean {
  if (rules.newlines && NEWLINE.test(token)) return true;
  if (rules.digits && DIGIT.test(token)) return true;
  return rules.punctuation && PUNCTUATION_ONLY.test(token.trim());
}
