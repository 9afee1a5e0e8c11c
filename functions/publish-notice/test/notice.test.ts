import { describe, expect, it } from 'vitest';
import { noticeOf } from '../src/notice';

describe('noticeOf', () => {
  it('sends the no-data notice to the report topic, naming the date and revision', () => {
    expect(noticeOf({ date: '2025-01-01', revision: 1, notice: 'no-data' })).toEqual({
      topic: 'report',
      output: 'no_data_notice',
      subject: 'Tillflow daily report 2025-01-01: no data',
      message:
        'No store has figures for 2025-01-01 (daily-analysis revision 1), so there is no daily report for that day.',
    });
  });

  it('sends the partial-failure notice to the alerts topic with the message of generate-recommendations', () => {
    const notice = noticeOf({ date: '2025-10-27', revision: 2, notice: 'partial-failure', message: 'detect failed' });
    expect(notice).toEqual({
      topic: 'alerts',
      output: 'partial_failure_notice',
      subject: 'Tillflow daily-analysis 2025-10-27 r2: partial failure',
      message: 'detect failed',
    });
  });
});
