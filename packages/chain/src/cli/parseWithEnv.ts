import type { Command, OptionValues } from 'commander';

/**
 * Parses user arguments (without node and the script) and returns the flags. commander
 * reads env forms only from `process.env`, so `env` stands in for it during the parse: a
 * caller (a test, the devnet) can run a neuron with its own env without touching the
 * process's.
 */
export function parseWithEnv<Flags extends OptionValues>(
  command: Command,
  argv: readonly string[],
  env: NodeJS.ProcessEnv,
): Flags {
  const previous = process.env;
  process.env = env;
  try {
    command.parse([...argv], { from: 'user' });
  } finally {
    process.env = previous;
  }
  return command.opts<Flags>();
}
