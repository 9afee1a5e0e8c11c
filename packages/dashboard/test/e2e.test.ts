import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AnalyticsResponse, FilesResponse, QualityResponse, RejectionsResponse } from '@tillflow/core';
import { DASHBOARD_DIR, type Platform, REPO_ROOT, startTestPlatform, uploadStoreFiles } from '@tillflow/local';
import { type Browser, chromium, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

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
    const tabs = ['overview', 'trends', 'stores', 'files', 'quality', 'report'];
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
