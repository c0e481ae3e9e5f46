import fc from 'fast-check';
import { position } from './position';

/**
 * Structural mutations of a valid JSON document (a synapse, a payload, a config): a node picked
 * by its preorder position is replaced by a boundary value or by random JSON, deleted, given a
 * new key (`__proto__` and `constructor` among them), or buried under deep nesting. The bytes
 * of the result can be mutated further with byteMutations for syntax errors.
 */
export type JsonMutation =
  | { readonly kind: 'replace'; readonly at: number; readonly value: unknown }
  | { readonly kind: 'delete'; readonly at: number }
  | { readonly kind: 'addKey'; readonly at: number; readonly key: string; readonly value: unknown }
  | { readonly kind: 'nest'; readonly at: number; readonly depth: number };

/** Scalars that break validators: limits of numbers, sizes, empty and odd strings. */
const BOUNDARY_VALUES: readonly unknown[] = [
  null,
  true,
  false,
  0,
  -0,
  -1,
  0.5,
  1e308,
  -1e308,
  2 ** 31,
  2 ** 32,
  2 ** 53,
  2 ** 53 + 2,
  -(2 ** 53),
  Number.MAX_VALUE,
  Number.MIN_VALUE,
  '',
  ' ',
  '0',
  '1e400',
  'NaN',
  'Infinity',
  '\u0000',
  '\ud800',
  '\u2028',
  'é',
  '🦀',
  [],
  {},
  [0],
  [2 ** 32],
  { '': 0 },
];

const anyJson = fc.oneof(
  { weight: 3, arbitrary: fc.constantFrom(...BOUNDARY_VALUES) },
  { weight: 2, arbitrary: fc.jsonValue({ maxDepth: 2 }) },
  { weight: 1, arbitrary: fc.string({ unit: 'binary', maxLength: 40 }) },
);
const key = fc.oneof(
  fc.constantFrom('__proto__', 'constructor', 'prototype', 'toString', '', 'format', 'dtype'),
  fc.string({ maxLength: 12 }),
);

export const jsonMutation: fc.Arbitrary<JsonMutation> = fc.oneof(
  {
    weight: 5,
    arbitrary: fc.record({ kind: fc.constant('replace' as const), at: position, value: anyJson }),
  },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('delete' as const), at: position }) },
  {
    weight: 2,
    arbitrary: fc.record({
      kind: fc.constant('addKey' as const),
      at: position,
      key,
      value: anyJson,
    }),
  },
  {
    weight: 1,
    arbitrary: fc.record({
      kind: fc.constant('nest' as const),
      at: position,
      depth: fc.constantFrom(1, 2, 16, 1_000),
    }),
  },
);

export function jsonMutations(max = 4): fc.Arbitrary<JsonMutation[]> {
  return fc.array(jsonMutation, { minLength: 1, maxLength: max });
}

interface Slot {
  readonly parent: unknown[] | Record<string, unknown> | undefined;
  readonly key: string | number | undefined;
}

function slots(root: unknown): Slot[] {
  const out: Slot[] = [{ parent: undefined, key: undefined }];
  const walk = (value: unknown) => {
    if (Array.isArray(value)) {
      value.forEach((child, index) => {
        out.push({ parent: value, key: index });
        walk(child);
      });
    } else if (value !== null && typeof value === 'object') {
      for (const [name, child] of Object.entries(value)) {
        out.push({ parent: value as Record<string, unknown>, key: name });
        walk(child);
      }
    }
  };
  walk(root);
  return out;
}

function nested(value: unknown, depth: number): unknown {
  let out = value;
  for (let i = 0; i < depth; i++) out = [out];
  return out;
}

function setOwn(target: Record<string, unknown>, name: string, value: unknown): void {
  Object.defineProperty(target, name, {
    value,
    enumerable: true,
    writable: true,
    configurable: true,
  });
}

/**
 * A fresh copy of a generated value. fast-check hands the same value objects to later runs
 * (replaying and shrinking), so one put into a document by reference would be changed by the
 * mutations after it, and even end up holding itself (a cyclic document, seen with `pnpm fuzz`).
 */
function copyOf(value: unknown): unknown {
  return JSON.parse(JSON.stringify(value) ?? 'null');
}

/** A deep copy of `document` with the mutations applied; `__proto__` keys stay plain keys. */
export function applyJsonMutations(document: unknown, mutations: readonly JsonMutation[]): unknown {
  let root: unknown = JSON.parse(JSON.stringify(document));
  for (const mutation of mutations) {
    const all = slots(root);
    const slot = all[Math.floor(mutation.at * all.length)] as Slot;
    const current =
      slot.parent === undefined
        ? root
        : (slot.parent as Record<string | number, unknown>)[slot.key as string];
    let replacement: unknown;
    switch (mutation.kind) {
      case 'replace':
        replacement = copyOf(mutation.value);
        break;
      case 'nest':
        replacement = nested(current, mutation.depth);
        break;
      case 'addKey': {
        if (current !== null && typeof current === 'object' && !Array.isArray(current)) {
          setOwn(current as Record<string, unknown>, mutation.key, copyOf(mutation.value));
        } else if (Array.isArray(current)) {
          current.push(copyOf(mutation.value));
        }
        continue;
      }
      case 'delete': {
        if (Array.isArray(slot.parent)) slot.parent.splice(slot.key as number, 1);
        else if (slot.parent) delete slot.parent[slot.key as string];
        continue;
      }
    }
    if (slot.parent === undefined) root = replacement;
    else if (Array.isArray(slot.parent)) slot.parent[slot.key as number] = replacement;
    else setOwn(slot.parent, slot.key as string, replacement);
  }
  return root;
}
