import {
  type Metagraph,
  metagraphToJson,
  type NeuronInfo,
  openChain,
  RAO_PER_TAO,
} from '@signal/chain';
import { Command, InvalidArgumentError, Option } from 'commander';

/** Where the command prints; tests capture it, the binary writes stdout. */
export type MetagraphCommandOutput = (text: string) => void;

interface MetagraphOptions {
  'subtensor.network': string;
  netuid: number;
  block?: string;
  json?: boolean;
  timeout: number;
}

function netuid(raw: string): number {
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 0 || value > 65535) {
    throw new InvalidArgumentError('--netuid must be an integer in [0, 65535]');
  }
  return value;
}

function blockHash(raw: string): string {
  if (!/^0x[0-9a-fA-F]{64}$/.test(raw))
    throw new InvalidArgumentError('--block must be a 0x-prefixed 32-byte hash');
  return raw;
}

function milliseconds(raw: string): number {
  const value = Number(raw);
  if (!Number.isSafeInteger(value) || value <= 0)
    throw new InvalidArgumentError('--timeout must be a positive integer (ms)');
  return value;
}

function tao(rao: bigint): string {
  const whole = rao / RAO_PER_TAO;
  const fraction = (rao % RAO_PER_TAO).toString().padStart(9, '0').slice(0, 4);
  return `${whole}.${fraction}`;
}

function shortKey(address: string): string {
  return `${address.slice(0, 6)}…${address.slice(-4)}`;
}

/** A fixed-width table for people; `--json` is the stable format for scripts. */
export function renderMetagraphTable(metagraph: Metagraph): string {
  const header = [
    'UID',
    'HOTKEY',
    'COLDKEY',
    'STAKE(α)',
    'VPERMIT',
    'ACTIVE',
    'INCENTIVE',
    'DIVIDENDS',
    'EMISSION(τ)',
    'AXON',
  ];
  const rows = metagraph.neurons.map((n: NeuronInfo) => [
    String(n.uid),
    shortKey(n.hotkey),
    shortKey(n.coldkey),
    tao(n.stake.alpha),
    n.validatorPermit ? 'yes' : '',
    n.active ? 'yes' : '',
    n.incentive.toFixed(5),
    n.dividends.toFixed(5),
    tao(n.emission),
    n.axon.port === 0
      ? '-'
      : n.axon.ipType === 6
        ? `[${n.axon.ip}]:${n.axon.port}`
        : `${n.axon.ip}:${n.axon.port}`,
  ]);
  const widths = header.map((title, column) =>
    Math.max(title.length, ...rows.map((row) => row[column]!.length)),
  );
  const line = (cells: string[]) =>
    cells
      .map((cell, column) => cell.padEnd(widths[column]!))
      .join('  ')
      .trimEnd();
  return [
    `netuid ${metagraph.netuid} at block ${metagraph.block}: ${metagraph.n} neurons`,
    line(header),
    ...rows.map(line),
    '',
  ].join('\n');
}

/**
 * `signal metagraph`: reads a subnet's metagraph from subtensor (finney, test, local, a URL)
 * or a LocalChain file, at the head or at `--block`. Every flag has an env form.
 */
export function metagraphCommand(
  output: MetagraphCommandOutput = (text) => process.stdout.write(text),
): Command {
  return new Command('metagraph')
    .description('Print a subnet metagraph (uids, keys, stakes, axons, scores)')
    .showHelpAfterError()
    .exitOverride()
    .addOption(
      new Option(
        '--subtensor.network <network>',
        'finney | test | local | ws(s)://… | local:<LocalChain file>',
      )
        .env('SIGNAL_SUBTENSOR_NETWORK')
        .default('finney'),
    )
    .addOption(
      new Option('--netuid <n>', 'subnet uid')
        .env('SIGNAL_NETUID')
        .argParser(netuid)
        .makeOptionMandatory(),
    )
    .addOption(
      new Option('--block <hash>', 'read at this block hash (default: the head)')
        .env('SIGNAL_BLOCK')
        .argParser(blockHash),
    )
    .addOption(new Option('--json', 'print JSON (BigInts as decimal strings)').env('SIGNAL_JSON'))
    .addOption(
      new Option('--timeout <ms>', 'deadline for connecting and for each chain call')
        .env('SIGNAL_CHAIN_TIMEOUT_MS')
        .argParser(milliseconds)
        .default(30_000),
    )
    .action(async (options: MetagraphOptions) => {
      // A LocalChain file is only inspected here, never advanced or rewritten.
      const chain = await openChain({
        network: options['subtensor.network'],
        timeoutMs: options.timeout,
        readOnly: true,
      });
      try {
        const metagraph = await chain.metagraph(
          options.netuid,
          options.block ? { blockHash: options.block } : {},
        );
        output(
          options.json
            ? `${JSON.stringify(metagraphToJson(metagraph))}\n`
            : renderMetagraphTable(metagraph),
        );
      } finally {
        await chain.close();
      }
    });
}
