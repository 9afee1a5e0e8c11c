import type { StoreSummary } from '@tillflow/core';
import { describe, expect, it } from 'vitest';
// Store figures of the insights package's series.
import { storeDay } from '../../../packages/insights/test/series';
import { buildFacts, checkAnalysisRef, resolveRevision } from '../src/summaries';

function summary(storeId: string, date: string, netSales: number): StoreSummary {
  const where = { source_key: `uploads/store_${storeId}_${date}.json`, source_etag: 'e', updated_at: date };
  return { ...storeDay(storeId, date, netSales * 100), ...where, rejected_lines: 0 };
}

describe('checkAnalysisRef', () => {
  it('accepts a calendar date and a positive revision', () => {
    expect(() => checkAnalysisRef({ date: '2024-02-29', revision: 3 })).not.toThrow();
  });

  it.each([
    [{ date: '2025-02-29', revision: 1 }, /date must be a calendar date/],
    [{ date: '29/10/2025', revision: 1 }, /date must be a calendar date/],
    [{ date: '2025-10-29', revision: 0 }, /revision must be a positive integer, got 0/],
    [{ date: '2025-10-29', revision: 1.5 }, /revision must be a positive integer/],
    [{ date: '2025-10-29T00:00:00Z' }, /date must be a calendar date YYYY-MM-DD/],
  ])('rejects %j', (event, message) => {
    expect(() => checkAnalysisRef(event)).toThrow(message);
  });
});

describe('resolveRevision', () => {
  const claimed = (revision: number) => ({
    date: '2025-11-02',
    reported_stores: ['0001'],
    analysis_claimed_at: '2025-11-02T22:00:00Z',
    analysis_revision: revision,
  });

  it("keeps a given revision up to the day's current one, and refuses one ahead of it", () => {
    expect(resolveRevision(2, claimed(2), true)).toEqual({ kind: 'given', revision: 2 });
    expect(resolveRevision(1, claimed(2), true)).toEqual({ kind: 'given', revision: 1 });
    expect(resolveRevision(3, claimed(2), true)).toEqual({ kind: 'ahead', requested: 3, current: 2 });
    // A day never claimed is at revision 1: the cut-off and the no-data path start it so.
    expect(resolveRevision(1, undefined, false)).toEqual({ kind: 'given', revision: 1 });
    expect(resolveRevision(2, undefined, true)).toEqual({ kind: 'ahead', requested: 2, current: 1 });
  });

  it('takes the current revision of a claimed day, claims an unclaimed day with figures, and leaves one without', () => {
    expect(resolveRevision(undefined, claimed(3), true)).toEqual({ kind: 'current', revision: 3 });
    expect(resolveRevision(undefined, { date: '2025-11-02', reported_stores: ['0001'] }, true)).toEqual({
      kind: 'claim',
    });
    expect(resolveRevision(undefined, undefined, false)).toEqual({ kind: 'unclaimed' });
  });
});

describe('buildFacts', () => {
  it('orders stores and history by store then date, keeps only earlier days, and leaves the series to fill', () => {
    const facts = buildFacts(
      '2025-10-29',
      [summary('0002', '2025-10-29', 20), summary('0001', '2025-10-29', 10)],
      [
        summary('0002', '2025-10-27', 22),
        summary('0001', '2025-10-28', 11),
        summary('0001', '2025-10-27', 12),
        // A figure of the date itself is not history.
        summary('0001', '2025-10-29', 10),
      ],
    );
    expect(facts.date).toBe('2025-10-29');
    expect(facts.stores.map((s) => s.store_id)).toEqual(['0001', '0002']);
    expect(facts.storeHistory.map((s) => `${s.store_id}@${s.date}=${s.net_sales}`)).toEqual([
      '0001@2025-10-27=12',
      '0001@2025-10-28=11',
      '0002@2025-10-27=22',
    ]);
    expect(facts.company).toEqual([]);
    expect(facts.products).toEqual([]);
  });
});
