/**
 * @tillflow/insights: anomalies, trends and recommendations for a business day, behind one provider interface.
 * `statistical` (default) is deterministic and pure; `bedrock` asks a Bedrock model for the recommendations, grounded
 * on the statistical facts, and falls back to them on any failure. Select with `INSIGHTS_PROVIDER`.
 */
export * from './anomalies';
export * from './bedrock';
export * from './bedrock-output';
export * from './bedrock-pricing';
export * from './bedrock-prompt';
export * from './ids';
export * from './insight-facts.schema';
export * from './insights.schema';
export * from './options';
export * from './provider';
export * from './recommendations';
export * from './statistical';
export * from './stats';
export * from './trends';
