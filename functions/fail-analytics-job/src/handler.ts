import { failJob } from '@tillflow/analytics';
import { defineHandler, Env } from '@tillflow/aws';
import { FailJobEvent } from './event';

/**
 * The analytics-job workflow's Catch: the job FAILED with the error's name and message, so that no job is left
 * RUNNING (a Task timeout reaches here too, as States.Timeout). The workflow then notifies and fails.
 */
export const handler = defineHandler(
  {
    name: 'fail-analytics-job',
    config: { SALES_TABLE: Env.SALES_TABLE },
    event: FailJobEvent,
    correlationId: (e) => e.jobId,
  },
  async (event, { config, logger }) => {
    const outcome = await failJob(config.SALES_TABLE, event.jobId, event.failure);
    logger.warn('analytics job failed', outcome);
    return outcome;
  },
);
