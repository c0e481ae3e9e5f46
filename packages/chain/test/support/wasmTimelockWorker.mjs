// The other implementation of tle, for cross-checks: ideal-lab5's own Rust crate compiled to
// WebAssembly (@ideallabs/timelock_wasm_wrapper, a browser build, so it runs here as an ES
// module in a child process). Reads a JSON array of operations on stdin, writes the results.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { initSync, tld, tle } from '@ideallabs/timelock_wasm_wrapper';

const require = createRequire(import.meta.url);
initSync({
  module: readFileSync(
    require.resolve('@ideallabs/timelock_wasm_wrapper/timelock_wasm_wrapper_bg.wasm'),
  ),
});

const hex = (bytes) => Buffer.from(bytes).toString('hex');
const bytes = (text) => Buffer.from(text, 'hex');

const chunks = [];
for await (const chunk of process.stdin) chunks.push(chunk);
const operations = JSON.parse(Buffer.concat(chunks).toString('utf8'));
const results = operations.map((op) => {
  try {
    if (op.op === 'encrypt') {
      return {
        ciphertextHex: hex(
          tle(
            bytes(op.identityHex),
            bytes(op.plaintextHex),
            bytes(op.keyHex),
            bytes(op.publicKeyHex),
            'bls12_381',
          ),
        ),
      };
    }
    return { plaintextHex: hex(tld(bytes(op.ciphertextHex), bytes(op.signatureHex), 'bls12_381')) };
  } catch (error) {
    return { error: String(error?.message ?? error) };
  }
});
process.stdout.write(JSON.stringify(results));
