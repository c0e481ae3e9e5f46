import { createServer } from 'node:net';
import WebSocket from 'ws';
import { ChainRequestError, ChainUnreachableError } from '../src/errors/ChainErrors';
import { resolveNetworkUrl, UnknownNetworkError } from '../src/networks';
import { Subtensor } from '../src/subtensor/Subtensor';
import type { ReplayServer } from '../src/testing';
import { finneyFixture, startFinneyReplay, subtensorOnFinneyReplay } from './support/fixtures';

// Chain round trips share two CPU cores with the rest of the suite; allow for a busy machine.
jest.setTimeout(120_000);

async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

function rpc(url: string, payload: string): Promise<Record<string, unknown>> {
  return new Promise((resolve, reject) => {
    const socket = new WebSocket(url);
    socket.on('open', () => socket.send(payload));
    socket.on('message', (data) => {
      resolve(JSON.parse(data.toString()) as Record<string, unknown>);
      socket.close();
    });
    socket.on('error', reject);
  });
}

describe('network resolution', () => {
  it('maps names and passes URLs through', () => {
    expect(resolveNetworkUrl('finney')).toBe('wss://entrypoint-finney.opentensor.ai:443');
    expect(resolveNetworkUrl('test')).toBe('wss://test.finney.opentensor.ai:443');
    expect(resolveNetworkUrl('local')).toBe('ws://127.0.0.1:9944');
    expect(resolveNetworkUrl('ws://10.0.0.1:9944')).toBe('ws://10.0.0.1:9944');
    expect(() => resolveNetworkUrl('mainnet')).toThrow(UnknownNetworkError);
  });
});

describe('a dead endpoint', () => {
  it('fails fast with ChainUnreachableError instead of hanging', async () => {
    const port = await closedPort();
    const started = Date.now();
    const attempt = Subtensor.connect({ network: `ws://127.0.0.1:${port}`, timeoutMs: 30_000 });
    await expect(attempt).rejects.toBeInstanceOf(ChainUnreachableError);
    await expect(attempt).rejects.toMatchObject({ code: 'CHAIN_UNREACHABLE' });
    expect(Date.now() - started).toBeLessThan(10_000);
  });
});

describe('the replay node', () => {
  let server: ReplayServer;
  const { recording } = finneyFixture();

  beforeAll(async () => {
    server = await startFinneyReplay();
  });
  afterAll(() => server?.close());

  it('answers unknown methods with a JSON-RPC error', async () => {
    const reply = await rpc(
      server.url,
      JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'author_rotateKeys', params: [] }),
    );
    expect(reply).toMatchObject({ id: 1, error: { code: -32601 } });
  });

  it('answers unrecorded params with an error, recorded ones with the recording', async () => {
    const missing = await rpc(
      server.url,
      JSON.stringify({ jsonrpc: '2.0', id: 2, method: 'chain_getBlockHash', params: [5] }),
    );
    expect(missing).toMatchObject({ id: 2, error: { code: -32000 } });
    const hit = await rpc(
      server.url,
      JSON.stringify({ jsonrpc: '2.0', id: 3, method: 'chain_getBlockHash', params: [6852690] }),
    );
    expect(hit).toEqual({ jsonrpc: '2.0', id: 3, result: recording.block_hash });
  });

  it('rejects malformed JSON with a parse error', async () => {
    const reply = await rpc(server.url, '{not json');
    expect(reply).toMatchObject({ id: null, error: { code: -32700 } });
  });

  it('serves metadata v15 as Option<OpaqueMetadata>', async () => {
    const reply = await rpc(
      server.url,
      JSON.stringify({
        jsonrpc: '2.0',
        id: 4,
        method: 'state_call',
        params: ['Metadata_metadata_at_version', '0x0f000000'],
      }),
    );
    const hex = reply.result as string;
    // 0x01 = Some, then a 4-byte compact length, then the "meta" magic.
    expect(hex.slice(0, 4)).toBe('0x01');
    expect(hex.slice(12, 20)).toBe('6d657461');
  });
});

describe('reads the recording lacks', () => {
  const replay = subtensorOnFinneyReplay();

  it('reject with ChainRequestError naming the call', async () => {
    const attempt = replay.subtensor().metagraph(2);
    await expect(attempt).rejects.toBeInstanceOf(ChainRequestError);
    await expect(attempt).rejects.toThrow(/get_neurons_lite|get_subnet_state|getNeuronsLite/i);
  });

  it('reads the metagraph at the head when no block is given', async () => {
    const metagraph = await replay.subtensor().metagraph(1);
    expect(metagraph.block).toBe(finneyFixture().recording.block_number);
    expect(metagraph.n).toBe(1024);
  });
});
