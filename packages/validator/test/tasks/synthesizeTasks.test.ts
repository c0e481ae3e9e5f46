import { assertContextFits, DEFAULT_TIERS } from '@signal/core';
import { synthesizeTasks, type Task, TaskSchema } from '@signal/validator';
import fc from 'fast-check';
import { recallVocabulary } from './vocabulary';

const TIERS = [
  { name: 'research', maxContextChars: 2500 },
  { name: 'inference_0', maxContextChars: 3000 },
  { name: 'inference_1', maxContextChars: 7000 },
];
const ALL = ['needle', 'continuation', 'existence', 'recall'] as const;

const make = (seed: string, count: number, tier = TIERS[0]!) =>
  synthesizeTasks({
    seed,
    tier,
    count,
    families: [...ALL],
    recall: { vocabulary: recallVocabulary },
  });

describe('synthesizeTasks', () => {
  it('is deterministic from the seed', () => {
    fc.assert(
      fc.property(fc.string({ minLength: 1 }), (seed) => {
        expect(make(seed, 4)).toEqual(make(seed, 4));
      }),
      { numRuns: 10 },
    );
    expect(make('a', 4)).not.toEqual(make('b', 4));
  });

  it('makes task i the same whatever the count', () => {
    const few = make('stable', 4);
    const many = new Map(make('stable', 9).map((task) => [task.id, task]));
    for (const task of few) expect(many.get(task.id)).toEqual(task);
  });

  it('deals families evenly, validates against the schema and fills each tier', () => {
    for (const tier of TIERS) {
      const tasks = make(`fill-${tier.name}`, 8, tier);
      const counts = new Map<string, number>();
      for (const task of tasks) {
        expect(TaskSchema.parse(task)).toEqual(task);
        expect(task.tier).toBe(tier.name);
        expect(task.context.length).toBeLessThanOrEqual(tier.maxContextChars);
        expect(task.context.length).toBeGreaterThan(tier.maxContextChars * 0.85);
        counts.set(task.family, (counts.get(task.family) ?? 0) + 1);
      }
      expect([...counts.values()]).toEqual([2, 2, 2, 2]);
      expect(new Set(tasks.map((task) => task.id)).size).toBe(8);
    }
  });

  it("fits core's default tiers as core checks them", () => {
    for (const tier of DEFAULT_TIERS) {
      for (const task of make(`core-${tier.name}`, 4, tier)) {
        expect(() => assertContextFits(tier, task.context)).not.toThrow();
      }
    }
  });

  it('names the bad parameter', () => {
    expect(() =>
      synthesizeTasks({ seed: 's', tier: TIERS[0]!, count: 1, families: ['recall'] }),
    ).toThrow(
      expect.objectContaining({
        code: 'TASK_BAD_PARAMETERS',
        details: expect.stringContaining('recall'),
      }),
    );
    expect(() =>
      synthesizeTasks({
        seed: 's',
        tier: { name: 't', maxContextChars: -1 },
        count: 1,
        families: ['needle'],
      }),
    ).toThrow(
      expect.objectContaining({
        code: 'TASK_BAD_PARAMETERS',
        details: expect.stringContaining('maxContextChars'),
      }),
    );
    expect(() =>
      synthesizeTasks({
        seed: 's',
        tier: TIERS[0]!,
        count: 1,
        families: ['recall'],
        recall: { vocabulary: { ...recallVocabulary, fillers: ['K1'] } },
      }),
    ).toThrow(
      expect.objectContaining({
        code: 'TASK_BAD_PARAMETERS',
        details: expect.stringContaining('keys'),
      }),
    );
  });

  it('refuses a tier too small for the family', () => {
    expect(() =>
      synthesizeTasks({
        seed: 's',
        tier: { name: 'tiny', maxContextChars: 40 },
        count: 1,
        families: ['needle'],
      }),
    ).toThrow(expect.objectContaining({ code: 'TASK_BUDGET_TOO_SMALL' }));
    expect(() =>
      synthesizeTasks({
        seed: 's',
        tier: { name: 'tiny', maxContextChars: 5 },
        count: 1,
        families: ['existence'],
      }),
    ).toThrow(expect.objectContaining({ code: 'TASK_BUDGET_TOO_SMALL' }));
  });
});

describe('task families', () => {
  const of = <F extends Task['family']>(family: F, seed: string) =>
    synthesizeTasks({
      seed,
      tier: TIERS[0]!,
      count: 1,
      families: [family],
      recall: { vocabulary: recallVocabulary, pairs: 5 },
    })[0] as Extract<Task, { family: F }>;

  it('needle: every fact is in the context once, the question has one known answer', () => {
    fc.assert(
      fc.property(fc.string({ minLength: 1 }), (seed) => {
        const task = of('needle', seed);
        expect(task.needles).toHaveLength(4);
        expect(new Set(task.needles.map((n) => n.subject)).size).toBe(4);
        for (const needle of task.needles)
          expect(task.context.split(needle.sentence)).toHaveLength(2);
        const target = task.needles[task.target]!;
        expect(task.expected.answers).toEqual(target.answers);
        expect(task.prompt).toContain(target.question);
        expect(task.context).toContain(target.answers[0]);
        // At least one distractor is a fact of the same kind.
        expect(task.needles.filter((n) => n.kind === target.kind).length).toBeGreaterThanOrEqual(2);
      }),
      { numRuns: 25 },
    );
  });

  it('continuation: the held-out text continues the passage and is long enough', () => {
    const task = of('continuation', 'cont');
    expect(task.continuation.startsWith(' ')).toBe(true);
    expect(task.continuation.length).toBeGreaterThanOrEqual(256);
    expect(task.context.endsWith('.')).toBe(true);
    expect(task.continuation.trim()).toMatch(/^[A-Z][\s\S]*\.$/);
  });

  it('existence: one chunk from the context answers yes, a near miss not in it answers no', () => {
    fc.assert(
      fc.property(fc.string({ minLength: 1 }), (seed) => {
        const task = of('existence', seed);
        const yes = task.probes.filter((p) => p.expected === 'yes');
        const no = task.probes.filter((p) => p.expected === 'no');
        expect(yes).toHaveLength(1);
        expect(no).toHaveLength(1);
        expect(task.context).toContain(yes[0]!.chunk);
        expect(task.context).not.toContain(no[0]!.chunk);
        for (const probe of task.probes) expect(probe.prompt).toContain(probe.chunk);
      }),
      { numRuns: 25 },
    );
  });

  it('recall: key-value pairs sit among filler tokens and the prompt is a key', () => {
    fc.assert(
      fc.property(fc.string({ minLength: 1 }), (seed) => {
        const task = of('recall', seed);
        const tokens = task.context.split(' ');
        expect(task.pairs).toHaveLength(5);
        for (const { key, value } of task.pairs) {
          expect(tokens.filter((t) => t === key)).toHaveLength(1);
          expect(tokens[tokens.indexOf(key) + 1]).toBe(value);
        }
        const allowed = new Set([
          ...task.pairs.flatMap((p) => [p.key, p.value]),
          ...recallVocabulary.fillers,
          ...recallVocabulary.separators,
        ]);
        expect(tokens.filter((token) => !allowed.has(token))).toEqual([]);
        const asked = task.pairs[task.target]!;
        expect(task.prompt).toBe(asked.key);
        expect(task.expected.answers).toEqual([asked.value]);
      }),
      { numRuns: 25 },
    );
  });

  it('recall: refuses more pairs than the vocabulary has keys', () => {
    expect(() =>
      synthesizeTasks({
        seed: 's',
        tier: TIERS[0]!,
        count: 1,
        families: ['recall'],
        recall: { vocabulary: recallVocabulary, pairs: 13 },
      }),
    ).toThrow(expect.objectContaining({ code: 'TASK_BAD_RECALL_VOCABULARY' }));
  });
});
