import { recallVocabulary as referenceVocabulary } from '@signal/runtime';
import {
  evaluateAnswers,
  type REFERENCE_FAMILIES,
  type ReferenceTask,
  type RulerOptionsInput,
  referenceQuestions,
  synthesizeTasks,
  TaskSchema,
  taskPrompts,
} from '@signal/validator';
import fc from 'fast-check';

const vocabulary = referenceVocabulary();
const tier = { name: 'research', maxContextChars: 2500 };
const RULER = ['multi_needle', 'multi_query', 'variable_tracking', 'aggregation'] as const;

const make = (
  family: (typeof REFERENCE_FAMILIES)[number],
  seed: string,
  count = 3,
  ruler: RulerOptionsInput = {},
) =>
  synthesizeTasks({
    seed,
    tier,
    count,
    families: [family],
    recall: { vocabulary, pairs: 8 },
    ruler,
  }) as ReferenceTask[];

/** The words a question's evidence points at, in the context split on the joiner. */
const evidenceWords = (task: ReferenceTask, index = 0) => {
  const words = task.context.split(vocabulary.joiner);
  return referenceQuestions(task).questions[index]!.evidence.map((i) => words[i]!);
};

describe('the RULER-style families', () => {
  it('are deterministic per seed, valid and within the tier', () => {
    for (const family of RULER) {
      fc.assert(
        fc.property(fc.string({ minLength: 1 }), (seed) => {
          const tasks = make(family, seed, 2);
          expect(make(family, seed, 2)).toEqual(tasks);
          for (const task of tasks) {
            expect(TaskSchema.parse(task)).toEqual(task);
            expect(task.context.length).toBeLessThanOrEqual(tier.maxContextChars);
            expect(task.context.length).toBeGreaterThan(tier.maxContextChars * 0.9);
          }
        }),
        { numRuns: 5 },
      );
      expect(make(family, 'a')).not.toEqual(make(family, 'b'));
    }
  });

  it('multi_needle: needles look like distractors; all are asked, scored all-or-nothing', () => {
    for (const task of make('multi_needle', 'mn', 5, { multiNeedle: { needles: 3 } })) {
      if (task.family !== 'multi_needle') throw new Error('wrong family');
      expect(task.pairs).toHaveLength(11);
      expect(task.questions.map((q) => q.prompt)).toEqual(task.pairs.slice(0, 3).map((p) => p.key));
      task.questions.forEach((question, i) => {
        expect(question.answer).toBe(task.pairs[i]!.value.join(' '));
        expect(evidenceWords(task, i)).toEqual(task.pairs[i]!.value);
        expect(task.context).toContain(`${task.pairs[i]!.key} ${question.answer} `);
      });
      const answers = task.questions.map((q) => q.answer);
      expect(evaluateAnswers(task, answers).accuracy).toBe(1);
      expect(evaluateAnswers(task, [...answers.slice(0, 2), 'v00 v00']).accuracy).toBe(0);
    }
    const [one] = make('multi_needle', 'one', 1, { multiNeedle: { retrieve: 'one' } });
    expect(taskPrompts(one!)).toHaveLength(1);
  });

  it('multi_query: four different keys of one context, each scored on its own', () => {
    for (const task of make('multi_query', 'mq', 5)) {
      if (task.family !== 'multi_query') throw new Error('wrong family');
      const prompts = taskPrompts(task);
      expect(new Set(prompts).size).toBe(4);
      const words = task.context.split(' ');
      // Every value word occurs exactly once, so each one has one successor to copy.
      for (const value of task.pairs.flatMap((p) => p.value)) {
        expect(words.filter((w) => w === value)).toHaveLength(1);
      }
      const answers = task.questions.map((q) => q.answer);
      expect(evaluateAnswers(task, answers).accuracy).toBe(1);
      expect(evaluateAnswers(task, [answers[0]!, 'v99', answers[2]!, answers[3]!]).accuracy).toBe(
        0.75,
      );
      // Exact words: the right first word is not enough, the reply may go on after the answer.
      const [first, second] = answers[0]!.split(' ');
      expect(evaluateAnswers(task, [`${first} ${first}`, ...answers.slice(1)]).accuracy).toBe(0.75);
      expect(evaluateAnswers(task, [`${first} ${second} k03`, ...answers.slice(1)]).accuracy).toBe(
        1,
      );
    }
  });

  it('variable_tracking: the reply walks the asked chain to its value', () => {
    for (const task of make('variable_tracking', 'vt', 5, { variableTracking: { links: 3 } })) {
      if (task.family !== 'variable_tracking') throw new Error('wrong family');
      const [question] = task.questions;
      const chain = task.chains.find((c) => c.keys.at(-1) === question!.prompt)!;
      const [x1, x2, x3] = chain.keys;
      expect(question!.answer).toBe([x2, x1, ...chain.value].join(' '));
      expect(task.context).toContain(`${x3} ${x2} `);
      expect(task.context).toContain(`${x2} ${x1} `);
      expect(task.context).toContain(`${x1} ${chain.value.join(' ')} `);
      expect(evidenceWords(task)).toEqual([x2, x1, ...chain.value]);
    }
  });

  it('aggregation: one value is the most frequent by the margin, and the question is the aggregate token', () => {
    for (const task of make('aggregation', 'ag', 5)) {
      if (task.family !== 'aggregation') throw new Error('wrong family');
      const words = task.context.split(' ');
      const [mode, ...others] = task.counts;
      for (const { value, count } of task.counts) {
        expect(words.filter((w) => w === value)).toHaveLength(count);
      }
      for (const other of others) expect(other.count).toBeLessThanOrEqual(mode!.count - 2);
      expect(taskPrompts(task)).toEqual([vocabulary.aggregate]);
      expect(evidenceWords(task).slice(0, mode!.count)).toEqual(
        Array(mode!.count).fill(mode!.value),
      );
      expect(evaluateAnswers(task, [mode!.value]).accuracy).toBe(1);
      expect(evaluateAnswers(task, [others[0]!.value]).accuracy).toBe(0);
    }
  });

  it('recall: its question points at the value right after the asked key', () => {
    for (const task of make('recall', 'rc', 5)) {
      if (task.family !== 'recall') throw new Error('wrong family');
      expect(evidenceWords(task)).toEqual([task.expected.answers[0]]);
      const words = task.context.split(' ');
      expect(words[task.question.evidence[0]! - 1]).toBe(task.prompt);
    }
  });

  it('refuse what the vocabulary or the tier cannot hold, naming the family', () => {
    expect(() => make('multi_query', 'x', 1, { multiQuery: { pairs: 17 } })).toThrow(
      expect.objectContaining({ code: 'TASK_BAD_RECALL_VOCABULARY' }),
    );
    expect(() =>
      synthesizeTasks({
        seed: 's',
        tier: { name: 'tiny', maxContextChars: 40 },
        count: 1,
        families: ['multi_needle'],
        recall: { vocabulary },
      }),
    ).toThrow(expect.objectContaining({ code: 'TASK_BUDGET_TOO_SMALL' }));
    const { aggregate: _, ...withoutAggregate } = vocabulary;
    expect(() =>
      synthesizeTasks({
        seed: 's',
        tier,
        count: 1,
        families: ['aggregation'],
        recall: { vocabulary: withoutAggregate },
      }),
    ).toThrow(expect.objectContaining({ code: 'TASK_BAD_RECALL_VOCABULARY' }));
    expect(() =>
      synthesizeTasks({ seed: 's', tier, count: 1, families: ['variable_tracking'] }),
    ).toThrow(
      expect.objectContaining({
        code: 'TASK_BAD_PARAMETERS',
        details: expect.stringContaining('variable_tracking'),
      }),
    );
    expect(() => make('multi_query', 'x', 1, { multiQuery: { pairs: 3, questions: 4 } })).toThrow(
      expect.objectContaining({ code: 'TASK_BAD_PARAMETERS' }),
    );
  });
});
