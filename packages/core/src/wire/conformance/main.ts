import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { formatVectorResult, runVectorCase } from './runVectorCase';
import { parseVectorFile } from './vectorFile';

/**
 * `pnpm --filter @signal/core run vectors <file.json>`: checks every case of a body-hash
 * vectors file against our Python emulation. pnpm runs scripts inside the package, so a
 * relative path is resolved against the directory the user ran pnpm from (INIT_CWD).
 * Exit codes: 0 all ok, 1 some case failed, 2 the file could not be read or parsed.
 */
function main(argv: readonly string[]): number {
  const file = argv[0];
  if (!file) {
    process.stderr.write('usage: vectors <body-hash-vectors.json>\n');
    return 2;
  }
  const path = resolve(process.env.INIT_CWD ?? process.cwd(), file);
  let cases: ReturnType<typeof parseVectorFile>;
  try {
    cases = parseVectorFile(readFileSync(path, 'utf8'));
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    process.stderr.write(`vectors: cannot use ${path}: ${message}\n`);
    return 2;
  }
  let failed = 0;
  for (const testCase of cases) {
    const result = runVectorCase(testCase);
    if (result.failures.length > 0) failed++;
    process.stdout.write(`${formatVectorResult(result)}\n`);
  }
  process.stdout.write(`${cases.length - failed}/${cases.length} cases ok\n`);
  return failed === 0 ? 0 : 1;
}

process.exitCode = main(process.argv.slice(2));
