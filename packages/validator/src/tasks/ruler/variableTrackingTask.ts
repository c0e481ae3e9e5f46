import { assertEnough } from './drawNeedles';
import { layoutSegments } from './layoutSegments';
import type { RulerTaskParameters } from './multiNeedleTask';
import type { RulerOptions } from './RulerOptions';
import type { VariableTrackingTask } from './RulerTask';

/**
 * RULER's variable tracking on the reference vocabulary: chains `X1 v… ; X2 X1 ; … ; Xn Xn−1 ;`
 * (each link a key then the key it takes its value from), links scattered at seeded places,
 * other chains as distractors. The last key of one chain is asked; the reply must walk the
 * chain, `Xn−1 … X1 v…`, so every link's successor word is evidence.
 */
export function synthesizeVariableTrackingTask({
  random,
  id,
  tier,
  vocabulary,
  options,
}: RulerTaskParameters<RulerOptions['variableTracking']>): VariableTrackingTask {
  const { chains: count, links, valueTokens } = options;
  assertEnough(
    vocabulary,
    count * links,
    count * valueTokens,
    `${count} chains of ${links} links with ${valueTokens}-word values`,
  );
  const draw = random.fork('chains');
  const keys = draw.sample(vocabulary.keys, count * links);
  const values = draw.sample(vocabulary.values, count * valueTokens);
  const chains = Array.from({ length: count }, (_, c) => ({
    keys: keys.slice(c * links, (c + 1) * links),
    value: values.slice(c * valueTokens, (c + 1) * valueTokens),
  }));
  const separators = random.fork('separators');
  // Segment c·links + i is link i of chain c.
  const segments = chains.flatMap((chain) =>
    chain.keys.map((key, i) => [
      key,
      ...(i === 0 ? chain.value : [chain.keys[i - 1]!]),
      separators.pick(vocabulary.separators),
    ]),
  );
  const laid = layoutSegments({
    random,
    tier,
    vocabulary,
    segments,
    what: `${count} chains of ${links} links`,
  });
  const target = random.fork('target').int(0, count - 1);
  const chain = chains[target]!;
  const start = (link: number) => laid.starts[target * links + link]!;
  const walk = [...chain.keys.slice(0, -1).reverse(), ...chain.value];
  const evidence = [
    ...Array.from({ length: links - 1 }, (_, i) => start(links - 1 - i) + 1),
    ...chain.value.map((_, i) => start(0) + 1 + i),
  ];
  return {
    family: 'variable_tracking',
    id,
    tier: tier.name,
    context: laid.words.join(vocabulary.joiner),
    chains,
    questions: [{ prompt: chain.keys[links - 1]!, answer: walk.join(vocabulary.joiner), evidence }],
    scoring: 'each',
  };
}
