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
 * The recall model's chat template: `<s>`, then every turn's words, whatever its role. The
 * model has no role tokens (its tokenizer would read them as `<unk>`) and answers the last
 * word it reads, so a conversation `context`, `k07` renders exactly as the completion prompt
 * `context k07`, and the generation prompt adds nothing.
 */
const RECALL_CHAT_TEMPLATE =
  "{{ bos_token }}{% for message in messages %}{{ message['content'] }} {% endfor %}";

/**
 * A word-level tokenizer in Hugging Face `tokenizers` format: the Llama special tokens at
 * ids 0..3, then keys, values, fillers, separators and the aggregate question, each a whole
 * token. Text is split on
 * whitespace only, so `k07 v19 ;` is three tokens; an unknown word becomes `<unk>`. Encoding
 * prepends `<s>`; decoding joins tokens with a space (no decoder), as `tokenizers` does. The
 * config carries `RECALL_CHAT_TEMPLATE`, so chat servers work on it as on any export.
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
      chatTemplate: RECALL_CHAT_TEMPLATE,
    }),
    ids,
  };
}
