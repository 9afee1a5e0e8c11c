import { PAYMENT_METHODS, type StoreSummary } from '@tillflow/core';
import type { DailyInsights } from '@tillflow/insights';
import { describe, expect, it } from 'vitest';
// Store figures of the insights package's series: one transaction per 25.00, cash 30%, debit 20%, mobile 10%.
import { storeDay } from '../../../packages/insights/test/series';
import { DATASETS, datasetKey, exportRows, manifest, manifestKey, toNdjson } from '../src/datasets';

const DATE = '2025-10-29';

function summary(storeId: string, netCents: number): StoreSummary {
  const where = { source_key: `uploads/store_${storeId}_${DATE}.json`, source_etag: 'etag', updated_at: DATE };
  return { ...storeDay(storeId, DATE, netCents), ...where, rejected_lines: 2 };
}

const insights: DailyInsights = {
  date: DATE,
  provider: 'statistical',
  model: null,
  degraded: false,
  reasons: [],
  summary: '',
  anomalies: [],
  trends: [
    {
      id: 't-0123456789abcdef',
      kind: 'trend',
      date: DATE,
      scope: 'company',
      subject: 'company',
      summary: 'Company net sales rose 12.0% week over week.',
      facts: { current: 1120, previous: 1000, change_pct: 12 },
      metric: 'net_sales',
      direction: 'improving',
      current: 1120,
      previous: 1000,
      change_pct: 12,
      days: 7,
      significant: true,
    },
  ],
  recommendations: [],
};

const rows = exportRows({
  date: DATE,
  revision: 2,
  stores: [summary('0002', 30_000), summary('0001', 125_000)],
  products: undefined,
  insights,
});

describe('exportRows', () => {
  it('writes one flat row per store, by store id, with every payment method even when unused', () => {
    expect(rows.store_summaries.map((r) => r.store_id)).toEqual(['0001', '0002']);
    const first = rows.store_summaries[0] ?? {};
    for (const m of PAYMENT_METHODS) {
      expect(first).toHaveProperty(`${m}_net_sales`);
      expect(first).toHaveProperty(`${m}_transactions`);
    }
    expect(first).toMatchObject({
      date: DATE,
      analysis_revision: 2,
      net_sales: 1250,
      transactions: 50,
      cash_net_sales: 375,
      cash_transactions: 15,
      credit_net_sales: 500,
      credit_transactions: 20,
      gift_card_net_sales: 0,
      gift_card_transactions: 0,
      rejected_lines: 2,
    });
    for (const value of Object.values(first)) expect(typeof value).not.toBe('object');
  });

  it('exports trends flat and the datasets with nothing as empty', () => {
    expect(rows.trends).toEqual([
      {
        date: DATE,
        analysis_revision: 2,
        id: 't-0123456789abcdef',
        scope: 'company',
        subject: 'company',
        metric: 'net_sales',
        direction: 'improving',
        current: 1120,
        previous: 1000,
        change_pct: 12,
        days: 7,
        significant: true,
        summary: 'Company net sales rose 12.0% week over week.',
      },
    ]);
    expect(rows.anomalies).toEqual([]);
    expect(rows.top_products).toEqual([]);
    expect(Object.keys(rows).sort()).toEqual([...DATASETS].sort());
  });
});

describe('toNdjson, keys and manifests', () => {
  it('writes one JSON object per line, each parseable, and an empty dataset as an empty file', () => {
    const text = toNdjson(rows.store_summaries);
    const lines = text.split('\n');
    expect(lines).toHaveLength(3);
    expect(lines[2]).toBe('');
    expect(lines.slice(0, 2).map((l) => JSON.parse(l).store_id)).toEqual(['0001', '0002']);
    expect(toNdjson([])).toBe('');
  });

  it('keys each day of a dataset under its own prefix, which the manifest points QuickSight at', () => {
    expect(datasetKey('store_summaries', DATE)).toBe(
      'quicksight/store_summaries/date=2025-10-29/store_summaries.ndjson',
    );
    expect(manifestKey('trends')).toBe('quicksight/manifests/trends.json');
    expect(manifest('tillflow-data', 'anomalies')).toEqual({
      fileLocations: [{ URIPrefixes: ['s3://tillflow-data/quicksight/anomalies/'] }],
      globalUploadSettings: { format: 'JSON' },
    });
  });
});
