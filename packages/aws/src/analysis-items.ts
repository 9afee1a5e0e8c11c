import {
  type CompanyDayFigures,
  companyMetricsKey,
  insightsKey,
  type ProductDayFigures,
  productMetricsKey,
  type TableKey,
} from '@tillflow/core';
import type { DailyInsights } from '@tillflow/insights';
import { documentClient, isConditionalCheckFailed } from './clients/dynamodb';
import { queryDaysBefore } from './table-query';

/** Attributes the table adds to a day's analysis item; not part of the figures. */
const BOOKKEEPING = ['PK', 'SK', 'GSI1PK', 'GSI1SK', 'entity', 'analysis_revision', 'updated_at'];

/**
 * Writes one item of a day's analysis, unless a later revision of that day's analysis has already written it: a
 * re-analysis and the analysis it supersedes may run at the same time, and the older one must not finish last and
 * win. The same revision overwrites (a re-run of a workflow replaces its own results). Returns false when skipped.
 */
async function putRevisioned(
  table: string,
  key: TableKey,
  entity: string,
  body: Record<string, unknown>,
  revision: number,
): Promise<boolean> {
  try {
    const { PutCommand } = await import('@aws-sdk/lib-dynamodb');
    await (await documentClient()).send(
      new PutCommand({
        TableName: table,
        Item: { ...body, ...key, entity, analysis_revision: revision, updated_at: new Date().toISOString() },
        ConditionExpression: 'attribute_not_exists(PK) OR analysis_revision <= :revision',
        ExpressionAttributeValues: { ':revision': revision },
      }),
    );
    return true;
  } catch (error) {
    if (isConditionalCheckFailed(error)) return false;
    throw error;
  }
}

/** The items of partition `pk` dated in the `days` days before `date`, oldest first, without the table's bookkeeping. */
async function queryBefore<T>(table: string, pk: string, date: string, days: number): Promise<T[]> {
  const items = await queryDaysBefore(table, pk, date, days);
  return items.map((item) => withoutBookkeeping(item) as T);
}

function withoutBookkeeping(item: Record<string, unknown>): Record<string, unknown> {
  const body = { ...item };
  for (const name of BOOKKEEPING) delete body[name];
  return body;
}

/** Stores the company figures of a date (`COMPANY` / `DATE#<date>`) for analysis `revision`; false if superseded. */
export function putCompanyMetrics(table: string, figures: CompanyDayFigures, revision: number): Promise<boolean> {
  return putRevisioned(table, companyMetricsKey(figures.date), 'COMPANY_METRICS', figures, revision);
}

/** The company figures of the `days` days before `date`, oldest first (days never analysed are absent). */
export function queryCompanyHistory(table: string, date: string, days: number): Promise<CompanyDayFigures[]> {
  return queryBefore(table, companyMetricsKey(date).PK, date, days);
}

/** Stores the product figures of a date (`PRODUCTS` / `DATE#<date>`) for analysis `revision`; false if superseded. */
export function putProductMetrics(table: string, figures: ProductDayFigures, revision: number): Promise<boolean> {
  return putRevisioned(table, productMetricsKey(figures.date), 'PRODUCT_METRICS', figures, revision);
}

/** The product figures of the `days` days before `date`, oldest first (days never analysed are absent). */
export function queryProductHistory(table: string, date: string, days: number): Promise<ProductDayFigures[]> {
  return queryBefore(table, productMetricsKey(date).PK, date, days);
}

/**
 * Stores the insights of a date (`INSIGHTS` / `DATE#<date>`) as one item for analysis `revision`, replacing the
 * previous ones whole: insight ids are deterministic, so a re-analysis replaces rather than adds. False if superseded.
 */
export function putDailyInsights(table: string, insights: DailyInsights, revision: number): Promise<boolean> {
  return putRevisioned(table, insightsKey(insights.date), 'DAILY_INSIGHTS', insights, revision);
}
