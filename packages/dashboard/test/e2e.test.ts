import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type {
  AnalyticsResponse,
  DatesResponse,
  FilesResponse,
  QualityResponse,
  RejectionsResponse,
} from '@tillflow/core';
import { DASHBOARD_DIR, type Platform, REPO_ROOT, startTestPlatform, uploadStoreFiles } from '@tillflow/local';
import { type Browser, chromium, type Page } from 'playwright-core';
import PostalMime from 'postal-mime';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type GeneratedLine,
  generateMarketplaceLines,
  serializeMarketplaceReport,
} from '../../../scripts/marketplace-data';

/**
 * The dashboard in a real headless Chromium (Debian's `chromium`, which `.ci/run` installs) against a local platform
 * that processed and analysed the sample week: what it shows is compared with what the API answers, a file goes in
 * through the Files tab, and every tab is photographed at desktop and phone width under test-results/screenshots/.
 */

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const SHOTS = join(import.meta.dirname, '..', 'test-results', 'screenshots');
const SAMPLE = join(REPO_ROOT, 'sample-data');
const VIEWPORTS = [
  { name: 'desktop', width: 1280, height: 900 },
  { name: 'phone', width: 390, height: 844 },
] as const;

let platform: Platform;
let browser: Browser;
let api: string;
const temp = mkdtempSync(join(tmpdir(), 'tillflow-e2e-'));

async function apiGet<T>(path: string): Promise<T> {
  const answer = await fetch(`${api}${path}`);
  expect(answer.status, `GET ${path}`).toBe(200);
  return (await answer.json()) as T;
}

/**
 * A marketplace report's figures computed from the generated values with none of the pipeline's code: amounts as
 * integer cents from their text, statuses by the words the issue names (Cancelled; returned, rejected, lost, damaged).
 */
function marketplaceFigures(all: readonly GeneratedLine[]) {
  const good = all.filter((l) => !l.bad).map((l) => l.values);
  const cents = (a: string) => (a === '' ? 0 : Math.round(Number(a) * 100));
  const cancelled = good.filter((v) => v.Status === 'Cancelled');
  const excluded = good.filter((v) => /Returned|Returning|Rejected|Lost|Damaged/.test(v.Status));
  const active = good.filter((v) => !cancelled.includes(v) && !excluded.includes(v));
  const sum = (vs: typeof good) => vs.reduce((s, v) => s + cents(v.Amount), 0);
  const orders = (vs: typeof good) => new Set(vs.map((v) => v['Order ID'])).size;
  const qty = (vs: typeof good) => vs.reduce((s, v) => s + Number(v.Qty), 0);
  const groups = (key: (v: (typeof good)[number]) => string) => {
    const out = new Map<string, typeof good>();
    for (const v of active) out.set(key(v), [...(out.get(key(v)) ?? []), v]);
    return [...out].map(([name, vs]) => ({ name, revenue: sum(vs) / 100, orders: orders(vs), quantity: qty(vs) }));
  };
  const revenue = sum(active);
  const pct = (part: number) => Math.round((part / revenue) * 10_000) / 100;
  return {
    revenue: revenue / 100,
    orders: orders(active),
    aov: Math.round(revenue / orders(active)) / 100,
    quantity: qty(active),
    b2bSharePct: pct(sum(active.filter((v) => v.B2B === 'True'))),
    amazonSharePct: pct(sum(active.filter((v) => v.Fulfilment === 'Amazon'))),
    merchantSharePct: pct(sum(active.filter((v) => v.Fulfilment === 'Merchant'))),
    records: { total: good.length, active: active.length, cancelled: cancelled.length, excluded: excluded.length },
    rejected: all.length - good.length,
    states: groups((v) => v['ship-state'].toUpperCase())
      .filter((g) => g.name !== '')
      .sort((a, b) => b.revenue - a.revenue || a.name.localeCompare(b.name))
      .slice(0, 10),
    categories: groups((v) => v.Category),
    // MM-DD-YY → YYYY-MM.
    months: groups((v) => `20${v.Date.slice(6, 8)}-${v.Date.slice(0, 2)}`),
  };
}

/** `12.3%` as the dashboard rounds a percentage. */
const shownPercent = (pct: number) => `${pct.toFixed(1)}%`;

/** `$12,345.67`, `1,234`, `−3.5%` → the number shown. */
function shownNumber(text: string): number {
  return Number(text.replace(/−/g, '-').replace(/[^0-9.-]/g, ''));
}

async function openTab(page: Page, hash: string): Promise<void> {
  await page.goto(`${api}/${hash}`);
  await page.waitForLoadState('networkidle');
  await expect.poll(() => page.locator('.state.loading').count(), { timeout: 30_000 }).toBe(0);
}

beforeAll(async () => {
  platform = await startTestPlatform({ staticDir: DASHBOARD_DIR });
  api = platform.endpoints.api;
  const uploads = await uploadStoreFiles(api, SAMPLE);
  expect(uploads.filter((u) => !u.ok)).toEqual([]);
  await platform.waitForIdle({ timeoutMs: 15 * 60_000 });
  browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox', '--headless=new'] });
  rmSync(SHOTS, { recursive: true, force: true });
  mkdirSync(SHOTS, { recursive: true });
}, 20 * 60_000);

afterAll(async () => {
  await browser?.close();
  await platform?.stop();
  rmSync(temp, { recursive: true, force: true });
});

describe('the dashboard in Chromium', () => {
  it("shows the latest day's KPIs and every store's figures as the API answers them", async () => {
    const expected = await apiGet<AnalyticsResponse>('/analytics');
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    // Load time: from navigation to the first figure on screen (the KPIs, after GET /analytics), and the page's own
    // timings; written beside the screenshots, and bounded loosely (a shared CI machine is slow).
    const started = Date.now();
    await page.goto(`${api}/#/overview`);
    await page.locator('[data-kpi="net_sales"]').waitFor();
    const firstFigureMs = Date.now() - started;
    const timing = await page.evaluate(() => {
      const n = performance.getEntriesByType('navigation')[0] as PerformanceNavigationTiming;
      return { domContentLoadedMs: Math.round(n.domContentLoadedEventEnd), loadMs: Math.round(n.loadEventEnd) };
    });
    writeFileSync(join(SHOTS, '..', 'load-time.json'), `${JSON.stringify({ firstFigureMs, ...timing }, null, 2)}\n`);
    expect(firstFigureMs).toBeLessThan(10_000);
    await openTab(page, '#/overview');
    const kpi = async (name: string) => shownNumber(await page.locator(`[data-kpi="${name}"] .kpi-value`).innerText());
    expect(await kpi('net_sales')).toBe(expected.company.net_sales);
    expect(await kpi('gross_sales')).toBe(expected.company.gross_sales);
    expect(await kpi('discounts')).toBe(expected.company.discounts);
    expect(await kpi('transactions')).toBe(expected.company.transactions);
    expect(await kpi('items')).toBe(expected.company.items);
    expect(await kpi('avg_basket')).toBe(expected.company.avg_basket);
    expect(await page.locator('input[type="date"]').first().inputValue()).toBe(expected.date);

    const rows = page.locator('[data-testid="stores-table"] tbody tr');
    expect(await rows.count()).toBe(expected.stores.length);
    for (const store of expected.stores) {
      const row = page.locator(`[data-testid="stores-table"] tr[data-row="${store.store_id}"]`);
      const cell = async (col: string) => shownNumber(await row.locator(`td[data-col="${col}"]`).innerText());
      expect(await cell('net_sales')).toBe(store.net_sales);
      expect(await cell('transactions')).toBe(store.transactions);
      expect(await cell('avg_basket')).toBe(store.avg_basket);
      expect(await cell('rejected_lines')).toBe(store.rejected_lines);
    }
    // Sorted by net sales, highest first, as the table opens.
    const firstStore = await rows.first().getAttribute('data-row');
    expect(firstStore).toBe([...expected.stores].sort((a, b) => b.net_sales - a.net_sales)[0]?.store_id);
    // A click on the header sorts the other way.
    await page.locator('[data-testid="stores-table"] th[aria-sort="descending"] button').click();
    expect(await rows.first().getAttribute('data-row')).toBe(
      [...expected.stores].sort((a, b) => a.net_sales - b.net_sales)[0]?.store_id,
    );
    expect(errors).toEqual([]);
    await page.close();
  });

  it('shows an earlier day chosen with the previous-day button, and the API figures of that day', async () => {
    const latest = await apiGet<AnalyticsResponse>('/analytics');
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    await openTab(page, '#/overview');
    await page.getByRole('button', { name: 'previous analysed day' }).click();
    await expect.poll(() => page.locator('input[type="date"]').first().inputValue()).not.toBe(latest.date);
    const day = await page.locator('input[type="date"]').first().inputValue();
    const expected = await apiGet<AnalyticsResponse>(`/analytics?date=${day}`);
    await expect
      .poll(async () => shownNumber(await page.locator('[data-kpi="net_sales"] .kpi-value').innerText()))
      .toBe(expected.company.net_sales);
    await page.close();
  });

  it('says which days are analysed when a day without analysis is asked for', async () => {
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    await openTab(page, '#/overview?date=2025-12-25');
    const alert = page.getByRole('alert');
    await expect.poll(() => alert.count()).toBe(1);
    expect(await alert.innerText()).toContain('2025-11-02');
    await page.close();
  });

  it('uploads files through the Files tab and shows each one processed, or rejected with its reason', async () => {
    // A new day for store 0001 (the 2 November file moved to 3 November), and a file that is not JSON at all.
    const good = join(temp, 'store_0001_2025-11-03.json');
    writeFileSync(
      good,
      readFileSync(join(SAMPLE, 'store_0001_2025-11-02.json'), 'utf8').replaceAll('2025-11-02', '2025-11-03'),
    );
    const bad = join(temp, 'store_0002_2025-11-03.json');
    writeFileSync(bad, '{"this is": "not an array of line items"');
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    await openTab(page, '#/files');
    await page.setInputFiles('[data-testid="upload-input"]', [good, bad]);
    const goodRow = page.locator('li[data-file="store_0001_2025-11-03.json"]');
    const badRow = page.locator('li[data-file="store_0002_2025-11-03.json"]');
    await expect.poll(() => goodRow.getAttribute('data-phase'), { timeout: 90_000 }).toBe('processed');
    await expect.poll(() => badRow.getAttribute('data-phase'), { timeout: 90_000 }).toBe('rejected');
    expect(await goodRow.locator('progress').evaluate((p) => (p as HTMLProgressElement).value)).toBe(1);

    const processed = await apiGet<FilesResponse>('/files?prefix=processed&date=2025-11-03&store=0001');
    expect(processed.files.map((f) => f.key)).toEqual([
      'processed/sales/date=2025-11-03/store=0001/store_0001_2025-11-03.parquet',
    ]);
    const rejected = await apiGet<FilesResponse>('/files?prefix=rejected&date=2025-11-03&store=0002');
    const reason = rejected.files[0]?.reason;
    expect(reason).toBeTruthy();
    expect(await badRow.innerText()).toContain(reason as string);

    await badRow.getByRole('button', { name: 'reasons' }).click();
    await expect.poll(() => page.locator('[data-testid="rejection-reason"]').count()).toBe(1);
    expect(await page.locator('[data-testid="rejection-reason"]').innerText()).toBe(reason);
    await page.screenshot({ path: join(SHOTS, 'files-uploaded-desktop.png'), fullPage: true });
    await page.close();
  });

  it("opens a rejected file's reasons from the rejected listing, line by line as the API gives them", async () => {
    const listing = await apiGet<FilesResponse>('/files?prefix=rejected&date=2025-10-28&store=0002');
    const key = listing.files[0]?.key as string;
    expect(key).toBeTruthy();
    const reasons = await apiGet<RejectionsResponse>(`/files/rejections?key=${encodeURIComponent(key)}`);
    expect(reasons.records.length).toBeGreaterThan(0);

    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    await openTab(page, '#/files?prefix=rejected');
    const row = page.locator(`[data-testid="files-rejected"] tr[data-row="${key}"]`);
    await expect.poll(() => row.count()).toBe(1);
    await row.getByRole('button', { name: 'Reasons' }).click();
    const panel = page.locator('[data-testid="rejections"]');
    await expect.poll(() => panel.count()).toBe(1);
    for (const record of reasons.records) {
      const line = panel.locator(`tr[data-row="${record.line}"]`);
      expect(await line.count()).toBe(1);
      for (const r of record.reasons) expect(await line.innerText()).toContain(r.message);
    }
    await page.close();
  });

  it('uploads a generated marketplace report through the Marketplace tab and shows its KPIs, states, categories and months as computed here', async () => {
    const lines = generateMarketplaceLines({ orders: 900, start: '2022-04-10', days: 75, seed: 29, badLines: 7 });
    const file = join(temp, 'e2e-2022-q2.csv');
    writeFileSync(file, serializeMarketplaceReport(lines));
    const expected = marketplaceFigures(lines);
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await openTab(page, '#/marketplace');
    await page.fill('[data-testid="marketplace-channel"]', 'amazon');
    await page.setInputFiles('[data-testid="marketplace-upload-input"]', file);
    const status = page.locator('[data-testid="marketplace-upload"]');
    await expect.poll(() => status.getAttribute('data-phase'), { timeout: 120_000 }).toBe('done');
    expect(await status.innerText()).toContain(
      `amazon/e2e-2022-q2: ${expected.records.total.toLocaleString('en-US')} records, ${expected.rejected} invalid lines`,
    );
    // The upload's report is chosen, and its figures are shown once loaded.
    await expect.poll(() => page.locator('[data-testid="marketplace-report"]').inputValue()).toBe('amazon/e2e-2022-q2');
    await page.locator('[data-kpi="total_revenue"]').waitFor();
    const kpi = (name: string) => page.locator(`[data-kpi="${name}"] .kpi-value`).innerText();
    expect(await kpi('total_revenue')).toMatch(/^₹/);
    expect(shownNumber(await kpi('total_revenue'))).toBe(expected.revenue);
    expect(shownNumber(await kpi('total_orders'))).toBe(expected.orders);
    expect(shownNumber(await kpi('average_order_value'))).toBe(expected.aov);
    expect(shownNumber(await kpi('total_quantity'))).toBe(expected.quantity);
    expect(await kpi('b2b_share_pct')).toBe(shownPercent(expected.b2bSharePct));
    expect(await kpi('fulfilment')).toBe(
      `${shownPercent(expected.amazonSharePct)} · ${shownPercent(expected.merchantSharePct)}`,
    );
    const share = (f: string) =>
      page.locator(`[data-testid="marketplace-fulfilment"] tr[data-row="${f}"] td[data-col="share"]`).innerText();
    expect(await share('Amazon')).toBe(shownPercent(expected.amazonSharePct));
    expect(await share('Merchant')).toBe(shownPercent(expected.merchantSharePct));
    expect(shownNumber(await kpi('total_records'))).toBe(expected.records.total);
    expect(shownNumber(await kpi('active_records'))).toBe(expected.records.active);
    expect(shownNumber(await kpi('cancelled_records'))).toBe(expected.records.cancelled);
    expect(shownNumber(await kpi('excluded_records'))).toBe(expected.records.excluded);
    expect(shownNumber(await kpi('rejected_records'))).toBe(expected.rejected);

    const rowsOf = async (table: string) =>
      page.locator(`[data-testid="${table}"] tbody tr`).evaluateAll((trs) =>
        trs.map((tr) => ({
          name: tr.getAttribute('data-row'),
          revenue: (tr.querySelector('td[data-col="revenue"]') as HTMLElement).innerText,
          orders: (tr.querySelector('td[data-col="orders"]') as HTMLElement).innerText,
          quantity: (tr.querySelector('td[data-col="quantity"]') as HTMLElement).innerText,
        })),
      );
    const asShown = (groups: typeof expected.states) =>
      groups.map((g) => ({ name: g.name, revenue: g.revenue, orders: g.orders, quantity: g.quantity }));
    const parse = (rows: Awaited<ReturnType<typeof rowsOf>>) =>
      rows.map((r) => ({
        name: r.name,
        revenue: shownNumber(r.revenue),
        orders: shownNumber(r.orders),
        quantity: shownNumber(r.quantity),
      }));
    // The top ten states in revenue order; every category (sorted by revenue); every month, in order.
    expect(parse(await rowsOf('marketplace-states'))).toEqual(asShown(expected.states));
    const byRevenue = (a: { revenue: number }, b: { revenue: number }) => b.revenue - a.revenue;
    expect(parse(await rowsOf('marketplace-categories')).sort(byRevenue)).toEqual(
      asShown(expected.categories).sort(byRevenue),
    );
    expect(parse(await rowsOf('marketplace-months'))).toEqual(
      asShown(expected.months).sort((a, b) => a.name.localeCompare(b.name)),
    );
    // The list of uploaded reports has it, processed.
    const listed = page.locator('[data-testid="marketplace-reports"] tr[data-row="amazon/e2e-2022-q2"]');
    expect(await listed.locator('td[data-col="status"]').textContent()).toBe('processed');
    await page.waitForTimeout(300);
    await page.screenshot({ path: join(SHOTS, 'marketplace-report-desktop.png'), fullPage: true });
    expect(errors).toEqual([]);
    await page.close();
  });

  it("runs a store ranking from the Jobs tab and shows every store's net sales over the range as the daily analytics sum them", async () => {
    const { dates } = await apiGet<DatesResponse>('/dates');
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await openTab(page, '#/jobs?operation=store_ranking');
    const form = page.locator('[data-testid="job-form"][data-operation="store_ranking"]');
    // The range opens as the analysed days; the metric offers only its fixed list.
    expect(await form.locator('input[name="from"]').inputValue()).toBe(dates.at(-1)?.date);
    expect(await form.locator('input[name="to"]').inputValue()).toBe(dates[0]?.date);
    expect(await form.locator('select[name="metric"] option').allInnerTexts()).toEqual([
      'net_sales',
      'transactions',
      'items',
      'average_basket',
    ]);
    const from = dates.at(-1)?.date as string;
    const to = dates[0]?.date as string;
    await form.locator('[data-testid="job-start"]').click();
    const job = page.locator('section.job').first();
    await expect.poll(() => job.getAttribute('data-status'), { timeout: 120_000 }).toBe('SUCCEEDED');

    // Expected: each store's net sales summed over the analysed days of the range, in cents, from GET /analytics.
    const expected = new Map<string, { cents: number; days: number }>();
    for (const { date } of dates.filter((d) => d.date >= from && d.date <= to)) {
      const day = await apiGet<AnalyticsResponse>(`/analytics?date=${date}`);
      for (const store of day.stores) {
        const e = expected.get(store.store_id) ?? { cents: 0, days: 0 };
        expected.set(store.store_id, { cents: e.cents + Math.round(store.net_sales * 100), days: e.days + 1 });
      }
    }
    const shown = await job.locator('[data-testid="job-result"] tbody tr').evaluateAll((trs) =>
      trs.map((tr) => {
        const cell = (c: string) => (tr.querySelector(`td[data-col="${c}"]`) as HTMLElement).innerText;
        return {
          rank: cell('sales_rank'),
          store: cell('store_id'),
          amount: cell('net_sales_cents'),
          days: cell('days_reported'),
        };
      }),
    );
    // Cents are shown as an amount with two decimals (`100,092.79`).
    expect(
      new Map(
        shown.map((r) => [r.store, { cents: Math.round(shownNumber(r.amount) * 100), days: shownNumber(r.days) }]),
      ),
    ).toEqual(expected);
    // Ranked by net sales, highest first.
    const ranked = [...expected].sort((a, b) => b[1].cents - a[1].cents).map(([store]) => store);
    expect(shown.map((r) => r.store)).toEqual(ranked);
    expect(shown[0]?.rank).toBe('1');
    expect(await job.locator('[data-testid="job-row-count"]').innerText()).toContain(`${expected.size} rows`);
    await page.screenshot({ path: join(SHOTS, 'jobs-result-desktop.png'), fullPage: true });
    await page.setViewportSize({ width: 390, height: 844 });
    await page.waitForTimeout(300);
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    expect(overflow, 'the Jobs tab with a result is wider than a phone').toBeLessThanOrEqual(0);
    await page.screenshot({ path: join(SHOTS, 'jobs-result-phone.png'), fullPage: true });

    // A range the API refuses (from after to): its reason is shown, and no job is added.
    await page.setViewportSize({ width: 1280, height: 900 });
    await form.locator('input[name="from"]').fill(to);
    await form.locator('input[name="to"]').fill(from);
    await form.locator('[data-testid="job-start"]').click();
    const alert = form.locator('xpath=..').getByRole('alert');
    await expect.poll(() => alert.count()).toBe(1);
    expect(await alert.innerText()).toMatch(/from|to/);
    expect(await page.locator('section.job').count()).toBe(1);
    expect(errors).toEqual([]);
    await page.close();
  });

  it('lists the emails the local platform sent in the Report tab, and shows the chosen one as its HTML', async () => {
    // A job run by an earlier test sends its completion email after the job shows SUCCEEDED: let it arrive first.
    await platform.waitForIdle();
    const sent = platform.emails();
    expect(sent.length).toBeGreaterThan(0);
    const newest = sent.at(-1) as (typeof sent)[number];
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    await openTab(page, '#/report');
    const list = page.locator('[data-testid="mail"] li');
    await expect.poll(() => list.count()).toBe(sent.length);
    expect(await list.first().innerText()).toContain(newest.subject);
    for (const to of newest.recipients) expect(await list.first().innerText()).toContain(to);
    // The first is the newest, shown in a sandboxed frame with no script allowed.
    const frame = page.locator('[data-testid="mail-html"]');
    expect(await frame.getAttribute('sandbox')).toBe('');
    const html = (await frame.getAttribute('srcdoc')) as string;
    // The HTML part of its .eml file, read here with postal-mime.
    expect(html).toBe((await PostalMime.parse(readFileSync(newest.path))).html);
    // Choosing another shows its body.
    if (sent.length > 1) {
      const older = sent[0] as (typeof sent)[number];
      await page.locator(`[data-testid="mail"] li[data-mail="${older.messageId}"] button`).click();
      await expect.poll(() => frame.getAttribute('title')).toBe(`email: ${older.subject}`);
    }
    // The list and the message in view (a full-page capture leaves a frame outside the viewport unpainted).
    for (const viewport of VIEWPORTS) {
      await page.setViewportSize({ width: viewport.width, height: viewport.height });
      await page.locator('[data-testid="mail"]').scrollIntoViewIfNeeded();
      await page.waitForTimeout(300);
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
      expect(overflow, `the emails at ${viewport.width} px are wider than the screen`).toBeLessThanOrEqual(0);
      await page.screenshot({ path: join(SHOTS, `report-mail-${viewport.name}.png`) });
    }
    await page.close();
  });

  it("shows a day's data quality as GET /quality answers it", async () => {
    const date = '2025-10-28';
    const expected = await apiGet<QualityResponse>(`/quality?date=${date}`);
    expect(expected.totals.rejected).toBeGreaterThan(0);
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    await openTab(page, `#/quality?date=${date}`);
    const kpi = async (name: string) => shownNumber(await page.locator(`[data-kpi="${name}"] .kpi-value`).innerText());
    await expect.poll(() => kpi('lines')).toBe(expected.totals.lines);
    expect(await kpi('rejected')).toBe(expected.totals.rejected);
    expect(await kpi('duplicates')).toBe(expected.totals.duplicate_transactions);
    expect(await kpi('cross_store')).toBe(expected.lake?.cross_store_duplicates.transactions);
    expect(await kpi('prefix')).toBe(expected.totals.prefix_mismatches.transactions);
    expect(await kpi('corrections')).toBe(expected.totals.corrections);
    const reasons = page.locator('[data-testid="quality-reasons"] tbody tr');
    expect(await reasons.count()).toBe(expected.totals.reasons.length);
    for (const r of expected.totals.reasons) {
      const row = page.locator(`[data-testid="quality-reasons"] tr[data-row="${r.field}/${r.rule}"]`);
      expect(shownNumber(await row.locator('td[data-col="lines"]').innerText())).toBe(r.lines);
    }
    expect(await page.locator('[data-testid="quality-uploads"] tbody tr').count()).toBe(expected.uploads.length);
    await page.screenshot({ path: join(SHOTS, 'quality-day-desktop.png'), fullPage: true });
    await page.close();
  });

  it('renders every tab without errors at desktop and phone width, and saves a screenshot of each', async () => {
    const tabs = ['overview', 'trends', 'stores', 'files', 'marketplace', 'jobs', 'quality', 'report'];
    for (const viewport of VIEWPORTS) {
      const page = await browser.newPage({ viewport: { width: viewport.width, height: viewport.height } });
      const errors: string[] = [];
      page.on('pageerror', (e) => errors.push(e.message));
      for (const tab of tabs) {
        await openTab(page, `#/${tab}`);
        expect(await page.getByRole('alert').count(), `${tab} at ${viewport.width} px shows an error`).toBe(0);
        // Nothing wider than the screen: tables scroll inside their cards.
        const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
        expect(overflow, `${tab} at ${viewport.width} px is wider than the screen`).toBeLessThanOrEqual(0);
        await page.waitForTimeout(300);
        await page.screenshot({ path: join(SHOTS, `${tab}-${viewport.name}.png`), fullPage: true });
      }
      expect(errors).toEqual([]);
      await page.close();
    }
  });
});
