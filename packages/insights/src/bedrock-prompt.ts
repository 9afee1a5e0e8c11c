import { createHash } from 'node:crypto';
import { PAYMENT_METHODS } from '@tillflow/core';
import { ModelOutput } from './bedrock-output';
import type { InsightFacts } from './insight-facts.schema';
import type { Anomaly, DailyInsights, Recommendation, Trend } from './insights.schema';

/** SKUs that are plainly codes go to the model as they are; anything else is replaced by an opaque alias. */
const SAFE_SKU = /^[A-Za-z0-9][A-Za-z0-9._-]{0,47}$/;

/** The prompt and what is needed to check the answer against it. */
export interface Prompt {
  system: string;
  user: string;
  /** Every number the prompt states: what the model may repeat. */
  numbers: number[];
  /** Strings that name things (store ids, SKUs, aliases, insight ids): taken out of sentences before numbers are read. */
  identifiers: string[];
  /** SKU as shown to the model → the real SKU. */
  skus: Map<string, string>;
  stores: Set<string>;
  /** Every anomaly, trend and rule recommendation by id. */
  evidence: Map<string, Anomaly | Trend | Recommendation>;
}

/**
 * The prompt for a day. Only aggregates go in: today's company and store figures, today's top products (SKU, units,
 * net sales, store count) and the statistical anomalies, trends and rule recommendations with their facts. Nothing
 * written by a store goes in as text: no item names, no customer ids, no raw rows; a SKU that is not a plain code is
 * replaced by `sku-<hash>` and mapped back afterwards, so a crafted SKU cannot carry instructions.
 */
export function buildPrompt(facts: InsightFacts, statistical: DailyInsights): Prompt {
  const skus = new Map<string, string>();
  const shown = (sku: string): string => {
    const alias = SAFE_SKU.test(sku) ? sku : `sku-${createHash('sha256').update(sku).digest('hex').slice(0, 8)}`;
    skus.set(alias, sku);
    return alias;
  };
  const subject = (i: { scope: string; subject: string }) => (i.scope === 'product' ? shown(i.subject) : i.subject);

  const company = facts.company.find((c) => c.date === facts.date);
  const today = facts.products.find((p) => p.date === facts.date);
  const stores = facts.stores.filter((s) => s.date === facts.date);
  const document = {
    date: facts.date,
    window_days: 7,
    company: company && {
      gross_sales: company.gross_sales,
      discounts: company.discounts,
      net_sales: company.net_sales,
      transactions: company.transactions,
      items: company.items,
      avg_basket: company.avg_basket,
      units_per_transaction: company.units_per_transaction,
      stores_reported: company.stores_reported,
      stores_expected: company.stores_expected,
      missing_stores: company.missing_stores,
      best_store: company.best_store,
      worst_store: company.worst_store,
      payment_mix: company.payment_mix,
    },
    stores: stores.map((s) => ({
      store_id: s.store_id,
      net_sales: s.net_sales,
      transactions: s.transactions,
      avg_basket: s.avg_basket,
    })),
    top_products: (today?.top ?? []).map((p) => ({
      sku: shown(p.sku),
      units: p.units,
      net_sales: p.net_sales,
      stores_count: p.stores_count,
    })),
    anomalies: statistical.anomalies.map((a) => ({
      id: a.id,
      scope: a.scope,
      subject: subject(a),
      metric: a.metric,
      method: a.method,
      direction: a.direction,
      severity: a.severity,
      facts: a.facts,
    })),
    trends: statistical.trends.map((t) => ({
      id: t.id,
      scope: t.scope,
      subject: subject(t),
      metric: t.metric,
      direction: t.direction,
      facts: t.facts,
    })),
    rule_recommendations: statistical.recommendations.map((r) => ({
      id: r.id,
      scope: r.scope,
      subject: subject(r),
      category: r.category,
      priority: r.priority,
      evidence: r.evidence,
      facts: r.facts,
    })),
  };

  const evidence = new Map<string, Anomaly | Trend | Recommendation>();
  for (const item of [...statistical.anomalies, ...statistical.trends, ...statistical.recommendations]) {
    evidence.set(item.id, item);
  }
  const storeIds = new Set([
    ...stores.map((s) => s.store_id),
    ...(company?.missing_stores ?? []),
    ...[...statistical.anomalies, ...statistical.trends].filter((i) => i.scope === 'store').map((i) => i.subject),
  ]);

  const system = [
    'You are a retail analyst for a chain of stores. You write short, concrete recommendations for store managers.',
    'You are given facts computed by a statistical engine. Use only these facts. Do not state any number that is not in',
    'the facts: repeat a number as given, or rounded to fewer decimals. Percentages are in the facts as percent values.',
    'Refer to stores by store_id and to products by sku, exactly as given.',
    'Every recommendation must list in "evidence" the ids of the anomalies, trends or rule_recommendations it rests on.',
    'Answer with a single JSON object and nothing else, matching this JSON Schema:',
    JSON.stringify(ModelOutput),
  ].join('\n');
  const user = [
    `Facts for business date ${facts.date} (JSON):`,
    JSON.stringify(document),
    'Write a one-paragraph "summary" of the day and up to 10 prioritised "recommendations".',
  ].join('\n');

  const numbers: number[] = [];
  collectNumbers(document, numbers);
  return {
    system,
    user,
    numbers,
    identifiers: [...storeIds, ...skus.keys(), ...evidence.keys(), ...PAYMENT_METHODS],
    skus,
    stores: storeIds,
    evidence,
  };
}

function collectNumbers(value: unknown, into: number[]): void {
  if (typeof value === 'number') into.push(value);
  else if (Array.isArray(value)) for (const v of value) collectNumbers(v, into);
  else if (value !== null && typeof value === 'object') for (const v of Object.values(value)) collectNumbers(v, into);
}
