import type { ReconnectAttempt } from '../../src/subtensor/connectApi';
import { Subtensor } from '../../src/subtensor/Subtensor';
import { type ReceivedCall, type ReplayServer, startReplayServer } from '../../src/testing';
import { finneyFixture } from '../support/fixtures';
import { Signals } from './support/signals';

// Chain round trips share two CPU cores with the rest of the suite; allow for a busy machine.
jest.setTimeout(120_000);

const fixture = finneyFixture();
const BLOCK = fixture.recording.block_hash;

const isNeuronsLite = (call: ReceivedCall): boolean =>
  call.method.startsWith('state_call') &&
  call.params[0] === 'NeuronInfoRuntimeApi_get_neurons_lite';

describe('the chain websocket dropped during metagraph sync', () => {
  let server: ReplayServer | undefined;
  let subtensor: Subtensor | undefined;

  afterEach(async () => {
    await subtensor?.close();
    await server?.close();
    subtensor = undefined;
    server = undefined;
  });

  async function start(fault: (call: ReceivedCall) => 'drop' | undefined, timeoutMs: number) {
    const retries = new Signals<ReconnectAttempt>();
    server = await startReplayServer({ ...fixture, fault });
    subtensor = await Subtensor.connect({
      network: server.url,
      timeoutMs,
      reconnect: { initialDelayMs: 20, maxDelayMs: 160, onRetry: (retry) => retries.push(retry) },
    });
    return { server, subtensor, retries };
  }

  it('mid get_neurons_lite: the read reconnects, retries and returns the whole metagraph', async () => {
    let drops = 0;
    const node = await start((call) => {
      if (!isNeuronsLite(call) || drops > 0) return undefined;
      drops += 1;
      return 'drop';
    }, 30_000);
    const metagraph = await node.subtensor.metagraph(1, { blockHash: BLOCK });
    expect(drops).toBe(1);
    expect(node.server.connections).toBe(2);
    expect(metagraph.n).toBe(1024);
    expect(metagraph.block).toBe(6852690);
    expect(metagraph.neurons[0]!.hotkey).toBe('5DkMmXtWf16RNdusZGCrJ7ca7ADPgRnZLVWCWbgA7s7sy1AQ');
    expect(metagraph.neurons[24]!.stake.total).toBe(58036807815746n);
    expect(node.server.received.filter(isNeuronsLite)).toHaveLength(2);
    expect(node.retries.values.map((retry) => retry.attempt)).toEqual([1]);
  });

  it('with the node staying down: CHAIN_UNREACHABLE within the timeout, backoff growing, and a read once it is back', async () => {
    let drops = 0;
    const node = await start((call) => {
      if (!isNeuronsLite(call) || drops > 0) return undefined;
      drops += 1;
      node.server.down();
      return 'drop';
    }, 5_000);
    await expect(node.subtensor.metagraph(1, { blockHash: BLOCK })).rejects.toMatchObject({
      code: 'CHAIN_UNREACHABLE',
      details: expect.stringMatching(/connection dropped during metagraph/),
    });
    await node.retries.until((retries) => retries.length >= 4);
    const delays = node.retries.values.map((retry) => retry.delayMs);
    for (let i = 1; i < delays.length; i += 1) {
      expect(delays[i]).toBe(Math.min(delays[i - 1]! * 2, 160));
    }
    expect(delays.slice(0, 3)).toEqual([20, 40, 80]);
    node.server.up();
    const metagraph = await node.subtensor.metagraph(1, { blockHash: BLOCK });
    expect(metagraph.n).toBe(1024);
  });
});
