/** Statistics the engines need, small enough to own: robust location/scale and a paired t-test. */

/** Median of `values` (the mean of the two middle values for an even count); NaN for none. */
export function median(values: readonly number[]): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1
    ? (sorted[mid] as number)
    : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
}

/** Median absolute deviation from the median. */
export function mad(values: readonly number[], center = median(values)): number {
  return median(values.map((v) => Math.abs(v - center)));
}

/** Makes MAD a consistent estimator of the standard deviation for normal data. */
export const MAD_TO_SD = 1.4826;

export interface RobustScore {
  median: number;
  mad: number;
  /** The scale used: 1.4826·MAD, but never below `relativeFloor`·|median|. */
  scale: number;
  z: number;
}

/**
 * The robust (modified) z-score of `value` against `baseline`: (value − median) / (1.4826·MAD). MAD is 0 for a flat
 * baseline, which would make any wiggle infinitely unusual, so the scale has a floor relative to the median; the
 * floor also keeps a handful of near-identical days from flagging an ordinary change.
 */
export function robustScore(value: number, baseline: readonly number[], relativeFloor: number): RobustScore {
  const m = median(baseline);
  const d = mad(baseline, m);
  const scale = Math.max(MAD_TO_SD * d, relativeFloor * Math.abs(m), Number.EPSILON);
  return { median: m, mad: d, scale, z: (value - m) / scale };
}

/** Two-sided 5% critical values of Student's t for 1…6 degrees of freedom (7 weekday pairs at most). */
const T_CRITICAL_05 = [Number.NaN, 12.706, 4.303, 3.182, 2.776, 2.571, 2.447];

export interface PairedTest {
  n: number;
  meanDifference: number;
  /** Infinite when every difference is the same non-zero amount, 0 when all are 0. */
  t: number;
  significant: boolean;
}

/**
 * Paired t-test of `current[i] − previous[i]` against 0, two-sided at 5%. Pairing each day with the same weekday a
 * week earlier removes the weekly pattern from the variance, so 7 pairs are enough to see a real shift.
 */
export function pairedTTest(current: readonly number[], previous: readonly number[]): PairedTest {
  const n = Math.min(current.length, previous.length);
  const diffs = Array.from({ length: n }, (_, i) => (current[i] as number) - (previous[i] as number));
  const mean = diffs.reduce((a, b) => a + b, 0) / (n || 1);
  if (n < 2) return { n, meanDifference: mean, t: 0, significant: false };
  const variance = diffs.reduce((a, d) => a + (d - mean) ** 2, 0) / (n - 1);
  const sd = Math.sqrt(variance);
  // Differences equal to within float noise: the shift is exact, not sampled.
  const t =
    sd <= 1e-9 * Math.max(1, Math.abs(mean))
      ? Math.abs(mean) <= 1e-9
        ? 0
        : Math.sign(mean) * Infinity
      : mean / (sd / Math.sqrt(n));
  const critical = T_CRITICAL_05[Math.min(n - 1, T_CRITICAL_05.length - 1)] as number;
  return { n, meanDifference: mean, t, significant: Math.abs(t) >= critical };
}

/** `value` rounded to `decimals` places, half away from zero, without `-0`. */
export function round(value: number, decimals: number): number {
  const f = 10 ** decimals;
  const r = (Math.sign(value) * Math.round(Math.abs(value) * f)) / f;
  return r === 0 ? 0 : r;
}
