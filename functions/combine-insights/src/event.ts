import { AnalysisRef } from '@tillflow/aws';
import type { Static } from 'typebox';
import * as Type from 'typebox/type';

/** combine-insights' event: the analysis and the key of generate-recommendations' insights document. */
export const CombineInsightsEvent = Type.Object({
  ...AnalysisRef.properties,
  insightsKey: Type.String({ minLength: 1 }),
  /** When the execution started (`$$.Execution.StartTime`): the start of the analysis, for its duration metric. */
  startedAt: Type.Optional(Type.String({ minLength: 1 })),
});
export type CombineInsightsEvent = Static<typeof CombineInsightsEvent>;
