/**
 * Decode throughput of a batch of 8 rows on the grafted `small` model when the rows carry
 * 1, 2, 4 or 8 distinct r=16 adapters (q/k/v/o), against the ungrafted base model decoding
 * the same batch in the same run. Prints JSON; the target is ≥ 0.7× the base at 8 adapters.
 *
 *   npx tsx bench/lora/decodeThroughput.ts [steps=64] [repeats=11]
 */
import type { LoraBinding, LoraModel } from '../../packages/lora/src/index';
import { argmax, CausalLM } from '../../packages/runtime/src/index';
import { type Fixture, loadLora, makeFixture, median, SESSION } from './fixtures';

const steps = Number(process.argv[2] ?? 64);
const repeats = Number(process.argv[3] ?? 11);
const BATCH = 8;
const PROMPT = 16;

const prompts = Array.from({ length: BATCH }, (_, b) =>
  Array.from({ length: PROMPT }, (_, t) => 3 + ((b * 31 + t * 7) % 200)),
);

/** A model's prefill and step; generic in the cache type, as base and grafted runs differ. */
interface Stepper<Cache> {
  prefill(): Promise<{ logits: { at(b: number, t?: number): Float32Array }; cache: Cache }>;
  step(
    tokens: number[],
    cache: Cache,
  ): Promise<{ logits: { at(b: number, t?: number): Float32Array }; cache: Cache }>;
}

/** One round: tokens per second over `steps` greedy decode steps after a prefill. */
function rounds<Cache>(stepper: Stepper<Cache>): () => Promise<number> {
  return async () => {
    let { logits, cache } = await stepper.prefill();
    const start = performance.now();
    for (let s = 0; s < steps; s++) {
      const next = prompts.map((_, b) => argmax(logits.at(b, -1)));
      ({ logits, cache } = await stepper.step(next, cache));
    }
    return (steps * BATCH) / ((performance.now() - start) / 1000);
  };
}

/** Per configuration: median tokens/s, and its ratio to `base` as a median of per-round ratios. */
interface Rated {
  tokensPerSecond: number;
  ratioToBase: number;
  ratioRange: [number, number];
}

/**
 * Rounds of every configuration interleaved, so drift in machine load (other processes share
 * the cores) hits all of them alike; the first round is a warm-up. Each round's rates are
 * divided by that round's base rate, and the ratios' median is reported with their range.
 */
async function interleaved(
  steppers: Record<string, () => Promise<number>>,
): Promise<{ base: number; rated: Record<string, Rated> }> {
  const rounds: Record<string, number>[] = [];
  for (let r = 0; r <= repeats; r++) {
    // Rotate the order each round so no configuration always follows the same neighbour.
    const entries = Object.entries(steppers);
    const rotated = [...entries.slice(r % entries.length), ...entries.slice(0, r % entries.length)];
    const rates: Record<string, number> = {};
    for (const [name, stepper] of rotated) rates[name] = await stepper();
    if (r > 0) rounds.push(rates);
  }
  const rated: Record<string, Rated> = {};
  for (const name of Object.keys(steppers)) {
    if (name === 'base') continue;
    const ratios = rounds.map((rates) => rates[name]! / rates.base!);
    rated[name] = {
      tokensPerSecond: median(rounds.map((rates) => rates[name]!)),
      ratioToBase: median(ratios),
      ratioRange: [Math.min(...ratios), Math.max(...ratios)],
    };
  }
  return { base: median(rounds.map((rates) => rates.base!)), rated };
}

function loraStepper(lora: LoraModel, binding: LoraBinding): () => Promise<number> {
  return rounds({
    prefill: () => lora.prefill(prompts, binding),
    step: (tokens, cache) => lora.step(tokens, cache, binding),
  });
}

async function main(): Promise<void> {
  const fixture: Fixture = await makeFixture(8);
  const base = await CausalLM.load(fixture.modelDir, { session: SESSION });
  const lora = await loadLora(fixture);
  try {
    const bindings: LoraBinding[] = [await lora.bind([null])];
    const steppers: Record<string, () => Promise<number>> = {
      base: rounds({
        prefill: () => base.prefill(prompts),
        step: (tokens, cache) => base.step(tokens, cache),
      }),
      grafted_rank0: loraStepper(lora, bindings[0]!),
    };
    for (const distinct of [1, 2, 4, 8]) {
      const binding = await lora.bind(prompts.map((_, b) => fixture.adapterNames[b % distinct]!));
      bindings.push(binding);
      steppers[`adapters_${distinct}`] = loraStepper(lora, binding);
    }
    const { base: baseRate, rated: results } = await interleaved(steppers);
    for (const binding of bindings) binding.release();
    console.log(
      JSON.stringify(
        {
          benchmark: 'lora.decodeThroughput',
          model: 'builder small (4 layers, hidden 256)',
          batch: BATCH,
          promptTokens: PROMPT,
          steps,
          repeats,
          rank: 16,
          targets: 'q,k,v,o',
          baseline: { name: 'ungrafted base CausalLM', tokensPerSecond: baseRate },
          results,
          target: { adapters_8_ratio_at_least: 0.7, met: results.adapters_8!.ratioToBase >= 0.7 },
        },
        null,
        2,
      ),
    );
  } finally {
    await lora.dispose();
    await base.dispose();
    await fixture.cleanup();
  }
}

void main();
