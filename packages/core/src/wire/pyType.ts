/**
 * The Python type of a synapse field, as far as the wire needs it.
 *
 * Bittensor hashes `str(model_dump()[field])` and sends `json.dumps(type(value)())` for
 * required fields, so reproducing the bytes means knowing whether a field is a Python
 * `int` or `float` (`1` vs `1.0`), a list, a dict or a nested model. JSON alone cannot tell.
 */
export type PyType =
  | { readonly kind: 'str' }
  | { readonly kind: 'int' }
  | { readonly kind: 'float' }
  | { readonly kind: 'bool' }
  | { readonly kind: 'none' }
  /** A value whose Python type is decided by the JSON it came from (`dict[str, Any]`). */
  | { readonly kind: 'any' }
  | { readonly kind: 'optional'; readonly inner: PyType }
  | { readonly kind: 'list'; readonly item: PyType }
  | { readonly kind: 'dict'; readonly key: PyType; readonly value: PyType }
  /** A pydantic model; `model_dump()` turns it into a dict with fields in declaration order. */
  | {
      readonly kind: 'model';
      readonly fields: ReadonlyArray<readonly [name: string, type: PyType]>;
    };

export const py = {
  str: { kind: 'str' },
  int: { kind: 'int' },
  float: { kind: 'float' },
  bool: { kind: 'bool' },
  none: { kind: 'none' },
  any: { kind: 'any' },
  optional: (inner: PyType): PyType => ({ kind: 'optional', inner }),
  list: (item: PyType): PyType => ({ kind: 'list', item }),
  dict: (key: PyType, value: PyType): PyType => ({ kind: 'dict', key, value }),
  model: (fields: ReadonlyArray<readonly [string, PyType]>): PyType => ({ kind: 'model', fields }),
} as const satisfies Record<string, PyType | ((...args: never[]) => PyType)>;
