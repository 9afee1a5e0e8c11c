import type { Static } from 'typebox';
import * as Type from 'typebox/type';

/** run-analytics-job's event (the analytics-job workflow's input): the job to run. */
export const RunJobEvent = Type.Object({
  jobId: Type.String({ pattern: '^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$' }),
});
export type RunJobEvent = Static<typeof RunJobEvent>;
