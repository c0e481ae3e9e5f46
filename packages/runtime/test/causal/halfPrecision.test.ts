import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  attribute,
  buildModel,
  CausalLM,
  DataType,
  kvCacheFromPayload,
  kvCacheToPayload,
  type ModelProto,
  readModel,
  writeModel,
} from '@signal/runtime';
import { maxAbsDiff } from './tinyModel';

/**
 * Turns a float32 builder graph into one with float16 caches and logits at its boundary, as
 * fp16 / q4f16 exports have: past inputs are cast up on entry, presents and logits cast down
 * on exit. The math inside stays float32, so results differ from the float32 graph only by
 * the half-precision rounding of the cache and logits.
 */
function halfBoundary(model: ModelProto): void {
  const graph = model.graph!;
  const rename = (from: string, to: string) => {
    for (const node of graph.node ?? []) {
      node.input = node.input?.map((n) => (n === from ? to : n));
      node.output = node.output?.map((n) => (n === from ? to : n));
    }
    for (const info of graph.value_info ?? []) if (info.name === from) info.name = to;
  };
  const cast = (from: string, to: string, type: number) => ({
    op_type: 'Cast',
    name: `${to}/Cast`,
    input: [from],
    output: [to],
    attribute: [attribute.int('to', type)],
  });
  for (const input of graph.input ?? []) {
    if (!input.name?.startsWith('past_key_values.')) continue;
    rename(input.name, `${input.name}/f32`);
    graph.node!.unshift(cast(input.name, `${input.name}/f32`, DataType.FLOAT));
    input.type!.tensor_type!.elem_type = DataType.FLOAT16;
  }
  for (const output of graph.output ?? []) {
    if (!output.name?.startsWith('present.') && output.name !== 'logits') continue;
    rename(output.name, `${output.name}/f32`);
    graph.node!.push(cast(`${output.name}/f32`, output.name, DataType.FLOAT16));
    output.type!.tensor_type!.elem_type = DataType.FLOAT16;
  }
}

let root: string;
let full: CausalLM;
let half: CausalLM;
const session = { intraOpThreads: 1, interOpThreads: 1 };
beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'signal-half-'));
  for (const name of ['full', 'half']) {
    await buildModel({ arch: 'llama', size: 'tiny', seed: 21, outDir: join(root, name) });
  }
  const path = join(root, 'half', 'onnx', 'model.onnx');
  const model = await readModel(path);
  halfBoundary(model);
  await writeModel(model, path);
  full = await CausalLM.load(join(root, 'full'), { session });
  half = await CausalLM.load(join(root, 'half'), { session });
});
afterAll(async () => {
  await full.dispose();
  await half.dispose();
  await rm(root, { recursive: true, force: true });
});

describe('float16 caches and logits', () => {
  const text = 'Half precision caches still decode the same text.';

  it('introspects the float16 boundary', () => {
    expect(half.signature).toMatchObject({ kvType: 'float16', logitsType: 'float16' });
    expect(full.signature).toMatchObject({ kvType: 'float32', logitsType: 'float32' });
  });

  it('decodes incrementally like the float32 graph, within half precision', async () => {
    const ids = half.tokenizer.encode(text);
    const reference = await full.prefill(ids, { allLogits: true });
    let { logits, cache } = await half.prefill(ids.slice(0, 5));
    for (let i = 5; i < ids.length; i++) {
      ({ logits, cache } = await half.step(ids[i]!, cache));
      expect(maxAbsDiff(logits.at(0), reference.logits.at(0, i))).toBeLessThanOrEqual(2e-2);
    }
    const greedyHalf = await half.generateText(ids, { maxNewTokens: 8, ignoreEos: true });
    const greedyFull = await full.generateText(ids, { maxNewTokens: 8, ignoreEos: true });
    expect(greedyHalf.tokens).toEqual(greedyFull.tokens);
  });

  it('prunes, serialises and continues a float16 cache', async () => {
    const ids = half.tokenizer.encode(text);
    const { cache } = await half.prefill(ids.slice(0, 12));
    const pruned = cache.gather([0, 3, 4, 8, 11]);
    const restored = kvCacheFromPayload(kvCacheToPayload(pruned, { model: 'tiny-half' }));
    const cont = ids.slice(12, 16);
    const a = await half.prefill(cont, { cache: pruned, allLogits: true });
    const b = await half.prefill(cont, { cache: restored, allLogits: true });
    // The payload is float16 too, so nothing is lost on the way.
    expect(maxAbsDiff(a.logits.data, b.logits.data)).toBe(0);
    const reference = await full.prefill(cont, {
      cache: (await full.prefill(ids.slice(0, 12))).cache.gather([0, 3, 4, 8, 11]),
      allLogits: true,
    });
    expect(maxAbsDiff(a.logits.data, reference.logits.data)).toBeLessThanOrEqual(2e-2);
  });
});
