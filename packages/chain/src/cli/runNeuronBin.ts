import { isSignalError } from '@signal/core';
import { CommanderError } from 'commander';
import type { NeuronMain } from './NeuronMain';

const STOP_SIGNALS = ['SIGINT', 'SIGTERM'] as const;

/**
 * The body of a neuron binary: runs `main` on the process's arguments, stops it gracefully on
 * SIGINT or SIGTERM (the same signal again kills as usual, for a drain that hangs), and turns
 * a failure into the exit code. commander has already printed its own errors and help, so a
 * `CommanderError` only sets its exit code; anything else prints `<name>: CODE: message` and
 * exits 1.
 */
export async function runNeuronBin(name: string, main: NeuronMain): Promise<void> {
  const stop = new AbortController();
  const abort = () => stop.abort();
  for (const signal of STOP_SIGNALS) process.once(signal, abort);
  try {
    await main(process.argv.slice(2), { signal: stop.signal });
  } catch (error) {
    process.exitCode = reportFailure(name, error);
  } finally {
    for (const signal of STOP_SIGNALS) process.off(signal, abort);
  }
}

/** Says what failed, unless commander already has, and returns the exit code. */
function reportFailure(name: string, error: unknown): number {
  if (error instanceof CommanderError) return error.exitCode;
  const message = isSignalError(error)
    ? `${error.code}: ${error.message}`
    : error instanceof Error
      ? error.message
      : String(error);
  process.stderr.write(`${name}: ${message}\n`);
  return 1;
}
