import { pyFloatRepr } from './pyFloat';
import { pyStrRepr } from './pyStrRepr';
import type { PyType } from './pyType';
import { type PyValue, toPyValue } from './pyValue';

/** Python's `repr()` of a dumped value: strings quoted, containers with `, ` and `: `. */
export function pyReprOf(value: PyValue): string {
  switch (value.t) {
    case 'str':
      return pyStrRepr(value.v);
    case 'int':
      return value.v.toString();
    case 'float':
      return pyFloatRepr(value.v);
    case 'bool':
      return value.v ? 'True' : 'False';
    case 'none':
      return 'None';
    case 'list':
      return `[${value.items.map(pyReprOf).join(', ')}]`;
    case 'dict':
      return `{${value.entries.map(([k, v]) => `${pyReprOf(k)}: ${pyReprOf(v)}`).join(', ')}}`;
  }
}

/** Python's `str()` of a dumped value: like repr, except a top-level string is itself. */
export function pyStrOf(value: PyValue): string {
  return value.t === 'str' ? value.v : pyReprOf(value);
}

/** `str(value)` as Python prints a synapse field of type `type` after `model_dump()`. */
export function pyStr(value: unknown, type: PyType, path = 'value'): string {
  return pyStrOf(toPyValue(value, type, path));
}
