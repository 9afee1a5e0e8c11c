import { createStatisticalProvider, type DailyInsights } from '@tillflow/insights';
import { describe, expect, it } from 'vitest';
import { branchItems, partialFailureNotice, withBranchFailures } from '../src/recommendations';

const lambdaCause = JSON.stringify({ errorType: 'TransientError', errorMessage: 'S3 was down', trace: ['at x'] });

describe('branchItems', () => {
  it('reads the items of a branch that succeeded, with no reason', async () => {
    const read: string[] = [];
    const out = await branchItems(
      'detect-anomalies',
      { status: 'ok', key: 'analysis/a.json', count: 2 },
      async (key) => {
        read.push(key);
        return ['x', 'y'];
      },
      () => {
        throw new Error('not called');
      },
    );
    expect(out).toEqual({ items: ['x', 'y'] });
    expect(read).toEqual(['analysis/a.json']);
  });

  it('recomputes the items of a failed branch and says why, with the message of the Lambda cause', async () => {
    const out = await branchItems(
      'detect-anomalies',
      { status: 'failed', key: null, error: 'TransientError', cause: lambdaCause },
      async () => {
        throw new Error('not read');
      },
      () => ['recomputed'],
    );
    expect(out).toEqual({
      items: ['recomputed'],
      reason: 'detect-anomalies failed (TransientError: S3 was down); recomputed by the statistical engine',
    });
  });

  it('reports none, and why, when recomputing fails too', async () => {
    const out = await branchItems(
      'analyze-trends',
      { status: 'failed', key: null, error: 'States.Timeout', cause: 'Task timed out' },
      async () => [],
      () => {
        throw new RangeError('bad series');
      },
    );
    expect(out.items).toEqual([]);
    expect(out.reason).toBe(
      'analyze-trends failed (States.Timeout: Task timed out); recomputing failed too (RangeError: bad series), so none are reported',
    );
  });
});

describe('withBranchFailures and partialFailureNotice', () => {
  const facts = { date: '2025-10-29', stores: [], storeHistory: [], company: [], products: [] };

  it('leaves a clean result alone and degrades one with a failed branch, reasons first', async () => {
    const clean = await createStatisticalProvider().analyze(facts, { anomalies: [], trends: [] });
    expect(withBranchFailures(clean, [undefined, undefined])).toBe(clean);
    const bedrockFallback: DailyInsights = { ...clean, degraded: true, reasons: ['Bedrock throttled 4 times'] };
    const out = withBranchFailures(bedrockFallback, ['analyze-trends failed (X: y); recomputed', undefined]);
    expect(out.degraded).toBe(true);
    expect(out.reasons).toEqual(['analyze-trends failed (X: y); recomputed', 'Bedrock throttled 4 times']);
  });

  it('writes a notice naming the day, the revision, the provider, the counts and every reason', async () => {
    const clean = await createStatisticalProvider().analyze(facts, { anomalies: [], trends: [] });
    const degraded = withBranchFailures(clean, ['detect-anomalies failed (TransientError: S3 was down); recomputed']);
    expect(partialFailureNotice(2, degraded)).toBe(
      [
        'The daily analysis of 2025-10-29 (revision 2) completed with a partial failure.',
        'Its insights come from the fallback: provider statistical.',
        'Anomalies: 0, trends: 0, recommendations: 0.',
        'Reasons:',
        '- detect-anomalies failed (TransientError: S3 was down); recomputed',
      ].join('\n'),
    );
  });
});
