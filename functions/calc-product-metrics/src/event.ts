import { FactsRef } from '@tillflow/aws';

/** calc-product-metrics' event: the analysis and its facts document. */
export const ProductMetricsEvent = FactsRef;
