import { bytesToUnicode } from './bytesToUnicode';

/** Special tokens in Llama order: ids 0..3. */
export const SPECIAL_TOKENS = ['<unk>', '<s>', '</s>', '<pad>'] as const;

/**
 * A handful of common English merges, applied in this order. Each merge only uses
 * symbols that exist once the merges before it have been added, as BPE requires.
 */
const MERGES: readonly (readonly [string, string])[] = [
  ['Ġ', 't'],
  ['h', 'e'],
  ['Ġ', 'a'],
  ['i', 'n'],
  ['Ġt', 'he'],
  ['e', 'r'],
  ['o', 'n'],
  ['Ġ', 's'],
  ['r', 'e'],
  ['a', 't'],
  ['e', 'n'],
  ['o', 'r'],
  ['Ġ', 'w'],
  ['e', 's'],
  ['i', 's'],
  ['Ġ', 'o'],
  ['Ġ', 'c'],
  ['in', 'g'],
  ['a', 'n'],
  ['Ġ', 'b'],
  ['Ġ', 'f'],
  ['e', 'd'],
  ['Ġ', 'm'],
  ['Ġ', 'p'],
  ['Ġa', 'n'],
  ['Ġan', 'd'],
  ['Ġ', 'i'],
  ['Ġo', 'f'],
];

export interface ByteLevelTokenizerFiles {
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

const CHAT_TEMPLATE =
  "{% for message in messages %}{{ '<|' + message['role'] + '|>\\n' + message['content'] + eos_token + '\\n' }}{% endfor %}{% if add_generation_prompt %}{{ '<|assistant|>\\n' }}{% endif %}";

/**
 * A byte-level BPE tokenizer in Hugging Face `tokenizers` format: special tokens at ids
 * 0..3, the 256-byte alphabet at 4..259, then one token per merge. Encoding prepends
 * `<s>` (Llama convention, via a TemplateProcessing post-processor); any byte string
 * round-trips through encode/decode because every byte has a token.
 */
export function byteLevelTokenizer(modelMaxLength: number): ByteLevelTokenizerFiles {
  const vocab: Record<string, number> = {};
  SPECIAL_TOKENS.forEach((token, id) => {
    vocab[token] = id;
  });
  for (const symbol of bytesToUnicode()) vocab[symbol] = Object.keys(vocab).length;
  for (const [left, right] of MERGES) vocab[left + right] = Object.keys(vocab).length;
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
    pre_tokenizer: {
      type: 'ByteLevel',
      add_prefix_space: false,
      trim_offsets: true,
      use_regex: true,
    },
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
    decoder: { type: 'ByteLevel', add_prefix_space: true, trim_offsets: true, use_regex: true },
    model: {
      type: 'BPE',
      dropout: null,
      unk_token: null,
      continuing_subword_prefix: null,
      end_of_word_suffix: null,
      fuse_unk: false,
      byte_fallback: false,
      ignore_merges: false,
      vocab,
      merges: MERGES.map(([left, right]) => `${left} ${right}`),
    },
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
    chat_template: CHAT_TEMPLATE,
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
  };
}
