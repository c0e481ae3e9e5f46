import { DataType } from '../onnx/dataType';
import type { ModelProto } from '../onnx/proto';
import { GraphBuilder, valueInfo } from './GraphBuilder';
import type { LlamaConfig } from './LlamaConfig';
import { LLAMA_OPSET } from './llamaGraph';
import type { Weight } from './llamaWeights';

/**
 * `onnx/embed_tokens.onnx`: `input_ids` → `inputs_embeds`, the companion that
 * onnx-community ships beside decoders taking `inputs_embeds` (transformers.js runs it
 * to embed text before calling the decoder).
 */
export function embedTokensGraph(config: LlamaConfig, embedding: Weight): ModelProto {
  const g = new GraphBuilder();
  g.weight('model.embed_tokens.weight', embedding.dims, embedding.values);
  g.op(
    '/model/embed_tokens/Gather',
    'Gather',
    ['model.embed_tokens.weight', 'input_ids'],
    [],
    'inputs_embeds',
  );
  return {
    ir_version: 8,
    opset_import: [{ domain: '', version: LLAMA_OPSET }],
    producer_name: 'signal-model-builder',
    graph: {
      name: 'embed_tokens',
      node: g.nodes,
      initializer: g.initializers,
      input: [valueInfo('input_ids', DataType.INT64, ['batch_size', 'sequence_length'])],
      output: [
        valueInfo('inputs_embeds', DataType.FLOAT, [
          'batch_size',
          'sequence_length',
          config.hidden_size,
        ]),
      ],
    },
  };
}
