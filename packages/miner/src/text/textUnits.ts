/** The unit the text compressor keeps or drops as a whole. */
export type TextGranularity = 'token' | 'word' | 'sentence';

const STARTS_WITH_SPACE = /^\s/;
const ENDS_WITH_SPACE = /\s$/;
const ENDS_SENTENCE = /[.!?…。！？]["'”’)\]]*$/;
const NEWLINE = /[\n\r]/;

/**
 * Groups `tokens` (decoded text pieces whose concatenation is the text) into units, returning
 * each unit's `[start, end)` token range in order.
 *
 * A word starts at a token that follows whitespace (its own leading space, or the previous
 * token's trailing one), so "un|believ|able" stays one word. A sentence starts after a token
 * holding a line break, or after a token ending in . ! ? … (optionally closed by a quote or
 * bracket) when whitespace follows, so "3.14" does not split.
 */
export function segmentUnits(
  tokens: readonly string[],
  granularity: TextGranularity,
): Array<[number, number]> {
  const units: Array<[number, number]> = [];
  let start = 0;
  for (let i = 1; i <= tokens.length; i++) {
    if (i === tokens.length || startsUnit(tokens[i - 1]!, tokens[i]!, granularity)) {
      units.push([start, i]);
      start = i;
    }
  }
  return units;
}

function startsUnit(previous: string, token: string, granularity: TextGranularity): boolean {
  if (granularity === 'token') return true;
  const spaced = STARTS_WITH_SPACE.test(token) || ENDS_WITH_SPACE.test(previous);
  if (granularity === 'word') return spaced;
  return NEWLINE.test(previous) || (spaced && ENDS_SENTENCE.test(previous.trimEnd()));
}
