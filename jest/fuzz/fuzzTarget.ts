import { createHash } from 'node:crypto';
import fc from 'fast-check';
import { AllocationMeter, type AllocationReport } from './allocationMeter';

/**
 * One parser of untrusted bytes under fast-check. The property is the same everywhere: the
 * parser returns a valid result (checked by `check`) or throws one of our typed errors
 * (`accept`); it never throws anything else, never spends more than CASE_CPU_MS of CPU on one
 * case, and never asks for memory far beyond the size of its input.
 */
export interface FuzzTarget<Input, Prepared> {
  readonly name: string;
  /** Generates a case. Keep it compact (mutations of a seed, not the mutated bytes) so a shrunk counterexample is small enough to commit. */
  readonly input: fc.Arbitrary<Input>;
  /** Turns a case into what the parser reads; not metered. */
  readonly prepare: (input: Input) => Prepared;
  /** Bytes the parser was given: the allocation bound scales with it. */
  readonly size: (prepared: Prepared) => number;
  readonly parse: (prepared: Prepared) => unknown;
  /** Whether a thrown value is one of our typed errors (SignalError with a code). */
  readonly accept: (error: unknown) => boolean;
  /** Checks a result the parser returned; throws when it is not valid. */
  readonly check?: (result: unknown, prepared: Prepared) => void;
  /** Counterexamples found earlier, run before the generated cases. */
  readonly regressions?: readonly Input[];
  /**
   * Cases in the seeded CI suite, instead of its 1 000, for a target too slow per case for that
   * (one that goes over a real socket, say). `pnpm fuzz` (FUZZ_RUNS set) ignores it: there every
   * target runs the full count.
   */
  readonly ciRuns?: number;
  /** Largest single allocation allowed: `floor + perInputByte × size`. Defaults 1 MiB + 16×. */
  readonly allocation?: { readonly floorBytes?: number; readonly perInputByte?: number };
}

export interface AsyncFuzzTarget<Input, Prepared>
  extends Omit<FuzzTarget<Input, Prepared>, 'parse' | 'prepare'> {
  readonly prepare: (input: Input) => Prepared | Promise<Prepared>;
  readonly parse: (prepared: Prepared) => Promise<unknown>;
  /** Wall-clock limit of one case (async targets wait on sockets). Default 10 s. */
  readonly caseTimeoutMs?: number;
}

/** CPU a single case may use (user + system, all threads) before it counts as a hang. */
export const CASE_CPU_MS = 1_000;
const MiB = 1024 * 1024;

const CI_RUNS = 1_000;

/** Cases per target: FUZZ_RUNS (pnpm fuzz sets 100 000), else the seeded 1 000 of the CI suite. */
export function fuzzRuns(): number {
  const raw = process.env.FUZZ_RUNS;
  if (raw === undefined || raw === '') return CI_RUNS;
  const runs = Number(raw);
  if (!Number.isSafeInteger(runs) || runs < 1) {
    throw new Error(`FUZZ_RUNS must be a positive integer, got "${raw}"`);
  }
  return runs;
}

/**
 * The seed of a target: FUZZ_SEED when set (a number, or "random" for a fresh one each run),
 * else one derived from the target's name, so the CI suite replays the same cases every time.
 */
export function fuzzSeed(name: string): number {
  const raw = process.env.FUZZ_SEED;
  if (raw === 'random') return (Date.now() ^ (Math.random() * 0x7fffffff)) | 0;
  if (raw !== undefined && raw !== '') {
    const seed = Number(raw);
    if (!Number.isSafeInteger(seed)) throw new Error(`FUZZ_SEED must be an integer, got "${raw}"`);
    return seed | 0;
  }
  return createHash('sha256').update(name).digest().readInt32LE(0);
}

/** Cases of one target: the full FUZZ_RUNS under `pnpm fuzz`, else its CI share. */
function targetRuns(ciRuns: number | undefined): number {
  const raw = process.env.FUZZ_RUNS;
  if (raw === undefined || raw === '') return Math.min(ciRuns ?? CI_RUNS, CI_RUNS);
  return fuzzRuns();
}

/** Jest's timeout for a whole target: a minute plus 50 ms per case. */
function testTimeout(runs: number): number {
  return 60_000 + runs * 50;
}

function cpuMs(since: NodeJS.CpuUsage): number {
  const used = process.cpuUsage(since);
  return (used.user + used.system) / 1000;
}

function describeError(error: unknown): string {
  // Errors made by the main realm (Node's built-ins, shared typed arrays) are not instances of
  // the test realm's Error, so this looks at the shape.
  if (typeof error === 'object' && error !== null && 'message' in error) {
    const { name, message } = error as { name?: unknown; message?: unknown };
    const code = (error as { code?: unknown }).code;
    return `${String(name)}${code === undefined ? '' : ` [${String(code)}]`}: ${String(message).split('\n')[0]}`;
  }
  return `non-error thrown: ${String(error)}`;
}

class PropertyBreach extends Error {
  override name = 'PropertyBreach';
}

function verdict<Prepared>(
  target: Pick<FuzzTarget<unknown, Prepared>, 'accept' | 'check' | 'allocation'>,
  prepared: Prepared,
  size: number,
  outcome: { result: unknown } | { error: unknown },
  cpu: number,
  allocations: AllocationReport,
): void {
  if ('error' in outcome) {
    if (outcome.error instanceof PropertyBreach) throw outcome.error;
    if (!target.accept(outcome.error)) {
      throw new PropertyBreach(`threw an untyped error: ${describeError(outcome.error)}`, {
        cause: outcome.error,
      });
    }
  } else {
    target.check?.(outcome.result, prepared);
  }
  if (cpu > CASE_CPU_MS) {
    throw new PropertyBreach(`one case used ${cpu.toFixed(0)} ms of CPU (limit ${CASE_CPU_MS})`);
  }
  const floor = target.allocation?.floorBytes ?? MiB;
  const perByte = target.allocation?.perInputByte ?? 16;
  const limit = floor + perByte * size;
  if (allocations.largest > limit) {
    throw new PropertyBreach(
      `asked for ${allocations.largest} bytes at once (${allocations.largestAt}) for ${size} input bytes; limit ${limit}`,
    );
  }
}

/** Declares a jest test that runs `target` for fuzzRuns() cases. */
export function fuzzTarget<Input, Prepared>(target: FuzzTarget<Input, Prepared>): void {
  const runs = targetRuns(target.ciRuns);
  it(
    `${target.name}: typed errors or valid results only (${runs} cases)`,
    () => {
      const meter = new AllocationMeter();
      const property = fc.property(target.input, (input) => {
        const prepared = target.prepare(input);
        const size = target.size(prepared);
        meter.begin();
        const since = process.cpuUsage();
        let outcome: { result: unknown } | { error: unknown };
        try {
          outcome = { result: target.parse(prepared) };
        } catch (error) {
          outcome = { error };
        }
        const cpu = cpuMs(since);
        verdict(target, prepared, size, outcome, cpu, meter.end());
      });
      meter.start();
      try {
        fc.assert(property, {
          numRuns: runs,
          seed: fuzzSeed(target.name),
          examples: (target.regressions ?? []).map((input) => [input] as [Input]),
        });
      } finally {
        meter.stop();
      }
    },
    testTimeout(runs),
  );
}

/** The same for a parser behind a socket or a file: each case is awaited, with a wall-clock limit. */
export function asyncFuzzTarget<Input, Prepared>(target: AsyncFuzzTarget<Input, Prepared>): void {
  const runs = targetRuns(target.ciRuns);
  it(
    `${target.name}: typed errors or valid results only (${runs} cases)`,
    async () => {
      const meter = new AllocationMeter();
      const property = fc.asyncProperty(target.input, async (input) => {
        const prepared = await target.prepare(input);
        const size = target.size(prepared);
        meter.begin();
        const since = process.cpuUsage();
        let outcome: { result: unknown } | { error: unknown };
        try {
          outcome = { result: await target.parse(prepared) };
        } catch (error) {
          outcome = { error };
        }
        const cpu = cpuMs(since);
        verdict(target, prepared, size, outcome, cpu, meter.end());
      });
      meter.start();
      try {
        await fc.assert(property, {
          numRuns: runs,
          seed: fuzzSeed(target.name),
          timeout: target.caseTimeoutMs ?? 10_000,
          examples: (target.regressions ?? []).map((input) => [input] as [Input]),
        });
      } finally {
        meter.stop();
      }
    },
    testTimeout(runs),
  );
}
