/**
 * @tillflow/core: the domain. Schemas, metric maths, key builders, dates. Pure: no AWS SDK, no I/O.
 */
export * from './canonical-row.schema';
export * from './company-metrics';
export * from './company-metrics.schema';
export * from './dates';
export * from './errors';
export * from './json-array-scanner';
export * from './keys';
export * from './metrics';
export * from './money';
export * from './order';
export * from './product-metrics';
export * from './product-metrics.schema';
export * from './publication';
export * from './store-file';
export * from './store-file.schema';
export * from './store-summary.schema';
