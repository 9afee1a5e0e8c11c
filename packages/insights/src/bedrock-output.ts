import { TillflowError } from '@tillflow/core';
import type { Static } from 'typebox';
import { Compile } from 'typebox/compile';
import * as Type from 'typebox/type';
import { InsightScope, Priority, RecommendationCategory } from './insights.schema';

/** One recommendation as the model writes it; ids, facts and the date are added by us, never taken from the model. */
export const ModelRecommendation = Type.Object({
  scope: InsightScope,
  /** `company`, a store id, a SKU exactly as given, or a payment method. */
  subject: Type.String({ minLength: 1, maxLength: 64 }),
  category: RecommendationCategory,
  priority: Priority,
  action: Type.String({ minLength: 1, maxLength: 400 }),
  rationale: Type.String({ maxLength: 800 }),
  /** Ids of the anomalies, trends and rule recommendations it rests on. */
  evidence: Type.Array(Type.String(), { minItems: 1, maxItems: 10 }),
});
export type ModelRecommendation = Static<typeof ModelRecommendation>;

/** What the model must answer with: a JSON object, nothing else. Extra properties are tolerated and ignored. */
export const ModelOutput = Type.Object({
  summary: Type.String({ minLength: 1, maxLength: 800 }),
  recommendations: Type.Array(ModelRecommendation, { maxItems: 20 }),
});
export type ModelOutput = Static<typeof ModelOutput>;

const checkOutput = Compile(ModelOutput);

/** The model's answer could not be used as a whole (not JSON, wrong shape, cut off). Not retried: it would repeat. */
export class ModelOutputError extends TillflowError {
  override readonly name = 'ModelOutputError' as const;
  constructor(message: string, options?: { cause?: unknown }) {
    super('MODEL_OUTPUT_INVALID', message, options);
  }
}

/**
 * The model's JSON answer from its text: the first fenced block (```json … ```) when there is one, else the text from
 * its first `{` to its last `}` (models like to add a sentence around bare JSON). Validated against `ModelOutput`;
 * throws ModelOutputError saying what is wrong.
 */
export function parseModelOutput(text: string): ModelOutput {
  const fenced = /```(?:json)?\s*\n?([\s\S]*?)```/i.exec(text);
  let body = fenced?.[1];
  if (body === undefined) {
    const start = text.indexOf('{');
    const end = text.lastIndexOf('}');
    if (start === -1 || end <= start) throw new ModelOutputError('the answer holds no JSON object');
    body = text.slice(start, end + 1);
  }
  let value: unknown;
  try {
    value = JSON.parse(body);
  } catch (error) {
    throw new ModelOutputError(`the answer is not valid JSON: ${(error as Error).message}`, { cause: error });
  }
  if (!checkOutput.Check(value)) {
    const problems = checkOutput
      .Errors(value)
      .slice(0, 3)
      .map((e) => `${e.instancePath || '/'} ${e.message}`);
    throw new ModelOutputError(`the answer does not match the schema: ${problems.join('; ')}`);
  }
  return value;
}

/** A number as written in a sentence, with how many decimals it was given to. */
export interface StatedNumber {
  text: string;
  value: number;
  decimals: number;
}

// Digits glued to letters or dots (`Q3`, `v1.2`) are names, not figures; thousands separators are allowed.
const NUMBER_RE = /(?<![\w.])(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?/g;

/**
 * The numbers `text` states once the identifiers in `identifiers` (store ids, SKUs, dates, insight ids) are taken
 * out, so that `store 0003` or `SKU-002` do not count as figures. Signs are ignored: a sentence says "down 60%" for a
 * change of -60.
 */
export function statedNumbers(text: string, identifiers: readonly string[]): StatedNumber[] {
  let rest = text.replace(/\b\d{4}-\d{2}-\d{2}\b/g, ' ');
  for (const id of [...identifiers].sort((a, b) => b.length - a.length)) {
    if (id.length === 0) continue;
    // Whole tokens only: store 0003 goes, the 0003 inside 10,003.00 stays.
    const escaped = id.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    rest = rest.replace(new RegExp(`(?<![\\w.,])${escaped}(?![\\w]|[.,]\\d)`, 'g'), ' ');
  }
  const found: StatedNumber[] = [];
  for (const match of rest.matchAll(NUMBER_RE)) {
    const raw = match[0].replaceAll(',', '');
    const dot = raw.indexOf('.');
    found.push({ text: match[0], value: Number(raw), decimals: dot === -1 ? 0 : raw.length - dot - 1 });
  }
  return found;
}

/**
 * True when `stated` is one of `facts` as given or rounded to the decimals it was stated with (60% for -59.96,
 * 1,235 for 1234.56), within binary float noise.
 */
export function matchesFact(stated: StatedNumber, facts: Iterable<number>): boolean {
  const tolerance = 0.5 * 10 ** -stated.decimals + 1e-9;
  for (const fact of facts) {
    if (Math.abs(Math.abs(fact) - stated.value) <= tolerance) return true;
  }
  return false;
}

/** The numbers of `text` that match no fact (empty when the text is grounded). */
export function ungroundedNumbers(text: string, facts: readonly number[], identifiers: readonly string[]): string[] {
  return statedNumbers(text, identifiers)
    .filter((n) => !matchesFact(n, facts))
    .map((n) => n.text);
}
