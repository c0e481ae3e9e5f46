import { TokenizerError } from './TokenizerError';

/** Ids past the token count a tokenizer may leave unused (reserved or padded ids). */
export const MAX_TOKEN_ID_GAP = 65_536;

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * Refuses token ids a tokenizer could not have: every id of `model.vocab` (a token → id map)
 * and of `added_tokens` must be a non-negative integer below the number of tokens plus
 * MAX_TOKEN_ID_GAP. The tokenizer library indexes an array by id and later walks it whole,
 * so one id of 2^31 in a hostile file costs minutes of CPU at load.
 */
export function checkTokenIds(tokenizerJson: Record<string, unknown>, source: string): void {
  const ids: Array<[string, unknown]> = [];
  const model = tokenizerJson.model;
  if (isRecord(model) && isRecord(model.vocab)) {
    for (const [token, id] of Object.entries(model.vocab)) {
      ids.push([`model.vocab[${JSON.stringify(token)}]`, id]);
    }
  }
  const added = tokenizerJson.added_tokens;
  if (Array.isArray(added)) {
    added.forEach((token: unknown, index) => {
      if (isRecord(token)) ids.push([`added_tokens[${index}].id`, token.id]);
    });
  }
  const limit = ids.length + MAX_TOKEN_ID_GAP;
  for (const [where, id] of ids) {
    if (typeof id !== 'number' || !Number.isSafeInteger(id) || id < 0 || id >= limit) {
      throw new TokenizerError('TOKENIZER_INVALID', `${source} has an impossible token id`, {
        details: `${where} is ${JSON.stringify(id)}; ids are integers in 0..${limit - 1} for ${ids.length} tokens`,
      });
    }
  }
}
