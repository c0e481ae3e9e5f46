import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  LoraModel,
  localDirSource,
  seededDerangement,
  writePermutationAdapter,
} from '@signal/lora';
import { buildModel, RECALL_VALUE_COUNT, recallVocabulary, SeededRandom } from '@signal/runtime';

const vocabulary = recallVocabulary();
const session = { intraOpThreads: 1, interOpThreads: 1 };
const PERMUTATION = seededDerangement(RECALL_VALUE_COUNT, 21);

let root: string;
let lora: LoraModel;

interface Question {
  prompt: string;
  /** Index of the expected value in the vocabulary. */
  value: number;
}

/** Seeded recall prompts: `pairs` key/value pairs among filler runs, then one of the keys. */
function questions(count: number, seed: number): Question[] {
  const random = new SeededRandom(seed);
  const pick = <T>(items: readonly T[]) => items[Math.floor(random.next() * items.length)]!;
  return Array.from({ length: count }, () => {
    const keys = [...vocabulary.keys];
    for (let i = 0; i < 4; i++) {
      const j = i + Math.floor(random.next() * (keys.length - i));
      [keys[i], keys[j]] = [keys[j]!, keys[i]!];
    }
    keys.length = 4;
    const values = keys.map(() => Math.floor(random.next() * RECALL_VALUE_COUNT));
    const words: string[] = [];
    keys.forEach((key, i) => {
      for (let f = 0; f < 1 + Math.floor(random.next() * 6); f++)
        words.push(pick(vocabulary.fillers));
      words.push(
        pick(vocabulary.separators),
        key,
        vocabulary.values[values[i]!]!,
        pick(vocabulary.separators),
      );
    });
    const asked = Math.floor(random.next() * keys.length);
    return { prompt: [...words, keys[asked]!].join(vocabulary.joiner), value: values[asked]! };
  });
}

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'lora-permutation-'));
  const base = await buildModel({ arch: 'llama', preset: 'recall', outDir: join(root, 'recall') });
  const adapters = join(root, 'adapters');
  await writePermutationAdapter({ outDir: join(adapters, 'permute'), permutation: PERMUTATION });
  await writePermutationAdapter({
    outDir: join(adapters, 'permute-bf16'),
    permutation: PERMUTATION.map((_, i) => PERMUTATION[PERMUTATION[i]!]!),
    dtype: 'bf16',
  });
  lora = await LoraModel.load(base.dir, {
    targets: ['o_proj'],
    maxRank: RECALL_VALUE_COUNT,
    sources: [localDirSource(adapters)],
    maxAdapterBytes: 4 << 20,
    session,
  });
});
afterAll(async () => {
  await lora?.dispose();
  await rm(root, { recursive: true, force: true });
});

describe('writePermutationAdapter', () => {
  it('has no fixed point, so every adapted answer differs from the plain one', () => {
    expect([...PERMUTATION].sort((a, b) => a - b)).toEqual(
      Array.from({ length: RECALL_VALUE_COUNT }, (_, i) => i),
    );
    expect(PERMUTATION.every((target, i) => target !== i)).toBe(true);
  });

  it('answers π(value) on adapter rows and the value on plain rows of one batch', async () => {
    const asked = questions(12, 4);
    const choices = asked.map((_, i) => (['permute', null, 'permute-bf16'] as const)[i % 3]!);
    const { texts } = await lora.generateBatch(
      asked.map((q) => q.prompt),
      { adapters: choices, maxNewTokens: 1 },
    );
    const expected = asked.map((q, i) => {
      const choice = choices[i];
      const value =
        choice === 'permute'
          ? PERMUTATION[q.value]!
          : choice === 'permute-bf16'
            ? PERMUTATION[PERMUTATION[q.value]!]!
            : q.value;
      return vocabulary.values[value];
    });
    expect(texts.map((t) => t.trim())).toEqual(expected);
  });

  it('refuses a list that is not a permutation of the values', async () => {
    const broken = [...PERMUTATION];
    broken[3] = broken[4]!;
    for (const permutation of [broken, PERMUTATION.slice(1), [...PERMUTATION.slice(1), 32]]) {
      await expect(
        writePermutationAdapter({ outDir: join(root, 'bad'), permutation }),
      ).rejects.toMatchObject({ code: 'LORA_CONFIG_INVALID' });
    }
  });
});
