import type { KeyringPair } from '@polkadot/keyring/types';
import { u8aToHex } from '@polkadot/util';
import { blake2AsHex } from '@polkadot/util-crypto';
import { commitEpochOf } from '../../../src/epochs/epochSchedule';
import type { Subtensor } from '../../../src/subtensor/Subtensor';
import {
  type ReceivedCall,
  type RecordedCall,
  type ReplayServer,
  startReplayServer,
} from '../../../src/testing';
import { finneyFixture } from '../../support/fixtures';

export const NETUID = 1;
export const TEMPO = 360;
export const SIGNER_UID = 5;
const N = 8;

/** What the node's chain holds for the signer; a submission it executes moves it on. */
interface SignerState {
  lastUpdate: number;
  weights: Array<[number, number]>;
  nonce: number;
  commits: Array<{ block: number; commitHex: string; revealRound: number }>;
}

interface Block {
  hash: string;
  number: number;
  parentHash: string;
}

export interface WeightsNodeOptions {
  commitReveal: boolean;
  signer: KeyringPair;
  /** A client on any finney replay: it encodes the node's storage and decodes submissions. */
  reference: Subtensor;
  /** Fault injection, as the replay server's option (it may call `execute` and `server`). */
  fault?: (call: ReceivedCall, node: WeightsNode) => 'drop' | undefined;
}

/**
 * A node on the finney recording whose chain moves: it executes `set_weights` and timelocked
 * commits of one registered signer (uid 5 of 8, validator permit, rate limit 100 blocks), each
 * in a new block on top of the head, and keeps what it executed. Everything a client reads to
 * set weights and to check afterwards is served at every block it makes.
 */
export class WeightsNode {
  readonly executed: string[] = [];
  #state: SignerState;
  #head: Block;

  private constructor(
    readonly server: ReplayServer,
    private readonly options: WeightsNodeOptions,
    head: Block,
  ) {
    this.#head = head;
    this.#state = { lastUpdate: head.number - 500, weights: [], nonce: 3, commits: [] };
  }

  static async start(options: WeightsNodeOptions): Promise<WeightsNode> {
    const fixture = finneyFixture();
    const { recording } = fixture;
    const header = recording.calls.find((call) => call.method === 'chain_getHeader')!.result as {
      parentHash: string;
    };
    let node: WeightsNode | undefined;
    const server = await startReplayServer({
      ...fixture,
      fault: (call) => (node && options.fault ? options.fault(call, node) : undefined),
      include: (extrinsic) => node!.execute(extrinsic),
    });
    node = new WeightsNode(server, options, {
      hash: recording.block_hash,
      number: recording.block_number,
      parentHash: header.parentHash,
    });
    server.record(node.#callsAt(node.#head));
    return node;
  }

  get head(): Block {
    return this.#head;
  }

  /** The signer's weight row on chain now. */
  get weights(): Array<[number, number]> {
    return this.#state.weights;
  }

  get commits(): SignerState['commits'] {
    return this.#state.commits;
  }

  /** Submissions the node received, decoded: method, nonce and the extrinsic's hash. */
  submissions(): Array<{ method: string; nonce: number; hash: string; hex: string }> {
    const { registry } = this.options.reference.api;
    return this.server.received
      .filter((call) => call.method.startsWith('author_submit'))
      .map((call) => {
        const hex = String(call.params[0]);
        const extrinsic = registry.createType('Extrinsic', hex);
        return {
          method: extrinsic.method.method,
          nonce: extrinsic.nonce.toNumber(),
          hash: extrinsic.hash.toHex(),
          hex,
        };
      });
  }

  /** Executes a submitted extrinsic in a new block on top of the head; returns that block's hash. */
  execute(extrinsicHex: string): string {
    const { registry } = this.options.reference.api;
    const extrinsic = registry.createType('Extrinsic', extrinsicHex);
    if (extrinsic.signer.toString() !== this.options.signer.address) {
      throw new Error('the test node only executes the signer’s extrinsics');
    }
    if (extrinsic.nonce.toNumber() !== this.#state.nonce) {
      throw new Error(
        `stale nonce ${extrinsic.nonce.toNumber()}; the account is at ${this.#state.nonce}`,
      );
    }
    const number = this.#head.number + 1;
    const block: Block = {
      hash: blake2AsHex(`${this.#head.hash}${extrinsicHex}`, 256),
      number,
      parentHash: this.#head.hash,
    };
    const args = extrinsic.method.args;
    if (extrinsic.method.method === 'setWeights') {
      const uids = args[1]!.toJSON() as number[];
      const weights = args[2]!.toJSON() as number[];
      this.#state.weights = uids.map((uid, i) => [uid, weights[i]!]);
      this.#state.lastUpdate = number;
    } else if (extrinsic.method.method === 'commitTimelockedMechanismWeights') {
      this.#state.commits.push({
        block: number,
        commitHex: u8aToHex(args[2]!.toU8a(true)),
        revealRound: Number(args[3]!.toString()),
      });
      this.#state.lastUpdate = number;
    } else {
      throw new Error(`the test node does not execute ${extrinsic.method.method}`);
    }
    this.#state.nonce += 1;
    this.executed.push(extrinsic.hash.toHex());
    this.#head = block;
    const calls = this.#callsAt(block);
    calls.push({
      method: 'chain_getBlock',
      params: [block.hash],
      result: {
        block: { header: this.#header(block), extrinsics: [extrinsicHex] },
        justifications: null,
      },
    });
    this.server.record(calls);
    this.server.setHead(block.hash, this.#header(block));
    return block.hash;
  }

  #header(block: Block): unknown {
    const fixture = finneyFixture();
    const recorded = fixture.recording.calls.find((call) => call.method === 'chain_getHeader')!
      .result as Record<string, unknown>;
    return { ...recorded, parentHash: block.parentHash, number: `0x${block.number.toString(16)}` };
  }

  #encode(type: string, value: unknown): string {
    return u8aToHex(this.options.reference.api.registry.createType(type, value).toU8a());
  }

  #key(pallet: string, item: string, ...args: unknown[]): string {
    const entry = this.options.reference.api.query[pallet]?.[item];
    if (!entry) throw new Error(`no storage item ${pallet}.${item}`);
    return entry.key(...args);
  }

  /** Every answer a weight submission and its check read, at `block`. */
  #callsAt(block: Block): RecordedCall[] {
    const { signer, commitReveal } = this.options;
    const fixture = finneyFixture();
    const runtimeVersion = fixture.recording.calls.find(
      (call) => call.method === 'state_getRuntimeVersion',
    )!.result;
    const at = block.hash;
    const storage = (key: string, result: string | null): RecordedCall => ({
      method: 'state_getStorage',
      params: [key, at],
      result,
    });
    const sub = (item: string, ...args: unknown[]) => this.#key('subtensorModule', item, ...args);
    const lastUpdate = Array.from({ length: N }, (_, uid) =>
      uid === SIGNER_UID ? this.#state.lastUpdate : 0,
    );
    const commitEpoch = commitEpochOf(NETUID, TEMPO, block.number);
    const commitCalls: RecordedCall[] = [];
    for (let epoch = commitEpoch - 2; epoch <= commitEpoch + 1; epoch += 1) {
      const held = this.#state.commits.filter(
        (c) => commitEpochOf(NETUID, TEMPO, c.block) === epoch,
      );
      commitCalls.push(
        storage(
          sub('timelockedWeightCommits', NETUID, epoch),
          held.length === 0
            ? null
            : this.#encode(
                'Vec<(AccountId32,u64,Bytes,u64)>',
                held.map((c) => [signer.address, c.block, c.commitHex, c.revealRound]),
              ),
        ),
      );
    }
    return [
      { method: 'chain_getHeader', params: [at], result: this.#header(block) },
      { method: 'chain_getBlockHash', params: [block.number], result: at },
      { method: 'state_getRuntimeVersion', params: [block.parentHash], result: runtimeVersion },
      { method: 'state_getRuntimeVersion', params: [at], result: runtimeVersion },
      {
        method: 'state_call',
        params: ['AccountNonceApi_account_nonce', u8aToHex(signer.publicKey)],
        result: this.#encode('u32', this.#state.nonce),
      },
      {
        method: 'state_call',
        params: ['SubnetInfoRuntimeApi_get_subnet_hyperparams_v2', '0x0100', at],
        result: this.#encode('Option<PalletSubtensorRpcInfoSubnetInfoSubnetHyperparamsV2>', {
          tempo: TEMPO,
          immunityPeriod: 5000,
          minAllowedWeights: 1,
          maxWeightsLimit: 65535,
          weightsVersion: 0,
          weightsRateLimit: 100,
          activityCutoff: 5000,
          registrationAllowed: true,
          maxValidators: 64,
          commitRevealWeightsEnabled: commitReveal,
          commitRevealPeriod: 1,
        }),
      },
      storage(sub('uids', NETUID, signer.address), this.#encode('u16', SIGNER_UID)),
      storage(sub('subnetworkN', NETUID), this.#encode('u16', N)),
      storage(sub('lastUpdate', NETUID), this.#encode('Vec<u64>', lastUpdate)),
      storage(
        sub('validatorPermit', NETUID),
        this.#encode(
          'Vec<bool>',
          Array.from({ length: N }, (_, uid) => uid === SIGNER_UID),
        ),
      ),
      storage(sub('commitRevealWeightsVersion'), this.#encode('u16', 4)),
      storage(this.#key('drand', 'lastStoredRound'), this.#encode('u64', 19_100_000)),
      storage(
        sub('weights', NETUID, SIGNER_UID),
        this.#encode('Vec<(u16,u16)>', this.#state.weights),
      ),
      storage(this.#key('system', 'events'), '0x00'),
      ...commitCalls,
    ];
  }
}
