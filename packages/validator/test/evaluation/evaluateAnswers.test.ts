import {
  type ExistenceTask,
  evaluateAnswers,
  type NeedleTask,
  type RecallTask,
  synthesizeTasks,
  taskPrompts,
} from '@signal/validator';
import { recallVocabulary } from '../tasks/vocabulary';

const tier = { name: 'research', maxContextChars: 2500 };
const tasks = synthesizeTasks({
  seed: 'eval',
  tier,
  count: 4,
  families: ['needle', 'existence', 'recall', 'continuation'],
  recall: { vocabulary: recallVocabulary },
});
const find = <F extends string>(family: F) => tasks.find((task) => task.family === family)!;

describe('evaluateAnswers', () => {
  it('scores a needle answer by F1 by default, and by EM when asked', () => {
    const task = find('needle') as NeedleTask;
    expect(taskPrompts(task)).toEqual([task.prompt]);
    const right = task.expected.answers[0]!;
    expect(evaluateAnswers(task, [`Answer: ${right}\nAnything else?`])).toMatchObject({
      exactMatch: 1,
      f1: 1,
      accuracy: 1,
    });
    const padded = evaluateAnswers(task, [`It is ${right}`]);
    expect(padded.family === 'needle' && padded.exactMatch).toBe(0);
    expect(padded.family === 'needle' && padded.accuracy).toBeGreaterThan(0);
    expect(evaluateAnswers(task, [`It is ${right}`], { needleMetric: 'exact' })).toMatchObject({
      accuracy: 0,
    });
    expect(() => evaluateAnswers(task, [])).toThrow(
      expect.objectContaining({ code: 'EVAL_LENGTH_MISMATCH' }),
    );
  });

  it('scores existence probes with yes/no accuracy', () => {
    const task = find('existence') as ExistenceTask;
    const prompts = taskPrompts(task);
    expect(prompts).toHaveLength(2);
    const right = task.probes.map((probe) => (probe.expected === 'yes' ? 'Yes.' : 'No.'));
    expect(evaluateAnswers(task, right)).toEqual({ family: 'existence', accuracy: 1 });
    expect(evaluateAnswers(task, ['Yes.', 'Yes.'])).toEqual({ family: 'existence', accuracy: 0.5 });
  });

  it('scores recall by whether the continuation of the key starts with its value', () => {
    const task = find('recall') as RecallTask;
    const value = task.expected.answers[0]!;
    expect(evaluateAnswers(task, [` ${value} , x`])).toEqual({ family: 'recall', accuracy: 1 });
    const wrong = recallVocabulary.values.find((v) => v !== value)!;
    expect(evaluateAnswers(task, [` ${wrong}`])).toEqual({ family: 'recall', accuracy: 0 });
  });

  it('gives continuation tasks no prompts', () => {
    expect(taskPrompts(find('continuation'))).toEqual([]);
  });
});
