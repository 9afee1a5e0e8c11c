/** Code-point order: locale-independent, so every machine orders ties the same way. */
export function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
