import { FactsRef } from '@tillflow/aws';

/** calc-company-metrics' event: the analysis and its facts document. */
export const CompanyMetricsEvent = FactsRef;
