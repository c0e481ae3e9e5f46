import type { z } from 'zod';
import type { SynapseSpec } from '../synapses/SynapseSpec';
import { bodyHashOf, fieldDigests, type KnownFieldDigests } from './bodyHash';
import { fromWireValue } from './fromWireValue';
import { parseOrderedJson } from './orderedJson';
import { type PyJsonOptions, pyJsonDumps } from './pyJson';
import { type PyType, py } from './pyType';
import { SYNAPSE_BASE_FIELDS, type TerminalInfo } from './terminalInfo';
import { WireError } from './WireError';

/** The base `Synapse` fields that travel in every body next to the synapse's own. */
export interface SynapseEnvelope {
  readonly name: string;
  readonly timeout: number;
  readonly totalSize: number;
  readonly headerSize: number;
  readonly dendrite: TerminalInfo;
  readonly axon: TerminalInfo;
  readonly computedBodyHash: string;
}

/** Python's dendrite posts with aiohttp's `json=`: `json.dumps` defaults. */
export const DENDRITE_BODY_STYLE: PyJsonOptions = {
  compact: false,
  ensureAscii: true,
  allowNan: true,
};
/** Python's axon answers with Starlette's JSONResponse: compact, UTF-8, no NaN. */
export const AXON_BODY_STYLE: PyJsonOptions = {
  compact: true,
  ensureAscii: false,
  allowNan: false,
};

const modelTypes = new WeakMap<SynapseSpec['fields'], PyType>();

/** The whole synapse's model type, made once per field list (an axon encodes one per answer). */
function synapseModelType(fields: SynapseSpec['fields']): PyType {
  let type = modelTypes.get(fields);
  if (type === undefined) {
    type = py.model([...SYNAPSE_BASE_FIELDS, ...fields]);
    modelTypes.set(fields, type);
  }
  return type;
}

/** `model_dump()` of the whole synapse as JSON text: base fields first, then the spec's. */
export function encodeSynapseBody(
  spec: Pick<SynapseSpec, 'fields'>,
  values: Readonly<Record<string, unknown>>,
  envelope: SynapseEnvelope,
  style: PyJsonOptions,
): string {
  const type = synapseModelType(spec.fields);
  const dumped = {
    ...values,
    name: envelope.name,
    timeout: envelope.timeout,
    total_size: envelope.totalSize,
    header_size: envelope.headerSize,
    dendrite: envelope.dendrite,
    axon: envelope.axon,
    computed_body_hash: envelope.computedBodyHash,
  };
  return pyJsonDumps(dumped, type, style, 'body');
}

export interface DecodedSynapseBody<Spec extends SynapseSpec> {
  /** The synapse's own fields, validated by its schema (defaults applied). */
  readonly values: z.infer<Spec['schema']>;
  /** The body hash of what was received, from the exact JSON text of each hash field. */
  readonly bodyHash: string;
  /**
   * The digests of the text-valued hash fields as received: an answer that leaves such a field
   * as it came hashes with them (`bodyHash(spec, answer, known)`) instead of hashing the text
   * again (a Condense context is up to 128 000 characters).
   */
  readonly fieldDigests: KnownFieldDigests;
}

/**
 * Parses a synapse body: ordered lossless JSON, the spec's fields converted to JS numbers, then
 * the spec's zod schema. A schema failure names the first bad field path. The body hash
 * uses the JSON as received (so `2.0` in an `Any` stays a float), falling back to the
 * schema's default for a hash field the body left out, as pydantic would.
 */
export function decodeSynapseBody<Spec extends SynapseSpec>(
  spec: Spec,
  text: string,
): DecodedSynapseBody<Spec> {
  const record = parseOrderedJson(text, `The ${spec.name} body`);
  if (!(record instanceof Map)) {
    throw new WireError('WIRE_JSON', `The ${spec.name} body is not a JSON object.`);
  }
  const own: Record<string, unknown> = {};
  for (const [name, type] of spec.fields) {
    if (record.has(name)) own[name] = fromWireValue(record.get(name), type);
  }
  const parsed = spec.schema.safeParse(own);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const path = issue?.path.map(String).join('.') || '(body)';
    throw new WireError('WIRE_SCHEMA', `Field "${path}" of ${spec.name} is invalid.`, {
      details: issue?.message,
    });
  }
  const values = parsed.data as Record<string, unknown>;
  const hashValues: Record<string, unknown> = {};
  for (const name of spec.requiredHashFields) {
    hashValues[name] = record.has(name) ? record.get(name) : values[name];
  }
  const digests = fieldDigests(spec, hashValues);
  const known = new Map<string, { text: string; digest: string }>();
  spec.requiredHashFields.forEach((name, i) => {
    const text = hashValues[name];
    if (typeof text === 'string') known.set(name, { text, digest: digests[i] as string });
  });
  return {
    values: parsed.data as z.infer<Spec['schema']>,
    bodyHash: bodyHashOf(digests),
    fieldDigests: known,
  };
}
