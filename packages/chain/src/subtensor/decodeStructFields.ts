import type { Registry } from '@polkadot/types/types';
import { ChainRequestError } from '../errors/ChainErrors';
import { scaleEnd } from './scaleLayout';

export interface RuntimeApiOutput {
  /** Whether the output was `Option<Struct>` and came back None. */
  isNone: boolean;
  /** The decoded fields, keyed by their metadata (snake_case) names. */
  fields: Map<string, unknown>;
}

/**
 * Decodes the leading fields of a runtime API's struct output with the metadata's own field
 * types, stopping after the last field asked for. Subnet state ends with a per-uid emission
 * history (uids × subnets compacts) that nothing here reads and that costs seconds to turn
 * into codec objects; SCALE is sequential, so the fields before it decode without it.
 * Each field's extent is checked against the bytes first (scaleEnd), and only the fields
 * asked for are built; those skipped are only measured.
 */
export function decodeStructFields(
  registry: Registry,
  api: string,
  method: string,
  bytes: Uint8Array,
  wanted: readonly string[],
): RuntimeApiOutput {
  const what = `${api}_${method}`;
  const apiDef = registry.metadata.apis?.find((entry) => entry.name.toString() === api);
  const methodDef = apiDef?.methods.find((entry) => entry.name.toString() === method);
  if (!methodDef)
    throw new ChainRequestError(what, { details: 'The metadata does not list this runtime API.' });
  let typeId = methodDef.output.toNumber();
  let offset = 0;
  const outer = registry.lookup.getSiType(typeId);
  const isOption = outer.path.map(String).join('::') === 'Option';
  if (isOption) {
    if (bytes[0] === 0) return { isNone: true, fields: new Map() };
    if (bytes[0] !== 1)
      throw new ChainRequestError(what, { details: `Bad Option tag ${bytes[0]}.` });
    const inner = outer.params[0]?.type.unwrapOr(null);
    if (!inner) throw new ChainRequestError(what, { details: 'Option without a type parameter.' });
    typeId = inner.toNumber();
    offset = 1;
  }
  const def = registry.lookup.getSiType(typeId).def;
  if (!def.isComposite)
    throw new ChainRequestError(what, { details: 'The output is not a struct.' });
  const remaining = new Set(wanted);
  const fields = new Map<string, unknown>();
  for (const field of def.asComposite.fields) {
    if (remaining.size === 0) break;
    const name = field.name.unwrapOr('').toString();
    const end = scaleEnd(registry, field.type.toNumber(), bytes, offset, `${what}.${name}`);
    if (remaining.delete(name)) {
      const codec = registry.createType(
        registry.createLookupType(field.type),
        bytes.subarray(offset, end),
      );
      if (codec.encodedLength !== end - offset) {
        throw new ChainRequestError(what, {
          details: `Field ${name} decoded ${codec.encodedLength} of its ${end - offset} bytes.`,
        });
      }
      fields.set(name, codec);
    }
    offset = end;
  }
  if (remaining.size > 0) {
    throw new ChainRequestError(what, { details: `Missing fields: ${[...remaining].join(', ')}.` });
  }
  return { isNone: false, fields };
}
