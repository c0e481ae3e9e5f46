import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { LosslessNumber } from 'lossless-json';
import { z } from 'zod';
import type { SynapseSpec } from '../../src/synapses/SynapseSpec';
import { Dendrite } from '../../src/wire/dendrite/Dendrite';
import { py } from '../../src/wire/pyType';
import { createSr25519Signer } from '../../src/wire/signature';

const hasPython = spawnSync('python3', ['--version']).status === 0;

const Mixed = {
  name: 'Mixed',
  schema: z.object({
    text: z.string(),
    weights: z.array(z.number()),
    meta: z.record(z.string(), z.unknown()),
    count: z.union([z.number().int(), z.bigint()]),
    reply: z.string().nullable().default(null),
  }),
  fields: [
    ['text', py.str],
    ['weights', py.list(py.float)],
    ['meta', py.dict(py.str, py.any)],
    ['count', py.int],
    ['reply', py.optional(py.str)],
  ],
  requiredFields: ['text'],
  requiredHashFields: ['text', 'weights', 'meta', 'count'],
  responseFields: ['reply'],
  streaming: false,
} satisfies SynapseSpec;

(hasPython ? describe : describe.skip)('our dendrite against CPython', () => {
  const servers: ChildProcess[] = [];

  async function pythonAxon(hashFields: readonly string[]): Promise<number> {
    const script = join(__dirname, 'fixtures/python-hash-echo.py');
    const server = spawn('python3', [script, JSON.stringify(hashFields)], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    servers.push(server);
    return new Promise<number>((resolve, reject) => {
      server.stdout?.once('data', (chunk: Buffer) => resolve(Number(chunk.toString().trim())));
      server.once('error', reject);
    });
  }

  afterAll(() => {
    for (const server of servers) server.kill();
  });

  const synapse = {
    text: `It's "quoted" é 中文 \u200b 😀 \\ tab\t`,
    weights: [1, 0.5, 1e-7, 1e16, -0, 123456789],
    meta: {
      b: 1,
      '10': 2.5,
      '2': [true, null, 'x'],
      big: 18446744073709551617n,
      f: new LosslessNumber('2.0'),
      nested: { k: -0.0001 },
    },
    count: 2n ** 64n,
    reply: null,
  };

  it('sends a body whose hash CPython recomputes to the same value', async () => {
    const port = await pythonAxon(Mixed.requiredHashFields);
    const signer = await createSr25519Signer(new Uint8Array(32).fill(9));
    const dendrite = new Dendrite({ signer });
    const result = await dendrite.call(
      { ip: '127.0.0.1', port, hotkey: signer.address },
      Mixed,
      synapse,
    );
    await dendrite.close();
    expect(result.status).toBe(200);
    expect(result.synapse.reply).toBe('hash-ok');
  });

  it('is a live check: a different hash field order is caught', async () => {
    const port = await pythonAxon(['weights', 'text', 'meta', 'count']);
    const signer = await createSr25519Signer(new Uint8Array(32).fill(9));
    const dendrite = new Dendrite({ signer });
    const result = await dendrite.call(
      { ip: '127.0.0.1', port, hotkey: signer.address },
      Mixed,
      synapse,
    );
    await dendrite.close();
    expect(result.synapse.reply).toMatch(/^hash-mismatch/);
  });
});
