import type { z } from 'zod';

/**
 * A zod issue path as OpenAI writes `param`: `messages[1].content`, `stop`, `stream_options.include_usage`.
 */
export function zodParam(path: ReadonlyArray<PropertyKey>): string | null {
  let param = '';
  for (const segment of path) {
    if (typeof segment === 'number') param += `[${segment}]`;
    else param += param === '' ? String(segment) : `.${String(segment)}`;
  }
  return param === '' ? null : param;
}

/** The first issue of a failed parse, as `param` and a sentence that names it. */
export function firstIssue(error: z.ZodError): { param: string | null; message: string } {
  const issue = error.issues[0]!;
  const param = zodParam(issue.path);
  return {
    param,
    message: param === null ? issue.message : `${param}: ${issue.message}`,
  };
}
