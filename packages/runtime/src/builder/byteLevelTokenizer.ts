import { bytesToUnicode } from './bytesToUnicode';
import { llamaTokenizerFiles, specialVocabulary, type TokenizerFiles } from './llamaSpecialTokens';

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

const CHAT_TEMPLATE =
  "{% for message in messages %}{{ '<|' + message['role'] + '|>\\n' + message['content'] + eos_token + '\\n' }}{% endfor %}{% if add_generation_prompt %}{{ '<|assistant|>\\n' }}{% endif %}";

/**
 * A byte-level BPE tokenizer in Hugging Face `tokenizers` format: special tokens at ids
 * 0..3, the 256-byte alphabet at 4..259, then one token per merge. Encoding prepends
 * `<s>` (Llama convention, via a TemplateProcessing post-processor); any byte string
 * round-trips through encode/decode because every byte has a token.
 */
export function byteLevelTokenizer(modelMaxLength: number): TokenizerFiles {
  const vocab = specialVocabulary();
  for (const symbol of bytesToUnicode()) vocab[symbol] = Object.keys(vocab).length;
  for (const [left, right] of MERGES) vocab[left + right] = Object.keys(vocab).length;

  return llamaTokenizerFiles({
    vocabSize: Object.keys(vocab).length,
    preTokenizer: {
      type: 'ByteLevel',
      add_prefix_space: false,
      trim_offsets: true,
      use_regex: true,
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
    modelMaxLength,
    chatTemplate: CHAT_TEMPLATE,
  });
}
