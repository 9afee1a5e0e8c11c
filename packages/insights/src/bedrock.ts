import type {
  BedrockRuntimeClient,
  ConverseCommandInput,
  ConverseCommandOutput,
} from '@aws-sdk/client-bedrock-runtime';
import { PAYMENT_METHODS, TillflowError } from '@tillflow/core';
import {
  type ModelOutput,
  ModelOutputError,
  type ModelRecommendation,
  parseModelOutput,
  ungroundedNumbers,
} from './bedrock-output';
import { estimateCostUsd, type ModelPricing } from './bedrock-pricing';
import { buildPrompt, type Prompt } from './bedrock-prompt';
import { insightId } from './ids';
import type { InsightFacts } from './insight-facts.schema';
import type { DailyInsights, Recommendation } from './insights.schema';
import type { StatisticalOptions } from './options';
import type { InsightsLogger, InsightsProvider, Precomputed } from './provider';
import { compareRecommendations, evidenceFacts } from './recommendations';
import { statisticalInsights } from './statistical';

/** The model used when the options name none. */
export const DEFAULT_BEDROCK_MODEL_ID = 'amazon.nova-lite-v1:0';

/** Errors a later attempt may not meet; anything else fails at once (and falls back). */
const RETRYABLE = new Set(['ThrottlingException', 'ServiceUnavailableException', 'ModelNotReadyException']);

export interface BedrockProviderOptions {
  /**
   * The client to call (in a Lambda, `bedrockRuntimeClient()` of @tillflow/aws). Give it `maxAttempts: 1`: this
   * provider retries throttling itself (full jitter), and the SDK's own retries would multiply the attempts.
   */
  client: BedrockRuntimeClient;
  /** Defaults to DEFAULT_BEDROCK_MODEL_ID (the handler passes `BEDROCK_MODEL_ID` from its config). */
  modelId?: string;
  logger?: InsightsLogger;
  /** Thresholds of the statistical engine, which grounds and backs up the model. */
  statistical?: Partial<StatisticalOptions>;
  /** Calls at most per analysis, the first included (default 4). */
  maxAttempts?: number;
  /** Backoff before retry n is uniform in [0, min(maxDelayMs, baseDelayMs · 2^(n−1))) ms (defaults 250, 4000). */
  baseDelayMs?: number;
  maxDelayMs?: number;
  /** Abort a call after this long (default 30,000 ms). */
  timeoutMs?: number;
  /**
   * Milliseconds left for Bedrock (the handler passes its invocation's remaining time less what the fallback and the
   * writes after it need). Each call's timeout is cut to it and no retry starts without time left, so that a slow or
   * throttling model ends in the statistical fallback, never in the function's own timeout. Unbounded by default.
   */
  remainingMs?: () => number;
  /** The answer's token cap (default 2,048). */
  maxTokens?: number;
  /** Price for the cost estimate when the model is not in `MODEL_PRICING`. */
  pricing?: ModelPricing;
  sleep?: (ms: number) => Promise<void>;
  random?: () => number;
  /** Called after every answered call with its token usage and estimated cost (the handler turns it into metrics). */
  onUsage?: (usage: BedrockUsage) => void;
}

/** One answered Converse call: its tokens and estimated cost (null when the model's price is unknown). */
export interface BedrockUsage {
  modelId: string;
  inputTokens: number;
  outputTokens: number;
  estimatedCostUsd: number | null;
}

const silent: InsightsLogger = { info: () => {}, warn: () => {} };

/** No time left for a (further) Bedrock call within the invocation: the provider falls back. */
export class BedrockTimeBudgetError extends TillflowError {
  override readonly name = 'BedrockTimeBudgetError' as const;
  constructor(attempt: number) {
    super('BEDROCK_TIME_BUDGET', `no time left in the invocation for Bedrock call ${attempt}`);
  }
}

/**
 * Insights written by a Bedrock model (Converse API, temperature 0), grounded on the statistical engine:
 *
 * 1. The statistical analysis runs first; its anomalies and trends are kept as they are (they are computed, not
 *    written), and with today's aggregates they are the only thing the prompt holds (see `buildPrompt`).
 * 2. The model answers with JSON (`ModelOutput`: a summary and recommendations); fenced or bare JSON is accepted and
 *    validated against the schema.
 * 3. Each recommendation must name a known subject and cite known evidence, and every number in its text must match
 *    a number of the prompt (within the rounding it was stated with); otherwise it is dropped and the reason kept in
 *    `reasons`. Its id and facts come from us: the id from (date, subject, category), the facts from its evidence.
 * 4. Throttling is retried with full-jitter exponential backoff. Any failure (after retries, unusable answer, no
 *    recommendation left while the rules found some) returns the statistical result with `degraded: true` and why.
 *
 * Every call logs its token usage and estimated cost.
 */
export function createBedrockProvider(options: BedrockProviderOptions): InsightsProvider {
  const { client } = options;
  const modelId = options.modelId ?? DEFAULT_BEDROCK_MODEL_ID;
  const logger = options.logger ?? silent;
  const settings = {
    maxAttempts: options.maxAttempts ?? 4,
    baseDelayMs: options.baseDelayMs ?? 250,
    maxDelayMs: options.maxDelayMs ?? 4000,
    timeoutMs: options.timeoutMs ?? 30_000,
    sleep: options.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms))),
    random: options.random ?? Math.random,
    remainingMs: options.remainingMs ?? (() => Number.POSITIVE_INFINITY),
  };

  async function converse(prompt: Prompt, date: string): Promise<ConverseCommandOutput> {
    const input: ConverseCommandInput = {
      modelId,
      system: [{ text: prompt.system }],
      messages: [{ role: 'user', content: [{ text: prompt.user }] }],
      inferenceConfig: { temperature: 0, maxTokens: options.maxTokens ?? 2048 },
    };
    // The SDK's command classes load on the first call, not at import (the client's factory has loaded the module).
    const { ConverseCommand } = await import('@aws-sdk/client-bedrock-runtime');
    for (let attempt = 1; ; attempt++) {
      const timeoutMs = Math.floor(Math.min(settings.timeoutMs, settings.remainingMs()));
      if (timeoutMs <= 0) throw new BedrockTimeBudgetError(attempt);
      try {
        const output = await client.send(new ConverseCommand(input), { abortSignal: AbortSignal.timeout(timeoutMs) });
        const inputTokens = output.usage?.inputTokens ?? 0;
        const outputTokens = output.usage?.outputTokens ?? 0;
        const estimatedCostUsd = estimateCostUsd(modelId, inputTokens, outputTokens, options.pricing);
        options.onUsage?.({ modelId, inputTokens, outputTokens, estimatedCostUsd });
        logger.info('bedrock converse', {
          date,
          modelId,
          attempt,
          stopReason: output.stopReason,
          inputTokens,
          outputTokens,
          totalTokens: output.usage?.totalTokens ?? inputTokens + outputTokens,
          latencyMs: output.metrics?.latencyMs,
          estimatedCostUsd,
        });
        return output;
      } catch (error) {
        const name = (error as { name?: string }).name ?? 'Error';
        if (!RETRYABLE.has(name) || attempt >= settings.maxAttempts) throw error;
        // Full jitter: spreads the retries of concurrent callers instead of having them collide again.
        const delayMs = Math.floor(
          settings.random() * Math.min(settings.maxDelayMs, settings.baseDelayMs * 2 ** (attempt - 1)),
        );
        if (delayMs >= settings.remainingMs()) throw error;
        logger.warn('bedrock call failed, retrying', { date, modelId, attempt, error: name, delayMs });
        await settings.sleep(delayMs);
      }
    }
  }

  return {
    name: 'bedrock',
    async analyze(facts: InsightFacts, precomputed?: Precomputed): Promise<DailyInsights> {
      const statistical = statisticalInsights(facts, options.statistical, precomputed);
      const fallback = (reason: string, dropped: string[] = []): DailyInsights => {
        logger.warn('bedrock insights degraded to statistical', { date: facts.date, modelId, reason });
        return { ...statistical, degraded: true, reasons: [reason, ...dropped] };
      };
      try {
        const prompt = buildPrompt(facts, statistical);
        const output = await converse(prompt, facts.date);
        if (output.stopReason !== 'end_turn' && output.stopReason !== 'stop_sequence') {
          throw new ModelOutputError(`the model stopped with "${output.stopReason}"`);
        }
        const text = (output.output?.message?.content ?? []).map((block) => block.text ?? '').join('');
        const answer = parseModelOutput(text);
        const { recommendations, dropped } = ground(answer, prompt, facts.date);
        logger.info('bedrock recommendations grounded', {
          date: facts.date,
          kept: recommendations.length,
          dropped: dropped.length,
        });
        if (recommendations.length === 0 && statistical.recommendations.length > 0) {
          return fallback(`bedrock (${modelId}): no grounded recommendation in the answer`, dropped);
        }
        const summaryProblems = ungroundedNumbers(answer.summary, prompt.numbers, prompt.identifiers);
        if (summaryProblems.length > 0) {
          dropped.push(`summary: states ${summaryProblems.join(', ')}, which match no computed fact`);
        }
        return {
          ...statistical,
          provider: 'bedrock',
          model: modelId,
          degraded: false,
          reasons: dropped,
          summary: summaryProblems.length === 0 ? unalias(answer.summary, prompt) : statistical.summary,
          recommendations,
        };
      } catch (error) {
        const name = (error as { name?: string }).name ?? 'Error';
        return fallback(`bedrock (${modelId}): ${name}: ${(error as Error).message}`);
      }
    },
  };
}

/** Keeps the model's recommendations that are grounded (see `createBedrockProvider`), with why the others went. */
function ground(
  answer: ModelOutput,
  prompt: Prompt,
  date: string,
): { recommendations: Recommendation[]; dropped: string[] } {
  const kept = new Map<string, Recommendation>();
  const dropped: string[] = [];
  answer.recommendations.forEach((item, index) => {
    const result = toRecommendation(item, prompt, date);
    const problem =
      typeof result === 'string'
        ? result
        : kept.has(result.id)
          ? 'repeats an earlier recommendation for the same subject and category'
          : undefined;
    if (problem !== undefined) dropped.push(`recommendation ${index + 1} (${item.scope} ${item.subject}): ${problem}`);
    else if (typeof result !== 'string') kept.set(result.id, result);
  });
  return { recommendations: [...kept.values()].sort(compareRecommendations), dropped };
}

/** The recommendation the model meant, or why it cannot be kept. */
function toRecommendation(item: ModelRecommendation, prompt: Prompt, date: string): Recommendation | string {
  const subject = realSubject(item.scope, item.subject, prompt);
  if (subject === undefined) return 'names an unknown subject';
  const evidence = [...new Set(item.evidence)].flatMap((id) => {
    const found = prompt.evidence.get(id);
    return found ? [found] : [];
  });
  if (evidence.length === 0) return 'cites no computed anomaly, trend or rule';
  const ungrounded = ungroundedNumbers(`${item.action}\n${item.rationale}`, prompt.numbers, prompt.identifiers);
  if (ungrounded.length > 0) return `states ${ungrounded.join(', ')}, which match no computed fact`;
  const action = unalias(item.action, prompt);
  return {
    id: insightId(date, 'recommendation', item.scope, subject, item.category),
    date,
    kind: 'recommendation',
    scope: item.scope,
    subject,
    category: item.category,
    priority: item.priority,
    summary: action,
    action,
    rationale: unalias(item.rationale, prompt),
    evidence: evidence.map((e) => e.id),
    facts: evidenceFacts(evidence),
  };
}

function realSubject(scope: string, subject: string, prompt: Prompt): string | undefined {
  switch (scope) {
    case 'company':
      return subject === 'company' ? subject : undefined;
    case 'store':
      return prompt.stores.has(subject) ? subject : undefined;
    case 'product':
      return prompt.skus.get(subject);
    case 'payment_method':
      return (PAYMENT_METHODS as readonly string[]).includes(subject) ? subject : undefined;
    default:
      return undefined;
  }
}

/** Puts the real SKUs back where the model wrote an alias. */
function unalias(text: string, prompt: Prompt): string {
  let out = text;
  for (const [alias, sku] of prompt.skus) if (alias !== sku) out = out.split(alias).join(sku);
  return out;
}
