import { ConfigError } from '@tillflow/core';
import { type BedrockProviderOptions, createBedrockProvider } from './bedrock';
import type { InsightFacts } from './insight-facts.schema';
import type { Anomaly, DailyInsights, ProviderName, Trend } from './insights.schema';
import type { StatisticalOptions } from './options';
import { createStatisticalProvider } from './statistical';

/** Anomalies and trends already computed by earlier steps (`detect-anomalies`, `analyze-trends`). */
export interface Precomputed {
  anomalies: Anomaly[];
  trends: Trend[];
}

/**
 * The structured logger the providers write to. Powertools' `Logger` fits as is (`info(message, extra)`); tests pass
 * a recorder.
 */
export interface InsightsLogger {
  info(message: string, fields?: Record<string, unknown>): void;
  warn(message: string, fields?: Record<string, unknown>): void;
}

/** What every insights engine offers: one day's insights from its facts. Never rejects for a provider failure. */
export interface InsightsProvider {
  readonly name: ProviderName;
  analyze(facts: InsightFacts, precomputed?: Precomputed): Promise<DailyInsights>;
}

export interface InsightsProviderDeps {
  logger?: InsightsLogger;
  /** Thresholds of the statistical engine (also the Bedrock provider's grounding and fallback). */
  statistical?: Partial<StatisticalOptions>;
  /** Client, model and retry settings of the Bedrock provider. */
  bedrock?: Omit<BedrockProviderOptions, 'logger' | 'statistical'>;
}

/** The provider named `name` (`INSIGHTS_PROVIDER`, see `insightsProviderName`). */
export function createInsightsProvider(name: ProviderName, deps: InsightsProviderDeps = {}): InsightsProvider {
  switch (name) {
    case 'statistical':
      return createStatisticalProvider(deps.statistical);
    case 'bedrock':
      return createBedrockProvider({ ...deps.bedrock, logger: deps.logger, statistical: deps.statistical });
  }
}

/**
 * The provider named by `INSIGHTS_PROVIDER`: `statistical` (the default when unset or empty) or `bedrock`. Throws a
 * ConfigError naming the variable for anything else, so a typo fails at cold start rather than silently.
 */
export function insightsProviderName(env: Record<string, string | undefined> = process.env): ProviderName {
  const value = (env.INSIGHTS_PROVIDER ?? '').trim();
  if (value === '' || value === 'statistical') return 'statistical';
  if (value === 'bedrock') return 'bedrock';
  throw new ConfigError(`INSIGHTS_PROVIDER is "${value}"; expected "statistical" or "bedrock"`);
}
