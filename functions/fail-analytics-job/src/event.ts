import type { Static } from 'typebox';
import * as Type from 'typebox/type';

/** fail-analytics-job's event: the job, and the Catch's error output (Step Functions' `{Error, Cause}`). */
export const FailJobEvent = Type.Object({
  jobId: Type.String({ pattern: '^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$' }),
  failure: Type.Object({ Error: Type.Optional(Type.String()), Cause: Type.Optional(Type.String()) }),
});
export type FailJobEvent = Static<typeof FailJobEvent>;
