import { specificIssues } from '@signal/core';
import { z } from 'zod';

const Section = z.union([
  z.literal(false),
  z.strictObject({ port: z.int().optional(), host: z.string().optional() }),
]);
const Config = z.strictObject({
  gateway: Section.optional(),
  mode: z.union([z.literal('a'), z.literal('b')]),
});

const issuesOf = (value: unknown) => {
  const parsed = Config.safeParse(value);
  if (parsed.success) throw new Error('expected a refusal');
  return specificIssues(parsed.error.issues).map((issue) => ({
    path: issue.path,
    code: issue.code,
  }));
};

describe('specificIssues', () => {
  it('reports the branch the value was meant for: a field of the object, with its full path', () => {
    expect(issuesOf({ gateway: { port: 'x', host: 3 }, mode: 'a' })).toEqual([
      { path: ['gateway', 'port'], code: 'invalid_type' },
      { path: ['gateway', 'host'], code: 'invalid_type' },
    ]);
  });

  it('a misspelt key is the object branch too', () => {
    expect(issuesOf({ gateway: { prot: 80 }, mode: 'a' })).toEqual([
      { path: ['gateway'], code: 'unrecognized_keys' },
    ]);
  });

  it('keeps the union when no branch, or more than one, took that kind of value', () => {
    expect(issuesOf({ gateway: 7, mode: 'a' })).toEqual([
      { path: ['gateway'], code: 'invalid_union' },
    ]);
    expect(issuesOf({ mode: 'c' })).toEqual([{ path: ['mode'], code: 'invalid_union' }]);
  });

  it('leaves other issues as they are', () => {
    expect(issuesOf({ mode: 'a', extra: 1 })).toEqual([{ path: [], code: 'unrecognized_keys' }]);
  });
});

describe('specificIssues between object branches', () => {
  const Source = z.union([
    z.strictObject({ dir: z.string() }),
    z.strictObject({ url: z.string(), sha256: z.string() }),
  ]);
  const issuesOf = (value: unknown) => {
    const parsed = Source.safeParse(value);
    if (parsed.success) throw new Error('expected a refusal');
    return specificIssues(parsed.error.issues).map((issue) => issue.path);
  };

  it('takes the branch with the fewest issues', () => {
    expect(issuesOf({ dir: 5 })).toEqual([['dir']]);
    expect(issuesOf({ url: 'u' })).toEqual([['sha256']]);
  });

  it('keeps the union on a tie', () => {
    // Either form is two issues away: a wrong dir and a stray url, or a stray dir and no sha256.
    expect(issuesOf({ dir: 5, url: 'u' })).toEqual([[]]);
  });
});
