import { PAYMENT_METHODS, type ProductDayFigures, type StoreSummary } from '@tillflow/core';
import type { DailyInsights } from '@tillflow/insights';

/** A flat record: QuickSight maps each field to a column, so nothing is nested. */
export type ExportRow = Record<string, string | number | boolean | null>;

/** The datasets exported every day, each its own folder under `quicksight/` with its own manifest. */
export const DATASETS = ['store_summaries', 'top_products', 'anomalies', 'trends', 'recommendations'] as const;
export type DatasetName = (typeof DATASETS)[number];

export interface ExportInput {
  date: string;
  revision: number;
  stores: readonly StoreSummary[];
  /** The day's product figures; undefined when the day has none. */
  products: ProductDayFigures | undefined;
  insights: DailyInsights;
}

/** `quicksight/<dataset>/date=<date>/<dataset>.ndjson`: one object per day and dataset, replaced by a re-analysis. */
export function datasetKey(dataset: DatasetName, date: string): string {
  return `quicksight/${dataset}/date=${date}/${dataset}.ndjson`;
}

/** `quicksight/manifests/<dataset>.json`: what a QuickSight S3 data source is pointed at. */
export function manifestKey(dataset: DatasetName): string {
  return `quicksight/manifests/${dataset}.json`;
}

/**
 * A QuickSight S3 manifest for a dataset: every day's file under the dataset's prefix, read as JSON (one flat object
 * per line). A prefix rather than a list of files, so that the manifest never changes and new days are picked up by a
 * refresh.
 */
export function manifest(bucket: string, dataset: DatasetName): unknown {
  return {
    fileLocations: [{ URIPrefixes: [`s3://${bucket}/quicksight/${dataset}/`] }],
    globalUploadSettings: { format: 'JSON' },
  };
}

/** Newline-delimited JSON: one row per line, a final newline; an empty dataset is an empty file. */
export function toNdjson(rows: readonly ExportRow[]): string {
  return rows.map((row) => `${JSON.stringify(row)}\n`).join('');
}

/** The rows of every dataset for the day. Each row carries the date and the analysis revision it came from. */
export function exportRows(input: ExportInput): Record<DatasetName, ExportRow[]> {
  const day = { date: input.date, analysis_revision: input.revision };
  const { insights } = input;
  return {
    store_summaries: [...input.stores]
      .sort((a, b) => (a.store_id < b.store_id ? -1 : 1))
      .map((s) => {
        const row: ExportRow = {
          ...day,
          store_id: s.store_id,
          gross_sales: s.gross_sales,
          discounts: s.discounts,
          net_sales: s.net_sales,
          transactions: s.transactions,
          items: s.items,
          lines: s.lines,
          avg_basket: s.avg_basket,
          units_per_transaction: s.units_per_transaction,
          rejected_lines: s.rejected_lines ?? 0,
        };
        // Every payment method, unused ones at zero, so that each has its columns on every day.
        for (const m of PAYMENT_METHODS) {
          row[`${m}_net_sales`] = s.payment_mix[m].net_sales;
          row[`${m}_transactions`] = s.payment_mix[m].transactions;
        }
        return row;
      }),
    top_products: (input.products?.top ?? []).map((p, i) => ({
      ...day,
      rank: i + 1,
      sku: p.sku,
      name: p.name,
      units: p.units,
      gross_sales: p.gross_sales,
      net_sales: p.net_sales,
      transactions: p.transactions,
      stores_count: p.stores_count,
    })),
    anomalies: insights.anomalies.map((a) => ({
      ...day,
      id: a.id,
      scope: a.scope,
      subject: a.subject,
      metric: a.metric,
      method: a.method,
      basis: a.basis,
      direction: a.direction,
      severity: a.severity,
      value: a.value,
      expected: a.expected,
      deviation_pct: a.deviation_pct,
      robust_z: a.robust_z,
      summary: a.summary,
    })),
    trends: insights.trends.map((t) => ({
      ...day,
      id: t.id,
      scope: t.scope,
      subject: t.subject,
      metric: t.metric,
      direction: t.direction,
      current: t.current,
      previous: t.previous,
      change_pct: t.change_pct,
      days: t.days,
      significant: t.significant,
      summary: t.summary,
    })),
    recommendations: insights.recommendations.map((r) => ({
      ...day,
      id: r.id,
      scope: r.scope,
      subject: r.subject,
      category: r.category,
      priority: r.priority,
      action: r.action,
      rationale: r.rationale,
      evidence: r.evidence.join(' '),
      provider: insights.provider,
    })),
  };
}
