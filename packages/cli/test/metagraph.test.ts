import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { LocalChain } from '@signal/chain';
import { loadRecording, type ReplayServer, startReplayServer } from '@signal/chain/testing';
import { createProgram } from '@signal/cli';
import { captureOutput } from './support/capturedOutput';

// Chain round trips share two CPU cores with the rest of the suite; allow for a busy machine.
jest.setTimeout(120_000);

const FINNEY = path.resolve(__dirname, '../../../../shared/fixtures/finney');
const fixture = loadRecording(
  path.join(FINNEY, 'netuid1-block6852690.json'),
  path.join(FINNEY, 'metadata-v15-spec343.hex'),
);

const printed = captureOutput();

const run = (...args: string[]) =>
  createProgram().parseAsync(['node', 'signal', 'metagraph', ...args]);

describe('signal metagraph against the recorded finney node', () => {
  let server: ReplayServer;
  beforeAll(async () => {
    server = await startReplayServer(fixture);
  });
  afterAll(() => server?.close());

  it('prints the documented JSON shape at the head block', async () => {
    await run('--subtensor.network', server.url, '--netuid', '1', '--json');
    const text = printed.text();
    const metagraph = JSON.parse(text);
    expect(Object.keys(metagraph)).toEqual(['netuid', 'block', 'n', 'neurons']);
    expect(metagraph).toMatchObject({ netuid: 1, block: 6852690, n: 1024 });
    expect(metagraph.neurons).toHaveLength(1024);
    const first = metagraph.neurons[0];
    expect(Object.keys(first)).toEqual([
      'uid',
      'hotkey',
      'coldkey',
      'active',
      'validator_permit',
      'stake',
      'axon',
      'incentive',
      'consensus',
      'trust',
      'dividends',
      'emission_rao',
      'last_update',
    ]);
    expect(first).toEqual({
      uid: 0,
      hotkey: '5DkMmXtWf16RNdusZGCrJ7ca7ADPgRnZLVWCWbgA7s7sy1AQ',
      coldkey: '5EhQWxcFdYAk7B9tNdQnJQFzww5N3964rbsMk55SujcX3PwM',
      active: false,
      validator_permit: false,
      stake: { alpha_rao: '2557172316', tao_rao: '0', total_rao: '2557172316' },
      axon: { ip: '192.222.59.109', port: 6028, ip_type: 4, version: 9011001, protocol: 4 },
      incentive: 0,
      consensus: 0,
      trust: 0,
      dividends: 0,
      emission_rao: '0',
      last_update: 2543521,
    });
    expect(metagraph.neurons[24].stake.tao_rao).toBe('258711584460575');
    expect(text.startsWith('{"netuid":1,"block":6852690,"n":1024,"neurons":[{"uid":0,')).toBe(true);
  });

  it('reads at --block and via env vars, and prints a table without --json', async () => {
    process.env.SIGNAL_SUBTENSOR_NETWORK = server.url;
    process.env.SIGNAL_NETUID = '1';
    try {
      await run('--block', fixture.recording.block_hash);
    } finally {
      delete process.env.SIGNAL_SUBTENSOR_NETWORK;
      delete process.env.SIGNAL_NETUID;
    }
    const lines = printed.text().split('\n');
    expect(lines[0]).toBe('netuid 1 at block 6852690: 1024 neurons');
    expect(lines[1]).toMatch(/^UID\s+HOTKEY\s+COLDKEY\s+STAKE/);
    expect(lines[2]).toMatch(/^0\s+5DkMmX…y1AQ\s+5EhQWx…3PwM\s+2\.5571\s/);
    expect(lines[2]).toContain('192.222.59.109:6028');
    expect(lines.filter((line) => /^\d+\s/.test(line))).toHaveLength(1024);
  });

  it('refuses a bad netuid before connecting', async () => {
    await expect(run('--subtensor.network', server.url, '--netuid', 'x')).rejects.toThrow(
      /--netuid must be/,
    );
  });

  it('names the failure when the node has no such subnet', async () => {
    await expect(
      run('--subtensor.network', server.url, '--netuid', '7', '--json'),
    ).rejects.toMatchObject({
      code: 'CHAIN_REQUEST',
    });
  });
});

describe('signal metagraph on a LocalChain file', () => {
  it('reads local:<file>', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'signal-cli-metagraph-'));
    const file = path.join(dir, 'chain.json');
    const chain = await LocalChain.open({ file, blockTimeMs: 0 });
    await chain.createSubnet(2);
    const validator = { address: '5DkMmXtWf16RNdusZGCrJ7ca7ADPgRnZLVWCWbgA7s7sy1AQ' };
    await chain.register({
      netuid: 2,
      hotkey: validator.address,
      coldkey: validator.address,
      stake: 5n * 10n ** 9n,
    });
    await chain.advance(3);
    await chain.close();
    await run('--subtensor.network', `local:${file}`, '--netuid', '2', '--json');
    const metagraph = printed.json();
    expect(metagraph).toMatchObject({ netuid: 2, block: 3, n: 1 });
    expect(metagraph.neurons[0]).toMatchObject({
      hotkey: validator.address,
      validator_permit: true,
      stake: { alpha_rao: '5000000000', tao_rao: '0', total_rao: '5000000000' },
      axon: { ip: '0.0.0.0', port: 0 },
    });
    await expect(
      run('--subtensor.network', `local:${path.join(dir, 'none.json')}`, '--netuid', '2'),
    ).rejects.toMatchObject({
      code: 'LOCAL_CHAIN_STATE',
    });
    await rm(dir, { recursive: true, force: true });
  });
});
