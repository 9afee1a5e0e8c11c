import type { DayStatus } from '@tillflow/aws';
import { describe, expect, it } from 'vitest';
import { decideAnalysis } from '../src/check';

const SELF = 'uploads/store_0002_2025-10-29.json#etag-2';
const OTHER = 'uploads/store_0001_2025-10-29.json#etag-1';
const fresh = { replaced: false, firstReport: true };
const again = { replaced: false, firstReport: false };

function status(extra: Partial<DayStatus> = {}): DayStatus {
  return { date: '2025-10-29', reported_stores: ['0001', '0002'], ...extra };
}
const claimed = (by: string, revision = 1): Partial<DayStatus> => ({
  analysis_claimed_at: '2025-10-29T22:00:00Z',
  analysis_claimed_by: by,
  analysis_revision: revision,
});

describe('decideAnalysis', () => {
  it('claims when the last expected store reports, and does nothing while one is missing', () => {
    expect(decideAnalysis(status(), SELF, fresh, [])).toEqual({ kind: 'claim' });
    expect(decideAnalysis(status(), SELF, fresh, ['0003'])).toEqual({ kind: 'none' });
  });

  it('does nothing for an upload of a claimed day that changes nothing', () => {
    expect(decideAnalysis(status(claimed(OTHER)), SELF, again, [])).toEqual({ kind: 'none' });
  });

  it('asks for a re-analysis on a corrected upload or a store first reporting after the claim', () => {
    expect(decideAnalysis(status(claimed(OTHER)), SELF, { replaced: true, firstReport: false }, [])).toEqual({
      kind: 'reanalyse',
    });
    expect(decideAnalysis(status(claimed('trigger-daily-analysis')), SELF, fresh, [])).toEqual({ kind: 'reanalyse' });
  });

  it('starts its own claim again on a retry, under the same revision', () => {
    expect(decideAnalysis(status(claimed(SELF)), SELF, again, [])).toEqual({
      kind: 'resume',
      revision: 1,
      reason: 'all-stores-reported',
      claimed: true,
    });
  });

  it('starts its own re-analysis again on a retry instead of asking for another one', () => {
    const requested = { ...claimed(OTHER, 3), reanalysis_requested_by: SELF };
    expect(decideAnalysis(status(requested), SELF, { replaced: false, firstReport: false }, [])).toEqual({
      kind: 'resume',
      revision: 3,
      reason: 'reanalysis',
      claimed: false,
    });
  });
});
