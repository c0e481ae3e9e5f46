import { Keyring } from '@polkadot/keyring';
import type { KeyringPair } from '@polkadot/keyring/types';
import { cryptoWaitReady } from '@polkadot/util-crypto';
import type { ReconnectAttempt } from '../../src/subtensor/connectApi';
import { Subtensor } from '../../src/subtensor/Subtensor';
import type { ReceivedCall, ReplayServer } from '../../src/testing';
import { startFinneyReplay } from '../support/fixtures';
import { Signals } from './support/signals';
import { NETUID, WeightsNode } from './support/weightsNode';

// Chain round trips share two CPU cores with the rest of the suite; allow for a busy machine.
jest.setTimeout(120_000);

const isSubmission = (call: ReceivedCall): boolean => call.method.startsWith('author_submit');

describe('the chain websocket dropped during set_weights', () => {
  let alice: KeyringPair;
  let finney: ReplayServer;
  let reference: Subtensor;
  const opened: Array<{ node: WeightsNode; subtensor: Subtensor }> = [];

  beforeAll(async () => {
    await cryptoWaitReady();
    alice = new Keyring({ type: 'sr25519', ss58Format: 42 }).addFromUri('//Alice');
    finney = await startFinneyReplay();
    reference = await Subtensor.connect({ network: finney.url, timeoutMs: 30_000 });
  });

  afterAll(async () => {
    for (const { node, subtensor } of opened) {
      await subtensor.close();
      await node.server.close();
    }
    await reference?.close();
    await finney?.close();
  });

  /**
   * A weights node whose first submission meets `onFirstSubmission` (which may execute it)
   * and then loses its connection, the node staying down until the test brings it up.
   */
  async function start(commitReveal: boolean, executeBeforeDrop: boolean) {
    const retries = new Signals<ReconnectAttempt>();
    let dropped = false;
    const node = await WeightsNode.start({
      commitReveal,
      signer: alice,
      reference,
      fault: (call, self) => {
        if (!isSubmission(call) || dropped) return undefined;
        dropped = true;
        if (executeBeforeDrop) self.execute(String(call.params[0]));
        self.server.down();
        return 'drop';
      },
    });
    const subtensor = await Subtensor.connect({
      network: node.server.url,
      timeoutMs: 30_000,
      reconnect: { initialDelayMs: 20, maxDelayMs: 320, onRetry: (retry) => retries.push(retry) },
    });
    opened.push({ node, subtensor });
    return { node, subtensor, retries };
  }

  /** Brings the node back once the client has tried to reconnect `attempts` times. */
  async function upAfter(
    node: WeightsNode,
    retries: Signals<ReconnectAttempt>,
    attempts: number,
  ): Promise<number[]> {
    await retries.until((values) => values.length >= attempts);
    node.server.up();
    return retries.values.slice(0, attempts).map((retry) => retry.delayMs);
  }

  const weights = { netuid: NETUID, uids: [1, 2], weights: [1, 3], versionKey: 0 };

  it('sent and executed, answer lost: after reconnecting it finds the weights on chain and sends nothing again', async () => {
    const { node, subtensor, retries } = await start(false, true);
    const result = subtensor.setWeights({ ...weights, signer: alice });
    const delays = await upAfter(node, retries, 4);
    await expect(result).resolves.toEqual({
      path: 'set_weights',
      uids: [1, 2],
      weights: [21845, 65535],
      block: node.head.number,
    });
    expect(delays).toEqual([20, 40, 80, 160]);
    expect(node.submissions()).toHaveLength(1);
    expect(node.executed).toHaveLength(1);
    expect(node.weights).toEqual([
      [1, 21845],
      [2, 65535],
    ]);
    expect(await subtensor.weightsOf(NETUID, 5)).toEqual(node.weights);
  });

  it('sent but lost with the node: the chain does not have it and the nonce is unused, so the same signed extrinsic is sent once more and lands', async () => {
    const { node, subtensor, retries } = await start(false, false);
    const result = subtensor.setWeights({ ...weights, signer: alice });
    await upAfter(node, retries, 3);
    const landed = await result;
    expect(landed).toMatchObject({ path: 'set_weights', block: node.head.number });
    const submissions = node.submissions();
    expect(submissions).toHaveLength(2);
    expect(submissions[1]!.hex).toBe(submissions[0]!.hex);
    expect(submissions[0]!.nonce).toBe(3);
    expect(node.executed).toEqual([submissions[0]!.hash]);
    expect(node.weights).toEqual([
      [1, 21845],
      [2, 65535],
    ]);
  });

  it('a timelocked commit executed before the drop: found among the chain’s pending commits, not committed twice', async () => {
    const { node, subtensor, retries } = await start(true, true);
    const result = subtensor.setWeights({ ...weights, signer: alice });
    await upAfter(node, retries, 3);
    const landed = await result;
    expect(landed).toMatchObject({ path: 'commit', block: node.head.number });
    expect(node.submissions()).toHaveLength(1);
    expect(node.commits).toHaveLength(1);
    const state = await subtensor.commitRevealState(NETUID);
    expect(state.commits.map((c) => c.commitHash)).toEqual([
      landed.path === 'commit' ? landed.commit.commitHash : '',
    ]);
  });
});
