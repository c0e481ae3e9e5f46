/** Renders a path like `condensed.layers[3].value.shape` from its segments. */
export function fieldPath(root: string, segments: ReadonlyArray<PropertyKey>): string {
  let path = root;
  for (const segment of segments) {
    if (typeof segment === 'number') path += `[${segment}]`;
    else path += path === '' ? String(segment) : `.${String(segment)}`;
  }
  return path === '' ? '(payload)' : path;
}
