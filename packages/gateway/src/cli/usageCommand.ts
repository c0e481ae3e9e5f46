import { parseWithEnv } from '@signal/chain';
import { Command, InvalidArgumentError, Option } from 'commander';
import { openGatewayStore } from '../store/openGatewayStore';
import { UsageDayKeySchema } from '../usage/UsageDay';
import type { CliOutput } from './keysCommands';
import { type StoreFlags, storeLocation, storeOptions } from './storeFlags';

interface UsageFlags extends StoreFlags {
  key?: string;
  from?: string;
  to?: string;
  json?: boolean;
}

function day(flag: string): (raw: string) => string {
  return (raw) => {
    if (!UsageDayKeySchema.safeParse(raw).success) {
      throw new InvalidArgumentError(`${flag} takes a UTC day as YYYY-MM-DD, got "${raw}".`);
    }
    return raw;
  };
}

function usageCommand(): Command {
  const command = new Command('signal gateway usage')
    .description('Usage per API key per UTC day: requests, tokens in and out, refusals')
    .showHelpAfterError()
    .exitOverride()
    .action(() => undefined);
  for (const option of [
    ...storeOptions(true),
    new Option('--key <id>', 'one key id (default: every key)'),
    new Option('--from <day>', 'first UTC day, YYYY-MM-DD').argParser(day('--from')),
    new Option('--to <day>', 'last UTC day, YYYY-MM-DD').argParser(day('--to')),
    new Option('--json', 'print JSON'),
  ]) {
    command.addOption(option);
  }
  return command;
}

/** `signal gateway usage [--key ID] [--from DAY] [--to DAY] [--json]`. */
export async function runUsageCli(
  argv: readonly string[],
  env: NodeJS.ProcessEnv,
  output: CliOutput,
): Promise<void> {
  const flags = parseWithEnv<UsageFlags>(usageCommand(), argv, env);
  const store = await openGatewayStore(storeLocation(flags), 'admin');
  try {
    const days = await store.usage({
      ...(flags.key === undefined ? {} : { keyId: flags.key }),
      ...(flags.from === undefined ? {} : { from: flags.from }),
      ...(flags.to === undefined ? {} : { to: flags.to }),
    });
    if (flags.json) {
      output(`${JSON.stringify(days)}\n`);
      return;
    }
    output(
      days.length === 0
        ? 'No usage recorded.\n'
        : `${days
            .map(
              (d) =>
                `${d.day}  ${d.keyId}  requests=${d.requests}  in=${d.tokensIn}  out=${d.tokensOut}  2xx=${d.status2xx}  4xx=${d.status4xx}  5xx=${d.status5xx}  rate_limited=${d.rateLimited}`,
            )
            .join('\n')}\n`,
    );
  } finally {
    await store.close();
  }
}
