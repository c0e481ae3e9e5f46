import { drawNeedles } from './drawNeedles';
import { layoutSegments } from './layoutSegments';
import type { RulerTaskParameters } from './multiNeedleTask';
import { needleQuestion } from './needleQuestion';
import type { RulerOptions } from './RulerOptions';
import type { MultiQueryTask } from './RulerTask';

/**
 * Key/value pairs among fillers, and several different keys asked of the same context, each
 * scored on its own: a condenser works before any question is known, so it must keep what
 * every question could need.
 */
export function synthesizeMultiQueryTask({
  random,
  id,
  tier,
  vocabulary,
  options,
}: RulerTaskParameters<RulerOptions['multiQuery']>): MultiQueryTask {
  const { valueTokens, questions } = options;
  const pairs = drawNeedles(random.fork('pairs'), vocabulary, options.pairs, valueTokens);
  const separators = random.fork('separators');
  const laid = layoutSegments({
    random,
    tier,
    vocabulary,
    segments: pairs.map((pair) => [
      pair.key,
      ...pair.value,
      separators.pick(vocabulary.separators),
    ]),
    what: `${pairs.length} pairs`,
  });
  const asked = random.fork('targets').sample(
    pairs.map((_, i) => i),
    questions,
  );
  return {
    family: 'multi_query',
    id,
    tier: tier.name,
    context: laid.words.join(vocabulary.joiner),
    pairs: pairs.map((pair) => ({ key: pair.key, value: [...pair.value] })),
    questions: asked.map((i) => needleQuestion(pairs[i]!, laid.starts[i]!, vocabulary.joiner)),
    scoring: 'each',
  };
}
