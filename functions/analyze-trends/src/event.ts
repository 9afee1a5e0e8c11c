import { FactsRef } from '@tillflow/aws';

/** analyze-trends' event: the analysis and its facts document. */
export const TrendsEvent = FactsRef;
