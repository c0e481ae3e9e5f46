#!/usr/bin/env node
import { isSignalError } from '@signal/core';
import { CommanderError } from 'commander';
import { runValidatorCli } from './cli/runValidatorCli';

const stop = new AbortController();
for (const name of ['SIGINT', 'SIGTERM'] as const) {
  process.once(name, () => stop.abort());
}

runValidatorCli(process.argv.slice(2), { signal: stop.signal }).catch((error: unknown) => {
  if (error instanceof CommanderError) {
    process.exitCode = error.exitCode;
    return;
  }
  const message = isSignalError(error)
    ? `${error.code}: ${error.message}`
    : error instanceof Error
      ? error.message
      : String(error);
  process.stderr.write(`signal-validator: ${message}\n`);
  process.exitCode = 1;
});
