import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/*
 * The SDK must stay light: only the `./runtime` subpath may load ONNX Runtime. This reads
 * the built bundles (the test pipeline builds before it tests).
 */
const dist = join(__dirname, '..', 'dist');

describe('built bundles', () => {
  it.each(['index.js', 'index.mjs'])(
    '%s references neither the runtime nor a native module',
    (file) => {
      const path = join(dist, file);
      expect(existsSync(path)).toBe(true);
      const code = readFileSync(path, 'utf8');
      expect(code).not.toMatch(/onnxruntime/);
      expect(code).not.toMatch(/@signal\/runtime/);
      expect(code).not.toMatch(/\.node['"]/);
      // @signal/chain is loaded lazily, never at import time.
      expect(code).not.toMatch(/require\(["']@signal\/chain["']\)|from ["']@signal\/chain["']/);
    },
  );

  it('the runtime subpath is where the runtime is imported', () => {
    expect(readFileSync(join(dist, 'runtime.js'), 'utf8')).toMatch(/@signal\/runtime/);
  });

  it('package.json exports ./runtime with types first', () => {
    const pkg = JSON.parse(readFileSync(join(__dirname, '..', 'package.json'), 'utf8'));
    const runtime = pkg.exports['./runtime'];
    expect(Object.keys(runtime.import)[0]).toBe('types');
    expect(Object.keys(runtime.require)[0]).toBe('types');
    expect(pkg.peerDependenciesMeta['@signal/runtime'].optional).toBe(true);
    expect(pkg.peerDependenciesMeta['@signal/chain'].optional).toBe(true);
  });
});
