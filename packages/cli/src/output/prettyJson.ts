/** How commands print a result: indented JSON and a newline, for people and `jq` alike. */
export function prettyJson(value: unknown): string {
  return `${JSON.stringify(value, null, 2)}\n`;
}
