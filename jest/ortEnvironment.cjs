// The test environment of every package. onnxruntime-node creates its output typed arrays in
// Node's main realm while jest runs each test file in a realm of its own, so
// onnxruntime-common's `instanceof` checks would reject them. The sandbox borrows the main
// realm's binary-data constructors so both sides agree. DataView stays the sandbox's own:
// libraries probe it for RangeError, which must be this realm's.
const { TestEnvironment } = require(
  require.resolve('jest-environment-node', { paths: [require.resolve('jest')] }),
);

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
    super(config, context);
    for (const name of SHARED) this.global[name] = globalThis[name];
  }
};
