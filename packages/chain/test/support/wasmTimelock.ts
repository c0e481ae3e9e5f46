import { execFile } from 'node:child_process';
import path from 'node:path';

export type WasmOperation =
  | {
      op: 'encrypt';
      identityHex: string;
      plaintextHex: string;
      keyHex: string;
      publicKeyHex: string;
    }
  | { op: 'decrypt'; ciphertextHex: string; signatureHex: string };

export type WasmResult = { ciphertextHex?: string; plaintextHex?: string; error?: string };

/** Runs operations through the WASM build of ideal-lab5's tle crate, in one child process. */
export function runWasmTimelock(operations: WasmOperation[]): Promise<WasmResult[]> {
  return new Promise((resolve, reject) => {
    const child = execFile(
      process.execPath,
      [path.join(__dirname, 'wasmTimelockWorker.mjs')],
      { maxBuffer: 16 * 1024 * 1024 },
      (error, stdout, stderr) => {
        if (error) reject(new Error(`${error.message}\n${stderr}`));
        else resolve(JSON.parse(stdout) as WasmResult[]);
      },
    );
    child.stdin!.end(JSON.stringify(operations));
  });
}
