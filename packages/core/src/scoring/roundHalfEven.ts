/**
 * Python 3's `round(x)`: to the nearest integer, ties to the even one (`round(2.5) == 2`).
 * `Math.round` sends ties up, which would move chain weights by one unit on exact halves.
 */
export function roundHalfEven(x: number): number {
  const floor = Math.floor(x);
  // Exact for every double: x and its floor share an exponent or the floor is smaller.
  const fraction = x - floor;
  if (fraction > 0.5) return floor + 1;
  if (fraction < 0.5) return floor;
  return floor % 2 === 0 ? floor : floor + 1;
}
