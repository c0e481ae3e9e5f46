import { isSignalError } from '@signal/core';
import fc from 'fast-check';
import {
  applyByteMutations,
  applyJsonMutations,
  type ByteMutation,
  byteMutations,
  fuzzTarget,
  type JsonMutation,
  jsonMutations,
} from '../../../../jest/fuzz';
import { peftTensorKey } from '../../src/peft/moduleNames';
import { parseAdapterConfig, parsePeftAdapter } from '../../src/peft/parsePeftAdapter';
import { readSafetensors } from '../../src/safetensors/readSafetensors';
import { writeSafetensors } from '../../src/safetensors/writeSafetensors';
import { llamaTargets, targetMap } from '../helpers/targets';

const TARGETS = targetMap(llamaTargets(2, 16, 32, 8));
const RANK = 2;

/** A valid adapter of rank 2 on both layers' q and v projections, in each stored dtype. */
function adapterWeights(dtype: 'F32' | 'F16' | 'BF16'): Uint8Array {
  const tensors = [...TARGETS.values()]
    .filter((t) => /\.(q|v)_proj$/.test(t.module))
    .flatMap((t) => [
      {
        name: peftTensorKey(t.module, 'A'),
        dtype,
        shape: [RANK, t.inFeatures],
        data: Float32Array.from({ length: RANK * t.inFeatures }, (_, i) => (i % 7) / 10),
      },
      {
        name: peftTensorKey(t.module, 'B'),
        dtype,
        shape: [t.outFeatures, RANK],
        data: Float32Array.from({ length: RANK * t.outFeatures }, (_, i) => (i % 5) / 10),
      },
    ]);
  return writeSafetensors(tensors, { format: 'pt' });
}

const WEIGHT_SEEDS = [adapterWeights('F32'), adapterWeights('F16'), adapterWeights('BF16')];
const CONFIG_SEEDS: readonly unknown[] = [
  { peft_type: 'LORA', r: RANK, lora_alpha: 4, target_modules: ['q_proj', 'v_proj'], bias: 'none' },
  {
    r: RANK,
    lora_alpha: 8,
    use_rslora: true,
    target_modules: '.*\\.(q|v)_proj',
    rank_pattern: { q_proj: 2 },
    alpha_pattern: { 'layers.1.self_attn.v_proj': 3 },
  },
  {
    r: RANK,
    target_modules: ['q_proj', 'v_proj'],
    layers_to_transform: [0, 1],
    layers_pattern: 'layers',
    exclude_modules: 'lm_head',
  },
];

/** Patterns a hostile config may hold: nested quantifiers that backtrack exponentially. */
const HOSTILE_PATTERNS = ['(.*)*x', '(a|a)*b', '(.*.*)*$z', '([a-z._0-9]+)+!', '(model.*)*\\d{40}'];

const LORA_MAX_RANK = 8;

describe('PEFT adapter fuzz', () => {
  fuzzTarget({
    name: 'readSafetensors on mutated adapter files',
    input: fc.record({ seed: fc.nat(2), mutations: byteMutations(6) }),
    prepare: ({ seed, mutations }) => applyByteMutations(WEIGHT_SEEDS[seed]!, mutations),
    size: (bytes) => bytes.length,
    parse: (bytes) => readSafetensors(bytes, 'fuzz.safetensors'),
    accept: isSignalError,
    check: (result) => {
      for (const tensor of (result as ReturnType<typeof readSafetensors>).tensors.values()) {
        expect(tensor.data.length).toBe(tensor.shape.reduce((a, b) => a * b, 1));
      }
    },
    // F16 and BF16 widen to float32: twice the bytes they came in.
    allocation: { perInputByte: 4 },
  });

  fuzzTarget({
    name: 'parseAdapterConfig on mutated adapter_config.json',
    input: fc.oneof(
      fc.record({ seed: fc.nat(2), json: jsonMutations(4), text: fc.constant<ByteMutation[]>([]) }),
      fc.record({ seed: fc.nat(2), json: fc.constant<JsonMutation[]>([]), text: byteMutations(4) }),
      fc.record({
        seed: fc.nat(2),
        json: fc
          .constantFrom(...HOSTILE_PATTERNS)
          .map((p): JsonMutation[] => [{ kind: 'addKey', at: 0, key: 'target_modules', value: p }]),
        text: fc.constant<ByteMutation[]>([]),
      }),
    ),
    prepare: ({ seed, json, text }) => {
      const mutated = JSON.stringify(applyJsonMutations(CONFIG_SEEDS[seed], json));
      return Buffer.from(applyByteMutations(Buffer.from(mutated), text)).toString();
    },
    size: (text) => Buffer.byteLength(text),
    // What loadPeftAdapter does with the file's text, then the whole adapter against the base.
    parse: (text) => {
      let raw: unknown;
      try {
        raw = JSON.parse(text);
      } catch {
        return undefined;
      }
      parseAdapterConfig(raw, 'fuzz');
      return parsePeftAdapter(raw, readSafetensors(WEIGHT_SEEDS[0]!), {
        name: 'fuzz',
        targets: TARGETS,
        maxRank: LORA_MAX_RANK,
      });
    },
    accept: isSignalError,
    // Found by this target: on V8's backtracking engine this pattern took 79 s of CPU.
    regressions: [
      {
        seed: 0,
        json: [{ kind: 'addKey', at: 0, key: 'target_modules', value: '(.*)*x' }],
        text: [],
      },
    ],
    check: (adapter) => {
      if (adapter === undefined) return;
      const parsed = adapter as ReturnType<typeof parsePeftAdapter>;
      expect(parsed.maxRank).toBeLessThanOrEqual(LORA_MAX_RANK);
      for (const module of parsed.modules.values()) {
        expect(module.a.length).toBe(module.inFeatures * module.rank);
        expect(module.b.length).toBe(module.rank * module.outFeatures);
      }
    },
  });

  fuzzTarget({
    name: 'parsePeftAdapter on mutated weights under a valid config',
    input: fc.record({ seed: fc.nat(2), config: fc.nat(2), mutations: byteMutations(4) }),
    prepare: ({ seed, config, mutations }) => ({
      config: CONFIG_SEEDS[config],
      bytes: applyByteMutations(WEIGHT_SEEDS[seed]!, mutations),
    }),
    size: ({ bytes }) => bytes.length,
    parse: ({ config, bytes }) =>
      parsePeftAdapter(config, readSafetensors(bytes), {
        name: 'fuzz',
        targets: TARGETS,
        maxRank: LORA_MAX_RANK,
      }),
    accept: isSignalError,
    allocation: { perInputByte: 8 },
  });
});
