import fc from 'fast-check';
import { position } from './position';

/**
 * Mutations of a valid seed file, in the manner of coverage-less fuzzers: bit flips, bytes set
 * to boundary values, little- and big-endian integers (a length field saying 2^32 is one of
 * them) written over a position, insertions, deletions, duplicated ranges and truncation.
 * Positions are fractions of the current length, so a mutation list stays meaningful (and
 * shrinks) whatever the seed's size, and a counterexample is a few numbers, not a file.
 */
export type ByteMutation =
  | { readonly kind: 'flip'; readonly at: number; readonly bit: number }
  | { readonly kind: 'set'; readonly at: number; readonly value: number }
  | {
      readonly kind: 'int';
      readonly at: number;
      readonly width: 1 | 2 | 4 | 8;
      readonly value: bigint;
      readonly bigEndian: boolean;
    }
  | { readonly kind: 'insert'; readonly at: number; readonly bytes: readonly number[] }
  | { readonly kind: 'delete'; readonly at: number; readonly length: number }
  | { readonly kind: 'duplicate'; readonly at: number; readonly length: number }
  | { readonly kind: 'truncate'; readonly at: number };

/** Values that break length and count fields: zero, ±1 around powers of two, all ones. */
const INTERESTING: readonly bigint[] = [
  0n,
  1n,
  0x7fn,
  0x80n,
  0xffn,
  0x100n,
  0x7fffn,
  0x8000n,
  0xffffn,
  0x10000n,
  0x7fffffffn,
  0x80000000n,
  0xffffffffn,
  0x100000000n,
  0x7fffffffffffffffn,
  0xffffffffffffffffn,
];

export const byteMutation: fc.Arbitrary<ByteMutation> = fc.oneof(
  {
    weight: 4,
    arbitrary: fc.record({
      kind: fc.constant('flip' as const),
      at: position,
      bit: fc.integer({ min: 0, max: 7 }),
    }),
  },
  {
    weight: 3,
    arbitrary: fc.record({
      kind: fc.constant('set' as const),
      at: position,
      value: fc.constantFrom(0, 1, 0x7f, 0x80, 0xfe, 0xff, 0x2c, 0x22, 0x7b, 0x7d, 0x5b, 0x5d),
    }),
  },
  {
    weight: 3,
    arbitrary: fc.record({
      kind: fc.constant('int' as const),
      at: position,
      width: fc.constantFrom(1 as const, 2 as const, 4 as const, 8 as const),
      value: fc.oneof(
        fc.constantFrom(...INTERESTING),
        fc.bigInt({ min: 0n, max: 0xffffffffffffffffn }),
      ),
      bigEndian: fc.boolean(),
    }),
  },
  {
    weight: 2,
    arbitrary: fc.record({
      kind: fc.constant('insert' as const),
      at: position,
      bytes: fc.array(fc.integer({ min: 0, max: 255 }), { minLength: 1, maxLength: 16 }),
    }),
  },
  {
    weight: 2,
    arbitrary: fc.record({
      kind: fc.constant('delete' as const),
      at: position,
      length: fc.integer({ min: 1, max: 64 }),
    }),
  },
  {
    weight: 1,
    arbitrary: fc.record({
      kind: fc.constant('duplicate' as const),
      at: position,
      length: fc.integer({ min: 1, max: 256 }),
    }),
  },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('truncate' as const), at: position }) },
);

/** One to `max` mutations (default 6). */
export function byteMutations(max = 6): fc.Arbitrary<ByteMutation[]> {
  return fc.array(byteMutation, { minLength: 1, maxLength: max });
}

function applyOne(bytes: Uint8Array, mutation: ByteMutation): Uint8Array {
  const n = bytes.length;
  const index = Math.min(n, Math.floor(mutation.at * (n + 1)));
  switch (mutation.kind) {
    case 'flip': {
      if (n === 0) return bytes;
      const out = bytes.slice();
      out[Math.min(index, n - 1)]! ^= 1 << mutation.bit;
      return out;
    }
    case 'set': {
      if (n === 0) return bytes;
      const out = bytes.slice();
      out[Math.min(index, n - 1)] = mutation.value;
      return out;
    }
    case 'int': {
      const out = bytes.slice();
      const start = Math.max(0, Math.min(index, n - mutation.width));
      for (let i = 0; i < mutation.width && start + i < n; i++) {
        const shift = BigInt(8 * (mutation.bigEndian ? mutation.width - 1 - i : i));
        out[start + i] = Number((mutation.value >> shift) & 0xffn);
      }
      return out;
    }
    case 'insert': {
      const out = new Uint8Array(n + mutation.bytes.length);
      out.set(bytes.subarray(0, index), 0);
      out.set(mutation.bytes, index);
      out.set(bytes.subarray(index), index + mutation.bytes.length);
      return out;
    }
    case 'delete': {
      const end = Math.min(n, index + mutation.length);
      const out = new Uint8Array(n - (end - index));
      out.set(bytes.subarray(0, index), 0);
      out.set(bytes.subarray(end), index);
      return out;
    }
    case 'duplicate': {
      const end = Math.min(n, index + mutation.length);
      const range = bytes.subarray(index, end);
      const out = new Uint8Array(n + range.length);
      out.set(bytes.subarray(0, end), 0);
      out.set(range, end);
      out.set(bytes.subarray(end), end + range.length);
      return out;
    }
    case 'truncate':
      return bytes.slice(0, index);
  }
}

/** The seed with every mutation applied in order (the seed itself is never changed). */
export function applyByteMutations(
  seed: Uint8Array,
  mutations: readonly ByteMutation[],
): Uint8Array {
  let bytes = seed;
  for (const mutation of mutations) bytes = applyOne(bytes, mutation);
  return bytes === seed ? seed.slice() : bytes;
}
