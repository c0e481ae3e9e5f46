import { isSignalError } from '@signal/core';
import {
  type GraphSignature,
  type GraphSummary,
  ModelConfigSchema,
  readGraphSignature,
} from '@signal/runtime';
import type { InferenceSession } from 'onnxruntime-node';

type Meta = InferenceSession.ValueMetadata;
const tensor = (name: string, type: string, shape: (number | string)[]): Meta =>
  ({ name, isTensor: true, type, shape }) as Meta;

const config = ModelConfigSchema.parse({
  model_type: 'qwen2',
  vocab_size: 1000,
  hidden_size: 128,
  num_hidden_layers: 2,
  num_attention_heads: 4,
  num_key_value_heads: 2,
});

/** The I/O metadata ORT reports for an optimum-style export, optionally edited. */
function io(
  options: {
    naming?: 'optimum' | 'past_key';
    kvType?: string;
    kvHeads?: number;
    extraInputs?: Meta[];
    drop?: string[];
  } = {},
) {
  const kvType = options.kvType ?? 'float32';
  const kvHeads = options.kvHeads ?? 2;
  const inputs: Meta[] = [
    tensor('input_ids', 'int64', ['batch', 'seq']),
    tensor('attention_mask', 'int64', ['batch', 'total']),
    tensor('position_ids', 'int64', ['batch', 'seq']),
  ];
  const outputs: Meta[] = [tensor('logits', 'float32', ['batch', 'seq', 1000])];
  for (let l = 0; l < 2; l++) {
    const [pk, pv, ok, ov] =
      options.naming === 'past_key'
        ? [`past_key.${l}`, `past_value.${l}`, `present_key.${l}`, `present_value.${l}`]
        : [
            `past_key_values.${l}.key`,
            `past_key_values.${l}.value`,
            `present.${l}.key`,
            `present.${l}.value`,
          ];
    inputs.push(
      tensor(pk, kvType, ['batch', kvHeads, 'past', 32]),
      tensor(pv, kvType, ['batch', kvHeads, 'past', 32]),
    );
    outputs.push(
      tensor(ok, kvType, ['batch', kvHeads, 'total', 32]),
      tensor(ov, kvType, ['batch', kvHeads, 'total', 32]),
    );
  }
  inputs.push(...(options.extraInputs ?? []));
  const drop = new Set(options.drop ?? []);
  return {
    inputMetadata: inputs.filter((m) => !drop.has(m.name)),
    outputMetadata: outputs.filter((m) => !drop.has(m.name)),
  };
}

/** A graph of plain ONNX ops, or one whose GroupQueryAttention nodes apply rotary themselves. */
const graphOf = (gqa: boolean): GraphSummary => ({
  ops: new Map(gqa ? [['com.microsoft:GroupQueryAttention', 2]] : [[':MatMul', 14]]),
  opsets: new Map([['', 17]]),
  externalData: [],
  gqa: gqa
    ? [0, 1].map((l) => ({
        name: `/model/layers.${l}/self_attn/GroupQueryAttention`,
        numHeads: 4,
        kvNumHeads: 2,
        doRotary: true,
        rotaryInterleaved: false,
        localWindowSize: -1,
        packedQkv: false,
      }))
    : [],
  nbits: undefined,
  inputs: [],
  outputs: [],
  nodeNames: [],
});

const read = (session: ReturnType<typeof io>, gqa = false): GraphSignature =>
  readGraphSignature({ session, config, modelPath: 'model.onnx', graph: graphOf(gqa) });

const code = (fn: () => unknown): string | undefined => {
  try {
    fn();
  } catch (error) {
    return isSignalError(error) ? `${error.code}: ${error.shortMessage}` : String(error);
  }
  return undefined;
};

describe('readGraphSignature', () => {
  it('reads an optimum export with merged-decoder and logits inputs', () => {
    const signature = read(
      io({
        extraInputs: [
          tensor('use_cache_branch', 'bool', [1]),
          tensor('logits_to_keep', 'int64', []),
        ],
      }),
    );
    expect(signature).toMatchObject({
      numLayers: 2,
      kvHeads: 2,
      headDim: 32,
      vocabSize: 1000,
      useCacheBranch: true,
      logitsToKeep: 'logits_to_keep',
      supportsPrunedCache: true,
    });
  });

  it('recognises past_key.N / present_key.N naming', () => {
    expect(read(io({ naming: 'past_key' })).kv[1]).toEqual({
      pastKey: 'past_key.1',
      pastValue: 'past_value.1',
      presentKey: 'present_key.1',
      presentValue: 'present_value.1',
    });
  });

  it('accepts float16 caches, but not a mix of float16 and float32', () => {
    expect(read(io({ kvType: 'float16' })).kvType).toBe('float16');
    const mixed = io();
    mixed.inputMetadata = mixed.inputMetadata.map((m) =>
      m.name === 'past_key_values.1.value'
        ? tensor(m.name, 'float16', ['batch', 2, 'past', 32])
        : m,
    );
    expect(code(() => read(mixed))).toMatch(/past_key_values.1.value has element type float16/);
  });

  it('marks GroupQueryAttention graphs and graphs without position_ids as unable to take pruned caches', () => {
    expect(read(io(), true)).toMatchObject({
      supportsPrunedCache: false,
      attention: 'group-query-attention',
      rotary: 'inside-attention-op',
      prunedCacheBlocker: expect.stringContaining('seqlens_k'),
    });
    expect(read(io({ drop: ['position_ids'] })).supportsPrunedCache).toBe(false);
  });

  it('refuses graphs the runtime cannot drive, naming the input', () => {
    expect(code(() => read(io({ kvType: 'int8' })))).toMatch(
      /MODEL_IO_UNSUPPORTED: .*past_key_values.0.key has element type int8/,
    );
    expect(code(() => read(io({ kvHeads: 4 })))).toMatch(/4 kv heads but config.json implies 2/);
    expect(code(() => read(io({ drop: ['present.1.value'] })))).toMatch(
      /present.1.value is missing/,
    );
    expect(code(() => read(io({ drop: ['logits'] })))).toMatch(/logits is missing/);
    expect(
      code(() => read(io({ drop: ['past_key_values.1.key', 'past_key_values.1.value'] }))),
    ).toMatch(/2 cache layers|1 cache layers/);
    expect(
      code(() => read(io({ extraInputs: [tensor('lora_A.0', 'float32', ['r', 128])] }))),
    ).toMatch(/lora_A.0 is not one the runtime knows/);
  });
});
