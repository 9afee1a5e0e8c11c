import { describe, expect, it } from 'vitest';
import { formatSummary, type RunSummary, succeeded, uploadOutcome } from '../src/cli/summary';

describe('uploadOutcome', () => {
  it("reads upload-processor's output", () => {
    const output = {
      status: 'processed',
      sourceKey: 'uploads/x.json',
      lines: 13,
      accepted: 10,
      rejected: 3,
      claimed: false,
    };
    expect(uploadOutcome(output)).toEqual({ fileRejected: false, acceptedLines: 10, rejectedLines: 3 });
    const rejected = { status: 'rejected', lines: 2, accepted: 0, rejected: 2, reason: 'no valid line' };
    expect(uploadOutcome(rejected)).toEqual({ fileRejected: true, acceptedLines: 0, rejectedLines: 2 });
  });

  it('takes an output without counts as no lines', () => {
    expect(uploadOutcome(null)).toEqual({ fileRejected: false, acceptedLines: 0, rejectedLines: 0 });
  });
});

describe('formatSummary', () => {
  const summary: RunSummary = {
    uploads: { total: 3, failed: [] },
    files: { accepted: 1, rejected: 1, failed: 1 },
    lines: { accepted: 1234, rejected: 3 },
    days: [
      { date: '2025-10-28', reported: ['0001', '0002'], missing: [], analysisClaimed: true, analyses: 1 },
      { date: '2025-10-29', reported: ['0001', '0002'], missing: [], analysisClaimed: true, analyses: 0 },
      { date: '2025-10-30', reported: ['0001'], missing: ['0002'], analysisClaimed: false, analyses: 0 },
    ],
    executions: {
      total: 3,
      byMachine: { 'upload-processor': 3 },
      retries: 2,
      failed: [
        {
          executionArn: 'arn',
          stateMachineArn: 'sm',
          machine: 'upload-processor',
          name: 'n1',
          status: 'FAILED',
          startDate: '2025-10-29T00:00:00Z',
          input: JSON.stringify({ detail: { object: { key: 'uploads/store_0002_2025-10-30.json' } } }),
          error: 'ValidationError',
          cause: JSON.stringify({ errorType: 'ValidationError', errorMessage: 'line 3:\n bad quantity', trace: [] }),
          retries: 0,
          caught: 0,
        },
      ],
    },
    parquet: { dir: '/repo/.tillflow/s3/tillflow-local/processed', files: 2 },
    elapsedMs: 12_345,
  };

  it('prints counts, days with missing stores, and each failure with its key and error', () => {
    expect(formatSummary(summary, '/repo').split('\n')).toEqual([
      'Processed 3 uploads in 12.3 s',
      '  files       1 accepted, 1 rejected, 1 failed',
      '  lines       1,234 accepted, 3 rejected',
      '  stores      2025-10-28 2/2, analysed once',
      '              2025-10-29 2/2, analysis claimed',
      '              2025-10-30 1/2, missing 0002',
      '  executions  3 (3 upload-processor), 1 failed, 2 task retries',
      '  parquet     2 files under .tillflow/s3/tillflow-local/processed/',
      '  FAILED      upload-processor/n1 (uploads/store_0002_2025-10-30.json): ValidationError: line 3: bad quantity',
    ]);
    expect(succeeded(summary)).toBe(false);
    const withReport = {
      ...summary,
      lastReport: { subject: 'Tillflow daily report 2025-10-28', text: 'Net sales 1.00' },
    };
    expect(formatSummary(withReport, '/repo').split('\n').slice(-4)).toEqual([
      '',
      'Tillflow daily report 2025-10-28',
      '',
      'Net sales 1.00',
    ]);
    expect(succeeded({ ...summary, executions: { ...summary.executions, failed: [] } })).toBe(true);
  });
});
