import type { z } from 'zod';

type Issue = z.core.$ZodIssue;

/**
 * A schema's issues with each failed union replaced by the issues of the branch the value was
 * meant for, so that an error names the field that is wrong. zod reports a union that no branch
 * accepts as one `invalid_union` at the union's path ("Invalid input → at gateway"), keeping
 * each branch's own issues inside it. The branch the value was meant for is the one that
 * accepted its kind (`gateway: { port: "x" }` is an object: only its port is wrong, or a key
 * is misspelt) with the fewest issues (`adapter: { dir: 5 }` is one wrong field of the `dir`
 * form, not a `url` form missing three); its issues say what is wrong. With no such branch, or
 * a tie, the union is reported as it is (`gateway: 7` is neither `false` nor an object).
 */
export function specificIssues(issues: readonly Issue[]): Issue[] {
  return issues.flatMap((issue) => specific(issue, []));
}

function specific(issue: Issue, prefix: readonly PropertyKey[]): Issue[] {
  const path = [...prefix, ...issue.path];
  if (issue.code !== 'invalid_union') return [{ ...issue, path }];
  const meant = issue.errors.filter(
    (branch) => branch.length > 0 && !branch.some((inner) => isWrongKind(inner)),
  );
  const fewest = Math.min(...meant.map((branch) => branch.length));
  const closest = meant.filter((branch) => branch.length === fewest);
  if (closest.length !== 1) return [{ ...issue, path }];
  return closest[0]!.flatMap((inner) => specific(inner, path));
}

/** An issue about the value as a whole being of another kind than the branch takes. */
function isWrongKind(issue: Issue): boolean {
  return issue.path.length === 0 && WRONG_KIND.has(issue.code);
}

const WRONG_KIND: ReadonlySet<Issue['code']> = new Set([
  'invalid_type',
  'invalid_value',
  'invalid_union',
]);
