import {
  contextScores,
  type HeadScores,
  keptCount,
  pressCache,
  type ReconstructionAttention,
} from '@signal/miner';
import { argmax, type CausalLM, type KvCache, type RecallModelVocabulary } from '@signal/runtime';
import {
  evaluateAnswers,
  promptIds,
  type ReferenceTask,
  referenceQuestions,
} from '@signal/validator';
import { LEADERBOARD_METHODS } from './leaderboardMethods';
import { contentTokens, oracleKeep } from './oracleKeep';

/** One task to score: every method at every ratio (and the full context once). */
export interface TaskJob {
  readonly task: ReferenceTask;
  readonly methods: readonly string[];
  readonly ratios: readonly number[];
  readonly vocabulary: RecallModelVocabulary;
}

/** A method's accuracy on one task at one ratio (`full` at ratio 0). */
export interface TaskCell {
  readonly method: string;
  readonly ratio: number;
  readonly accuracy: number;
}

export interface ScoringModel {
  readonly lm: CausalLM;
  readonly reconstruction: ReconstructionAttention;
}

/**
 * Prefills the task's context once, condenses it with every method at every ratio, then
 * asks the task's questions of each condensed cache and scores the replies with the
 * validator's own scorer. Questions come only after condensation, as on the subnet.
 */
export async function scoreTask(model: ScoringModel, job: TaskJob): Promise<TaskCell[]> {
  const { lm } = model;
  const { task } = job;
  const ids = lm.tokenizer.encode(task.context);
  const prefill = await lm.prefill(ids);
  const content = contentTokens(
    (word) => lm.tokenizer.encode(word, { addSpecialTokens: false })[0]!,
    job.vocabulary,
  );
  const cells: TaskCell[] = [];
  // Scores do not depend on the budget: each scorer runs once per task, whatever the ratios
  // and whether head budgets follow.
  const scored = new Map<string, Promise<HeadScores[]>>();
  for (const name of job.methods) {
    const spec = LEADERBOARD_METHODS.find((method) => method.name === name)!;
    if (spec.method.kind === 'full') {
      cells.push({ method: name, ratio: 0, accuracy: await accuracyOn(lm, prefill.cache, task) });
      continue;
    }
    const { plan } = spec.method.kind === 'press' ? spec.method : { plan: undefined };
    const key = JSON.stringify(plan?.scorer);
    if (plan && plan.prefillWindow === undefined && !scored.has(key)) {
      const parameters = {
        lm,
        model: 'reference',
        ids,
        plan,
        reconstruction: model.reconstruction,
      };
      scored.set(key, contextScores(parameters, prefill));
    }
    for (const ratio of job.ratios) {
      const kept = keptCount(ids.length, ratio);
      const cache =
        spec.method.kind === 'oracle'
          ? prefill.cache.gather(oracleKeep(task, ids, kept, content))
          : (
              await pressCache({
                lm,
                model: 'reference',
                ids,
                plan: spec.method.plan,
                kept,
                prefill,
                scores: await scored.get(key),
                reconstruction: model.reconstruction,
              })
            ).cache;
      cells.push({ method: name, ratio, accuracy: await accuracyOn(lm, cache, task) });
    }
  }
  return cells;
}

/** The task's accuracy from one cache: greedy replies, scored by the validator's scorer. */
async function accuracyOn(lm: CausalLM, cache: KvCache, task: ReferenceTask): Promise<number> {
  const { questions, scoring } = referenceQuestions(task);
  const completions: string[] = [];
  let failed = false;
  for (const question of questions) {
    // With `all` scoring one wrong reply decides the task; the rest need not be asked.
    const reply = failed && scoring === 'all' ? '' : await greedyReply(lm, cache, question);
    if (reply !== question.answer) failed = true;
    completions.push(reply);
  }
  return evaluateAnswers(task, completions).accuracy;
}

/**
 * Greedy decoding after the prompt, one word per token (the reference tokenizer), for as many
 * words as the answer has, stopping at the first word that differs: the exact scorer would
 * give the reply nothing from there on, so the rest is not decoded.
 */
async function greedyReply(
  lm: CausalLM,
  cache: KvCache,
  question: { prompt: string; answer: string },
): Promise<string> {
  const expected = question.answer.split(' ');
  const words: string[] = [];
  let step = await lm.forward({ ids: [promptIds(lm, question.prompt)], cache, logitsToKeep: 1 });
  for (;;) {
    const token = argmax(step.logits.at(0, -1));
    const word = lm.tokenizer.decode([token]).trim();
    words.push(word);
    if (word !== expected[words.length - 1] || words.length === expected.length) break;
    step = await lm.step(token, step.cache);
  }
  return words.join(' ');
}
