/**
 * Money is carried as integer cents from the moment a record is accepted, so that sums are exact; it becomes a
 * decimal number only at the edge (DynamoDB, API), where a value with two decimals prints exactly.
 */

/** Cents of `value` when it has at most two decimals, else undefined (1.005 is not a price). */
export function toCents(value: number): number | undefined {
  const cents = Math.round(value * 100);
  // 1e-6 absorbs binary representation error (0.29 * 100 = 28.999999999999996) but not a third decimal.
  return Math.abs(cents - value * 100) < 1e-6 ? cents : undefined;
}

/** Decimal value of `cents`, e.g. 1538 → 15.38. */
export function fromCents(cents: number): number {
  return cents / 100;
}

/** `numerator / denominator` in cents, rounded half away from zero; 0 when the denominator is 0. */
export function divideCents(numerator: number, denominator: number): number {
  if (denominator === 0) return 0;
  const q = numerator / denominator;
  return Math.sign(q) * Math.round(Math.abs(q));
}
