import { pyStr } from './pyStr';
import type { PyType } from './pyType';
import { sha3Hex } from './sha3Hex';
import { WireError } from './WireError';

/** The part of a synapse declaration the body hash needs. */
export interface HashedFields {
  readonly fields: ReadonlyArray<readonly [name: string, type: PyType]>;
  readonly requiredHashFields: readonly string[];
}

/**
 * `Synapse.body_hash`: sha3-256 over the concatenated sha3-256 hex digests of
 * `str(model_dump()[field])` for each hash field in order. No hash fields hashes "".
 */
export function bodyHash(
  declaration: HashedFields,
  values: Readonly<Record<string, unknown>>,
): string {
  const digests = declaration.requiredHashFields.map((name) => {
    const entry = declaration.fields.find(([field]) => field === name);
    if (!entry) {
      throw new WireError('WIRE_PY_VALUE', `Hash field "${name}" is not a declared field.`);
    }
    return sha3Hex(pyStr(values[name], entry[1], name));
  });
  return sha3Hex(digests.join(''));
}
