/**
 * Where adapter files come from. A source materialises an adapter's PEFT files in a local
 * directory and returns it, or returns undefined when it does not know the name, so a
 * store can try several sources in order.
 */
export interface AdapterSource {
  /** A short label for errors and `list()`: `local:/path`, `http`, `hf:https://...`. */
  readonly label: string;
  resolve(name: string, signal?: AbortSignal): Promise<string | undefined>;
}
