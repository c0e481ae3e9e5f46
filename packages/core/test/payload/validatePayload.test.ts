import fc from 'fast-check';
import { CondensedPayloadSchema } from '../../src/payload/CondensedPayload';
import {
  PAYLOAD_ERROR_CODES,
  PayloadError,
  type PayloadErrorCode,
} from '../../src/payload/PayloadError';
import { type PayloadLimits, tierPayloadLimits } from '../../src/payload/PayloadLimits';
import { validatePayload } from '../../src/payload/validatePayload';
import { encodeTensor } from '../../src/tensor/codec';
import { DEFAULT_TIERS } from '../../src/tiers/defaultTiers';
import {
  GEOMETRY,
  kvPayload,
  msgpackNumpy,
  quantizedKvPayload,
  softPayload,
  tensor,
  textPayload,
} from './fixtures';

const LIMITS: PayloadLimits = {
  maxPayloadBytes: 64 * 1024,
  minCondensedTokens: 1,
  maxCondensedTokens: 64,
  minCompressionRate: 0.05,
  maxCompressionRate: 0.9,
  expectedModel: 'local/tiny-llama',
  geometry: GEOMETRY,
};

function refusal(raw: unknown, limits: PayloadLimits = LIMITS): PayloadError {
  try {
    validatePayload(raw, limits);
  } catch (error) {
    expect(error).toBeInstanceOf(PayloadError);
    return error as PayloadError;
  }
  throw new Error('expected validatePayload to refuse the payload');
}

interface Case {
  readonly name: string;
  readonly raw: () => unknown;
  readonly limits?: PayloadLimits;
  readonly code: PayloadErrorCode;
  readonly path: string;
}

const cases: Case[] = [
  { name: 'not an object', raw: () => 'kv', code: 'PAYLOAD_SCHEMA', path: 'condensed' },
  {
    name: 'unknown format',
    raw: () => ({ ...textPayload(), format: 'zip' }),
    code: 'PAYLOAD_SCHEMA',
    path: 'condensed.format',
  },
  {
    name: 'NaN token count',
    raw: () => ({ ...textPayload(), original_tokens: Number.NaN }),
    code: 'PAYLOAD_SCHEMA',
    path: 'condensed.original_tokens',
  },
  {
    name: 'negative shape dimension',
    raw: () => {
      const p = kvPayload();
      p.layers[1]!.value.shape = [1, 2, -4, 4];
      return p;
    },
    code: 'PAYLOAD_SCHEMA',
    path: 'condensed.layers[1].value.shape[2]',
  },
  {
    name: 'dtype nobody knows',
    raw: () => {
      const p = kvPayload();
      (p.layers[0]!.key as { dtype: string }).dtype = 'bfloat17';
      return p;
    },
    code: 'PAYLOAD_DTYPE',
    path: 'condensed.layers[0].key.dtype',
  },
  {
    name: 'dtype the receiver refuses',
    raw: () => kvPayload(4, 16, 'int32'),
    code: 'PAYLOAD_DTYPE',
    path: 'condensed.layers[0].key.dtype',
  },
  {
    name: 'wrong rank',
    raw: () => {
      const p = kvPayload();
      p.layers[0]!.key = tensor('float16', [2, 4, 4]);
      return p;
    },
    code: 'PAYLOAD_SHAPE',
    path: 'condensed.layers[0].key.shape',
  },
  {
    name: 'batch of two',
    raw: () => {
      const p = kvPayload();
      p.layers[1]!.key = tensor('float16', [2, 2, 4, 4]);
      return p;
    },
    code: 'PAYLOAD_SHAPE',
    path: 'condensed.layers[1].key.shape',
  },
  {
    name: 'empty dimension',
    raw: () => ({ ...softPayload(), embeddings: tensor('float32', [4, 0]) }),
    code: 'PAYLOAD_SHAPE',
    path: 'condensed.embeddings.shape',
  },
  {
    name: 'value shape differs from key',
    raw: () => {
      const p = kvPayload();
      p.layers[1]!.value = tensor('float16', [1, 2, 3, 4]);
      return p;
    },
    code: 'PAYLOAD_LAYER_MISMATCH',
    path: 'condensed.layers[1].value.shape',
  },
  {
    name: 'layers mix dtypes',
    raw: () => {
      const p = kvPayload();
      p.layers[1]!.key = tensor('float32', [1, 2, 4, 4]);
      return p;
    },
    code: 'PAYLOAD_LAYER_MISMATCH',
    path: 'condensed.layers[1].key.dtype',
  },
  {
    name: 'too few layers for the model',
    raw: () => {
      const p = kvPayload();
      p.layers.pop();
      return p;
    },
    code: 'PAYLOAD_GEOMETRY_MISMATCH',
    path: 'condensed.layers',
  },
  {
    name: 'wrong head_dim',
    raw: () => {
      const p = kvPayload();
      for (const layer of p.layers) {
        layer.key = tensor('float16', [1, 2, 4, 8]);
        layer.value = tensor('float16', [1, 2, 4, 8]);
      }
      return p;
    },
    code: 'PAYLOAD_GEOMETRY_MISMATCH',
    path: 'condensed.layers[0].key.shape',
  },
  {
    name: 'wrong hidden size',
    raw: () => ({ ...softPayload(), embeddings: tensor('float32', [4, 16]) }),
    code: 'PAYLOAD_GEOMETRY_MISMATCH',
    path: 'condensed.embeddings.shape',
  },
  {
    name: 'kept disagrees with the shapes',
    raw: () => ({ ...kvPayload(), kept: 5, condensed_tokens: 5 }),
    code: 'PAYLOAD_TOKEN_COUNT',
    path: 'condensed.kept',
  },
  {
    name: 'condensed_tokens disagrees with kept',
    raw: () => ({ ...kvPayload(), condensed_tokens: 3 }),
    code: 'PAYLOAD_TOKEN_COUNT',
    path: 'condensed.condensed_tokens',
  },
  {
    name: 'original_length below kept',
    raw: () => ({ ...kvPayload(), original_length: 3 }),
    code: 'PAYLOAD_TOKEN_COUNT',
    path: 'condensed.original_length',
  },
  {
    name: 'more condensed than original tokens',
    raw: () => textPayload('x', 20, 16),
    code: 'PAYLOAD_TOKEN_COUNT',
    path: 'condensed.condensed_tokens',
  },
  {
    name: 'soft token count disagrees with embeddings',
    raw: () => ({ ...softPayload(), condensed_tokens: 5 }),
    code: 'PAYLOAD_TOKEN_COUNT',
    path: 'condensed.condensed_tokens',
  },
  {
    name: 'declared tensors over the tier limit',
    raw: () => kvPayload(4, 16, 'float32'),
    limits: { ...LIMITS, maxPayloadBytes: 200 },
    code: 'PAYLOAD_TOO_LARGE',
    path: 'condensed.layers',
  },
  {
    name: 'base64 over the limit although the shapes fit',
    raw: () => kvPayload(),
    limits: { ...LIMITS, maxPayloadBytes: 300 },
    code: 'PAYLOAD_TOO_LARGE',
    path: 'condensed.layers',
  },
  {
    name: 'text over the limit',
    raw: () => textPayload('é'.repeat(60)),
    limits: { ...LIMITS, maxPayloadBytes: 100 },
    code: 'PAYLOAD_TOO_LARGE',
    path: 'condensed.text',
  },
  {
    name: 'buffer far larger than its shape',
    raw: () => {
      const p = kvPayload();
      p.layers[1]!.value.buffer = tensor('float16', [1, 2, 64, 4]).buffer;
      return p;
    },
    code: 'PAYLOAD_BUFFER_SIZE',
    path: 'condensed.layers[1].value.buffer',
  },
  {
    name: 'buffer too short for its shape',
    raw: () => {
      const p = kvPayload();
      p.layers[0]!.key.buffer = 'AAAA';
      return p;
    },
    code: 'PAYLOAD_BUFFER_SIZE',
    path: 'condensed.layers[0].key.buffer',
  },
  {
    name: 'fewer condensed tokens than the tier allows',
    raw: () => textPayload('x', 1, 16),
    limits: { ...LIMITS, minCondensedTokens: 2 },
    code: 'PAYLOAD_TOKENS_OUT_OF_RANGE',
    path: 'condensed.condensed_tokens',
  },
  {
    name: 'more condensed tokens than the tier allows',
    raw: () => textPayload('x', 10, 16),
    limits: { ...LIMITS, maxCondensedTokens: 8 },
    code: 'PAYLOAD_TOKENS_OUT_OF_RANGE',
    path: 'condensed.condensed_tokens',
  },
  {
    name: 'barely compressed',
    raw: () => textPayload('x', 15, 16),
    code: 'PAYLOAD_COMPRESSION_OUT_OF_RANGE',
    path: 'condensed.condensed_tokens',
  },
  {
    name: 'compressed beyond the tier floor',
    raw: () => textPayload('x', 1, 100),
    code: 'PAYLOAD_COMPRESSION_OUT_OF_RANGE',
    path: 'condensed.condensed_tokens',
  },
  {
    name: 'made for another model',
    raw: () => ({ ...kvPayload(), model: 'local/other' }),
    code: 'PAYLOAD_MODEL_MISMATCH',
    path: 'condensed.model',
  },
  {
    name: 'a quantized half missing its zero points',
    raw: () => {
      const p = quantizedKvPayload('int4');
      delete (p.layers[1]!.key as { zero?: unknown }).zero;
      return p;
    },
    code: 'PAYLOAD_SCHEMA',
    path: 'condensed.layers[1].key.zero',
  },
  {
    name: 'int4 codes that are not uint8',
    raw: () => {
      const p = quantizedKvPayload('int4');
      p.layers[0]!.value.codes = tensor('int8', p.layers[0]!.value.codes.shape);
      return p;
    },
    code: 'PAYLOAD_DTYPE',
    path: 'condensed.layers[0].value.codes.dtype',
  },
  {
    name: 'a scale with the wrong group count',
    raw: () => {
      const p = quantizedKvPayload('int4', 4, 16, 2);
      // Groups of 2 along 4 tokens are [1, 2, 2, 4]; claim groups of 1.
      p.layers[1]!.key.group_size = 1;
      return p;
    },
    code: 'PAYLOAD_QUANTIZATION',
    path: 'condensed.layers[1].key.scale.shape',
  },
  {
    name: 'codes shorter than the elements need',
    raw: () => {
      const p = quantizedKvPayload('int8');
      p.layers[0]!.key.codes = tensor('uint8', [p.layers[0]!.key.codes.shape[0]! - 1]);
      return p;
    },
    code: 'PAYLOAD_QUANTIZATION',
    path: 'condensed.layers[0].key.codes.shape',
  },
  {
    name: 'a quantization axis that is neither tokens nor channels',
    raw: () => {
      const p = quantizedKvPayload('int8');
      p.layers[0]!.value.axis = 1;
      return p;
    },
    code: 'PAYLOAD_QUANTIZATION',
    path: 'condensed.layers[0].value.axis',
  },
  {
    name: 'an int4 half with an odd element count',
    raw: () => {
      const p = quantizedKvPayload('int4');
      for (const layer of p.layers) {
        for (const half of [layer.key, layer.value]) half.shape = [1, 1, 3, 3];
      }
      return p;
    },
    limits: { ...LIMITS, geometry: undefined },
    code: 'PAYLOAD_INT4_ODD_COUNT',
    path: 'condensed.layers[0].key.shape',
  },
  {
    name: 'layers quantized differently',
    raw: () => {
      const p = quantizedKvPayload('int8');
      p.layers[1] = quantizedKvPayload('int4').layers[1]!;
      return p;
    },
    code: 'PAYLOAD_LAYER_MISMATCH',
    path: 'condensed.layers[1].key.quantization',
  },
  {
    name: 'a NaN scale',
    raw: () => {
      const p = quantizedKvPayload('int8');
      const { shape } = p.layers[1]!.value.scale;
      const data = new Float32Array(shape.reduce((n, d) => n * d, 1)).fill(0.5);
      data[2] = Number.NaN;
      p.layers[1]!.value.scale = encodeTensor(
        { dtype: 'float16', shape, data },
        { allowNonFinite: true },
      );
      return p;
    },
    code: 'PAYLOAD_SCALE_NON_FINITE',
    path: 'condensed.layers[1].value.scale',
  },
  {
    name: 'zero points whose buffer holds another numpy type',
    raw: () => {
      const p = quantizedKvPayload('int8');
      const { shape } = p.layers[0]!.key.zero;
      const bytes = shape.reduce((n, d) => n * d, 1) * 2;
      p.layers[0]!.key.zero = {
        buffer: Buffer.from(msgpackNumpy('uint8', [bytes])).toString('base64'),
        dtype: 'float16',
        shape,
      };
      return p;
    },
    code: 'PAYLOAD_UNDECODABLE',
    path: 'condensed.layers[0].key.zero',
  },
];

describe('validatePayload', () => {
  it('accepts well-formed kv, soft and text payloads and returns them typed', () => {
    const kv = validatePayload(kvPayload(), LIMITS);
    expect(kv.format).toBe('kv');
    if (kv.format === 'kv') expect(kv.layers).toHaveLength(2);
    expect(validatePayload(softPayload(), LIMITS).format).toBe('soft');
    expect(validatePayload(textPayload(), LIMITS).format).toBe('text');
  });

  it('accepts int8 and int4 caches in the KIVI layout', () => {
    for (const scheme of ['int8', 'int4'] as const) {
      const payload = validatePayload(quantizedKvPayload(scheme), LIMITS);
      expect(payload.format === 'kv' && payload.layers[0]!.key).toMatchObject({
        quantization: scheme,
        axis: 2,
        shape: [1, GEOMETRY.kvHeads, 4, GEOMETRY.headDim],
      });
    }
    expect(() =>
      validatePayload(quantizedKvPayload('int4'), { ...LIMITS, allowedQuantizations: ['int8'] }),
    ).toThrow(/int4 is not one of int8/);
  });

  it('fills the kv adapter default and accepts torch dtype spellings', () => {
    const { adapter: _adapter, ...raw } = kvPayload();
    for (const layer of raw.layers) (layer.key as { dtype: string }).dtype = 'torch.float16';
    const payload = validatePayload(raw, LIMITS);
    expect(payload.format === 'kv' && payload.adapter).toBeNull();
    expect(payload.format === 'kv' && payload.layers[0]!.key).toMatchObject({ dtype: 'float16' });
  });

  it.each(cases)('refuses $name with $code at $path', ({ raw, limits, code, path }) => {
    const error = refusal(raw(), limits);
    expect(error.code).toBe(code);
    expect(error.path).toBe(path);
    expect(error.message.startsWith(`${path}: `)).toBe(true);
  });

  it('exercises every error code', () => {
    expect(new Set(cases.map((c) => c.code))).toEqual(new Set(PAYLOAD_ERROR_CODES));
  });

  it('names the field under a caller-chosen root', () => {
    try {
      validatePayload({ ...kvPayload(), kept: 0 }, LIMITS, { path: 'synapse.condensed' });
      throw new Error('expected a refusal');
    } catch (error) {
      expect((error as PayloadError).path).toBe('synapse.condensed.kept');
    }
  });

  it('refuses a huge declared shape without touching its buffer', () => {
    const p = kvPayload();
    const shape = [1, 2, 1_000_000_000, 4];
    p.layers = p.layers.map(() => ({
      key: { buffer: 'AAAA', dtype: 'float16' as const, shape },
      value: { buffer: 'AAAA', dtype: 'float16' as const, shape },
    }));
    Object.assign(p, { kept: 1_000_000_000, condensed_tokens: 1_000_000_000 });
    Object.assign(p, { original_tokens: 2_000_000_000, original_length: 2_000_000_000 });
    expect(refusal(p).code).toBe('PAYLOAD_TOO_LARGE');
  });

  it('takes its bounds from a tier', () => {
    const research = DEFAULT_TIERS[0]!;
    const limits = tierPayloadLimits(research, { expectedModel: 'local/tiny-llama' });
    expect(limits).toMatchObject({
      maxPayloadBytes: research.maxPayloadBytes,
      minCondensedTokens: research.minCondensedTokens,
      maxCompressionRate: research.maxCompressionRate,
      expectedModel: 'local/tiny-llama',
    });
    expect(refusal(textPayload('x', 2, 16), limits).code).toBe('PAYLOAD_TOKENS_OUT_OF_RANGE');
    expect(validatePayload(textPayload('x', 8, 16), limits).condensed_tokens).toBe(8);
  });

  it('accepts every real msgpack-numpy buffer whatever its shape', () => {
    fc.assert(
      fc.property(
        fc.constantFrom('float16' as const, 'float32' as const),
        fc.integer({ min: 1, max: 300 }),
        fc.integer({ min: 1, max: 40 }),
        (dtype, n, hidden) => {
          const raw = {
            format: 'soft',
            model: 'm',
            original_tokens: n,
            condensed_tokens: n,
            embeddings: tensor(dtype, [n, hidden]),
          };
          expect(validatePayload(raw, { maxPayloadBytes: 1 << 20 }).condensed_tokens).toBe(n);
        },
      ),
      { numRuns: 60 },
    );
  });

  it('refuses a buffer padded with bytes its shape does not declare', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 64 }),
        fc.integer({ min: 300, max: 4_000 }),
        (n, extra) => {
          const bytes = msgpackNumpy('float16', [n, 8]);
          const padded = Buffer.concat([Buffer.from(bytes), Buffer.alloc(extra)]).toString(
            'base64',
          );
          const raw = {
            ...softPayload(n, n),
            embeddings: { buffer: padded, dtype: 'float16', shape: [n, 8] },
          };
          expect(refusal(raw, { maxPayloadBytes: 1 << 20 }).code).toBe('PAYLOAD_BUFFER_SIZE');
        },
      ),
      { numRuns: 40 },
    );
  });

  it('round-trips through the schema unchanged', () => {
    const payload = kvPayload();
    expect(CondensedPayloadSchema.parse(JSON.parse(JSON.stringify(payload)))).toEqual(payload);
  });
});
