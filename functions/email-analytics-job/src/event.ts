import type { Static } from 'typebox';
import * as Type from 'typebox/type';

/** email-analytics-job's event (the analytics-job workflow's, after the SNS notification): the job that ended. */
export const EmailJobEvent = Type.Object({
  jobId: Type.String({ pattern: '^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$' }),
});
export type EmailJobEvent = Static<typeof EmailJobEvent>;
