import { toFloat16Bits } from '@signal/core';
import { attribute } from '../onnx/attribute';
import { DataType } from '../onnx/dataType';
import type { GraphBuilder } from './GraphBuilder';
import type { Weight } from './llamaWeights';
import { quantizeInt4Blocks } from './quantize/quantizeInt4Blocks';
import { quantizeInt8Channels } from './quantize/quantizeInt8Channels';
import { INT4_BLOCK_SIZE, type WeightPrecision } from './WeightPrecision';

/**
 * `x · W` for a `[in, out]` checkpoint weight stored at `precision`. The node keeps the
 * MatMul's exporter name (`/model/layers.0/self_attn/q_proj/MatMul`) whatever op computes it,
 * as onnxruntime's quantizers keep it, so graph surgery finds it by name.
 */
export function projection(
  g: GraphBuilder,
  node: string,
  x: string,
  name: string,
  weight: Weight,
  precision: WeightPrecision,
  output?: string,
): string {
  const [k, n] = weight.dims as [number, number];
  switch (precision) {
    case 'fp32':
      return g.op(node, 'MatMul', [x, g.weight(name, weight.dims, weight.values)], [], output);
    case 'fp16': {
      const half = g.initializer(name, DataType.FLOAT16, weight.dims, toFloat16Bits(weight.values));
      const wide = g.op(
        `${node}/weight/Cast`,
        'Cast',
        [half],
        [attribute.int('to', DataType.FLOAT)],
      );
      return g.op(node, 'MatMul', [x, wide], [], output);
    }
    case 'q8': {
      const q = quantizeInt8Channels(weight.values, k, n);
      const values = g.initializer(`${name}_quantized`, DataType.INT8, [k, n], q.values);
      const scale = g.initializer(`${name}_scale`, DataType.FLOAT, [n], q.scales);
      const zero = g.initializer(`${name}_zero_point`, DataType.INT8, [n], new Int8Array(n));
      const wide = g.op(
        `${node}/weight/DequantizeLinear`,
        'DequantizeLinear',
        [values, scale, zero],
        [attribute.int('axis', 1)],
      );
      return g.op(node, 'MatMul', [x, wide], [], output);
    }
    case 'q4': {
      const q = quantizeInt4Blocks(weight.values, k, n, INT4_BLOCK_SIZE);
      const blocks = Math.ceil(k / INT4_BLOCK_SIZE);
      const inputs = [
        x,
        g.initializer(`${name}_Q4`, DataType.UINT8, [n, blocks, INT4_BLOCK_SIZE / 2], q.packed),
        g.initializer(`${name}_scales`, DataType.FLOAT, [n, blocks], q.scales),
        g.initializer(
          `${name}_zero_points`,
          DataType.UINT8,
          [n, Math.ceil(blocks / 2)],
          q.zeroPoints,
        ),
      ];
      const attributes = [
        attribute.int('K', k),
        attribute.int('N', n),
        attribute.int('bits', 4),
        attribute.int('block_size', INT4_BLOCK_SIZE),
      ];
      const [out] = g.contrib(node, 'MatMulNBits', inputs, attributes, output ? [output] : 1);
      return out!;
    }
  }
}
