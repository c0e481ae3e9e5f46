#!/usr/bin/env node
// Runs a command while every core is kept busy, so the test suite meets the machine it will
// meet in CI and on validators: `node scripts/saturate-cores.mjs [--cores N] -- <command…>`.
//
// Each burner is a forked node process that spins in 20 ms slices and yields between them, so
// it still hears its IPC channel close: when this script exits for any reason (the command's
// end, a failure, Ctrl-C, even SIGKILL), the channel drops and the burner exits on its own.
// This script also kills the burners it started before it exits, and exits with the command's
// status (128 + signal number when the command was killed by a signal).
import { fork, spawn } from 'node:child_process';
import { availableParallelism, constants } from 'node:os';
import { fileURLToPath } from 'node:url';

const SLICE_MS = 20;

if (process.argv[2] === '--burn') {
  process.on('disconnect', () => process.exit(0));
  const spin = () => {
    const until = performance.now() + SLICE_MS;
    while (performance.now() < until) {
      // Busy on purpose: this loop is the load.
    }
    setImmediate(spin);
  };
  spin();
} else {
  main();
}

function parseArguments(argv) {
  let cores = availableParallelism();
  let index = 0;
  while (index < argv.length && argv[index] !== '--') {
    if (argv[index] === '--cores') {
      cores = Number(argv[index + 1]);
      index += 2;
    } else {
      fail(`unknown option ${argv[index]}`);
    }
  }
  const command = argv.slice(index + 1);
  if (!Number.isInteger(cores) || cores < 1) fail('--cores needs a positive integer');
  if (command.length === 0) fail('no command given after --');
  return { cores, command };
}

function fail(message) {
  console.error(`saturate-cores: ${message}`);
  console.error('usage: node scripts/saturate-cores.mjs [--cores N] -- <command> [args…]');
  process.exit(2);
}

function main() {
  const { cores, command } = parseArguments(process.argv.slice(2));
  const self = fileURLToPath(import.meta.url);
  const burners = Array.from({ length: cores }, () =>
    fork(self, ['--burn'], { stdio: ['ignore', 'ignore', 'inherit', 'ipc'] }),
  );
  const stopBurners = () => {
    for (const burner of burners) if (burner.exitCode === null) burner.kill('SIGKILL');
  };
  process.on('exit', stopBurners);
  console.error(`saturate-cores: ${cores} busy process(es) running beside: ${command.join(' ')}`);

  const child = spawn(command[0], command.slice(1), { stdio: 'inherit', shell: false });
  // Ctrl-C reaches the whole foreground group; the command handles it, we wait for its end.
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
    process.on(signal, () => {
      if (child.exitCode === null) child.kill(signal);
    });
  }
  child.on('error', (error) => {
    console.error(`saturate-cores: cannot run ${command[0]}: ${error.message}`);
    process.exit(127);
  });
  child.on('exit', (code, signal) => {
    stopBurners();
    if (signal) process.exit(128 + (constants.signals[signal] ?? 1));
    process.exit(code ?? 1);
  });
}
