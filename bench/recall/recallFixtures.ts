/**
 * Shared set-up for the recall benchmarks: the constructed recall model on disk, and the
 * validator's own recall tasks (its synthesizer, fed the model's vocabulary), located in
 * the encoded context so that every key/value pair becomes one question.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildModel, CausalLM, recallVocabulary } from '../../packages/runtime/src/index';
import { SeededRandom, synthesizeRecallTask } from '../../packages/validator/src/index';

export interface RecallQuestion {
  key: number;
  /** The expected answer as text (the validator matches the completion's start against it). */
  value: string;
  keyPosition: number;
  valuePosition: number;
}

export interface RecallContext {
  ids: number[];
  questions: RecallQuestion[];
}

export async function loadRecallModel(
  exposeQueries: boolean,
): Promise<{ lm: CausalLM; cleanup: () => Promise<void> }> {
  const root = await mkdtemp(join(tmpdir(), 'signal-bench-recall-'));
  const built = await buildModel({
    arch: 'llama',
    preset: 'recall',
    outDir: join(root, 'recall'),
    exposeQueries,
  });
  const lm = await CausalLM.load(built.dir, { session: { intraOpThreads: 1, interOpThreads: 1 } });
  return {
    lm,
    cleanup: async () => {
      await lm.dispose();
      await rm(root, { recursive: true, force: true });
    },
  };
}

/** `count` seeded validator recall tasks of up to `maxContextChars`, each with `pairs` questions. */
export function recallContexts(
  lm: CausalLM,
  options: { seed: string; maxContextChars: number; count: number; pairs: number },
): RecallContext[] {
  const vocabulary = recallVocabulary();
  const tier = {
    name: `recall-${options.maxContextChars}`,
    maxContextChars: options.maxContextChars,
  };
  const root = SeededRandom.from(options.seed, tier.name);
  const single = (text: string) => {
    const ids = lm.tokenizer.encode(text, { addSpecialTokens: false });
    if (ids.length !== 1) throw new Error(`"${text}" is not one token of the recall tokenizer`);
    return ids[0]!;
  };
  return Array.from({ length: options.count }, (_, index) => {
    const task = synthesizeRecallTask({
      random: root.fork(String(index)),
      id: `${tier.name}-${index}`,
      tier,
      vocabulary,
      pairs: options.pairs,
    });
    const ids = lm.tokenizer.encode(task.context);
    const questions = task.pairs.map((pair) => {
      const key = single(pair.key);
      const keyPosition = ids.indexOf(key);
      if (keyPosition < 0 || ids[keyPosition + 1] !== single(pair.value)) {
        throw new Error(
          `task ${task.id}: pair ${pair.key} ${pair.value} is not in the encoded context`,
        );
      }
      return { key, value: pair.value, keyPosition, valuePosition: keyPosition + 1 };
    });
    return { ids, questions };
  });
}

/** Whether greedy decoding of `key` on top of `cache` starts with the expected value. */
export async function answers(
  lm: CausalLM,
  cache: Parameters<CausalLM['step']>[1],
  question: RecallQuestion,
): Promise<boolean> {
  const { logits } = await lm.step(question.key, cache);
  let best = 0;
  const row = logits.at(0);
  for (let i = 1; i < row.length; i++) if (row[i]! > row[best]!) best = i;
  return lm.tokenizer.decode([best]).trimStart().startsWith(question.value);
}

export const round = (x: number, digits = 4): number => Number(x.toFixed(digits));
