import { Subtensor } from '../src/subtensor/Subtensor';
import type { ReplayServer } from '../src/testing';
import { finneyFixture, startFinneyReplay } from './support/fixtures';

const { recording } = finneyFixture();

describe('Subtensor over the recorded finney node', () => {
  let server: ReplayServer;
  let subtensor: Subtensor;

  beforeAll(async () => {
    server = await startFinneyReplay();
    subtensor = await Subtensor.connect({ network: server.url, timeoutMs: 10_000 });
  });

  afterAll(async () => {
    await subtensor?.close();
    await server?.close();
  });

  it('reads the head block', async () => {
    await expect(subtensor.currentBlock()).resolves.toBe(6852690);
  });

  it('decodes the netuid 1 metagraph at the recorded block', async () => {
    const metagraph = await subtensor.metagraph(1, { blockHash: recording.block_hash });
    expect(metagraph.netuid).toBe(1);
    expect(metagraph.block).toBe(6852690);
    expect(metagraph.n).toBe(1024);
    expect(metagraph.neurons).toHaveLength(1024);
    const first = metagraph.neurons[0]!;
    expect(first.uid).toBe(0);
    expect(first.hotkey).toBe('5DkMmXtWf16RNdusZGCrJ7ca7ADPgRnZLVWCWbgA7s7sy1AQ');
    expect(first.coldkey).toBe('5EhQWxcFdYAk7B9tNdQnJQFzww5N3964rbsMk55SujcX3PwM');
    expect(first.axon).toEqual({
      ip: '192.222.59.109',
      port: 6028,
      ipType: 4,
      version: 9011001,
      protocol: 4,
    });
    expect(first.stake).toEqual({ alpha: 2557172316n, tao: 0n, total: 2557172316n });
    expect(first.lastUpdate).toBe(2543521);
    const validator = metagraph.neurons[24]!;
    expect(validator.validatorPermit).toBe(true);
    expect(validator.active).toBe(true);
    expect(validator.stake).toEqual({
      alpha: 11468722629709n,
      tao: 258711584460575n,
      total: 58036807815746n,
    });
    expect(validator.dividends).toBeCloseTo(2244 / 65535, 12);
    expect(validator.emission).toBe(1404278762n);
    expect(metagraph.neurons.every((neuron, index) => neuron.uid === index)).toBe(true);
    console.log(
      metagraph.neurons.filter((n) => n.validatorPermit).length,
      metagraph.neurons.filter((n) => n.axon.ipType === 6).length,
    );
  });
});
