/**
 * What the model builder and the ONNX graph tools cost, against baselines measured in the
 * same run: for building, writing the same bytes to disk with fs (the I/O floor any builder
 * pays); for reading and re-encoding, reading and writing the same file unparsed. Also times
 * grafting LoRA inputs on every attention projection (exercises insertSubgraph and the sort).
 * Prints JSON.
 *
 *   npx tsx bench/runtime/modelBuilder.ts [iterations=5]
 */
import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { buildModel } from '../../packages/runtime/src/builder/buildModel';
import { decodeModel, encodeModel } from '../../packages/runtime/src/onnx/codec';
import { DataType } from '../../packages/runtime/src/onnx/dataType';
import { findNodes } from '../../packages/runtime/src/onnx/findNodes';
import { insertSubgraph } from '../../packages/runtime/src/onnx/insertSubgraph';
import { readModel } from '../../packages/runtime/src/onnx/readModel';

const iterations = Number(process.argv[2] ?? 5);

async function time(run: () => Promise<unknown>) {
  await run();
  const samples: number[] = [];
  for (let i = 0; i < iterations; i++) {
    const start = performance.now();
    await run();
    samples.push(performance.now() - start);
  }
  const round = (ms: number) => Math.round(ms * 100) / 100;
  return {
    meanMs: round(samples.reduce((a, b) => a + b, 0) / samples.length),
    minMs: round(Math.min(...samples)),
  };
}

const ratio = (a: { meanMs: number }, b: { meanMs: number }) =>
  Math.round((a.meanMs / b.meanMs) * 100) / 100;

async function main() {
  const root = await mkdtemp(join(tmpdir(), 'bench-builder-'));
  const results: Record<string, unknown> = { iterations };
  try {
    for (const size of ['tiny', 'small'] as const) {
      const outDir = join(root, size);
      const built = await buildModel({ arch: 'llama', size, seed: 1, outDir });
      const bytes = await readFile(built.files.model);
      const build = await time(() => buildModel({ arch: 'llama', size, seed: 1, outDir }));
      const rawWrite = await time(() => writeFile(join(root, `${size}.raw`), bytes));
      const parse = await time(async () => encodeModel(await readModel(built.files.model)));
      const rawCopy = await time(async () =>
        writeFile(join(root, `${size}.copy`), await readFile(built.files.model)),
      );
      const graft = await time(async () => {
        const graph = decodeModel(bytes).graph!;
        for (const { node } of findNodes(graph, /self_attn\/[qkvo]_proj\/MatMul$/)) {
          const [x] = node.input!;
          const y = node.output![0]!;
          const id = node.name!.replace(/\/MatMul$/, '');
          insertSubgraph(graph, {
            inputs: [
              { name: `${id}.lora_A`, type: { tensor_type: { elem_type: DataType.FLOAT } } },
              { name: `${id}.lora_B`, type: { tensor_type: { elem_type: DataType.FLOAT } } },
            ],
            nodes: [
              {
                name: `${id}/lora_A`,
                op_type: 'MatMul',
                input: [x!, `${id}.lora_A`],
                output: [`${id}/xa`],
              },
              {
                name: `${id}/lora_B`,
                op_type: 'MatMul',
                input: [`${id}/xa`, `${id}.lora_B`],
                output: [`${id}/xab`],
              },
              {
                name: `${id}/lora_Add`,
                op_type: 'Add',
                input: [y, `${id}/xab`],
                output: [`${id}/out`],
              },
            ],
            reroute: { tensor: y, replacement: `${id}/out` },
          });
        }
      });
      results[size] = {
        onnxBytes: (await stat(built.files.model)).size,
        nodes: decodeModel(bytes).graph?.node?.length,
        buildModel: build,
        baselineRawWrite: rawWrite,
        buildVsRawWrite: ratio(build, rawWrite),
        readAndEncode: parse,
        baselineRawReadWrite: rawCopy,
        readEncodeVsRawReadWrite: ratio(parse, rawCopy),
        graftAttentionLora: graft,
      };
    }
  } finally {
    await rm(root, { recursive: true, force: true });
  }
  process.stdout.write(`${JSON.stringify(results, null, 2)}\n`);
}

void main();
