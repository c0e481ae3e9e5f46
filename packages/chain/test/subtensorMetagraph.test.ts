import { finneyFixture, subtensorOnFinneyReplay } from './support/fixtures';

// Chain round trips share two CPU cores with the rest of the suite; allow for a busy machine.
jest.setTimeout(120_000);

const { recording } = finneyFixture();

function rawResult(method: string): Buffer {
  const call = recording.calls.find((c) => c.params[0] === method);
  return Buffer.from(String(call?.result).slice(2), 'hex');
}

/** Reads a SCALE compact (the length prefix of a Vec) at `offset`. */
function compactAt(bytes: Buffer, offset: number): { value: number; size: number } {
  const mode = bytes[offset]! & 3;
  if (mode === 0) return { value: bytes[offset]! >> 2, size: 1 };
  if (mode === 1) return { value: bytes.readUInt16LE(offset) >> 2, size: 2 };
  if (mode === 2) return { value: bytes.readUInt32LE(offset) >>> 2, size: 4 };
  throw new Error('big compact');
}

function rawVecLength(method: string, offset: number): number {
  return compactAt(rawResult(method), offset).value;
}

/**
 * Subnet state is `Some(netuid, hotkeys, coldkeys, active, validator_permit, …)`: skip the
 * Option tag, the compact netuid and two Vec<AccountId32>, skip `active`, then count the
 * `true` bytes of `validator_permit`.
 */
function rawPermitCount(): number {
  const bytes = rawResult('SubnetInfoRuntimeApi_get_subnet_state');
  let offset = 1;
  offset += compactAt(bytes, offset).size;
  for (let i = 0; i < 2; i += 1) {
    const vec = compactAt(bytes, offset);
    offset += vec.size + vec.value * 32;
  }
  const active = compactAt(bytes, offset);
  offset += active.size + active.value;
  const permits = compactAt(bytes, offset);
  const flags = bytes.subarray(offset + permits.size, offset + permits.size + permits.value);
  return flags.filter((flag) => flag === 1).length;
}

describe('Subtensor over the recorded finney node', () => {
  const replay = subtensorOnFinneyReplay();

  it('reads the head block', async () => {
    await expect(replay.subtensor().currentBlock()).resolves.toBe(6852690);
  });

  it('decodes the netuid 1 metagraph at the recorded block', async () => {
    const metagraph = await replay.subtensor().metagraph(1, { blockHash: recording.block_hash });
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
    // n and the permit count are counted from the raw recording, not from our decoder.
    expect(metagraph.n).toBe(rawVecLength('NeuronInfoRuntimeApi_get_neurons_lite', 0));
    expect(rawPermitCount()).toBeGreaterThan(0);
    expect(metagraph.neurons.filter((n) => n.validatorPermit).length).toBe(rawPermitCount());
    const served = metagraph.neurons.filter((n) => n.axon.port !== 0);
    expect(served.length).toBeGreaterThan(0);
    for (const neuron of served) expect(neuron.axon.ip).toMatch(/^\d+\.\d+\.\d+\.\d+$/);
  });
});
