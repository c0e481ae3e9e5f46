/**
 * The bounded-allocation check of the fuzz targets. While a case runs, every constructor and
 * factory that sizes memory from a number (ArrayBuffer, SharedArrayBuffer, the typed arrays,
 * Buffer.alloc*, Buffer.concat, Array(n), Array.from({ length }), String#repeat/padStart/padEnd)
 * records the bytes it was asked for, before it allocates. A parser that believes a length field
 * of 2^32 therefore shows up as a 4 GiB request, whether or not the allocation would have
 * succeeded (Linux happily hands out untouched zero pages).
 *
 * Only code of the test's realm is seen: node's internals (fs.readFile's buffer, say) allocate
 * through references of their own. Everything our packages and their dependencies do goes
 * through the realm's globals, which is what the check is for.
 */

export interface AllocationReport {
  /** Bytes of the largest single request. */
  largest: number;
  /** What asked for it, e.g. `new Float32Array(1048576)`. */
  largestAt: string;
  /** Bytes of every request together. */
  total: number;
}

type Recorder = (bytes: number, what: string) => void;

const TYPED_ARRAYS = [
  'Int8Array',
  'Uint8Array',
  'Uint8ClampedArray',
  'Int16Array',
  'Uint16Array',
  'Int32Array',
  'Uint32Array',
  'Float32Array',
  'Float64Array',
  'BigInt64Array',
  'BigUint64Array',
] as const;

function lengthOf(value: unknown): number {
  if (typeof value === 'number') return value;
  if (value !== null && typeof value === 'object') {
    if (value instanceof ArrayBuffer || value instanceof SharedArrayBuffer) return 0;
    const length = (value as { length?: unknown }).length;
    if (typeof length === 'number') return length;
    const size = (value as { size?: unknown }).size;
    if (typeof size === 'number') return size;
  }
  return 0;
}

function bytes(count: number, width: number): number {
  return Number.isFinite(count) && count > 0 ? count * width : 0;
}

/**
 * Jest's mark for a global value it must not clean up when the file ends: it soft-deletes the
 * properties of every value a test assigns to a global, and a proxy would pass that on to its
 * target. The typed arrays carry the mark already (the test environment installs them); the
 * realm's own Array, put back after the run, gets it here.
 */
const JEST_PROTECTED = Symbol.for('$$jest-protect-from-deletion');

/** Replaces the realm's allocating globals with recording proxies; returns the undo. */
function install(record: Recorder): () => void {
  const realm = globalThis as unknown as Record<string, unknown>;
  if (!Object.hasOwn(realm.Array as object, JEST_PROTECTED)) {
    Object.defineProperty(realm.Array, JEST_PROTECTED, { value: [], configurable: true });
  }
  const undo: Array<() => void> = [];
  const replaceGlobal = (name: string, proxy: unknown) => {
    const original = realm[name];
    realm[name] = proxy;
    undo.push(() => {
      realm[name] = original;
    });
  };
  const replaceMethod = <O extends object>(owner: O, key: keyof O & string, wrapped: unknown) => {
    const original = owner[key];
    (owner as Record<string, unknown>)[key] = wrapped;
    undo.push(() => {
      (owner as Record<string, unknown>)[key] = original;
    });
  };

  for (const name of TYPED_ARRAYS) {
    const Typed = realm[name] as { BYTES_PER_ELEMENT: number; from: unknown } & (new (
      ...args: unknown[]
    ) => unknown);
    const width = Typed.BYTES_PER_ELEMENT;
    replaceGlobal(
      name,
      new Proxy(Typed, {
        construct(target, args, newTarget) {
          record(bytes(lengthOf(args[0]), width), `new ${name}(${lengthOf(args[0])})`);
          return Reflect.construct(target, args, newTarget);
        },
        get(target, key, receiver) {
          if (key === 'from') {
            return (source: unknown, ...rest: unknown[]) => {
              record(bytes(lengthOf(source), width), `${name}.from(length ${lengthOf(source)})`);
              return (target.from as (...a: unknown[]) => unknown).call(target, source, ...rest);
            };
          }
          return Reflect.get(target, key, receiver);
        },
      }),
    );
  }
  for (const name of ['ArrayBuffer', 'SharedArrayBuffer']) {
    const Buffer_ = realm[name] as new (...args: unknown[]) => unknown;
    replaceGlobal(
      name,
      new Proxy(Buffer_, {
        construct(target, args, newTarget) {
          record(bytes(Number(args[0]), 1), `new ${name}(${String(args[0])})`);
          return Reflect.construct(target, args, newTarget);
        },
      }),
    );
  }

  const ArrayCtor = realm.Array as ArrayConstructor;
  const arrayLength = (args: unknown[]) =>
    args.length === 1 && typeof args[0] === 'number' ? args[0] : args.length;
  replaceGlobal(
    'Array',
    new Proxy(ArrayCtor, {
      construct(target, args, newTarget) {
        record(bytes(arrayLength(args), 8), `new Array(${arrayLength(args)})`);
        return Reflect.construct(target, args, newTarget);
      },
      apply(target, self, args) {
        record(bytes(arrayLength(args), 8), `Array(${arrayLength(args)})`);
        return Reflect.apply(target, self, args);
      },
      get(target, key, receiver) {
        if (key === 'from') {
          return (source: unknown, ...rest: unknown[]) => {
            record(bytes(lengthOf(source), 8), `Array.from(length ${lengthOf(source)})`);
            return (target.from as (...a: unknown[]) => unknown).call(target, source, ...rest);
          };
        }
        return Reflect.get(target, key, receiver);
      },
    }),
  );

  const NodeBuffer = Buffer as unknown as Record<string, (...args: unknown[]) => unknown>;
  for (const key of ['alloc', 'allocUnsafe', 'allocUnsafeSlow'] as const) {
    const original = NodeBuffer[key] as (...args: unknown[]) => unknown;
    replaceMethod(NodeBuffer, key, (...args: unknown[]) => {
      record(bytes(Number(args[0]), 1), `Buffer.${key}(${String(args[0])})`);
      return original.apply(Buffer, args);
    });
  }
  const concat = Buffer.concat;
  replaceMethod(NodeBuffer, 'concat', (list: readonly Uint8Array[], total?: number) => {
    const size = total ?? list.reduce((sum, part) => sum + part.length, 0);
    record(bytes(size, 1), `Buffer.concat(${size})`);
    return concat.call(Buffer, list, total);
  });

  const strings = String.prototype as unknown as Record<string, (...args: unknown[]) => string>;
  const repeat = String.prototype.repeat;
  replaceMethod(strings, 'repeat', function (this: string, count: number) {
    record(bytes(this.length * Number(count), 2), `String#repeat(${count})`);
    return repeat.call(this, count);
  });
  for (const key of ['padStart', 'padEnd'] as const) {
    const original = String.prototype[key];
    replaceMethod(strings, key, function (this: string, length: number, fill?: string) {
      record(bytes(Number(length), 2), `String#${key}(${length})`);
      return original.call(this, length, fill);
    });
  }
  return () => {
    for (const step of undo) step();
  };
}

/**
 * Meters the allocations of each case. `start()` installs the recorders for a whole target,
 * `begin()` and `end()` bracket one case (only then are requests counted), `stop()` restores
 * the realm.
 */
export class AllocationMeter {
  private current: AllocationReport = { largest: 0, largestAt: '', total: 0 };
  private active = false;
  private uninstall: (() => void) | undefined;

  start(): void {
    if (this.uninstall) return;
    this.uninstall = install((size, what) => {
      if (!this.active) return;
      this.current.total += size;
      if (size > this.current.largest) {
        this.current.largest = size;
        this.current.largestAt = what;
      }
    });
  }

  begin(): void {
    this.current = { largest: 0, largestAt: '', total: 0 };
    this.active = true;
  }

  end(): AllocationReport {
    this.active = false;
    return { ...this.current };
  }

  stop(): void {
    this.active = false;
    this.uninstall?.();
    this.uninstall = undefined;
  }
}
