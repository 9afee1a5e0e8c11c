import { claimDailyAnalysis, type DayStatus, getDayStatus, startDailyAnalysis } from '@tillflow/aws';
import { addDays, dateInTimeZone } from '@tillflow/core';

/** Ended business days looked at by each run: a week, so that a missed run or two is caught up. */
export const LOOKBACK_DAYS = 7;

/** Who the trigger's claims are recorded as (`analysis_claimed_by`). */
export const TRIGGER_CLAIMANT = 'trigger-daily-analysis';

/**
 * The business days that have ended at `now` in `timeZone`, most recent `lookback` of them, oldest first. "Today" is
 * the date in the business time zone, not in UTC: at 01:30 in Sydney it is already tomorrow in Sydney and still
 * yesterday in UTC. Today is never included: its stores may still upload.
 */
export function endedDays(now: Date, timeZone: string, lookback: number = LOOKBACK_DAYS): string[] {
  const today = dateInTimeZone(now, timeZone);
  return Array.from({ length: lookback }, (_, i) => addDays(today, i - lookback));
}

/**
 * What the trigger does with a day:
 * - `no-data`: no store reported, nothing to analyse;
 * - `claim`: stores reported but nobody claimed the analysis (some store never reported), so claim it and start;
 * - `restart`: the trigger itself claimed it on an earlier run; start again under the same name, which is a no-op
 *   when that start had succeeded and the missing start when it had failed;
 * - `claimed`: an upload claimed it (check-all-stores started it), nothing to do.
 */
export type DayAction = 'no-data' | 'claim' | 'restart' | 'claimed';

export function dayAction(status: DayStatus | undefined): DayAction {
  if (!status || status.reported_stores.length === 0) return 'no-data';
  if (!status.analysis_claimed_at) return 'claim';
  return status.analysis_claimed_by === TRIGGER_CLAIMANT ? 'restart' : 'claimed';
}

export interface DayOutcome {
  date: string;
  action: DayAction;
  /** Set when the analysis was started (or was already running under its name). */
  execution?: { name: string; started: boolean };
  reported: number;
  missing: string[];
}

export interface TriggerResult {
  today: string;
  timeZone: string;
  days: DayOutcome[];
}

/**
 * The daily cut-off: for each ended day of the lookback that has data but no claim, claims the analysis with the
 * same conditional write as check-all-stores (so an upload completing the day at the same moment cannot also start
 * it) and starts it as `<date>-r1`.
 */
export async function triggerDailyAnalysis(
  options: { table: string; stateMachineArn: string; timeZone: string; expectedStores: readonly string[] },
  now: Date,
): Promise<TriggerResult> {
  const days: DayOutcome[] = [];
  for (const date of endedDays(now, options.timeZone)) {
    const status = await getDayStatus(options.table, date);
    let action = dayAction(status);
    const reported = new Set(status?.reported_stores ?? []);
    const outcome: DayOutcome = {
      date,
      action,
      reported: reported.size,
      missing: options.expectedStores.filter((s) => !reported.has(s)),
    };
    if (action === 'claim' && !(await claimDailyAnalysis(options.table, date, now.toISOString(), TRIGGER_CLAIMANT))) {
      // An upload completed the day between the read and the claim: it starts the analysis.
      action = 'claimed';
    }
    if (action === 'claim' || action === 'restart') {
      const revision = action === 'claim' ? 1 : (status?.analysis_revision ?? 1);
      const started = await startDailyAnalysis(options.stateMachineArn, {
        date,
        revision,
        reason: revision === 1 ? 'scheduled-cutoff' : 'reanalysis',
      });
      outcome.execution = { name: started.name, started: started.started };
    }
    days.push({ ...outcome, action });
  }
  return { today: dateInTimeZone(now, options.timeZone), timeZone: options.timeZone, days };
}

/** The instant a scheduled event names (`time`), or the clock when it names none. */
export function scheduledAt(event: { time?: unknown } | null | undefined, clock: () => Date = () => new Date()): Date {
  const time = typeof event?.time === 'string' ? Date.parse(event.time) : Number.NaN;
  return Number.isNaN(time) ? clock() : new Date(time);
}
