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
 * Digests already taken of text-valued hash fields (a request's, as it was received), by field
 * name. A field whose value is the very same text reuses its digest instead of hashing it again:
 * `str()` of a given text in a given field is always the same, so is its digest.
 */
export type KnownFieldDigests = ReadonlyMap<
  string,
  { readonly text: string; readonly digest: string }
>;

/** The sha3-256 hex digest of `str(model_dump()[field])` for each hash field, in order. */
export function fieldDigests(
  declaration: HashedFields,
  values: Readonly<Record<string, unknown>>,
  known?: KnownFieldDigests,
): string[] {
  return declaration.requiredHashFields.map((name) => {
    const value = values[name];
    const reusable = known?.get(name);
    if (reusable !== undefined && reusable.text === value) return reusable.digest;
    const entry = declaration.fields.find(([field]) => field === name);
    if (!entry) {
      throw new WireError('WIRE_PY_VALUE', `Hash field "${name}" is not a declared field.`);
    }
    return sha3Hex(pyStr(value, entry[1], name));
  });
}

/** `Synapse.body_hash` from its fields' digests: sha3-256 over their concatenation. */
export function bodyHashOf(digests: readonly string[]): string {
  return sha3Hex(digests.join(''));
}

/**
 * `Synapse.body_hash`: sha3-256 over the concatenated sha3-256 hex digests of
 * `str(model_dump()[field])` for each hash field in order. No hash fields hashes "".
 */
export function bodyHash(
  declaration: HashedFields,
  values: Readonly<Record<string, unknown>>,
  known?: KnownFieldDigests,
): string {
  return bodyHashOf(fieldDigests(declaration, values, known));
}
