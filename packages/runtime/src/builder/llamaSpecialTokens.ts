/**
 * What every tokenizer the builder writes shares with a Llama export: the special tokens at
 * ids 0..3, `<s>` prepended on encode, and the `tokenizer_config.json` fields transformers
 * reads. The byte-level and the recall tokenizers differ only in vocabulary and splitting.
 */

/** Special tokens in Llama order: ids 0..3. */
export const SPECIAL_TOKENS = ['<unk>', '<s>', '</s>', '<pad>'] as const;

export const SPECIAL_IDS = { unk: 0, bos: 1, eos: 2, pad: 3 } as const;

/** The tokenizer files a builder writes, and the special ids a runtime needs from them. */
export interface TokenizerFiles {
  /** `tokenizer.json` content. */
  tokenizer: Record<string, unknown>;
  /** `tokenizer_config.json` content. */
  tokenizerConfig: Record<string, unknown>;
  vocabSize: number;
  bos: number;
  eos: number;
  unk: number;
  pad: number;
}

/** A vocabulary that starts with the special tokens; callers append their own. */
export function specialVocabulary(): Record<string, number> {
  return Object.fromEntries(SPECIAL_TOKENS.map((token, id) => [token, id]));
}

/**
 * `tokenizer.json` and `tokenizer_config.json` around a model, pre-tokenizer and decoder:
 * the special tokens as `added_tokens`, and a TemplateProcessing post-processor that
 * prepends `<s>` as Llama's does.
 */
export function llamaTokenizerFiles(parts: {
  vocabSize: number;
  preTokenizer: Record<string, unknown>;
  decoder: Record<string, unknown> | null;
  model: Record<string, unknown>;
  modelMaxLength: number;
  chatTemplate?: string;
}): TokenizerFiles {
  const addedTokens = SPECIAL_TOKENS.map((content, id) => ({
    id,
    content,
    single_word: false,
    lstrip: false,
    rstrip: false,
    normalized: false,
    special: true,
  }));
  const { bos } = SPECIAL_IDS;

  const tokenizer = {
    version: '1.0',
    truncation: null,
    padding: null,
    added_tokens: addedTokens,
    normalizer: null,
    pre_tokenizer: parts.preTokenizer,
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
    decoder: parts.decoder,
    model: parts.model,
  };

  const tokenizerConfig = {
    add_bos_token: true,
    add_eos_token: false,
    bos_token: '<s>',
    eos_token: '</s>',
    unk_token: '<unk>',
    pad_token: '<pad>',
    model_max_length: parts.modelMaxLength,
    clean_up_tokenization_spaces: false,
    tokenizer_class: 'PreTrainedTokenizerFast',
    ...(parts.chatTemplate === undefined ? {} : { chat_template: parts.chatTemplate }),
    added_tokens_decoder: Object.fromEntries(
      addedTokens.map(({ id, ...token }) => [String(id), token]),
    ),
  };

  return { tokenizer, tokenizerConfig, vocabSize: parts.vocabSize, ...SPECIAL_IDS };
}
