import type { Registry } from '@polkadot/types/types';
import { ChainRequestError } from '../errors/ChainErrors';

const PRIMITIVE_BYTES: Record<string, number> = {
  Bool: 1,
  Char: 4,
  U8: 1,
  I8: 1,
  U16: 2,
  I16: 2,
  U32: 4,
  I32: 4,
  U64: 8,
  I64: 8,
  U128: 16,
  I128: 16,
  U256: 32,
  I256: 32,
};

/** Sizes per type id, worked out once per registry. */
interface Sizes {
  /** Bytes every value of the type takes, or null when it varies. */
  fixed: Map<number, number | null>;
  /** The fewest bytes a value of the type can take. */
  least: Map<number, number>;
}

const SIZES = new WeakMap<Registry, Sizes>();

function sizesOf(registry: Registry): Sizes {
  let sizes = SIZES.get(registry);
  if (!sizes) {
    sizes = { fixed: new Map(), least: new Map() };
    SIZES.set(registry, sizes);
  }
  return sizes;
}

/** A SCALE compact at `offset`: its value (Infinity past 2^53) and the bytes it takes. */
function compactAt(bytes: Uint8Array, offset: number, fail: (why: string) => never) {
  if (offset >= bytes.length) fail(`compact at byte ${offset} is past the end`);
  const first = bytes[offset]!;
  const mode = first & 3;
  const width = mode === 0 ? 1 : mode === 1 ? 2 : mode === 2 ? 4 : (first >> 2) + 5;
  if (offset + width > bytes.length) fail(`compact at byte ${offset} is cut off`);
  if (mode < 3) {
    let value = 0;
    for (let i = width - 1; i >= 0; i -= 1) value = value * 256 + bytes[offset + i]!;
    return { value: Math.floor(value / 4), width };
  }
  if (width > 11) return { value: Number.POSITIVE_INFINITY, width };
  let value = 0n;
  for (let i = width - 1; i >= 1; i -= 1) value = (value << 8n) | BigInt(bytes[offset + i]!);
  return {
    value: value > BigInt(Number.MAX_SAFE_INTEGER) ? Number.POSITIVE_INFINITY : Number(value),
    width,
  };
}

/**
 * Checks that a SCALE value of metadata type `typeId` fits in `bytes` from `offset`, and
 * returns where it ends, without building anything. Every length prefix is held against the
 * bytes left (a `Vec` saying 2^32 elements over a few hundred bytes is refused here, before a
 * decoder reserves an array for them) and every variant index against the type's variants,
 * so the codecs that decode the checked range afterwards see a layout that is known to fit.
 * Failures are ChainRequestErrors naming `what` and the byte where the layout broke.
 */
export function scaleEnd(
  registry: Registry,
  typeId: number,
  bytes: Uint8Array,
  offset: number,
  what: string,
): number {
  const fail = (why: string): never => {
    throw new ChainRequestError(what, { details: `Malformed SCALE: ${why}.` });
  };
  const sizes = sizesOf(registry);

  const fixed = (id: number, seen: Set<number>): number | null => {
    if (sizes.fixed.has(id)) return sizes.fixed.get(id)!;
    if (seen.has(id)) return null;
    seen.add(id);
    const def = registry.lookup.getSiType(id).def;
    let size: number | null = null;
    if (def.isPrimitive) size = PRIMITIVE_BYTES[def.asPrimitive.type] ?? null;
    else if (def.isArray) {
      const inner = fixed(def.asArray.type.toNumber(), seen);
      size = inner === null ? null : inner * def.asArray.len.toNumber();
    } else if (def.isComposite || def.isTuple) {
      const members = def.isComposite
        ? def.asComposite.fields.map((field) => field.type.toNumber())
        : def.asTuple.map((member) => member.toNumber());
      size = 0;
      for (const member of members) {
        const inner = fixed(member, seen);
        if (inner === null) {
          size = null;
          break;
        }
        size += inner;
      }
    }
    seen.delete(id);
    sizes.fixed.set(id, size);
    return size;
  };

  const least = (id: number, seen: Set<number>): number => {
    const known = sizes.least.get(id);
    if (known !== undefined) return known;
    if (seen.has(id)) return 0;
    seen.add(id);
    const def = registry.lookup.getSiType(id).def;
    let size = 1;
    if (def.isPrimitive) size = PRIMITIVE_BYTES[def.asPrimitive.type] ?? 1;
    else if (def.isArray)
      size = least(def.asArray.type.toNumber(), seen) * def.asArray.len.toNumber();
    else if (def.isComposite)
      size = def.asComposite.fields.reduce(
        (sum, field) => sum + least(field.type.toNumber(), seen),
        0,
      );
    else if (def.isTuple)
      size = def.asTuple.reduce((sum, member) => sum + least(member.toNumber(), seen), 0);
    else if (def.isVariant && def.asVariant.variants.length > 0) {
      const variants = def.asVariant.variants;
      size =
        1 +
        Math.min(
          ...variants.map((variant) =>
            variant.fields.reduce((sum, field) => sum + least(field.type.toNumber(), seen), 0),
          ),
        );
    }
    seen.delete(id);
    sizes.least.set(id, size);
    return size;
  };

  const walk = (id: number, at: number): number => {
    const size = fixed(id, new Set());
    if (size !== null) {
      if (at + size > bytes.length) fail(`value of ${size} bytes at byte ${at} is cut off`);
      return at + size;
    }
    const def = registry.lookup.getSiType(id).def;
    if (def.isComposite) {
      let next = at;
      for (const field of def.asComposite.fields) next = walk(field.type.toNumber(), next);
      return next;
    }
    if (def.isTuple) {
      let next = at;
      for (const member of def.asTuple) next = walk(member.toNumber(), next);
      return next;
    }
    if (def.isArray) return walkItems(def.asArray.type.toNumber(), def.asArray.len.toNumber(), at);
    if (def.isSequence || def.isBitSequence) {
      const length = compactAt(bytes, at, fail);
      const start = at + length.width;
      if (def.isBitSequence) {
        const byteLength = Math.ceil(length.value / 8);
        if (start + byteLength > bytes.length) fail(`bit sequence at byte ${at} is cut off`);
        return start + byteLength;
      }
      return walkItems(def.asSequence.type.toNumber(), length.value, start);
    }
    if (def.isCompact) return at + compactAt(bytes, at, fail).width;
    if (def.isVariant) {
      if (at >= bytes.length) fail(`variant at byte ${at} is past the end`);
      const index = bytes[at]!;
      const variant = def.asVariant.variants.find((v) => v.index.toNumber() === index);
      if (!variant) fail(`variant index ${index} at byte ${at} is not one of the type's`);
      let next = at + 1;
      for (const field of variant!.fields) next = walk(field.type.toNumber(), next);
      return next;
    }
    if (def.isPrimitive && def.asPrimitive.type === 'Str') {
      const length = compactAt(bytes, at, fail);
      const end = at + length.width + length.value;
      if (end > bytes.length) fail(`string of ${length.value} bytes at byte ${at} is cut off`);
      return end;
    }
    return fail(`type ${id} (${def.type}) has no SCALE layout this reader knows`);
  };

  const walkItems = (item: number, count: number, at: number): number => {
    const itemLeast = Math.max(1, least(item, new Set()));
    if (count > (bytes.length - at) / itemLeast) {
      fail(
        `${count} elements of at least ${itemLeast} bytes at byte ${at}, with ${bytes.length - at} bytes left`,
      );
    }
    const size = fixed(item, new Set());
    if (size !== null) return at + size * count;
    let next = at;
    for (let i = 0; i < count; i += 1) next = walk(item, next);
    return next;
  };

  return walk(typeId, offset);
}
