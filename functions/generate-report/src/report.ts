import { snsSubject } from '@tillflow/aws';
import {
  type CompanyDayFigures,
  escapeHtml,
  PAYMENT_METHODS,
  type ProductDayFigures,
  type QualityResponse,
  weekday,
} from '@tillflow/core';
import type { DailyInsights, Trend } from '@tillflow/insights';

/** What the report is made of: figures already computed and stored by the workflow, nothing recomputed here. */
export interface ReportInput {
  date: string;
  revision: number;
  company: CompanyDayFigures;
  /** The day's product figures; undefined when the day has none. */
  products: ProductDayFigures | undefined;
  insights: DailyInsights;
  /** `EXPECTED_STORES`: the stores the chain expects every day. */
  expectedStores: readonly string[];
  /** The stores whose figures the company figures sum. */
  reportedStores: readonly string[];
  /** The day's data quality (dayQuality, as `GET /quality` answers it); the section is left out when absent. */
  quality?: QualityResponse | undefined;
}

/** Rejection reasons the report lists by name (the rest are in `GET /quality` and the rejection reports). */
export const REPORT_QUALITY_REASONS = 5;

export interface Report {
  /** An SNS subject: at most 100 printable ASCII characters. */
  subject: string;
  text: string;
  html: string;
}

/** Products listed in the report. */
export const REPORT_TOP_PRODUCTS = 10;

const WEEKDAYS = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];
const moneyFormat = new Intl.NumberFormat('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 });
const countFormat = new Intl.NumberFormat('en-US', { maximumFractionDigits: 2 });

function money(value: number): string {
  return moneyFormat.format(value);
}

function count(value: number): string {
  return countFormat.format(value);
}

function share(part: number, whole: number): string {
  return whole === 0 ? '0.0%' : `${((part / whole) * 100).toFixed(1)}%`;
}

/** Stores reported against the configured list: `n/expected`, who is missing, who reported without being expected. */
export interface StoreAttendance {
  reported: number;
  expected: number;
  missing: string[];
  unexpected: string[];
}

export function storeAttendance(expectedStores: readonly string[], reportedStores: readonly string[]): StoreAttendance {
  const expected = [...new Set(expectedStores)].sort();
  const reported = new Set(reportedStores);
  const expectedSet = new Set(expected);
  return {
    reported: expected.filter((s) => reported.has(s)).length,
    expected: expected.length,
    missing: expected.filter((s) => !reported.has(s)),
    unexpected: [...reported].filter((s) => !expectedSet.has(s)).sort(),
  };
}

/** A block of the report: a title and its lines, rendered as text and as HTML alike. */
export interface Section {
  title: string;
  /** Rows of cells; a row of one cell is a sentence. */
  rows: string[][];
  /** Said when there are no rows. */
  empty?: string;
}

/**
 * The daily report: company summary, stores reported n/expected (from `expectedStores`, so the count follows the
 * configuration), payment mix, top products, anomalies, trends and recommendations, as plain text and as HTML for
 * email. Every figure is one stored by the workflow (company figures are sums of the store summaries), printed as is.
 */
export function renderReport(input: ReportInput): Report {
  const { company, insights } = input;
  const attendance = storeAttendance(input.expectedStores, input.reportedStores);
  const heading = `Tillflow daily report: ${input.date} (${WEEKDAYS[weekday(input.date)]})`;
  const preface = [
    `Analysis revision ${input.revision}; insights by the ${insights.provider} engine${insights.model ? ` (${insights.model})` : ''}.`,
  ];
  if (insights.degraded) {
    preface.push(`PARTIAL FAILURE: these insights come from the fallback. ${insights.reasons.join(' ')}`);
  }
  const sections = [
    companySection(company, attendance),
    paymentSection(company),
    productSection(input.products),
    {
      title: `Anomalies (${insights.anomalies.length})`,
      rows: insights.anomalies.map((a) => [`[${a.severity}]`, a.summary]),
      empty: 'None: every store is within its usual range, or has too little history to judge.',
    },
    trendSection(insights.trends),
    ...(input.quality ? [qualitySection(input.quality)] : []),
    {
      title: `Recommendations (${insights.recommendations.length})`,
      rows: insights.recommendations.map((r) => [`[${r.priority}]`, `${r.action} ${r.rationale}`.trim()]),
      empty: 'Nothing to act on today.',
    },
  ];
  const subject =
    `Tillflow daily report ${input.date}: net sales ${money(company.net_sales)}, ` +
    `${attendance.reported}/${attendance.expected} stores${insights.degraded ? ' (partial)' : ''}`;
  return {
    subject: snsSubject(subject),
    text: renderText(heading, preface, sections),
    html: renderHtml(heading, preface, sections),
  };
}

function companySection(company: CompanyDayFigures, attendance: StoreAttendance): Section {
  const rows = [
    ['Net sales', money(company.net_sales)],
    ['Gross sales', money(company.gross_sales)],
    ['Discounts', money(company.discounts)],
    ['Transactions', count(company.transactions)],
    ['Items', count(company.items)],
    ['Average basket', money(company.avg_basket)],
    ['Units per transaction', count(company.units_per_transaction)],
    ['Stores reported', `${attendance.reported}/${attendance.expected}`],
  ];
  if (attendance.missing.length > 0) rows.push(['Stores missing', attendance.missing.join(', ')]);
  if (attendance.unexpected.length > 0) rows.push(['Not expected, included', attendance.unexpected.join(', ')]);
  if (company.best_store)
    rows.push(['Best store', `${company.best_store.store_id} (${money(company.best_store.net_sales)})`]);
  if (company.worst_store) {
    rows.push(['Worst store', `${company.worst_store.store_id} (${money(company.worst_store.net_sales)})`]);
  }
  return { title: 'Company', rows };
}

function paymentSection(company: CompanyDayFigures): Section {
  return {
    title: 'Payment mix',
    rows: PAYMENT_METHODS.map((m) => {
      const figures = company.payment_mix[m];
      return [
        m,
        money(figures.net_sales),
        share(figures.net_sales, company.net_sales),
        `${count(figures.transactions)} transactions`,
      ];
    }),
  };
}

function productSection(products: ProductDayFigures | undefined): Section {
  const top = (products?.top ?? []).slice(0, REPORT_TOP_PRODUCTS);
  return {
    title: `Top products (${top.length} of ${products?.total_products ?? 0})`,
    rows: top.map((p, i) => [
      `${i + 1}.`,
      p.sku,
      p.name,
      `${count(p.units)} units`,
      money(p.net_sales),
      `${p.stores_count} stores`,
    ]),
    empty: 'No product sold.',
  };
}

/**
 * Data quality (docs/operations.md "Data quality"): uploads and corrections, lines rejected and the main reasons,
 * duplicate transaction ids within and across files, store-prefix mismatches, late and missing stores.
 */
export function qualitySection(quality: QualityResponse): Section {
  const t = quality.totals;
  const rows = [
    ['Uploads', `${count(t.uploads)} (${count(t.files_rejected)} rejected whole, ${count(t.corrections)} corrections)`],
    ['Lines accepted', `${count(t.accepted)} of ${count(t.lines)}`],
    ['Lines rejected', `${count(t.rejected)} (${share(t.rejected, t.lines)})`],
  ];
  for (const r of t.reasons.slice(0, REPORT_QUALITY_REASONS)) {
    rows.push([`  ${r.field} ${r.rule}`, `${count(r.lines)} lines`]);
  }
  rows.push(['Duplicate ids within a file', count(t.duplicate_transactions)]);
  const cross = quality.lake?.cross_store_duplicates;
  rows.push([
    "Ids in more than one store's file",
    cross === undefined
      ? 'not checked yet'
      : `${count(cross.transactions)}${cross.examples.length > 0 ? ` (${cross.examples.map((e) => `${e.transaction_id}: ${e.stores.join('+')}`).join(', ')})` : ''}`,
  ]);
  rows.push([
    'Store prefix mismatches',
    `${count(t.prefix_mismatches.transactions)} transactions (${count(t.prefix_mismatches.lines)} lines)`,
  ]);
  rows.push([
    'Late stores',
    quality.stores.late.map((l) => `${l.store_id} (${l.first_upload_at})`).join(', ') || 'none',
  ]);
  rows.push(['Missing stores', quality.stores.missing.join(', ') || 'none']);
  return { title: 'Data quality', rows };
}

function trendSection(trends: readonly Trend[]): Section {
  const moving = trends.filter((t) => t.direction !== 'stable');
  const stable = trends.length - moving.length;
  const rows = moving.map((t) => [`[${t.direction}]`, t.summary]);
  if (stable > 0 && moving.length > 0)
    rows.push([`${stable} more ${stable === 1 ? 'trend is' : 'trends are'} stable.`]);
  return {
    title: `Trends (${trends.length})`,
    rows,
    empty: stable > 0 ? `All ${stable} trends are stable.` : 'Not enough history for week-over-week trends yet.',
  };
}

function renderText(heading: string, preface: readonly string[], sections: readonly Section[]): string {
  const lines = [heading, '='.repeat(heading.length), ...preface];
  for (const section of sections) {
    lines.push('', section.title.toUpperCase());
    if (section.rows.length === 0 && section.empty) lines.push(`  ${section.empty}`);
    const widths = columnWidths(section.rows);
    for (const row of section.rows) {
      lines.push(`  ${row.map((cell, i) => (i < row.length - 1 ? cell.padEnd(widths[i] ?? 0) : cell)).join('  ')}`);
    }
  }
  return `${lines.join('\n')}\n`;
}

/** Column widths of the rows that have more than one cell (sentences are not aligned). */
function columnWidths(rows: readonly string[][]): number[] {
  const widths: number[] = [];
  for (const row of rows) {
    if (row.length < 2) continue;
    row.forEach((cell, i) => {
      widths[i] = Math.max(widths[i] ?? 0, cell.length);
    });
  }
  return widths;
}

/** Store-supplied text (product names) and model text reach the HTML: every cell and title is escaped. */
function renderHtml(heading: string, preface: readonly string[], sections: readonly Section[]): string {
  const parts = [
    '<!DOCTYPE html>',
    '<html><head><meta charset="utf-8"><title>',
    escapeHtml(heading),
    '</title></head><body style="font-family:sans-serif">',
    `<h1>${escapeHtml(heading)}</h1>`,
    ...preface.map((p) => `<p>${escapeHtml(p)}</p>`),
  ];
  for (const section of sections) {
    parts.push(`<h2>${escapeHtml(section.title)}</h2>`);
    if (section.rows.length === 0) {
      if (section.empty) parts.push(`<p>${escapeHtml(section.empty)}</p>`);
      continue;
    }
    parts.push('<table>');
    for (const row of section.rows) {
      parts.push(`<tr>${row.map((cell) => `<td>${escapeHtml(cell)}</td>`).join('')}</tr>`);
    }
    parts.push('</table>');
  }
  parts.push('</body></html>');
  return `${parts.join('\n')}\n`;
}
