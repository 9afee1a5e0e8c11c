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
  /** Client, model and retry settings of the Bedrock provider: required for `bedrock`. */
  bedrock?: Omit<BedrockProviderOptions, 'logger' | 'statistical'>;
}

/**
 * The provider named `name` (`INSIGHTS_PROVIDER`, read by the handler's config). Throws a ConfigError for `bedrock`
 * without `deps.bedrock`: the client comes from the one SDK client factory, never made here.
 */
export function createInsightsProvider(name: ProviderName, deps: InsightsProviderDeps = {}): InsightsProvider {
  switch (name) {
    case 'statistical':
      return createStatisticalProvider(deps.statistical);
    case 'bedrock':
      if (!deps.bedrock) throw new ConfigError('the bedrock insights provider needs a Bedrock client');
      return createBedrockProvider({ ...deps.bedrock, logger: deps.logger, statistical: deps.statistical });
  }
}
