import type { SeededRandom } from '../../corpus/SeededRandom';
import type { RecallVocabulary } from '../RecallVocabulary';
import type { TaskTier } from '../TaskTier';
import { drawNeedles } from './drawNeedles';
import { layoutSegments } from './layoutSegments';
import { needleQuestion } from './needleQuestion';
import type { RulerOptions } from './RulerOptions';
import type { MultiNeedleTask } from './RulerTask';

export interface RulerTaskParameters<Options> {
  random: SeededRandom;
  id: string;
  tier: TaskTier;
  vocabulary: RecallVocabulary;
  options: Options;
}

/**
 * `needles + distractors` key/value pairs of one shape among fillers; the question asks one
 * needle, or every needle in turn (right only when all are). Distractors look exactly like
 * needles, so a condenser that keeps "some pairs" is not enough.
 */
export function synthesizeMultiNeedleTask({
  random,
  id,
  tier,
  vocabulary,
  options,
}: RulerTaskParameters<RulerOptions['multiNeedle']>): MultiNeedleTask {
  const { needles, distractors, retrieve, valueTokens } = options;
  const pairs = drawNeedles(random.fork('pairs'), vocabulary, needles + distractors, valueTokens);
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
  const asked =
    retrieve === 'all'
      ? pairs.slice(0, needles).map((_, i) => i)
      : [random.fork('target').int(0, needles - 1)];
  return {
    family: 'multi_needle',
    id,
    tier: tier.name,
    context: laid.words.join(vocabulary.joiner),
    pairs: pairs.map((pair) => ({ key: pair.key, value: [...pair.value] })),
    needles,
    retrieve,
    questions: asked.map((i) => needleQuestion(pairs[i]!, laid.starts[i]!, vocabulary.joiner)),
    scoring: 'all',
  };
}
