import { isLosslessNumber, type LosslessNumber } from 'lossless-json';
import { mapsToObjects } from './orderedJson';
import type { PyType } from './pyType';

const INTEGER_TEXT = /^-?\d+$/;

function intFromText(text: string): number | bigint {
  const big = BigInt(text);
  return big <= BigInt(Number.MAX_SAFE_INTEGER) && big >= BigInt(Number.MIN_SAFE_INTEGER)
    ? Number(big)
    : big;
}

function plainNumber(value: LosslessNumber): number | bigint {
  return INTEGER_TEXT.test(value.value) ? intFromText(value.value) : Number(value.value);
}

/**
 * Turns losslessly parsed JSON into the JS values a zod schema expects: ints become
 * numbers (bigints beyond 2^53), floats numbers, and `Any` subtrees plain numbers too.
 * Anything of the wrong shape is left as is so the schema reports it with its path.
 */
export function fromWireValue(value: unknown, type: PyType): unknown {
  if (value instanceof Map) return fromWireValue(mapsToObjects(value), type);
  switch (type.kind) {
    case 'int':
      if (!isLosslessNumber(value)) return value;
      return INTEGER_TEXT.test(value.value) ? intFromText(value.value) : Number(value.value);
    case 'float':
      return isLosslessNumber(value) ? Number(value.value) : value;
    case 'optional':
      return value === null ? null : fromWireValue(value, type.inner);
    case 'list':
      return Array.isArray(value) ? value.map((item) => fromWireValue(item, type.item)) : value;
    case 'dict':
      return isRecord(value)
        ? Object.fromEntries(
            Object.entries(value).map(([k, v]) => [k, fromWireValue(v, type.value)]),
          )
        : value;
    case 'model': {
      if (!isRecord(value)) return value;
      const out: Record<string, unknown> = { ...value };
      for (const [name, fieldType] of type.fields) {
        if (Object.hasOwn(value, name)) out[name] = fromWireValue(value[name], fieldType);
      }
      return out;
    }
    default:
      return plainJson(value);
  }
}

/** Any LosslessNumber anywhere below becomes a plain number or bigint. */
function plainJson(value: unknown): unknown {
  if (isLosslessNumber(value)) return plainNumber(value);
  if (value instanceof Map) return plainJson(mapsToObjects(value));
  if (Array.isArray(value)) return value.map(plainJson);
  if (isRecord(value)) {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, plainJson(v)]));
  }
  return value;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
