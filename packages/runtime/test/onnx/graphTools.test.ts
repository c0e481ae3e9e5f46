import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isSignalError } from '@signal/core';
import {
  type BuiltModel,
  buildModel,
  DataType,
  encodeModel,
  exposeTensor,
  findNodes,
  inferOutputShapes,
  insertSubgraph,
  type ModelProto,
  makeTensor,
  readModel,
  topologicalSort,
} from '@signal/runtime';
import * as ort from 'onnxruntime-node';
import { referenceForward } from '../builder/llamaReference';
import { headAt, int64, maxAbsDiff, pastFeeds, weightTable } from '../builder/ortHarness';

let root: string;
let built: BuiltModel;
beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'signal-graph-'));
  built = await buildModel({ arch: 'llama', size: 'tiny', seed: 21, outDir: join(root, 'tiny') });
});
afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

const TOKENS = [1, 80, 81, 82, 83];
const ones = TOKENS.map(() => 1);
const positions = TOKENS.map((_, i) => i);

async function run(model: ModelProto, extra: Record<string, ort.Tensor> = {}) {
  const session = await ort.InferenceSession.create(encodeModel(model));
  try {
    return await session.run({
      input_ids: int64([TOKENS]),
      attention_mask: int64([ones]),
      position_ids: int64([positions]),
      ...pastFeeds(built.config, 1),
      ...extra,
    });
  } finally {
    await session.release();
  }
}

describe('findNodes', () => {
  it('finds nodes by exact name, RegExp and predicate', async () => {
    const graph = (await readModel(built.files.model)).graph!;
    expect(findNodes(graph, '/model/layers.1/self_attn/q_proj/MatMul')).toHaveLength(1);
    const projections = findNodes(graph, /^\/model\/layers\.\d+\/self_attn\/[qkvo]_proj\/MatMul$/);
    expect(projections.map((f) => f.node.name)).toEqual([
      '/model/layers.0/self_attn/q_proj/MatMul',
      '/model/layers.0/self_attn/k_proj/MatMul',
      '/model/layers.0/self_attn/v_proj/MatMul',
      '/model/layers.0/self_attn/o_proj/MatMul',
      '/model/layers.1/self_attn/q_proj/MatMul',
      '/model/layers.1/self_attn/k_proj/MatMul',
      '/model/layers.1/self_attn/v_proj/MatMul',
      '/model/layers.1/self_attn/o_proj/MatMul',
    ]);
    const mlp = findNodes(
      graph,
      (node) => node.op_type === 'MatMul' && /mlp\/(gate|up|down)_proj/.test(node.name ?? ''),
    );
    expect(mlp).toHaveLength(6);
    expect(mlp[0]?.node.input).toEqual([
      '/model/layers.0/post_attention_layernorm/Mul_1_output_0',
      'model.layers.0.mlp.gate_proj.weight',
    ]);
    expect(findNodes(graph, '/lm_head/MatMul')[0]?.node.output).toEqual(['logits']);
    expect(findNodes(graph, 'nope')).toEqual([]);
  });
});

describe('exposeTensor', () => {
  it('returns an intermediate tensor from ORT with an inferred type, equal to the reference', async () => {
    const model = await readModel(built.files.model);
    const tensor = '/model/layers.1/self_attn/rotary_q/Add_output_0';
    const info = exposeTensor(model.graph!, tensor, {
      as: 'rotated_queries.1',
      shape: ['batch_size', 4, 'sequence_length', 16],
    });
    expect(info.type?.tensor_type?.elem_type).toBe(DataType.FLOAT);
    const mask = exposeTensor(model.graph!, '/model/attn_mask/And_output_0');
    expect(mask.type?.tensor_type?.elem_type).toBe(DataType.BOOL);
    const out = await run(model);
    expect(out['/model/attn_mask/And_output_0']?.dims).toEqual([
      1,
      1,
      1,
      TOKENS.length,
      TOKENS.length,
    ]);
    const exposed = out['rotated_queries.1'] as ort.Tensor;
    expect(exposed.dims).toEqual([1, 4, TOKENS.length, 16]);
    const ref = referenceForward(built.config, await weightTable(built.files.model), {
      tokens: TOKENS,
      positions,
      mask: ones,
      past: [],
    });
    for (let h = 0; h < 4; h++) {
      for (let s = 0; s < TOKENS.length; s++) {
        expect(maxAbsDiff(headAt(exposed, 0, h, s), ref.queries[1]![h]![s]!)).toBeLessThan(1e-4);
      }
    }
  });

  it('refuses unknown tensors and taken names', async () => {
    const graph = (await readModel(built.files.model)).graph!;
    expect(() => exposeTensor(graph, 'missing')).toThrow(
      expect.objectContaining({ code: 'ONNX_TENSOR_NOT_FOUND' }),
    );
    expect(() => exposeTensor(graph, '/model/norm/Mul_1_output_0', { as: 'logits' })).toThrow(
      expect.objectContaining({ code: 'ONNX_NAME_COLLISION' }),
    );
  });
});

describe('insertSubgraph', () => {
  const hidden = () => built.config.hidden_size;

  it('an Add of a zero-valued input leaves every output unchanged; a non-zero input changes it', async () => {
    const base = await run(await readModel(built.files.model));
    const model = await readModel(built.files.model);
    const target = '/model/layers.0/self_attn/o_proj/MatMul_output_0';
    const result = insertSubgraph(model.graph!, {
      inputs: [
        {
          name: 'bias',
          type: {
            tensor_type: { elem_type: DataType.FLOAT, shape: { dim: [{ dim_value: hidden() }] } },
          },
        },
      ],
      nodes: [
        {
          name: '/graft/Add',
          op_type: 'Add',
          input: [target, 'bias'],
          output: ['/graft/Add_output_0'],
        },
      ],
      reroute: { tensor: target, replacement: '/graft/Add_output_0' },
    });
    expect(result.originalName).toBe(`${target}_base`);
    const zero = new ort.Tensor('float32', new Float32Array(hidden()), [hidden()]);
    const same = await run(model, { bias: zero });
    for (const name of ['logits', 'present.0.key', 'present.1.value']) {
      expect(Array.from((same[name] as ort.Tensor).data as Float32Array)).toEqual(
        Array.from((base[name] as ort.Tensor).data as Float32Array),
      );
    }
    const shifted = await run(model, {
      bias: new ort.Tensor('float32', new Float32Array(hidden()).fill(0.5), [hidden()]),
    });
    const a = (shifted['present.1.key'] as ort.Tensor).data as Float32Array;
    const b = (base['present.1.key'] as ort.Tensor).data as Float32Array;
    expect(maxAbsDiff(Array.from(a), Array.from(b))).toBeGreaterThan(1e-3);
  });

  it('grafts y + (x·A)·B on q_proj with a symbolic rank: rank 0 is the base model, rank r equals W + A·B', async () => {
    const c = built.config;
    const model = await readModel(built.files.model);
    const [found] = findNodes(model.graph!, '/model/layers.0/self_attn/q_proj/MatMul');
    const [x] = found!.node.input!;
    const y = found!.node.output![0]!;
    const out = c.num_attention_heads * c.head_dim;
    const lora = (name: string, dims: (number | string)[]) => ({
      name,
      type: {
        tensor_type: {
          elem_type: DataType.FLOAT,
          shape: {
            dim: dims.map((d) => (typeof d === 'number' ? { dim_value: d } : { dim_param: d })),
          },
        },
      },
    });
    insertSubgraph(model.graph!, {
      inputs: [lora('lora.q.A', [c.hidden_size, 'rank']), lora('lora.q.B', ['rank', out])],
      nodes: [
        { name: '/lora/q/A', op_type: 'MatMul', input: [x!, 'lora.q.A'], output: ['/lora/q/xa'] },
        {
          name: '/lora/q/B',
          op_type: 'MatMul',
          input: ['/lora/q/xa', 'lora.q.B'],
          output: ['/lora/q/xab'],
        },
        { name: '/lora/q/Add', op_type: 'Add', input: [y, '/lora/q/xab'], output: ['/lora/q/out'] },
      ],
      reroute: { tensor: y, replacement: '/lora/q/out' },
    });
    const base = await run(await readModel(built.files.model));
    const rank0 = await run(model, {
      'lora.q.A': new ort.Tensor('float32', new Float32Array(0), [c.hidden_size, 0]),
      'lora.q.B': new ort.Tensor('float32', new Float32Array(0), [0, out]),
    });
    expect(Array.from((rank0.logits as ort.Tensor).data as Float32Array)).toEqual(
      Array.from((base.logits as ort.Tensor).data as Float32Array),
    );

    const rank = 2;
    const A = Float32Array.from({ length: c.hidden_size * rank }, (_, i) => Math.sin(i) * 0.2);
    const B = Float32Array.from({ length: rank * out }, (_, i) => Math.cos(i * 0.7) * 0.2);
    const grafted = await run(model, {
      'lora.q.A': new ort.Tensor('float32', A, [c.hidden_size, rank]),
      'lora.q.B': new ort.Tensor('float32', B, [rank, out]),
    });
    const weights = await weightTable(built.files.model);
    const merged = Float32Array.from(weights('model.layers.0.self_attn.q_proj.weight'));
    for (let i = 0; i < c.hidden_size; i++) {
      for (let o = 0; o < out; o++) {
        for (let r = 0; r < rank; r++) merged[i * out + o]! += A[i * rank + r]! * B[r * out + o]!;
      }
    }
    const ref = referenceForward(
      c,
      (name) => (name === 'model.layers.0.self_attn.q_proj.weight' ? merged : weights(name)),
      {
        tokens: TOKENS,
        positions,
        mask: ones,
        past: [],
      },
    );
    const logits = (grafted.logits as ort.Tensor).data as Float32Array;
    const last = Array.from(logits.subarray((TOKENS.length - 1) * c.vocab_size));
    expect(maxAbsDiff(last, ref.logits.at(-1)!)).toBeLessThan(1e-4);
  });

  it('reroutes a graph output (logits) and keeps its name', async () => {
    const model = await readModel(built.files.model);
    insertSubgraph(model.graph!, {
      initializers: [makeTensor('one', DataType.FLOAT, [], Float32Array.of(1))],
      nodes: [
        { name: '/shift/Add', op_type: 'Add', input: ['logits', 'one'], output: ['shifted'] },
      ],
      reroute: { tensor: 'logits', replacement: 'shifted' },
    });
    expect(model.graph!.output?.[0]?.name).toBe('logits');
    const base = await run(await readModel(built.files.model));
    const out = await run(model);
    const a = (out.logits as ort.Tensor).data as Float32Array;
    const b = (base.logits as ort.Tensor).data as Float32Array;
    expect(
      maxAbsDiff(
        Array.from(a),
        Array.from(b, (v) => v + 1),
      ),
    ).toBeLessThan(1e-5);
  });

  it('refuses collisions and rerouting unknown tensors', async () => {
    const graph = (await readModel(built.files.model)).graph!;
    const nodeCount = graph.node!.length;
    expect(() =>
      insertSubgraph(graph, {
        nodes: [{ name: 'x', op_type: 'Identity', input: ['input_ids'], output: ['logits'] }],
      }),
    ).toThrow(expect.objectContaining({ code: 'ONNX_NAME_COLLISION' }));
    expect(() =>
      insertSubgraph(graph, {
        nodes: [{ name: 'x', op_type: 'Identity', input: ['nope'], output: ['y'] }],
        reroute: { tensor: 'nope', replacement: 'y' },
      }),
    ).toThrow(expect.objectContaining({ code: 'ONNX_TENSOR_NOT_FOUND' }));
    expect(graph.node).toHaveLength(nodeCount);
  });
});

describe('topologicalSort', () => {
  it('orders shuffled nodes so producers come first, and detects cycles', async () => {
    const model = await readModel(built.files.model);
    const graph = model.graph!;
    const reversed = [...graph.node!].reverse();
    graph.node = reversed;
    topologicalSort(graph);
    const seen = new Set([
      ...graph.input!.map((i) => i.name),
      ...graph.initializer!.map((t) => t.name),
    ]);
    for (const node of graph.node!) {
      for (const input of node.input ?? []) expect(seen.has(input)).toBe(true);
      for (const output of node.output ?? []) seen.add(output);
    }
    const out = await run(model);
    expect(out.logits?.dims).toEqual([1, TOKENS.length, built.config.vocab_size]);

    const cyclic = {
      input: [],
      node: [
        { name: 'a', op_type: 'Identity', input: ['b_out'], output: ['a_out'] },
        { name: 'b', op_type: 'Identity', input: ['a_out'], output: ['b_out'] },
      ],
    };
    const error = (() => {
      try {
        topologicalSort(cyclic);
      } catch (e) {
        return e;
      }
    })();
    expect(isSignalError(error, 'ONNX_GRAPH_CYCLE')).toBe(true);
  });
});

describe('insertSubgraph atomicity', () => {
  it('leaves the graph untouched when the inserted nodes read an undefined tensor', async () => {
    const graph = (await readModel(built.files.model)).graph!;
    const before = JSON.stringify(graph.node);
    expect(() =>
      insertSubgraph(graph, {
        nodes: [{ name: 'bad', op_type: 'Add', input: ['logits', 'ghost'], output: ['sum'] }],
        reroute: { tensor: 'logits', replacement: 'sum' },
      }),
    ).toThrow(expect.objectContaining({ code: 'ONNX_TENSOR_NOT_FOUND' }));
    expect(JSON.stringify(graph.node)).toBe(before);
  });
});

describe('inferOutputShapes', () => {
  it('gives exposed tensors ORT-inferred symbolic shapes, and the model still runs', async () => {
    const model = await readModel(built.files.model);
    exposeTensor(model.graph!, '/model/layers.1/self_attn/rotary_q/Add_output_0');
    exposeTensor(model.graph!, '/model/attn_mask/And_output_0');
    await inferOutputShapes(model);
    const shapeOf = (name: string) =>
      model
        .graph!.output!.find((o) => o.name === name)!
        .type!.tensor_type!.shape!.dim!.map((d) => d.dim_value ?? d.dim_param);
    const rotary = shapeOf('/model/layers.1/self_attn/rotary_q/Add_output_0');
    expect(rotary).toHaveLength(4);
    expect([rotary[0], rotary[1], rotary[3]]).toEqual(['batch_size', 4, 16]);
    expect(typeof rotary[2]).toBe('string');
    const mask = shapeOf('/model/attn_mask/And_output_0');
    expect(mask.slice(0, 3)).toEqual(['batch_size', 1, 1]);
    expect(mask).toHaveLength(5);
    // Declared outputs keep their shapes.
    expect(shapeOf('logits')).toEqual(['batch_size', 'sequence_length', built.config.vocab_size]);
    const out = await run(model);
    expect(out['/model/attn_mask/And_output_0']?.dims).toEqual([
      1,
      1,
      1,
      TOKENS.length,
      TOKENS.length,
    ]);
  });
});
