import type { DayStatus } from '@tillflow/aws';
import { describe, expect, it } from 'vitest';
import { dayAction, endedDays, LOOKBACK_DAYS, scheduledAt, TRIGGER_CLAIMANT } from '../src/trigger';

describe('endedDays', () => {
  // 01:30 UTC on 30 October 2025.
  const at = new Date('2025-10-30T01:30:00Z');

  it('takes "today" in the business time zone and never includes it', () => {
    // Sydney (UTC+11) is already at 12:30 on the 30th: the 29th has ended.
    expect(endedDays(at, 'Australia/Sydney').at(-1)).toBe('2025-10-29');
    // Los Angeles (UTC-7) is still at 18:30 on the 29th: the 29th has not ended.
    expect(endedDays(at, 'America/Los_Angeles').at(-1)).toBe('2025-10-28');
    expect(endedDays(at, 'UTC').at(-1)).toBe('2025-10-29');
  });

  it('covers the lookback, oldest first, across a month end', () => {
    expect(endedDays(new Date('2025-11-02T10:00:00Z'), 'Europe/Paris', 4)).toEqual([
      '2025-10-29',
      '2025-10-30',
      '2025-10-31',
      '2025-11-01',
    ]);
    expect(endedDays(at, 'UTC')).toHaveLength(LOOKBACK_DAYS);
  });

  it('follows daylight saving: at 00:30 local on the day clocks go back, yesterday has ended', () => {
    // 26 October 2025, 00:30 in Paris is 22:30 UTC on the 25th (still summer time).
    expect(endedDays(new Date('2025-10-25T22:30:00Z'), 'Europe/Paris').at(-1)).toBe('2025-10-25');
  });
});

describe('dayAction', () => {
  const status = (extra: Partial<DayStatus>): DayStatus => ({
    date: '2025-10-29',
    reported_stores: ['0001'],
    ...extra,
  });

  it('leaves a day without data alone', () => {
    expect(dayAction(undefined)).toBe('no-data');
    expect(dayAction(status({ reported_stores: [] }))).toBe('no-data');
  });

  it('claims a day with data and no claim', () => {
    expect(dayAction(status({}))).toBe('claim');
  });

  it('starts again a day it claimed itself, and leaves one an upload claimed', () => {
    const claimed = { analysis_claimed_at: '2025-10-30T01:30:00.000Z', analysis_revision: 1 };
    expect(dayAction(status({ ...claimed, analysis_claimed_by: TRIGGER_CLAIMANT }))).toBe('restart');
    expect(dayAction(status({ ...claimed, analysis_claimed_by: 'uploads/store_0001_2025-10-29.json#abc' }))).toBe(
      'claimed',
    );
  });
});

describe('scheduledAt', () => {
  it('uses the time of the scheduled event, and the clock without one', () => {
    expect(scheduledAt({ time: '2025-10-30T01:30:00Z' }).toISOString()).toBe('2025-10-30T01:30:00.000Z');
    const clock = () => new Date('2030-01-01T00:00:00Z');
    expect(scheduledAt({}, clock).toISOString()).toBe('2030-01-01T00:00:00.000Z');
    expect(scheduledAt({ time: 'soon' }, clock).toISOString()).toBe('2030-01-01T00:00:00.000Z');
  });
});
