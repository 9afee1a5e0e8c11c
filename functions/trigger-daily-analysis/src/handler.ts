import { defineHandler, Env } from '@tillflow/aws';
import { CutoffEvent } from './event';
import { scheduledAt, type TriggerResult, triggerDailyAnalysis } from './trigger';

/**
 * The daily cut-off (EventBridge Scheduler, in `DAILY_ANALYSIS_TIMEZONE`): starts the analysis of every recently
 * ended day that has data but was never claimed, for example because a store never reported.
 */
export const handler = defineHandler(
  {
    name: 'trigger-daily-analysis',
    config: {
      SALES_TABLE: Env.SALES_TABLE,
      DAILY_ANALYSIS_STATE_MACHINE_ARN: Env.DAILY_ANALYSIS_STATE_MACHINE_ARN,
      DAILY_ANALYSIS_TIMEZONE: Env.DAILY_ANALYSIS_TIMEZONE,
      EXPECTED_STORES: Env.EXPECTED_STORES,
    },
    event: CutoffEvent,
    correlationId: (e) => e.id,
  },
  async (event, { config, logger }): Promise<TriggerResult> => {
    const result = await triggerDailyAnalysis(
      {
        table: config.SALES_TABLE,
        stateMachineArn: config.DAILY_ANALYSIS_STATE_MACHINE_ARN,
        timeZone: config.DAILY_ANALYSIS_TIMEZONE,
        expectedStores: config.EXPECTED_STORES,
      },
      scheduledAt(event),
    );
    for (const day of result.days.filter((d) => d.execution)) {
      logger.info('daily analysis started by the cut-off', {
        date: day.date,
        execution: day.execution?.name,
        started: day.execution?.started,
        reported: day.reported,
        missing: day.missing,
      });
    }
    return result;
  },
);
