import { dayQuality, escapeHtml, type ProductDayFigures, summarizeCompany } from '@tillflow/core';
import { createStatisticalProvider, type DailyInsights } from '@tillflow/insights';
import { beforeAll, describe, expect, it } from 'vitest';
// Store figures of the insights package's series: one transaction per 25.00, cash 30%, debit 20%, mobile 10%.
import { storeDay } from '../../../packages/insights/test/series';
import { type ReportInput, renderReport, storeAttendance } from '../src/report';

const DATE = '2025-10-29';

const stores = [storeDay('0001', DATE, 150_000), storeDay('0002', DATE, 50_000)];
const products: ProductDayFigures = {
  date: DATE,
  total_products: 2,
  lines: 40,
  units: 50,
  gross_sales: 2000,
  discounts: 0,
  net_sales: 2000,
  top: [
    {
      sku: 'SKU-1',
      name: 'Plush <script>alert(1)</script>',
      units: 30,
      gross_sales: 1500,
      net_sales: 1500,
      transactions: 12,
      stores_count: 2,
      stores: ['0001', '0002'],
    },
    {
      sku: 'SKU-2',
      name: 'Mug',
      units: 20,
      gross_sales: 500,
      net_sales: 500,
      transactions: 8,
      stores_count: 1,
      stores: ['0001'],
    },
  ],
  bottom: [],
  products: [],
};
let insights: DailyInsights;

beforeAll(async () => {
  insights = await createStatisticalProvider().analyze(
    { date: DATE, stores, storeHistory: [], company: [], products: [] },
    { anomalies: [], trends: [] },
  );
});

function input(overrides: Partial<ReportInput> = {}): ReportInput {
  return {
    date: DATE,
    revision: 1,
    company: summarizeCompany(DATE, stores, ['0001', '0002', '0003']),
    products,
    insights,
    expectedStores: ['0001', '0002', '0003'],
    reportedStores: ['0001', '0002'],
    ...overrides,
  };
}

describe('renderReport', () => {
  it('states the company figures, the stores reported n/expected and the missing store', () => {
    const { text, subject } = renderReport(input());
    expect(text).toContain('Tillflow daily report: 2025-10-29 (Wednesday)');
    expect(text).toMatch(/Net sales\s+2,000\.00\n/);
    expect(text).toMatch(/Transactions\s+80\n/);
    expect(text).toMatch(/Average basket\s+25\.00\n/);
    expect(text).toMatch(/Stores reported\s+2\/3\n/);
    expect(text).toMatch(/Stores missing\s+0003\n/);
    expect(text).toMatch(/Best store\s+0001 \(1,500\.00\)/);
    expect(text).toMatch(/Worst store\s+0002 \(500\.00\)/);
    expect(subject).toBe('Tillflow daily report 2025-10-29: net sales 2,000.00, 2/3 stores');
  });

  it('takes n/expected from the configured stores, not from a literal', () => {
    const { text } = renderReport(input({ expectedStores: ['0001', '0002'] }));
    expect(text).toMatch(/Stores reported\s+2\/2\n/);
    expect(text).not.toContain('Stores missing');
    const extra = renderReport(input({ expectedStores: ['0001'] }));
    expect(extra.text).toMatch(/Stores reported\s+1\/1\n/);
    expect(extra.text).toMatch(/Not expected, included\s+0002\n/);
  });

  it('lists all five payment methods with their share of net sales', () => {
    const { text } = renderReport(input());
    // Transactions per method: round(60 × share) + round(20 × share).
    expect(text).toMatch(/cash\s+600\.00\s+30\.0%\s+24 transactions/);
    expect(text).toMatch(/credit\s+800\.00\s+40\.0%\s+32 transactions/);
    expect(text).toMatch(/debit\s+400\.00\s+20\.0%\s+16 transactions/);
    expect(text).toMatch(/gift_card\s+0\.00\s+0\.0%\s+0 transactions/);
    expect(text).toMatch(/mobile\s+200\.00\s+10\.0%\s+8 transactions/);
  });

  it('lists the top products and escapes store-supplied names in the HTML', () => {
    const { text, html } = renderReport(input());
    expect(text).toMatch(/1\.\s+SKU-1\s+Plush <script>alert\(1\)<\/script>\s+30 units\s+1,500\.00\s+2 stores/);
    expect(html).not.toContain('<script>');
    expect(html).toContain('Plush &#60;script&#62;alert(1)&#60;/script&#62;');
    expect(html).toMatch(/^<!DOCTYPE html>/);
  });

  it('says so when the insights are a fallback, in the text and the subject', () => {
    const degraded = { ...insights, degraded: true, reasons: ['detect-anomalies failed (TransientError: down)'] };
    const report = renderReport(input({ insights: degraded }));
    expect(report.text).toContain('PARTIAL FAILURE: these insights come from the fallback. detect-anomalies failed');
    expect(report.subject).toMatch(/\(partial\)$/);
  });

  it('keeps the subject within SNS limits: 100 printable ASCII characters', () => {
    const { subject } = renderReport(input({ company: { ...input().company, net_sales: 123456789012.34 } }));
    expect(subject.length).toBeLessThanOrEqual(100);
    expect(subject).toMatch(/^[\x20-\x7e]+$/);
  });
});

describe('storeAttendance and escapeHtml', () => {
  it('counts expected stores that reported, once each', () => {
    expect(storeAttendance(['0002', '0001', '0001', '0003'], ['0003', '0009', '0001'])).toEqual({
      reported: 2,
      expected: 3,
      missing: ['0002'],
      unexpected: ['0009'],
    });
  });

  it('escapes the five HTML-special characters', () => {
    expect(escapeHtml(`<a href="x">'&'</a>`)).toBe('&#60;a href=&#34;x&#34;&#62;&#39;&#38;&#39;&#60;/a&#62;');
  });
});

describe('the data-quality section', () => {
  const quality = dayQuality({
    date: '2025-10-29',
    uploads: [
      {
        store_id: '0001',
        date: '2025-10-29',
        source_key: 'uploads/store_0001_2025-10-29.json',
        etag: 'e1',
        uploaded_at: '2025-10-29T22:00:00Z',
        status: 'processed',
        lines: 40,
        accepted: 37,
        rejected: 3,
        reasons: [{ field: 'quantity', rule: 'minimum', lines: 3 }],
        duplicate_transactions: { transactions: 2, examples: ['TXN-0001-1', 'TXN-0001-7'] },
        prefix_mismatches: { transactions: 1, lines: 4, examples: ['TXN-0009-1'] },
      },
    ],
    status: { reported_stores: ['0001'], analysis_claimed_at: '2025-10-29T21:00:00Z', analysis_revision: 2 },
    expectedStores: ['0001', '0002'],
    lake: undefined,
  });

  it('is left out without quality figures, and gives each figure with them', () => {
    expect(renderReport(input()).text).not.toContain('DATA QUALITY');
    const { text, html } = renderReport({ ...input(), quality });
    expect(text).toMatch(/DATA QUALITY\n/);
    expect(text).toMatch(/Lines accepted\s+37 of 40\n/);
    expect(text).toMatch(/Lines rejected\s+3 \(7\.5%\)\n/);
    expect(text).toMatch(/quantity minimum\s+3 lines\n/);
    expect(text).toMatch(/Duplicate ids within a file\s+2\n/);
    expect(text).toMatch(/Ids in more than one store's file\s+not checked yet\n/);
    expect(text).toMatch(/Store prefix mismatches\s+1 transactions \(4 lines\)\n/);
    expect(text).toMatch(/Late stores\s+0001 \(2025-10-29T22:00:00Z\)\n/);
    expect(text).toMatch(/Missing stores\s+0002\n/);
    expect(html).toContain('<h2>Data quality</h2>');
  });
});
