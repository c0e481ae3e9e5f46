import { runGatewayCli } from '@signal/gateway';
import { Command } from 'commander';

/** Where `keys` and `usage` print; tests capture it, the binary writes stdout. */
export type GatewayCommandOutput = (text: string) => void;

/**
 * `signal gateway [flags]` serves the organic gateway standalone; `signal gateway keys …`
 * and `signal gateway usage …` administer its store. The arguments go to
 * `@signal/gateway`'s own command line, which parses (and documents, with `--help`) them;
 * SIGINT and SIGTERM stop the server gracefully.
 */
export function gatewayCommand(
  output: GatewayCommandOutput = (text) => process.stdout.write(text),
): Command {
  return new Command('gateway')
    .description(
      'Serve the organic gateway on its own (file store or Redis); keys create|list|revoke|set-limits; usage',
    )
    .helpOption(false)
    .allowUnknownOption()
    .allowExcessArguments()
    .argument('[arguments...]')
    .exitOverride()
    .action(async (args: string[]) => {
      const stop = new AbortController();
      const abort = () => stop.abort();
      process.once('SIGINT', abort);
      process.once('SIGTERM', abort);
      try {
        await runGatewayCli(args, { signal: stop.signal, output });
      } finally {
        process.off('SIGINT', abort);
        process.off('SIGTERM', abort);
      }
    });
}
