// The test environment of every package. onnxruntime-node creates its output typed arrays in
// Node's main realm while jest runs each test file in a realm of its own, so
// onnxruntime-common's `instanceof` checks would reject them. The sandbox borrows the main
// realm's binary-data constructors so both sides agree. DataView stays the sandbox's own:
// libraries probe it for RangeError, which must be this realm's.
const v8 = require('node:v8');
const vm = require('node:vm');
const { TestEnvironment } = require(
  require.resolve('jest-environment-node', { paths: [require.resolve('jest')] }),
);

// onnxruntime-node 1.30 records telemetry at exit into one SQLite file per user
// (~/.cache/Microsoft/DeveloperTools), under file locks every ORT process on the machine
// contends for, and tries to upload it. Tests reach nothing beyond loopback, and a worker
// waiting on those locks at exit outlasts jest's grace period. Set before ORT first loads.
process.env.ORT_DISABLE_TELEMETRY = '1';

// Every test file gets a fresh realm with its own copy of every module, WebAssembly
// instances included. V8 sees no pressure to collect the dead realms, so a worker grew past a
// gigabyte by the end of the run, which it then had to unmap while exiting. A full collection
// before a file, once the heap has grown past HEAP_LIMIT, keeps a worker small. The flag is set
// only long enough to fetch `gc`.
const HEAP_LIMIT = 512 * 1024 * 1024;
v8.setFlagsFromString('--expose-gc');
const collectGarbage = vm.runInNewContext('gc');
v8.setFlagsFromString('--no-expose-gc');

const SHARED = [
  'ArrayBuffer',
  'SharedArrayBuffer',
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
];

module.exports = class OrtEnvironment extends TestEnvironment {
  constructor(config, context) {
    if (process.memoryUsage().heapUsed > HEAP_LIMIT) collectGarbage();
    super(config, context);
    for (const name of SHARED) this.global[name] = globalThis[name];
  }
};
