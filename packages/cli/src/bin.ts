#!/usr/bin/env node
import { isSignalError } from '@signal/core';
import { CommanderError } from 'commander';
import { createProgram } from './program';

createProgram()
  .parseAsync(process.argv)
  .catch((error: unknown) => {
    // commander has already printed its own errors and help; only the exit code is left.
    if (error instanceof CommanderError) {
      process.exitCode = error.exitCode;
      return;
    }
    // A stable code (as the neuron binaries print it) lets scripts tell failures apart.
    const message = isSignalError(error)
      ? `${error.code}: ${error.message}`
      : error instanceof Error
        ? error.message
        : String(error);
    process.stderr.write(`signal: ${message}\n`);
    process.exitCode = 1;
  });
