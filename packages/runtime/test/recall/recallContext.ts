/** Seeded recall contexts of an exact token length, with the position of every pair. */
import { type RecallModelVocabulary, SeededRandom, type TextTokenizer } from '@signal/runtime';

export interface PlacedPair {
  key: number;
  value: number;
  /** Positions in the encoded row (BOS is position 0). */
  keyPosition: number;
  valuePosition: number;
}

export interface RecallContext {
  /** Token ids, BOS first, exactly `length` of them. */
  ids: number[];
  pairs: PlacedPair[];
  /** Positions of filler and separator tokens (never a key or a value). */
  fillerPositions: number[];
}

function sample<T>(random: SeededRandom, items: readonly T[], count: number): T[] {
  const pool = [...items];
  for (let i = 0; i < count; i++) {
    const j = i + Math.floor(random.next() * (pool.length - i));
    [pool[i], pool[j]] = [pool[j]!, pool[i]!];
  }
  return pool.slice(0, count);
}

const pick = <T>(random: SeededRandom, items: readonly T[]) =>
  items[Math.floor(random.next() * items.length)]!;

/**
 * Builds the text the validator's recall tasks take — `key value sep` segments among runs of
 * 1–4 fillers closed by a separator — with `pairs` pairs and exactly `length` tokens once
 * BOS is prepended, and encodes it with the model's own tokenizer.
 */
export function recallContext(
  tokenizer: TextTokenizer,
  vocabulary: RecallModelVocabulary,
  options: { length: number; pairs: number; seed: number },
): RecallContext {
  const random = new SeededRandom(options.seed);
  const keys = sample(random, vocabulary.keys, options.pairs);
  const values = sample(random, vocabulary.values, options.pairs);
  const pairSegments = keys.map((key, i) => [key, values[i]!, pick(random, vocabulary.separators)]);
  let fillerWords = options.length - 1 - 3 * options.pairs;
  if (fillerWords < 0)
    throw new Error(`length ${options.length} cannot hold ${options.pairs} pairs`);
  const segments: string[][] = [];
  while (fillerWords > 0) {
    const run = Math.min(fillerWords - 1, 1 + Math.floor(random.next() * 4));
    const words = Array.from({ length: run }, () => pick(random, vocabulary.fillers));
    segments.push([...words, pick(random, vocabulary.separators)]);
    fillerWords -= run + 1;
  }
  for (const segment of pairSegments) {
    segments.splice(Math.floor(random.next() * (segments.length + 1)), 0, segment);
  }
  const words = segments.flat();
  const ids = tokenizer.encode(words.join(vocabulary.joiner));
  if (ids.length !== options.length) {
    throw new Error(`encoded ${ids.length} tokens, wanted ${options.length}: not whole tokens`);
  }
  const pairs: PlacedPair[] = [];
  const fillerPositions: number[] = [];
  const keySet = new Set(keys);
  words.forEach((word, i) => {
    if (keySet.has(word)) {
      pairs.push({
        key: ids[i + 1]!,
        value: ids[i + 2]!,
        keyPosition: i + 1,
        valuePosition: i + 2,
      });
    } else if (!vocabulary.values.includes(word)) fillerPositions.push(i + 1);
  });
  return { ids, pairs, fillerPositions };
}
