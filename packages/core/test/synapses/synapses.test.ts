import type { z } from 'zod';
import { isSignalError } from '../../src/errors/SignalError';
import { Condense } from '../../src/synapses/Condense';
import { Inference } from '../../src/synapses/Inference';
import { Metadata } from '../../src/synapses/Metadata';
import type { SynapseSpec } from '../../src/synapses/SynapseSpec';
import { getSynapse, isSynapseName, synapses } from '../../src/synapses/synapses';
import { bodyHash } from '../../src/wire/bodyHash';
import type { PyType } from '../../src/wire/pyType';
import { kvPayload } from '../payload/fixtures';

const specs: SynapseSpec[] = Object.values(synapses);

/** A value of the given Python type that the matching zod field must accept. */
function sampleOf(type: PyType): unknown {
  switch (type.kind) {
    case 'str':
      return 'x';
    case 'int':
      return 1;
    case 'float':
      return 0.5;
    case 'bool':
      return true;
    case 'none':
    case 'optional':
      return null;
    case 'any':
      return 1;
    case 'list':
      return [];
    case 'dict':
      return {};
    case 'model':
      return {};
  }
}

describe.each(specs.map((spec) => [spec.name, spec] as const))('%s spec', (name, spec) => {
  const shape = spec.schema.shape as Record<string, z.ZodType>;
  const names = spec.fields.map(([field]) => field);

  it('is registered under its own name', () => {
    expect(getSynapse(name)).toBe(spec);
  });

  it('declares every schema field once, in schema order', () => {
    expect(names).toEqual(Object.keys(shape));
  });

  it('marks as required exactly the fields with no default', () => {
    const withoutDefault = names.filter((field) => !shape[field]!.safeParse(undefined).success);
    expect([...spec.requiredFields]).toEqual(withoutDefault);
  });

  it('hashes only request fields, in declaration order', () => {
    const order = spec.requiredHashFields.map((field) => names.indexOf(field));
    expect(order.every((index) => index >= 0)).toBe(true);
    expect(order).toEqual([...order].sort((a, b) => a - b));
    for (const field of spec.requiredHashFields) {
      expect(spec.responseFields).not.toContain(field);
    }
    for (const field of spec.requiredFields) {
      expect(spec.requiredHashFields).toContain(field);
    }
  });

  it('gives every response field a default and keeps it out of the request', () => {
    for (const field of spec.responseFields) {
      expect(names).toContain(field);
      expect(shape[field]!.safeParse(undefined).success).toBe(true);
      expect(spec.requiredFields).not.toContain(field);
    }
  });

  it('has Python types that agree with the zod fields', () => {
    for (const [field, type] of spec.fields) {
      const zodField = shape[field]!;
      expect([field, zodField.safeParse(sampleOf(type)).success]).toEqual([field, true]);
      const nullable = zodField.safeParse(null).success;
      expect([field, nullable]).toEqual([field, type.kind === 'optional']);
      if (type.kind === 'int') expect(zodField.safeParse(1.5).success).toBe(false);
      if (type.kind === 'str') expect(zodField.safeParse(1).success).toBe(false);
    }
  });
});

describe('Condense', () => {
  it('parses a Python-shaped request and fills the defaults', () => {
    const synapse = Condense.schema.parse({
      context: 'a long context',
      target_model: 'local/tiny-llama',
      tier: 'research',
      name: 'Condense',
      timeout: 12.0,
    });
    expect(synapse).toEqual({
      context: 'a long context',
      target_model: 'local/tiny-llama',
      tier: 'research',
      adapter: null,
      condensed: null,
    });
    expect(Condense.requiredHashFields).toEqual(['context', 'target_model', 'tier']);
  });

  it('carries a condensed payload in its response and refuses a malformed one', () => {
    const request = { context: 'c', target_model: 'm', tier: 'research' };
    const parsed = Condense.schema.parse({ ...request, condensed: kvPayload() });
    expect(parsed.condensed?.format).toBe('kv');
    expect(
      Condense.schema.safeParse({ ...request, condensed: { format: 'kv', model: 'm' } }).success,
    ).toBe(false);
  });

  it('refuses a request missing a required field', () => {
    const result = Condense.schema.safeParse({ context: 'c', tier: 'research' });
    expect(result.success).toBe(false);
    expect(result.error?.issues[0]?.path).toEqual(['target_model']);
  });
});

describe('Inference', () => {
  it('has the sampling defaults a Python peer declares', () => {
    expect(Inference.schema.parse({ model: 'm', prompt: 'p' })).toEqual({
      model: 'm',
      prompt: 'p',
      adapter: null,
      condensed: null,
      max_new_tokens: 64,
      temperature: 0,
      top_k: 0,
      top_p: 1,
      seed: null,
      stop: [],
      stream: false,
      completion: null,
      tokens: null,
    });
    expect(Inference.streaming).toBe(true);
  });

  it('hashes every request field except the condensed payload', () => {
    const request = Inference.fields
      .map(([field]) => field)
      .filter((field) => !(Inference.responseFields as readonly string[]).includes(field));
    expect([...Inference.requiredHashFields]).toEqual(request.filter((f) => f !== 'condensed'));
  });

  it('has a body hash that covers the sampling parameters but not the payload', () => {
    const plain = Inference.schema.parse({ model: 'm', prompt: 'p' });
    const hash = bodyHash(Inference, plain);
    expect(hash).toMatch(/^[0-9a-f]{64}$/);
    expect(bodyHash(Inference, { ...plain, condensed: kvPayload() })).toBe(hash);
    expect(bodyHash(Inference, { ...plain, temperature: 0.7 })).not.toBe(hash);
    expect(bodyHash(Inference, { ...plain, stop: ['\n'] })).not.toBe(hash);
  });

  it('refuses nonsense sampling parameters', () => {
    for (const bad of [
      { max_new_tokens: 0 },
      { max_new_tokens: 2.5 },
      { temperature: -1 },
      { temperature: Number.NaN },
      { top_p: 0 },
      { top_k: -1 },
      { stop: 'eos' },
    ]) {
      expect(Inference.schema.safeParse({ model: 'm', prompt: 'p', ...bad }).success).toBe(false);
    }
  });
});

describe('Metadata', () => {
  it('has no request fields and defaults every response field', () => {
    expect(Metadata.requiredFields).toEqual([]);
    expect(Metadata.requiredHashFields).toEqual([]);
    expect(Metadata.schema.parse({})).toEqual({
      tier: null,
      models: [],
      adapters: [],
      methods: [],
      limits: {},
    });
  });

  it('keeps limits to JSON scalars', () => {
    const limits = { max_context_chars: 2500, max_payload_bytes: 1e8, tier: 'research' };
    expect(Metadata.schema.parse({ limits }).limits).toEqual(limits);
    expect(Metadata.schema.safeParse({ limits: { nested: { a: 1 } } }).success).toBe(false);
  });
});

describe('body hashes agree with Python', () => {
  // Computed with Python's str() of each field of the equivalent pydantic classes.
  it('for Condense', () => {
    const synapse = Condense.schema.parse({
      context: 'A long context.',
      target_model: 'local/tiny-llama',
      tier: 'research',
    });
    expect(bodyHash(Condense, synapse)).toBe(
      'ea58ebb5612bbf811030886384e393df5e60a3ad81a8b0c4a835fce1c6515f2a',
    );
  });

  it('for Inference, whose floats print with a .0 and lists with repr quotes', () => {
    const synapse = Inference.schema.parse({
      model: 'local/tiny-llama',
      prompt: 'Summarise:',
      max_new_tokens: 32,
      temperature: 0.7,
      seed: 42,
      stop: ['\n', "it's"],
      stream: true,
    });
    expect(bodyHash(Inference, synapse)).toBe(
      'f6bc3c0e7ddc584f43a0b2544d7bc32506b1798d25e42fa010910d65282f9a4a',
    );
  });

  it('for Metadata, which hashes nothing', () => {
    expect(bodyHash(Metadata, Metadata.schema.parse({}))).toBe(
      'a7ffc6f8bf1ed76651c14756a061d662f580ff4de43b49fa82d80a4b80f8434a',
    );
  });
});

describe('synapse lookup', () => {
  it('knows the three synapses by name', () => {
    expect(Object.keys(synapses)).toEqual(['Condense', 'Inference', 'Metadata']);
    expect(isSynapseName('Inference')).toBe(true);
    expect(isSynapseName('toString')).toBe(false);
  });

  it('throws SYNAPSE_UNKNOWN listing the known synapses', () => {
    try {
      getSynapse('Forward');
      throw new Error('expected a throw');
    } catch (error) {
      expect(isSignalError(error, 'SYNAPSE_UNKNOWN')).toBe(true);
      expect((error as Error).message).toMatch(/"Forward"/);
      expect((error as Error).message).toMatch(/Condense, Inference, Metadata/);
    }
  });
});
