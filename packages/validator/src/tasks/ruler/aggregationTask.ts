import { TaskSynthesisError } from '../TaskSynthesisError';
import { assertEnough } from './drawNeedles';
import { layoutSegments } from './layoutSegments';
import type { RulerTaskParameters } from './multiNeedleTask';
import type { RulerOptions } from './RulerOptions';
import type { AggregationTask } from './RulerTask';

/**
 * RULER's frequent-words extraction on the reference vocabulary: `values` distinct values
 * scattered one by one among fillers, the first `modeCount` times and every other at most
 * `modeCount − margin` times. The aggregate question token asks for the most frequent; every
 * value occurrence is evidence (the answer's own first, since keeping only those suffices).
 */
export function synthesizeAggregationTask({
  random,
  id,
  tier,
  vocabulary,
  options,
}: RulerTaskParameters<RulerOptions['aggregation']>): AggregationTask {
  const { aggregate } = vocabulary;
  if (aggregate === undefined) {
    throw new TaskSynthesisError(
      'TASK_BAD_RECALL_VOCABULARY',
      'The aggregation family needs an aggregate question token.',
      {
        details: 'set `aggregate` in the recall vocabulary (the reference model asks with "most")',
      },
    );
  }
  const { modeCount, margin } = options;
  assertEnough(vocabulary, 0, options.values, `${options.values} distinct values`);
  const draw = random.fork('values');
  const values = draw.sample(vocabulary.values, options.values);
  const counts = values.map((value, i) => ({
    value,
    count: i === 0 ? modeCount : draw.int(1, modeCount - margin),
  }));
  const occurrences = counts.flatMap(({ value, count }) =>
    Array.from({ length: count }, () => value),
  );
  const laid = layoutSegments({
    random,
    tier,
    vocabulary,
    segments: occurrences.map((value) => [value]),
    what: `${occurrences.length} value occurrences`,
  });
  return {
    family: 'aggregation',
    id,
    tier: tier.name,
    context: laid.words.join(vocabulary.joiner),
    counts,
    questions: [{ prompt: aggregate, answer: values[0]!, evidence: [...laid.starts] }],
    scoring: 'each',
  };
}
