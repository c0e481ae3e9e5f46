#!/usr/bin/env node
import { CommanderError } from 'commander';
import { createProgram } from './program';

createProgram()
  .parseAsync(process.argv)
  .catch((error: unknown) => {
    if (error instanceof CommanderError) {
      process.exitCode = error.exitCode;
      return;
    }
    process.stderr.write(`signal: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exitCode = 1;
  });
