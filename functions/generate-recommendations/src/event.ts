import { FactsRef, InsightStepOutcome } from '@tillflow/aws';
import type { Static } from 'typebox';
import * as Type from 'typebox/type';

/** generate-recommendations' event: the facts and what each insight branch handed on (its result or its error). */
export const RecommendationsEvent = Type.Object({
  ...FactsRef.properties,
  anomalies: InsightStepOutcome,
  trends: InsightStepOutcome,
});
export type RecommendationsEvent = Static<typeof RecommendationsEvent>;
