import { describe, expect, it } from 'vitest';
import { cronMatches, parseCron } from '../src/routing/cron';

const at = (iso: string) => new Date(iso);

describe('cron', () => {
  it("fires an AWS cron(…) at the minute of the schedule's time zone", () => {
    const cron = parseCron('cron(30 1 * * ? *)');
    expect(cronMatches(cron, at('2025-10-29T01:30:00Z'), 'UTC')).toBe(true);
    expect(cronMatches(cron, at('2025-10-29T01:31:00Z'), 'UTC')).toBe(false);
    // 01:30 in Paris is 00:30 UTC in winter (CET) and 23:30 UTC the day before in summer (CEST).
    expect(cronMatches(cron, at('2025-12-01T00:30:00Z'), 'Europe/Paris')).toBe(true);
    expect(cronMatches(cron, at('2025-07-01T23:30:00Z'), 'Europe/Paris')).toBe(true);
    expect(cronMatches(cron, at('2025-07-02T01:30:00Z'), 'Europe/Paris')).toBe(false);
  });

  it('numbers AWS days of the week from Sunday = 1, classic cron from Sunday = 0 (or 7)', () => {
    // 2025-10-27 is a Monday.
    const monday = at('2025-10-27T08:00:00Z');
    expect(cronMatches(parseCron('cron(0 8 ? * 2 *)'), monday, 'UTC')).toBe(true);
    expect(cronMatches(parseCron('cron(0 8 ? * MON-FRI *)'), monday, 'UTC')).toBe(true);
    expect(cronMatches(parseCron('0 8 * * 1'), monday, 'UTC')).toBe(true);
    expect(cronMatches(parseCron('0 8 * * 0,6'), monday, 'UTC')).toBe(false);
    expect(cronMatches(parseCron('0 8 * * 7'), at('2025-10-26T08:00:00Z'), 'UTC')).toBe(true);
  });

  it('takes steps, ranges and lists, and either day field when both are restricted', () => {
    const cron = parseCron('*/15 9-17 1,15 * 5');
    expect([...cron.minutes]).toEqual([0, 15, 30, 45]);
    expect(cron.hours.size).toBe(9);
    // The 15th (a Wednesday) or any Friday.
    expect(cronMatches(cron, at('2025-10-15T09:45:00Z'), 'UTC')).toBe(true);
    expect(cronMatches(cron, at('2025-10-17T09:45:00Z'), 'UTC')).toBe(true);
    expect(cronMatches(cron, at('2025-10-16T09:45:00Z'), 'UTC')).toBe(false);
  });

  it('refuses malformed expressions', () => {
    expect(() => parseCron('0 25 * * *')).toThrow(/"25" is out of 0–23/);
    expect(() => parseCron('cron(0 8 * *)')).toThrow(/six fields/);
    expect(() => parseCron('0 8 L * *')).toThrow(/"L" is out of 1–31/);
  });
});
