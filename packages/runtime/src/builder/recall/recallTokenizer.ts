import { llamaTokenizerFiles, specialVocabulary, type TokenizerFiles } from '../llamaSpecialTokens';
import type { RecallModelVocabulary } from './recallVocabulary';

/** Token ids of the recall vocabulary, in the order of its lists. */
export interface RecallTokenIds {
  keys: number[];
  values: number[];
  fillers: number[];
  separators: number[];
  aggregate: number;
}

/** The tokenizer files (same fields as the byte-level builder's) plus where each list landed. */
export interface RecallTokenizerFiles extends TokenizerFiles {
  ids: RecallTokenIds;
}

/**
 * A word-level tokenizer in Hugging Face `tokenizers` format: the Llama special tokens at
 * ids 0..3, then keys, values, fillers, separators and the aggregate question, each a whole
 * token. Text is split on
 * whitespace only, so `k07 v19 ;` is three tokens; an unknown word becomes `<unk>`. Encoding
 * prepends `<s>`; decoding joins tokens with a space (no decoder), as `tokenizers` does.
 */
export function recallTokenizer(
  vocabulary: RecallModelVocabulary,
  modelMaxLength: number,
): RecallTokenizerFiles {
  const vocab = specialVocabulary();
  const place = (tokens: readonly string[]) =>
    tokens.map((token) => {
      const id = Object.keys(vocab).length;
      vocab[token] = id;
      return id;
    });
  const ids: RecallTokenIds = {
    keys: place(vocabulary.keys),
    values: place(vocabulary.values),
    fillers: place(vocabulary.fillers),
    separators: place(vocabulary.separators),
    aggregate: place([vocabulary.aggregate])[0]!,
  };

  return {
    ...llamaTokenizerFiles({
      vocabSize: Object.keys(vocab).length,
      preTokenizer: { type: 'WhitespaceSplit' },
      decoder: null,
      model: { type: 'WordLevel', vocab, unk_token: '<unk>' },
      modelMaxLength,
    }),
    ids,
  };
}
