import { bodyHash } from '../bodyHash';
import { inputObjHeaderValue } from '../inputObjHeader';
import { pyStr } from '../pyStr';
import type { PyType } from '../pyType';
import { parsePyType } from '../pyTypeGrammar';
import { toPyValue } from '../pyValue';
import type { VectorCase } from './vectorFile';

export interface VectorCheckFailure {
  readonly check: string;
  readonly computed: string;
  readonly expected: string;
}

export interface VectorCaseResult {
  readonly name: string;
  readonly failures: readonly VectorCheckFailure[];
}

const INPUT_OBJ_PREFIX = 'bt_header_input_obj_';

function errorText(error: unknown): string {
  return error instanceof Error ? error.message.split('\n').join(' ') : String(error);
}

/** Runs `check`, turning a thrown error into the "computed" side of a failure. */
function attempt(compute: () => string): string {
  try {
    return compute();
  } catch (error) {
    return `<error: ${errorText(error)}>`;
  }
}

function inputObjHeaders(
  fields: ReadonlyArray<readonly [string, PyType]>,
  required: ReadonlySet<string>,
  values: Readonly<Record<string, unknown>>,
): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const [name, type] of fields) {
    if (!required.has(name)) continue;
    const encoded = inputObjHeaderValue(toPyValue(values[name], type, name));
    if (encoded !== undefined) headers[`${INPUT_OBJ_PREFIX}${name}`] = encoded;
  }
  return headers;
}

function sortedJson(record: Readonly<Record<string, string>>): string {
  return JSON.stringify(
    Object.fromEntries(Object.entries(record).sort(([a], [b]) => (a < b ? -1 : 1))),
  );
}

/**
 * Checks one vector: `str()` of each listed field, the body hash, and the
 * `bt_header_input_obj_*` headers, all computed from the rules, never copied from the case.
 */
export function runVectorCase(testCase: VectorCase): VectorCaseResult {
  const failures: VectorCheckFailure[] = [];
  let fields: Array<readonly [string, PyType]>;
  try {
    fields = Object.entries(testCase.fields).map(
      ([name, text]) => [name, parsePyType(text)] as const,
    );
  } catch (error) {
    return {
      name: testCase.synapse,
      failures: [
        { check: 'fields', computed: `<error: ${errorText(error)}>`, expected: 'parsable types' },
      ],
    };
  }
  const typeOf = new Map(fields);

  for (const [name, expected] of Object.entries(testCase.str_of_field)) {
    const computed = attempt(() => {
      const type = typeOf.get(name);
      if (!type) throw new Error(`field "${name}" is not declared in "fields"`);
      return pyStr(testCase.values[name], type, name);
    });
    if (computed !== expected) failures.push({ check: `str_of_field.${name}`, computed, expected });
  }

  const hash = attempt(() =>
    bodyHash({ fields, requiredHashFields: testCase.required_hash_fields }, testCase.values),
  );
  if (hash !== testCase.body_hash) {
    failures.push({ check: 'body_hash', computed: hash, expected: testCase.body_hash });
  }

  // The vectors do not say which fields lack a Python default unless `required_fields`
  // is present; the expected header names are then the only record of it.
  const required = new Set(
    testCase.required_fields ??
      Object.keys(testCase.input_obj_headers)
        .filter((key) => key.startsWith(INPUT_OBJ_PREFIX))
        .map((key) => key.slice(INPUT_OBJ_PREFIX.length)),
  );
  const headers = attempt(() => sortedJson(inputObjHeaders(fields, required, testCase.values)));
  const expectedHeaders = sortedJson(testCase.input_obj_headers);
  if (headers !== expectedHeaders) {
    failures.push({ check: 'input_obj_headers', computed: headers, expected: expectedHeaders });
  }

  return { name: testCase.synapse, failures };
}

/** The runner's one output line for a case. */
export function formatVectorResult(result: VectorCaseResult): string {
  if (result.failures.length === 0) return `${result.name} ok`;
  const parts = result.failures.map(
    (f) => `${f.check}: computed=${f.computed} expected=${f.expected}`,
  );
  return `${result.name} FAIL ${parts.join('; ')}`;
}
