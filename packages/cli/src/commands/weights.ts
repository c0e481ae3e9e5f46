import { decodeAddress, encodeAddress } from '@polkadot/util-crypto';
import {
  type CommitRevealState,
  decryptWeightsCommit,
  encryptWeightsCommit,
  integerIn,
  openChain,
  QUICKNET,
  type WeightsTlockPayload,
} from '@signal/chain';
import { convertWeightsAndUidsForEmit, isSignalError } from '@signal/core';
import { commitRevealView, loadScoreState } from '@signal/validator';
import { Command, InvalidArgumentError, Option } from 'commander';
import { prettyJson } from '../output/prettyJson';

/** Where the command prints; tests capture it, the binary writes stdout. */
export type WeightsCommandOutput = (text: string) => void;

function hexBytes(flag: string) {
  return (raw: string): Uint8Array => {
    const hex = raw.startsWith('0x') ? raw.slice(2) : raw;
    if (hex.length === 0 || hex.length % 2 !== 0 || !/^[0-9a-fA-F]+$/.test(hex)) {
      throw new InvalidArgumentError(`${flag} must be hex bytes (an even number of hex digits).`);
    }
    return Uint8Array.from(Buffer.from(hex, 'hex'));
  };
}

function list(flag: string, parse: (item: string) => number) {
  return (raw: string): number[] =>
    raw.split(',').map((item, i) => {
      const value = parse(item.trim());
      if (Number.isNaN(value))
        throw new InvalidArgumentError(`${flag}: item ${i} ("${item}") is not a number.`);
      return value;
    });
}

function ss58(raw: string): Uint8Array {
  try {
    return decodeAddress(raw);
  } catch (error) {
    throw new InvalidArgumentError(`--hotkey must be an SS58 address: ${(error as Error).message}`);
  }
}

function u64(raw: string): bigint {
  if (!/^\d+$/.test(raw) || BigInt(raw) >= 1n << 64n) {
    throw new InvalidArgumentError('--version-key must be an integer in [0, 2^64).');
  }
  return BigInt(raw);
}

const round = integerIn('--round', 1, Number.MAX_SAFE_INTEGER);
const beaconOption = () =>
  new Option('--beacon <hex>', 'the beacon public key (96-byte G2); default: drand quicknet')
    .env('SIGNAL_WEIGHTS_BEACON')
    .argParser(hexBytes('--beacon'));
const jsonOption = () => new Option('--json', 'print JSON').env('SIGNAL_JSON');

const hex = (bytes: Uint8Array) => Buffer.from(bytes).toString('hex');
/** A u64 as JSON: a number while exact, else a decimal string. */
const u64Json = (value: bigint) =>
  value <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(value) : value.toString();

function payloadJson(payload: WeightsTlockPayload) {
  return {
    hotkey: encodeAddress(payload.hotkey, 42),
    uids: payload.uids,
    values: payload.values,
    version_key: u64Json(payload.versionKey),
  };
}

interface PendingJson {
  hotkey: string;
  epoch: number;
  reveal_epoch: number;
  block: number;
  reveal_round: number;
  round_ingested: boolean;
  commit_hash: string;
  /** What the chain will apply, opened with the pulse it already holds; null until then. */
  opened: ReturnType<typeof payloadJson> | null;
  open_error?: string;
}

async function pendingJson(
  state: CommitRevealState,
  pulse: (round: number) => Promise<Uint8Array | null>,
): Promise<PendingJson[]> {
  return Promise.all(
    state.commits.map(async (commit) => {
      const entry: PendingJson = {
        hotkey: commit.hotkey,
        epoch: commit.epoch,
        reveal_epoch: commit.epoch + state.revealPeriodEpochs,
        block: commit.block,
        reveal_round: commit.revealRound,
        round_ingested: commit.revealRound <= state.lastStoredRound,
        commit_hash: commit.commitHash,
        opened: null,
      };
      const signature = entry.round_ingested ? await pulse(commit.revealRound) : null;
      if (!signature) return entry;
      try {
        const bytes = Uint8Array.from(Buffer.from(commit.commitHex.slice(2), 'hex'));
        return { ...entry, opened: payloadJson(decryptWeightsCommit(bytes, signature)) };
      } catch (error) {
        return {
          ...entry,
          open_error: isSignalError(error) ? `${error.code}: ${error.shortMessage}` : String(error),
        };
      }
    }),
  );
}

function renderStatus(status: Awaited<ReturnType<typeof readStatus>>): string {
  const lines = [
    `subnet ${status.netuid} at block ${status.block}: commit-reveal ${status.enabled ? 'on' : 'off'} (version ${status.version}, reveal after ${status.reveal_period_epochs} epoch(s)), epoch ${status.epoch}, newest beacon round held ${status.last_stored_round}`,
    `pending commits: ${status.pending.length}`,
    ...status.pending.map(
      (p) =>
        `  ${p.hotkey} epoch ${p.epoch} → reveal epoch ${p.reveal_epoch}, round ${p.reveal_round} ${p.round_ingested ? 'held' : 'not yet held'}${p.opened ? `: uids ${p.opened.uids.join(',')} values ${p.opened.values.join(',')}` : ''}${p.open_error ? `: cannot open (${p.open_error})` : ''}`,
    ),
  ];
  if (status.reveals) {
    lines.push(`recent reveals: ${status.reveals.length}`);
    for (const r of status.reveals) {
      lines.push(
        `  block ${r.block}: ${r.hotkey} epoch ${r.epoch} round ${r.revealRound} ${r.outcome}${r.reason ? ` (${r.reason})` : ''}`,
      );
    }
  }
  if (status.validator) {
    const { counts, commits } = status.validator;
    lines.push(
      `validator ${status.validator.hotkey}: ${counts.pending} pending, ${counts.revealed} revealed, ${counts.superseded} superseded, ${counts.missing} missing`,
    );
    for (const c of commits) {
      lines.push(
        `  block ${c.block}: epoch ${c.epoch} → ${c.reveal_epoch}, round ${c.reveal_round}: ${c.status}${c.detail ? ` (${c.detail})` : ''}`,
      );
    }
  }
  return `${lines.join('\n')}\n`;
}

interface StatusFlags {
  'subtensor.network': string;
  netuid: number;
  'state.file'?: string;
  hotkey?: string;
  json?: boolean;
  timeout: number;
}

async function readStatus(flags: StatusFlags) {
  const chain = await openChain({
    network: flags['subtensor.network'],
    timeoutMs: flags.timeout,
    readOnly: true,
  });
  try {
    const state = await chain.commitRevealState(flags.netuid);
    const records = flags['state.file']
      ? (await loadScoreState(flags['state.file'])).commits
      : null;
    const hotkey = flags.hotkey;
    if (records && !hotkey) {
      throw new InvalidArgumentError(
        '--state.file needs --hotkey: the validator hotkey whose commits it holds.',
      );
    }
    const view = records && hotkey ? commitRevealView(records, state, hotkey) : null;
    return {
      network: flags['subtensor.network'],
      netuid: state.netuid,
      block: state.block,
      enabled: state.enabled,
      version: state.version,
      tempo: state.tempo,
      epoch: state.epoch,
      commit_epoch: state.commitEpoch,
      reveal_period_epochs: state.revealPeriodEpochs,
      last_stored_round: state.lastStoredRound,
      pending: await pendingJson(state, (r) => chain.beaconPulse(r)),
      reveals: state.reveals,
      validator:
        view && hotkey
          ? {
              hotkey,
              counts: view.counts,
              commits: view.commits.map((c) => ({
                epoch: c.epoch,
                reveal_epoch: c.revealEpoch,
                reveal_round: c.revealRound,
                block: c.block,
                commit_hash: c.commitHash,
                uids: c.uids,
                weights: c.weights,
                status: c.status,
                held_by_chain: c.heldByChain,
                round_ingested: c.roundIngested,
                checked_at_block: c.checkedAtBlock,
                ...(c.detail ? { detail: c.detail } : {}),
              })),
            }
          : null,
    };
  } finally {
    await chain.close();
  }
}

/**
 * `signal weights encrypt|decrypt|status`: what an operator reaches for when a reveal goes
 * missing — build a timelocked commit by hand, open one with a beacon signature, and see what
 * the chain holds, what it can already open, and what a validator's state says it sent.
 */
export function weightsCommand(
  output: WeightsCommandOutput = (text) => process.stdout.write(text),
): Command {
  const weights = new Command('weights')
    .description('Timelocked commit-reveal weights: encrypt, decrypt, and the chain’s status')
    .showHelpAfterError()
    .exitOverride();

  weights
    .command('encrypt')
    .description('Encrypt weights to a beacon round as a commit_timelocked_weights commit')
    .addOption(
      new Option('--hotkey <ss58>', 'the committing hotkey').argParser(ss58).makeOptionMandatory(),
    )
    .addOption(
      new Option('--uids <list>', 'uids, comma-separated')
        .argParser(list('--uids', Number))
        .makeOptionMandatory(),
    )
    .addOption(
      new Option('--weights <list>', 'weights (any non-negative numbers), comma-separated')
        .argParser(list('--weights', Number))
        .makeOptionMandatory(),
    )
    .addOption(
      new Option('--version-key <n>', 'the subnet version key').argParser(u64).default(0n, '0'),
    )
    .addOption(
      new Option('--round <n>', 'the beacon round it opens at')
        .argParser(round)
        .makeOptionMandatory(),
    )
    .addOption(beaconOption())
    .addOption(jsonOption())
    .action(
      (flags: {
        hotkey: Uint8Array;
        uids: number[];
        weights: number[];
        versionKey: bigint;
        round: number;
        beacon?: Uint8Array;
        json?: boolean;
      }) => {
        if (flags.uids.length !== flags.weights.length) {
          throw new InvalidArgumentError(
            `--uids has ${flags.uids.length} items but --weights has ${flags.weights.length}.`,
          );
        }
        const emit = convertWeightsAndUidsForEmit(flags.uids, flags.weights);
        const commit = encryptWeightsCommit({
          hotkey: flags.hotkey,
          uids: emit.uids,
          values: emit.weights,
          versionKey: flags.versionKey,
          round: flags.round,
          beaconPublicKeyHex: flags.beacon ? hex(flags.beacon) : QUICKNET.publicKeyHex,
        });
        output(
          flags.json
            ? `${JSON.stringify({ commit_hex: hex(commit), reveal_round: flags.round })}\n`
            : `commit (${commit.length} bytes, opens at round ${flags.round}, uids ${emit.uids.join(',')} values ${emit.weights.join(',')}):\n${hex(commit)}\n`,
        );
      },
    );

  weights
    .command('decrypt')
    .description('Open a commit with the beacon signature of its round, as the chain does')
    .addOption(
      new Option('--commit <hex>', 'the commit bytes')
        .argParser(hexBytes('--commit'))
        .makeOptionMandatory(),
    )
    .addOption(
      new Option('--signature <hex>', 'the beacon signature of the round (48 bytes)')
        .argParser(hexBytes('--signature'))
        .makeOptionMandatory(),
    )
    .addOption(
      new Option(
        '--round <n>',
        'check the signature is the beacon’s for this round first',
      ).argParser(round),
    )
    .addOption(beaconOption())
    .addOption(jsonOption())
    .action(
      (flags: {
        commit: Uint8Array;
        signature: Uint8Array;
        round?: number;
        beacon?: Uint8Array;
        json?: boolean;
      }) => {
        const payload = payloadJson(
          decryptWeightsCommit(flags.commit, flags.signature, {
            ...(flags.round === undefined ? {} : { round: flags.round }),
            ...(flags.beacon ? { beaconPublicKeyHex: hex(flags.beacon) } : {}),
          }),
        );
        output(
          flags.json
            ? `${JSON.stringify(payload)}\n`
            : `hotkey ${payload.hotkey}\nuids ${payload.uids.join(',')}\nvalues ${payload.values.join(',')}\nversion_key ${payload.version_key}\n`,
        );
      },
    );

  weights
    .command('status')
    .description(
      'The chain’s pending commits (opened where it holds the round) and what was revealed',
    )
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
        .argParser(integerIn('--netuid', 0, 65_535))
        .makeOptionMandatory(),
    )
    .addOption(
      new Option('--state.file <path>', 'a validator state file: show its commits and their fate'),
    )
    .addOption(new Option('--hotkey <ss58>', 'the validator hotkey of --state.file'))
    .addOption(jsonOption())
    .addOption(
      new Option('--timeout <ms>', 'deadline for connecting and for each chain call')
        .env('SIGNAL_CHAIN_TIMEOUT_MS')
        .argParser(integerIn('--timeout', 1, 3_600_000))
        .default(30_000),
    )
    .action(async (flags: StatusFlags) => {
      const status = await readStatus(flags);
      output(flags.json ? prettyJson(status) : renderStatus(status));
    });

  return weights;
}
