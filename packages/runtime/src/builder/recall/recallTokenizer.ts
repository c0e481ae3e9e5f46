import { type ByteLevelTokenizerFiles, SPECIAL_TOKENS } from '../byteLevelTokenizer';
import type { RecallModelVocabulary } from './recallVocabulary';

/** Token ids of the recall vocabulary, in the order of its lists. */
export interface RecallTokenIds {
  keys: number[];
  values: number[];
  fillers: number[];
  separators: number[];
}

/** The tokenizer files (same fields as the byte-level builder's) plus where each list landed. */
export interface RecallTokenizerFiles extends ByteLevelTokenizerFiles {
  ids: RecallTokenIds;
}

/**
 * A word-level tokenizer in Hugging Face `tokenizers` format: the Llama special tokens at
 * ids 0..3, then keys, values, fillers and separators, each a whole token. Text is split on
 * whitespace only, so `k07 v19 ;` is three tokens; an unknown word becomes `<unk>`. Encoding
 * prepends `<s>`; decoding joins tokens with a space (no decoder), as `tokenizers` does.
 */
export function recallTokenizer(
  vocabulary: RecallModelVocabulary,
  modelMaxLength: number,
): RecallTokenizerFiles {
  const vocab: Record<string, number> = {};
  SPECIAL_TOKENS.forEach((token, id) => {
    vocab[token] = id;
  });
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
  };
  const [unk, bos, eos, pad] = [0, 1, 2, 3];

  const addedTokens = SPECIAL_TOKENS.map((content, id) => ({
    id,
    content,
    single_word: false,
    lstrip: false,
    rstrip: false,
    normalized: false,
    special: true,
  }));

  const tokenizer = {
    version: '1.0',
    truncation: null,
    padding: null,
    added_tokens: addedTokens,
    normalizer: null,
    pre_tokenizer: { type: 'WhitespaceSplit' },
    post_processor: {
      type: 'TemplateProcessing',
      single: [{ SpecialToken: { id: '<s>', type_id: 0 } }, { Sequence: { id: 'A', type_id: 0 } }],
      pair: [
        { SpecialToken: { id: '<s>', type_id: 0 } },
        { Sequence: { id: 'A', type_id: 0 } },
        { SpecialToken: { id: '<s>', type_id: 1 } },
        { Sequence: { id: 'B', type_id: 1 } },
      ],
      special_tokens: { '<s>': { id: '<s>', ids: [bos], tokens: ['<s>'] } },
    },
    decoder: null,
    model: { type: 'WordLevel', vocab, unk_token: '<unk>' },
  };

  const tokenizerConfig = {
    add_bos_token: true,
    add_eos_token: false,
    bos_token: '<s>',
    eos_token: '</s>',
    unk_token: '<unk>',
    pad_token: '<pad>',
    model_max_length: modelMaxLength,
    clean_up_tokenization_spaces: false,
    tokenizer_class: 'PreTrainedTokenizerFast',
    added_tokens_decoder: Object.fromEntries(
      addedTokens.map(({ id, ...token }) => [String(id), token]),
    ),
  };

  return {
    tokenizer,
    tokenizerConfig,
    vocabSize: Object.keys(vocab).length,
    bos,
    eos,
    unk,
    pad,
    ids,
  };
}
