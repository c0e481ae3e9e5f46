import { join } from 'node:path';
import {
  attribute,
  DataType,
  type ModelProto,
  makeTensor,
  readModel,
  writeModel,
} from '@signal/runtime';

/** Rewrites a model directory's decoder graph (`onnx/model.onnx`) in place. */
export async function editGraph(dir: string, edit: (model: ModelProto) => void): Promise<void> {
  const path = join(dir, 'onnx', 'model.onnx');
  const model = await readModel(path);
  edit(model);
  await writeModel(model, path);
}

/**
 * Turns a builder graph into one that numbers positions itself, as exports without
 * `position_ids` do: the input is replaced by cumsum(attention_mask) - 1 over the new tokens.
 * Such a graph cannot continue a pruned cache at its original positions.
 */
export function derivePositionsFromMask(model: ModelProto): void {
  const graph = model.graph!;
  graph.input = graph.input!.filter((i) => i.name !== 'position_ids');
  const i64 = (name: string, values: bigint[], dims: number[]) =>
    makeTensor(name, DataType.INT64, dims, BigInt64Array.from(values));
  graph.initializer!.push(
    i64('pos/axis', [1n], []),
    i64('pos/one', [1n], []),
    i64('pos/seq_index', [1n], [1]),
    i64('pos/end', [BigInt('9223372036854775807')], [1]),
    i64('pos/axes', [1n], [1]),
  );
  graph.node!.unshift(
    {
      op_type: 'CumSum',
      input: ['attention_mask', 'pos/axis'],
      output: ['pos/cumsum'],
      name: 'pos/CumSum',
    },
    { op_type: 'Sub', input: ['pos/cumsum', 'pos/one'], output: ['pos/all'], name: 'pos/Sub' },
    { op_type: 'Shape', input: ['input_ids'], output: ['pos/shape'], name: 'pos/Shape' },
    {
      op_type: 'Gather',
      input: ['pos/shape', 'pos/seq_index'],
      output: ['pos/seq'],
      name: 'pos/Gather',
      attribute: [attribute.int('axis', 0)],
    },
    { op_type: 'Neg', input: ['pos/seq'], output: ['pos/start'], name: 'pos/Neg' },
    {
      op_type: 'Slice',
      input: ['pos/all', 'pos/start', 'pos/end', 'pos/axes'],
      output: ['position_ids'],
      name: 'pos/Slice',
    },
  );
}
