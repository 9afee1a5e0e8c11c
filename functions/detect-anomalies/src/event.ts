import { FactsRef } from '@tillflow/aws';

/** detect-anomalies' event: the analysis and its facts document. */
export const AnomaliesEvent = FactsRef;
