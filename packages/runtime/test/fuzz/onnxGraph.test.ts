import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isSignalError } from '@signal/core';
import fc from 'fast-check';
import { applyByteMutations, byteMutations, fuzzTarget, position } from '../../../../jest/fuzz';
import { buildModel } from '../../src/builder/buildModel';
import { subgraphsOf } from '../../src/onnx/attribute';
import { decodeModel, encodeModel } from '../../src/onnx/codec';
import { loadExternalData } from '../../src/onnx/externalData';
import { DataLocation, type GraphProto, type ModelProto } from '../../src/onnx/proto';
import { readModel } from '../../src/onnx/readModel';
import { tensorValues } from '../../src/onnx/tensor';
import { topologicalSort } from '../../src/onnx/topologicalSort';

/**
 * Seeds: the builder's tiny llama (a real decoder graph: every node, name and attribute an
 * export has) with each initializer cut down to a few values, so mutations land in the graph
 * rather than in weights.
 */
let seeds: Uint8Array[] = [];
let decodedSeeds: ModelProto[] = [];
let root = '';
let dataDir = '';

function shrinkInitializers(graph: GraphProto): GraphProto {
  return {
    ...graph,
    initializer: (graph.initializer ?? []).map((tensor, i) =>
      i % 3 === 0
        ? { ...tensor, dims: [2], raw_data: new Uint8Array(2 * 4), data_type: 1 }
        : i % 3 === 1
          ? { name: tensor.name, dims: [3], data_type: 7, int64_data: [1, -1, 2 ** 40] }
          : { name: tensor.name, dims: [2], data_type: 1, float_data: [0.5, -2] },
    ),
    node: (graph.node ?? []).map((node) => ({
      ...node,
      attribute: (node.attribute ?? []).map((a) =>
        a.g ? { ...a, g: shrinkInitializers(a.g) } : a,
      ),
    })),
  };
}

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'signal-onnx-fuzz-'));
  const built = await buildModel({
    arch: 'llama',
    size: 'tiny',
    seed: 5,
    outDir: join(root, 'tiny'),
  });
  const model = await readModel(built.files.model);
  const small: ModelProto = { ...model, graph: shrinkInitializers(model.graph ?? {}) };
  const external: ModelProto = {
    ...small,
    graph: {
      ...small.graph,
      initializer: [
        ...(small.graph?.initializer ?? []),
        {
          name: 'outside',
          dims: [4],
          data_type: 1,
          data_location: DataLocation.EXTERNAL,
          external_data: [
            { key: 'location', value: 'model.onnx_data' },
            { key: 'offset', value: '0' },
            { key: 'length', value: '16' },
          ],
        },
      ],
    },
  };
  seeds = [encodeModel(small), encodeModel(external)];
  decodedSeeds = seeds.map(decodeModel);
  dataDir = join(root, 'data');
  await mkdir(dataDir);
  await writeFile(join(dataDir, 'model.onnx_data'), new Uint8Array(64));
});

afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

/** Everything the runtime reads of a graph before a session: the values of every initializer, and its order. */
function readGraph(graph: GraphProto, outer: readonly string[]): void {
  for (const tensor of graph.initializer ?? []) {
    if (tensor.data_location !== DataLocation.EXTERNAL) tensorValues(tensor);
  }
  topologicalSort(graph, outer);
  for (const node of graph.node ?? []) {
    for (const sub of subgraphsOf(node.attribute))
      readGraph(sub, [...outer, ...(node.input ?? [])]);
  }
}

/** Edits a decoded model the way a tampered or broken export would differ from a good one. */
type GraphEdit =
  | { readonly kind: 'dims'; readonly at: number; readonly dims: number[] }
  | { readonly kind: 'dataType'; readonly at: number; readonly dataType: number }
  | { readonly kind: 'rawLength'; readonly at: number; readonly length: number }
  | {
      readonly kind: 'external';
      readonly at: number;
      readonly location: string;
      readonly offset: string;
      readonly length: string;
    }
  | { readonly kind: 'rewire'; readonly at: number; readonly from: number }
  | { readonly kind: 'duplicateOutput'; readonly at: number; readonly from: number };

const graphEdit: fc.Arbitrary<GraphEdit> = fc.oneof(
  fc.record({
    kind: fc.constant('dims' as const),
    at: position,
    dims: fc.array(
      fc.oneof(fc.integer({ min: -2, max: 9 }), fc.constantFrom(2 ** 31, 2 ** 32, 2 ** 53 - 1)),
      { maxLength: 5 },
    ),
  }),
  fc.record({
    kind: fc.constant('dataType' as const),
    at: position,
    dataType: fc.integer({ min: 0, max: 30 }),
  }),
  fc.record({
    kind: fc.constant('rawLength' as const),
    at: position,
    length: fc.integer({ min: 0, max: 33 }),
  }),
  fc.record({
    kind: fc.constant('external' as const),
    at: position,
    location: fc.constantFrom('model.onnx_data', '../../etc/passwd', '/etc/passwd', '', 'sub/../x'),
    offset: fc.constantFrom('0', '-1', '4096', '1e3', '9007199254740993', 'x'),
    length: fc.constantFrom('16', '0', '-4', '4294967296', ''),
  }),
  fc.record({ kind: fc.constant('rewire' as const), at: position, from: position }),
  fc.record({ kind: fc.constant('duplicateOutput' as const), at: position, from: position }),
);

function applyEdits(model: ModelProto, edits: readonly GraphEdit[]): ModelProto {
  const copy = structuredClone(model);
  const graph = copy.graph ?? {};
  const tensors = graph.initializer ?? [];
  const nodes = graph.node ?? [];
  const pick = <T>(list: readonly T[], at: number): T | undefined =>
    list[Math.floor(at * list.length)];
  for (const edit of edits) {
    if (edit.kind === 'rewire' || edit.kind === 'duplicateOutput') {
      const node = pick(nodes, edit.at);
      const source = pick(nodes, edit.from);
      const name = source?.output?.[0];
      if (!node || name === undefined) continue;
      if (edit.kind === 'rewire') node.input = [name, ...(node.input ?? []).slice(1)];
      else node.output = [name, ...(node.output ?? []).slice(1)];
      continue;
    }
    const tensor = pick(tensors, edit.at);
    if (!tensor) continue;
    if (edit.kind === 'dims') tensor.dims = edit.dims;
    else if (edit.kind === 'dataType') tensor.data_type = edit.dataType;
    else if (edit.kind === 'rawLength') tensor.raw_data = new Uint8Array(edit.length);
    else {
      tensor.data_location = DataLocation.EXTERNAL;
      tensor.external_data = [
        { key: 'location', value: edit.location },
        { key: 'offset', value: edit.offset },
        { key: 'length', value: edit.length },
      ];
    }
  }
  return copy;
}

describe('ONNX graph reader fuzz', () => {
  fuzzTarget({
    name: 'readModel (external data too) + initializer values + order of tampered graphs',
    input: fc.record({
      seed: fc.nat(1),
      edits: fc.array(graphEdit, { minLength: 1, maxLength: 4 }),
    }),
    prepare: ({ seed, edits }) => encodeModel(applyEdits(decodedSeeds[seed]!, edits)),
    size: (bytes) => bytes.length,
    parse: (bytes) => {
      const decoded = decodeModel(bytes);
      const loaded = loadExternalData(decoded, dataDir);
      if (loaded.graph) readGraph(loaded.graph, []);
      return loaded;
    },
    accept: isSignalError,
    // Found by this target: raw_data of 5 bytes for a float tensor threw a bare RangeError.
    regressions: [{ seed: 0, edits: [{ kind: 'rawLength', at: 0, length: 5 }] }],
  });

  fuzzTarget({
    name: 'decodeModel + initializer values + topological order of mutated model files',
    input: fc.record({ seed: fc.nat(1), mutations: byteMutations(6) }),
    prepare: ({ seed, mutations }) => applyByteMutations(seeds[seed]!, mutations),
    size: (bytes) => bytes.length,
    parse: (bytes) => {
      const model = decodeModel(bytes);
      if (model.graph) readGraph(model.graph, []);
      return model;
    },
    accept: isSignalError,
  });
});
