/** On-demand prices of a model, in US dollars per million tokens. */
export interface ModelPricing {
  inputPerMillion: number;
  outputPerMillion: number;
}

/**
 * On-demand text prices of the Amazon Nova models (us-east-1, per million tokens) as published on the Bedrock pricing
 * page; an estimate for the logs, not a bill. Other models log no cost unless a price is passed in.
 */
export const MODEL_PRICING: Readonly<Record<string, ModelPricing>> = {
  'amazon.nova-micro-v1:0': { inputPerMillion: 0.035, outputPerMillion: 0.14 },
  'amazon.nova-lite-v1:0': { inputPerMillion: 0.06, outputPerMillion: 0.24 },
  'amazon.nova-pro-v1:0': { inputPerMillion: 0.8, outputPerMillion: 3.2 },
};

/** Estimated cost in US dollars of one call, or null when the model's price is unknown. */
export function estimateCostUsd(
  modelId: string,
  inputTokens: number,
  outputTokens: number,
  pricing: ModelPricing | undefined = MODEL_PRICING[baseModelId(modelId)],
): number | null {
  if (!pricing) return null;
  const usd = (inputTokens * pricing.inputPerMillion + outputTokens * pricing.outputPerMillion) / 1_000_000;
  return Math.round(usd * 1e8) / 1e8;
}

/** `us.amazon.nova-lite-v1:0` (a cross-region inference profile) → `amazon.nova-lite-v1:0`. */
export function baseModelId(modelId: string): string {
  return modelId.replace(/^(?:us|eu|apac|us-gov|global)\./, '');
}
