import { describe, expect, it } from 'vitest';
import { mad, median, pairedTTest, robustScore, round } from '../src/stats';

describe('robust statistics', () => {
  it('takes the median of odd and even counts', () => {
    expect(median([5, 1, 3])).toBe(3);
    expect(median([4, 1, 3, 2])).toBe(2.5);
    expect(median([])).toBeNaN();
  });

  it('measures spread by the median absolute deviation, untouched by one outlier', () => {
    // Deviations from the median 10: 1, 0, 1, 990 → median 1.
    expect(mad([9, 10, 11, 1000])).toBe(1);
  });

  it('scores against 1.4826·MAD, with a floor relative to the median for flat baselines', () => {
    const spread = robustScore(70, [90, 100, 110, 100, 100], 0.05);
    // Deviations from 100 are 10, 0, 10, 0, 0: MAD 0, so the floor (5% of 100) is the scale.
    expect(spread.scale).toBe(5);
    expect(spread.z).toBe(-6);
    const wide = robustScore(70, [80, 100, 120, 90, 110], 0.05);
    // Deviations 20,0,20,10,10 → MAD 10 → scale 14.826.
    expect(wide.scale).toBeCloseTo(14.826, 6);
    expect(wide.z).toBeCloseTo(-30 / 14.826, 6);
  });

  it('finds a consistent weekly shift significant and a single outlier not', () => {
    const steady = pairedTTest([11, 12, 13, 14], [10, 11, 12, 13]);
    expect(steady.t).toBe(Infinity);
    expect(steady.significant).toBe(true);
    // Differences 1, 2, 1, 2, 1, 2, 1: mean 10/7, sd 0.5345 → t = 7.07 > 2.447.
    const noisy = pairedTTest([11, 12, 11, 12, 11, 12, 11], [10, 10, 10, 10, 10, 10, 10]);
    expect(noisy.t).toBeCloseTo(7.071, 3);
    expect(noisy.significant).toBe(true);
    // One big drop among unchanged days: t = -1, not significant.
    const outlier = pairedTTest([0, 100, 100, 100, 100, 100, 100], [100, 100, 100, 100, 100, 100, 100]);
    expect(outlier.t).toBeCloseTo(-1, 6);
    expect(outlier.significant).toBe(false);
    expect(pairedTTest([1, 2, 3], [1, 2, 3]).t).toBe(0);
  });

  it('rounds half away from zero without negative zero', () => {
    expect(round(-59.95, 1)).toBe(-60);
    expect(round(2.345, 2)).toBe(2.35);
    expect(Object.is(round(-0.001, 2), 0)).toBe(true);
  });
});
