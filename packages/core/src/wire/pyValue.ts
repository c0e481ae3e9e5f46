import { isLosslessNumber, type LosslessNumber } from 'lossless-json';
import type { PyType } from './pyType';
import { WireError } from './WireError';

/**
 * A value as Python holds it after `model_dump()`: every number knows whether it is an
 * `int` or a `float`, and dicts keep their entries in order. Rendering Python text
 * (`str()`, `json.dumps`) from this tree needs no further type knowledge.
 */
export type PyValue =
  | { readonly t: 'str'; readonly v: string }
  | { readonly t: 'int'; readonly v: bigint }
  | { readonly t: 'float'; readonly v: number }
  | { readonly t: 'bool'; readonly v: boolean }
  | { readonly t: 'none' }
  | { readonly t: 'list'; readonly items: readonly PyValue[] }
  | { readonly t: 'dict'; readonly entries: ReadonlyArray<readonly [PyValue, PyValue]> };

const NONE: PyValue = { t: 'none' };
const INTEGER_TEXT = /^-?\d+$/;

function fail(path: string, expected: string, value: unknown): never {
  const shown = isLosslessNumber(value) ? value.value : describe(value);
  throw new WireError('WIRE_PY_VALUE', `Field "${path}" is not a valid ${expected}.`, {
    details: `got ${shown}`,
  });
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'an object';
  if (typeof value === 'string') return `the string ${JSON.stringify(value.slice(0, 40))}`;
  return `${typeof value} ${String(value)}`;
}

/** Entries in source order: a `Map` from `parseOrderedJson` keeps the JSON text's order. */
function entriesOf(
  value: Record<string, unknown> | Map<unknown, unknown>,
): Array<[string, unknown]> {
  if (value instanceof Map) return [...value].map(([k, v]) => [String(k), v]);
  return Object.entries(value);
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const proto = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

function toInt(value: unknown, path: string): PyValue {
  if (typeof value === 'bigint') return { t: 'int', v: value };
  // pydantic's lax mode turns a bool into 0/1 for an int field.
  if (typeof value === 'boolean') return { t: 'int', v: value ? 1n : 0n };
  if (typeof value === 'number' && Number.isInteger(value)) return { t: 'int', v: BigInt(value) };
  if (isLosslessNumber(value)) {
    const text = (value as LosslessNumber).value;
    if (INTEGER_TEXT.test(text)) return { t: 'int', v: BigInt(text) };
    // pydantic accepts an integral float for an int field (`2.0` -> 2) and refuses `2.5`.
    const n = Number(text);
    if (Number.isInteger(n)) return { t: 'int', v: BigInt(n) };
  }
  return fail(path, 'int', value);
}

function toFloat(value: unknown, path: string): PyValue {
  if (typeof value === 'number') return { t: 'float', v: value };
  if (typeof value === 'boolean') return { t: 'float', v: value ? 1 : 0 };
  if (typeof value === 'bigint') return { t: 'float', v: Number(value) };
  if (isLosslessNumber(value)) return { t: 'float', v: Number((value as LosslessNumber).value) };
  return fail(path, 'float', value);
}

/** Python type of a JSON-ish value when the declaration says `Any`: the JSON text decides. */
function inferAny(value: unknown, path: string): PyValue {
  if (value === null || value === undefined) return NONE;
  if (typeof value === 'string') return { t: 'str', v: value };
  if (typeof value === 'boolean') return { t: 'bool', v: value };
  if (typeof value === 'bigint') return { t: 'int', v: value };
  if (typeof value === 'number') {
    return Number.isInteger(value) && !Object.is(value, -0)
      ? { t: 'int', v: BigInt(value) }
      : { t: 'float', v: value };
  }
  if (isLosslessNumber(value)) {
    const text = (value as LosslessNumber).value;
    return INTEGER_TEXT.test(text)
      ? { t: 'int', v: BigInt(text) }
      : { t: 'float', v: Number(text) };
  }
  if (Array.isArray(value)) {
    return { t: 'list', items: value.map((item, i) => inferAny(item, `${path}[${i}]`)) };
  }
  if (isPlainObject(value) || value instanceof Map) {
    return {
      t: 'dict',
      entries: entriesOf(value).map(
        ([k, v]) => [{ t: 'str', v: k }, inferAny(v, `${path}.${k}`)] as const,
      ),
    };
  }
  return fail(path, 'JSON value', value);
}

/** A dict key arrives as JSON object text; pydantic converts it to the declared key type. */
function toKey(key: string, type: PyType, path: string): PyValue {
  switch (type.kind) {
    case 'str':
    case 'any':
      return { t: 'str', v: key };
    case 'int':
      if (INTEGER_TEXT.test(key.trim())) return { t: 'int', v: BigInt(key.trim()) };
      return fail(`${path}<key>`, 'int key', key);
    case 'float': {
      const n = Number(key);
      if (key.trim() !== '' && !Number.isNaN(n)) return { t: 'float', v: n };
      return fail(`${path}<key>`, 'float key', key);
    }
    case 'bool':
      if (key === 'true' || key === 'True') return { t: 'bool', v: true };
      if (key === 'false' || key === 'False') return { t: 'bool', v: false };
      return fail(`${path}<key>`, 'bool key', key);
    default:
      return fail(`${path}<key>`, `${type.kind} key`, key);
  }
}

/**
 * Reads a JS value (as zod produced it, or as lossless-json parsed it) as the Python value
 * a synapse field of type `type` holds. `path` names the field in error messages.
 */
export function toPyValue(value: unknown, type: PyType, path: string): PyValue {
  switch (type.kind) {
    case 'str':
      return typeof value === 'string' ? { t: 'str', v: value } : fail(path, 'str', value);
    case 'int':
      return toInt(value, path);
    case 'float':
      return toFloat(value, path);
    case 'bool':
      return typeof value === 'boolean' ? { t: 'bool', v: value } : fail(path, 'bool', value);
    case 'none':
      return value === null || value === undefined ? NONE : fail(path, 'None', value);
    case 'any':
      return inferAny(value, path);
    case 'optional':
      return value === null || value === undefined ? NONE : toPyValue(value, type.inner, path);
    case 'list':
      if (!Array.isArray(value)) return fail(path, 'list', value);
      return {
        t: 'list',
        items: value.map((item, i) => toPyValue(item, type.item, `${path}[${i}]`)),
      };
    case 'dict':
      if (!isPlainObject(value) && !(value instanceof Map)) return fail(path, 'dict', value);
      return {
        t: 'dict',
        entries: entriesOf(value).map(
          ([k, v]) => [toKey(k, type.key, path), toPyValue(v, type.value, `${path}.${k}`)] as const,
        ),
      };
    case 'model': {
      if (!isPlainObject(value) && !(value instanceof Map))
        return fail(path, 'model (object)', value);
      // model_dump() emits declared fields in declaration order and drops unknown keys.
      return {
        t: 'dict',
        entries: type.fields.map(([name, fieldType]) => {
          const child = `${path}.${name}`;
          const present = value instanceof Map ? value.has(name) : Object.hasOwn(value, name);
          const fieldValue = value instanceof Map ? value.get(name) : value[name];
          if (!present && !acceptsNone(fieldType)) {
            throw new WireError('WIRE_PY_VALUE', `Field "${child}" is missing.`);
          }
          return [{ t: 'str', v: name }, toPyValue(fieldValue, fieldType, child)] as const;
        }),
      };
    }
  }
}

function acceptsNone(type: PyType): boolean {
  return type.kind === 'optional' || type.kind === 'none' || type.kind === 'any';
}
