import { layerSize } from './HalfKvLayer';
import { type KeepIndices, keepDepth, keepFor } from './KeepIndices';
import { KvCacheError } from './KvCacheError';

/** One layer's cached keys and values, each `[batch, kvHeads, length, headDim]` in C order. */
export interface KvLayer {
  readonly key: Float32Array;
  readonly value: Float32Array;
}

export interface KvCacheInit {
  batch: number;
  kvHeads: number;
  headDim: number;
  length: number;
  layers: readonly KvLayer[];
  /** `[batch, length]`, 1 where a cached position may be attended (0 for left padding). Default all ones. */
  mask?: Uint8Array;
  /** Per row, the position id the next token takes. Default `length` for every row. */
  nextPositions?: readonly number[];
  /** `[batch, vocab]` logits after the last cached token, when the cache came straight from a forward pass. */
  lastLogits?: Float32Array;
}

/**
 * The per-layer key/value cache of a causal LM, with the bookkeeping needed to continue
 * from it after pruning: which positions may be attended (`mask`) and where position ids
 * continue (`nextPositions`, for one row `originalLength`). Cached keys are already rotated,
 * so a pruned cache keeps working as long as new tokens take their original positions.
 * Instances are immutable; every operation returns a new cache.
 */
export class KvCache {
  readonly batch: number;
  readonly kvHeads: number;
  readonly headDim: number;
  readonly length: number;
  readonly layers: readonly KvLayer[];
  readonly mask: Uint8Array;
  readonly nextPositions: readonly number[];
  readonly lastLogits: Float32Array | undefined;

  constructor(init: KvCacheInit) {
    const { batch, kvHeads, headDim, length, layers } = init;
    for (const [name, n] of [
      ['batch', batch],
      ['kvHeads', kvHeads],
      ['headDim', headDim],
      ['length', length],
    ] as const) {
      if (!Number.isInteger(n) || n < 0) {
        throw new KvCacheError(
          'KV_SHAPE_MISMATCH',
          `KvCache ${name} must be a non-negative integer`,
          {
            details: `got ${n}`,
          },
        );
      }
    }
    const expected = batch * kvHeads * length * headDim;
    layers.forEach((layer, i) => {
      for (const part of ['key', 'value'] as const) {
        if (layerSize(layer, part) !== expected) {
          throw new KvCacheError('KV_SHAPE_MISMATCH', `layer ${i} ${part} has the wrong size`, {
            details: `expected ${expected} floats for [${batch}, ${kvHeads}, ${length}, ${headDim}], got ${layerSize(layer, part)}`,
          });
        }
      }
    });
    const mask = init.mask ?? new Uint8Array(batch * length).fill(1);
    if (mask.length !== batch * length) {
      throw new KvCacheError('KV_SHAPE_MISMATCH', 'KvCache mask must be [batch, length]', {
        details: `expected ${batch * length} entries, got ${mask.length}`,
      });
    }
    const nextPositions = init.nextPositions ?? Array.from({ length: batch }, () => length);
    if (
      nextPositions.length !== batch ||
      nextPositions.some((p) => !Number.isInteger(p) || p < 0)
    ) {
      throw new KvCacheError(
        'KV_SHAPE_MISMATCH',
        'KvCache nextPositions must hold one non-negative integer per row',
        {
          details: `got [${nextPositions.join(', ')}] for batch ${batch}`,
        },
      );
    }
    this.batch = batch;
    this.kvHeads = kvHeads;
    this.headDim = headDim;
    this.length = length;
    this.layers = layers;
    this.mask = mask;
    this.nextPositions = nextPositions;
    this.lastLogits = init.lastLogits;
  }

  /** A cache with no positions yet: what a prefill starts from (ORT gets past length 0 tensors). */
  static empty(numLayers: number, batch: number, kvHeads: number, headDim: number): KvCache {
    const layers = Array.from({ length: numLayers }, () => ({
      key: new Float32Array(0),
      value: new Float32Array(0),
    }));
    return new KvCache({
      batch,
      kvHeads,
      headDim,
      length: 0,
      layers,
      nextPositions: Array(batch).fill(0),
    });
  }

  get numLayers(): number {
    return this.layers.length;
  }

  /** Bytes held by the key and value tensors. */
  get byteSize(): number {
    return this.layers.length * 2 * this.batch * this.kvHeads * this.length * this.headDim * 4;
  }

  /** Where the next token's position id starts: the length of the text this cache stands for. */
  get originalLength(): number {
    if (this.batch !== 1) {
      throw new KvCacheError('KV_BATCHED', 'originalLength is defined for a single-row cache', {
        details: `this cache has ${this.batch} rows; read nextPositions instead`,
      });
    }
    return this.nextPositions[0]!;
  }

  /** Whether every cached position may be attended. */
  get fullyAttended(): boolean {
    return this.mask.every((m) => m === 1);
  }

  /**
   * Keeps only the given positions, per layer and per kv head (see KeepIndices). Position ids
   * still continue from `originalLength`. Heads may keep different positions only when every
   * cached position is attendable, since the attention mask is per position, not per head.
   */
  gather(keep: KeepIndices): KvCache {
    if (this.batch !== 1) {
      throw new KvCacheError('KV_BATCHED', 'gather prunes a single-row cache', {
        details: `this cache has ${this.batch} rows; split it with row() first`,
      });
    }
    const depth = keepDepth(keep);
    if (depth >= 2) {
      const heads = depth === 2 ? keep.length : (keep as readonly unknown[][])[0]?.length;
      if (heads !== this.kvHeads || (depth === 3 && keep.length !== this.numLayers)) {
        throw new KvCacheError('KV_BAD_INDICES', 'keep indices do not match the cache layout', {
          details: `expected ${depth === 3 ? `${this.numLayers} layers of ` : ''}${this.kvHeads} heads`,
        });
      }
    }
    const kept = keepFor(keep, 0, 0).length;
    const { kvHeads, headDim, length } = this;
    for (let l = 0; l < this.numLayers; l++) {
      for (let h = 0; h < kvHeads; h++) {
        const idx = keepFor(keep, l, h);
        if (idx.length !== kept) {
          throw new KvCacheError(
            'KV_BAD_INDICES',
            'every layer and head must keep the same number of positions',
            {
              details: `layer ${l} head ${h} keeps ${idx.length}, layer 0 head 0 keeps ${kept}`,
            },
          );
        }
        const seen = new Set<number>();
        for (const p of idx) {
          if (!Number.isInteger(p) || p < 0 || p >= length || seen.has(p)) {
            throw new KvCacheError(
              'KV_BAD_INDICES',
              `layer ${l} head ${h} has an invalid keep index`,
              {
                details: `index ${p}: indices must be distinct integers in [0, ${length})`,
              },
            );
          }
          seen.add(p);
        }
      }
    }
    const uniform = depth === 1 || sameEverywhere(keep, this.numLayers, kvHeads);
    if (!uniform && !this.fullyAttended) {
      throw new KvCacheError(
        'KV_BAD_INDICES',
        'per-head keep indices need a fully attended cache',
        {
          details: 'the cache masks some positions, and a mask cannot differ between heads',
        },
      );
    }
    const layers = this.layers.map((layer, l) => {
      const key = new Float32Array(kvHeads * kept * headDim);
      const value = new Float32Array(kvHeads * kept * headDim);
      for (let h = 0; h < kvHeads; h++) {
        const idx = keepFor(keep, l, h);
        for (let j = 0; j < kept; j++) {
          const src = (h * length + idx[j]!) * headDim;
          const dst = (h * kept + j) * headDim;
          key.set(layer.key.subarray(src, src + headDim), dst);
          value.set(layer.value.subarray(src, src + headDim), dst);
        }
      }
      return { key, value };
    });
    const idx0 = keepFor(keep, 0, 0);
    const mask = uniform
      ? Uint8Array.from(idx0, (p) => this.mask[p]!)
      : new Uint8Array(kept).fill(1);
    return new KvCache({
      batch: 1,
      kvHeads,
      headDim,
      length: kept,
      layers,
      mask,
      nextPositions: this.nextPositions,
    });
  }

  /** Positions `[start, end)` of the sequence axis; position ids still continue where this cache's do. */
  slice(start: number, end: number = this.length): KvCache {
    if (
      !Number.isInteger(start) ||
      !Number.isInteger(end) ||
      start < 0 ||
      end > this.length ||
      start > end
    ) {
      throw new KvCacheError('KV_BAD_INDICES', 'slice bounds are out of range', {
        details: `slice(${start}, ${end}) on a cache of length ${this.length}`,
      });
    }
    const n = end - start;
    const layers = this.layers.map((layer) => ({
      key: this.sliceSeq(layer.key, start, n),
      value: this.sliceSeq(layer.value, start, n),
    }));
    const mask = new Uint8Array(this.batch * n);
    for (let b = 0; b < this.batch; b++) {
      mask.set(this.mask.subarray(b * this.length + start, b * this.length + end), b * n);
    }
    return new KvCache({
      ...this.shape(),
      length: n,
      layers,
      mask,
      nextPositions: this.nextPositions,
    });
  }

  /**
   * Appends `next`'s positions after this cache's, as when `next` was computed on top of
   * this one; position ids continue where `next`'s do.
   */
  concat(next: KvCache): KvCache {
    if (
      next.batch !== this.batch ||
      next.kvHeads !== this.kvHeads ||
      next.headDim !== this.headDim ||
      next.numLayers !== this.numLayers
    ) {
      throw new KvCacheError('KV_SHAPE_MISMATCH', 'cannot concat caches of different layouts', {
        details: `[${this.numLayers} layers, ${this.batch}, ${this.kvHeads}, *, ${this.headDim}] vs [${next.numLayers} layers, ${next.batch}, ${next.kvHeads}, *, ${next.headDim}]`,
      });
    }
    const n = this.length + next.length;
    const rows = this.batch * this.kvHeads;
    const { headDim } = this;
    const join = (a: Float32Array, b: Float32Array): Float32Array => {
      const out = new Float32Array(rows * n * headDim);
      for (let r = 0; r < rows; r++) {
        out.set(
          a.subarray(r * this.length * headDim, (r + 1) * this.length * headDim),
          r * n * headDim,
        );
        out.set(
          b.subarray(r * next.length * headDim, (r + 1) * next.length * headDim),
          (r * n + this.length) * headDim,
        );
      }
      return out;
    };
    const layers = this.layers.map((layer, l) => ({
      key: join(layer.key, next.layers[l]!.key),
      value: join(layer.value, next.layers[l]!.value),
    }));
    const mask = new Uint8Array(this.batch * n);
    for (let b = 0; b < this.batch; b++) {
      mask.set(this.mask.subarray(b * this.length, (b + 1) * this.length), b * n);
      mask.set(next.mask.subarray(b * next.length, (b + 1) * next.length), b * n + this.length);
    }
    return new KvCache({
      ...this.shape(),
      length: n,
      layers,
      mask,
      nextPositions: next.nextPositions,
    });
  }

  /**
   * One row of a batched cache as a single-row cache. Left padding (masked positions before
   * the row's first real token) is dropped, so the result is fully attended when the row was.
   */
  row(b: number): KvCache {
    if (!Number.isInteger(b) || b < 0 || b >= this.batch) {
      throw new KvCacheError('KV_BAD_INDICES', 'row index is out of range', {
        details: `row ${b} of a cache with ${this.batch} rows`,
      });
    }
    const rowMask = this.mask.subarray(b * this.length, (b + 1) * this.length);
    let start = 0;
    while (start < this.length && rowMask[start] === 0) start++;
    const n = this.length - start;
    const per = this.kvHeads * this.length * this.headDim;
    const layers = this.layers.map((layer) => {
      const pick = (t: Float32Array): Float32Array => {
        const out = new Float32Array(this.kvHeads * n * this.headDim);
        for (let h = 0; h < this.kvHeads; h++) {
          const src = b * per + (h * this.length + start) * this.headDim;
          out.set(t.subarray(src, src + n * this.headDim), h * n * this.headDim);
        }
        return out;
      };
      return { key: pick(layer.key), value: pick(layer.value) };
    });
    const vocab = this.lastLogits ? this.lastLogits.length / this.batch : 0;
    return new KvCache({
      batch: 1,
      kvHeads: this.kvHeads,
      headDim: this.headDim,
      length: n,
      layers,
      mask: rowMask.slice(start),
      nextPositions: [this.nextPositions[b]!],
      ...(this.lastLogits ? { lastLogits: this.lastLogits.slice(b * vocab, (b + 1) * vocab) } : {}),
    });
  }

  /** The same cache with other position bookkeeping, e.g. restored from a payload. */
  withNextPositions(nextPositions: readonly number[]): KvCache {
    return new KvCache({
      ...this.shape(),
      length: this.length,
      layers: this.layers,
      mask: this.mask,
      nextPositions,
    });
  }

  private shape(): Pick<KvCacheInit, 'batch' | 'kvHeads' | 'headDim'> {
    return { batch: this.batch, kvHeads: this.kvHeads, headDim: this.headDim };
  }

  private sliceSeq(t: Float32Array, start: number, n: number): Float32Array {
    const { headDim, length } = this;
    const rows = this.batch * this.kvHeads;
    const out = new Float32Array(rows * n * headDim);
    for (let r = 0; r < rows; r++) {
      const src = (r * length + start) * headDim;
      out.set(t.subarray(src, src + n * headDim), r * n * headDim);
    }
    return out;
  }
}

function sameEverywhere(keep: KeepIndices, numLayers: number, kvHeads: number): boolean {
  const ref = keepFor(keep, 0, 0);
  for (let l = 0; l < numLayers; l++) {
    for (let h = 0; h < kvHeads; h++) {
      const idx = keepFor(keep, l, h);
      if (idx.some((p, j) => p !== ref[j])) return false;
    }
  }
  return true;
}
