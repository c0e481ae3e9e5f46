// Jest runs each test file in its own V8 realm, but onnxruntime-node's native binding
// creates output typed arrays in Node's main realm, and onnxruntime-common then rejects them
// with `instanceof` checks against the sandbox's constructors. Sharing the main realm's
// binary-data constructors with the sandbox makes both sides agree.
const jestEnvironmentNode = require.resolve('jest-environment-node', {
  paths: [require.resolve('jest')],
});
const { TestEnvironment } = require(jestEnvironmentNode);

// Only the typed-array constructors ORT checks: sharing DataView too would hand the sandbox
// main-realm RangeErrors, which breaks libraries that probe DataView bounds checks.
const SHARED = [
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

class OrtTestEnvironment extends TestEnvironment {
  constructor(config, context) {
    super(config, context);
    for (const name of SHARED) this.global[name] = globalThis[name];
  }
}

module.exports = OrtTestEnvironment;
