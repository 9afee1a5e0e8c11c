import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Platform, startTestPlatform } from '../src';
import { analysisRuns, getItem, putStoreFile, reportsOf, STORES, sampleFile } from './analysis-helpers';

/**
 * The scheduled cut-off on the local platform: a day on which a store never reported is analysed by
 * trigger-daily-analysis once the day has ended in the business time zone (New York here, UTC-4 in October).
 */
let platform: Platform;
const date = '2025-10-28';

beforeAll(async () => {
  platform = await startTestPlatform({ timeZone: 'America/New_York' });
  await Promise.all(STORES.slice(0, 10).map((s) => putStoreFile(platform, s, date, sampleFile(s, date))));
  await platform.waitForIdle();
}, 60_000);

afterAll(() => platform?.stop());

/** Invokes the cut-off with the scheduled event of the instant `time` (UTC). */
async function cutoff(time: string) {
  const result = (await platform.invoke('trigger-daily-analysis', { id: `cutoff-${time}`, time })) as {
    today: string;
    days: { date: string; action: string; execution?: { name: string; started: boolean }; missing: string[] }[];
  };
  await platform.waitForIdle();
  return result;
}

describe('trigger-daily-analysis', () => {
  it('does not analyse a day with a store missing before the day has ended in the business time zone', async () => {
    expect(analysisRuns(platform, date)).toEqual([]);
    // 03:30 UTC on the 29th is 23:30 on the 28th in New York: the 28th is still open.
    const result = await cutoff('2025-10-29T03:30:00Z');
    expect(result.today).toBe('2025-10-28');
    expect(result.days.map((d) => d.date)).not.toContain(date);
    expect(analysisRuns(platform, date)).toEqual([]);
  });

  it('claims and analyses it once the day has ended, with the missing store reported', async () => {
    const result = await cutoff('2025-10-29T05:30:00Z');
    expect(result.today).toBe('2025-10-29');
    expect(result.days.find((d) => d.date === date)).toEqual({
      date,
      action: 'claim',
      execution: { name: `${date}-r1`, started: true },
      reported: 10,
      missing: ['0011'],
    });
    const runs = analysisRuns(platform, date);
    expect(runs.map((r) => [r.name, r.status])).toEqual([[`${date}-r1`, 'SUCCEEDED']]);
    expect(JSON.parse(runs[0]?.input ?? '{}')).toEqual({ date, revision: 1, reason: 'scheduled-cutoff' });
    const reports = reportsOf(platform, date);
    expect(reports).toHaveLength(1);
    expect(reports[0]?.message).toMatch(/Stores reported\s+10\/11\n/);
    expect(reports[0]?.message).toMatch(/Stores missing\s+0011\n/);
    expect(await getItem(platform, 'DAY#2025-10-28', 'STATUS')).toMatchObject({
      analysis_claimed_by: 'trigger-daily-analysis',
      analysis_revision: 1,
    });
  }, 60_000);

  it('starts nothing more when it runs again', async () => {
    const result = await cutoff('2025-10-30T05:30:00Z');
    expect(result.days.find((d) => d.date === date)).toMatchObject({
      action: 'restart',
      execution: { name: `${date}-r1`, started: false },
    });
    expect(analysisRuns(platform, date)).toHaveLength(1);
    expect(reportsOf(platform, date)).toHaveLength(1);
  });

  it('re-analyses the day when the missing store reports late', async () => {
    await putStoreFile(platform, '0011', date, sampleFile('0011', date));
    await platform.waitForIdle();
    const runs = analysisRuns(platform, date);
    expect(runs.map((r) => [r.name, r.status])).toEqual([
      [`${date}-r1`, 'SUCCEEDED'],
      [`${date}-r2`, 'SUCCEEDED'],
    ]);
    expect(reportsOf(platform, date).at(-1)?.message).toMatch(/Stores reported\s+11\/11\n/);
    expect(await getItem(platform, 'COMPANY', `DATE#${date}`)).toMatchObject({
      stores_reported: 11,
      analysis_revision: 2,
    });
  }, 60_000);
});
