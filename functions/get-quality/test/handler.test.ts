import type { AnalyticsJobView, ApiError, QualityResponse } from '@tillflow/core';
import { addDays } from '@tillflow/core';
import { type Platform, startTestPlatform, uploadThroughApi } from '@tillflow/local';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

/**
 * A day with every kind of finding, through the whole platform: stores upload through the API, the cut-off starts
 * the analysis, a late store and a correction start re-analyses, and `GET /quality` is checked against figures
 * computed here from the files' specification, and against the analytics job `data_integrity` over the same lake.
 */

const EXPECTED = ['0001', '0002', '0003', '0004', '0005'];
// An ended day in UTC (the default business time zone), inside the cut-off's look-back of a week.
const DATE = addDays(new Date().toISOString().slice(0, 10), -2);

/** One line of a file: its transaction id, hour, and what is wrong with it (nothing, quantity 0, a bad total). */
interface Line {
  id: string;
  hour: number;
  fault?: 'quantity' | 'line_total';
}

/** Transaction ids as store files write them: `TXN-<store>-<n>`. */
const tx = (store: string, n: number) => `TXN-${store}-${DATE.replaceAll('-', '')}-${String(n).padStart(4, '0')}`;

const FILES: Record<string, Line[]> = {
  // Two sales under TXN-0001-…-0001 (10:00 and 15:00), an id of store 0002's, a quantity of 0, a wrong total.
  '0001': [
    { id: tx('0001', 1), hour: 10 },
    { id: tx('0001', 1), hour: 10 },
    { id: tx('0001', 2), hour: 11 },
    { id: tx('0001', 1), hour: 15 },
    { id: tx('0002', 9), hour: 12 },
    { id: tx('0001', 3), hour: 13, fault: 'quantity' },
    { id: tx('0001', 4), hour: 14, fault: 'line_total' },
  ],
  '0002': [
    { id: tx('0002', 9), hour: 12 },
    { id: tx('0002', 10), hour: 13 },
  ],
  '0003-v1': [
    { id: tx('0003', 1), hour: 9 },
    { id: tx('0003', 2), hour: 9, fault: 'quantity' },
    { id: tx('0003', 3), hour: 10 },
  ],
  // No valid line: rejected whole, the store has not reported.
  '0004': [
    { id: tx('0004', 1), hour: 9, fault: 'quantity' },
    { id: tx('0004', 2), hour: 9, fault: 'line_total' },
  ],
  '0005': [{ id: tx('0005', 1), hour: 16 }],
  '0003-v2': [
    { id: tx('0003', 1), hour: 9 },
    { id: tx('0003', 3), hour: 10 },
  ],
};

function storeFile(lines: readonly Line[]): string {
  return JSON.stringify(
    lines.map((l, i) => {
      const quantity = l.fault === 'quantity' ? 0 : 2;
      const total = 2.5 * quantity + (l.fault === 'line_total' ? 1 : 0);
      return {
        transaction_id: l.id,
        transaction_timestamp: `${DATE}T${String(l.hour).padStart(2, '0')}:00:00Z`,
        item_sku: `SKU-${i}`,
        item_name: `Product ${i}`,
        quantity,
        unit_price: 2.5,
        line_total: total,
        discount_amount: 0,
        payment_method: 'cash',
        customer_id: 'CUST-1',
      };
    }),
  );
}

let platform: Platform;
const api = (path: string) => fetch(`${platform.endpoints.api}${path}`);
const upload = (file: string) =>
  uploadThroughApi(platform.endpoints.api, `store_${file.slice(0, 4)}_${DATE}.json`, storeFile(FILES[file] ?? []));
let cutoffAt: string;

beforeAll(async () => {
  // The route's 10 s timeout is Terraform's; a cold start on a machine shared by parallel test files can take longer,
  // which would test the machine, not the route.
  platform = await startTestPlatform({
    expectedStores: EXPECTED,
    env: { ANALYTICS_QUERY_BUDGET_MS: '25000' },
    functionTimeoutsSeconds: { 'get-quality': 60 },
  });
  for (const file of ['0001', '0002', '0003-v1', '0004']) await upload(file);
  await platform.waitForIdle();
  // The cut-off: 0005 has not reported, so the trigger claims the day and analyses it without 0005.
  cutoffAt = new Date().toISOString();
  await platform.invoke('trigger-daily-analysis', { id: 'cutoff', time: cutoffAt });
  await platform.waitForIdle();
  await upload('0005'); // late: after the analysis ran (re-analysis r2)
  await platform.waitForIdle();
  await upload('0003-v2'); // a correction (re-analysis r3)
  await platform.waitForIdle();
}, 480_000);
afterAll(() => platform?.stop());

/** The figures of a store's file, computed from its specification (not by the code under test). */
function expectedOf(file: string) {
  const lines = FILES[file] ?? [];
  const faults = (kind: Line['fault']) => lines.filter((l) => l.fault === kind).length;
  const valid = lines.filter((l) => !l.fault);
  const hours = new Map<string, Set<number>>();
  for (const l of valid) hours.set(l.id, (hours.get(l.id) ?? new Set()).add(l.hour));
  const store = file.slice(0, 4);
  const mismatched = valid.filter((l) => !l.id.startsWith(`TXN-${store}-`));
  return {
    lines: lines.length,
    accepted: valid.length,
    rejected: lines.length - valid.length,
    quantity: faults('quantity'),
    lineTotal: faults('line_total'),
    duplicates: [...hours].filter(([, h]) => h.size > 1).map(([id]) => id),
    mismatched: { transactions: new Set(mismatched.map((l) => l.id)).size, lines: mismatched.length },
  };
}

/**
 * The `data_integrity` job of the day, through `GET /analytics/query`: answered inline within the query's budget, or
 * (on a loaded machine, DuckDB's first load being slow) a 202 whose job is then polled until it ends.
 */
async function integrityJob(): Promise<AnalyticsJobView> {
  const res = await api(`/analytics/query?operation=data_integrity&from=${DATE}&to=${DATE}`);
  expect([200, 202]).toContain(res.status);
  let job = (await res.json()) as AnalyticsJobView & { links?: { self: string } };
  const self = job.links?.self ?? `/analytics/jobs/${job.job_id}`;
  while (job.status === 'QUEUED' || job.status === 'RUNNING') {
    await new Promise((resolve) => setTimeout(resolve, 1000));
    job = (await (await api(self)).json()) as AnalyticsJobView;
  }
  expect(job.status).toBe('SUCCEEDED');
  return job;
}

describe('GET /quality', () => {
  it("answers the day's totals over each store's current upload, and every upload", async () => {
    const res = await api(`/quality?date=${DATE}`);
    expect(res.status).toBe(200);
    const body = (await res.json()) as QualityResponse;
    const current = ['0001', '0002', '0003-v2', '0004', '0005'].map(expectedOf);
    const sum = (pick: (e: ReturnType<typeof expectedOf>) => number) => current.reduce((n, e) => n + pick(e), 0);
    expect(body.totals).toEqual({
      uploads: 6,
      files_rejected: 1,
      corrections: 1,
      stale: 0,
      lines: sum((e) => e.lines),
      accepted: sum((e) => e.accepted),
      rejected: sum((e) => e.rejected),
      reasons: expect.arrayContaining([
        { field: 'quantity', rule: 'minimum', lines: sum((e) => e.quantity) },
        { field: 'line_total', rule: 'line_total', lines: sum((e) => e.lineTotal) },
      ]),
      duplicate_transactions: sum((e) => e.duplicates.length),
      prefix_mismatches: {
        transactions: sum((e) => e.mismatched.transactions),
        lines: sum((e) => e.mismatched.lines),
      },
    });
    expect(body.totals.reasons).toHaveLength(2);
    expect(body.totals).toMatchObject({ lines: 14, accepted: 10, rejected: 4, duplicate_transactions: 1 });

    const one = body.uploads.find((u) => u.store_id === '0001');
    expect(one).toMatchObject({
      status: 'processed',
      lines: 7,
      accepted: 5,
      rejected: 2,
      duplicate_transactions: { transactions: 1, examples: expectedOf('0001').duplicates },
      prefix_mismatches: { transactions: 1, lines: 1, examples: [tx('0002', 9)] },
    });
    expect(body.uploads.find((u) => u.store_id === '0004')).toMatchObject({
      status: 'rejected',
      lines: 2,
      accepted: 0,
      rejected: 2,
      reason: 'no line of the file is valid',
    });
  });

  it('names the correction and the version it replaced', async () => {
    const body = (await (await api(`/quality?date=${DATE}`)).json()) as QualityResponse;
    const three = body.uploads.filter((u) => u.store_id === '0003');
    expect(three.map((u) => [u.status, u.lines, u.rejected])).toEqual([
      ['processed', 3, 1],
      ['processed', 2, 0],
    ]);
    const [first, second] = three;
    expect(first?.replaced).toBeUndefined();
    expect(second?.replaced).toEqual({ etag: first?.etag, uploaded_at: first?.uploaded_at });
  });

  it('tells the missing store, the late one and the duplicate across stores found by the analysis', async () => {
    const body = (await (await api(`/quality?date=${DATE}`)).json()) as QualityResponse;
    const five = body.uploads.find((u) => u.store_id === '0005');
    expect(body.stores).toEqual({
      expected: EXPECTED,
      reported: ['0001', '0002', '0003', '0005'],
      missing: ['0004'],
      late: [{ store_id: '0005', first_upload_at: five?.uploaded_at }],
      unexpected: [],
    });
    expect(body.analysis).toEqual({ claimed_at: cutoffAt, revision: 3 });
    expect(body.lake).toMatchObject({
      date: DATE,
      revision: 3,
      stores_read: 4,
      cross_store_duplicates: {
        transactions: 1,
        lines: 2,
        examples: [{ transaction_id: tx('0002', 9), stores: ['0001', '0002'], lines: 2 }],
      },
    });
  });

  it('agrees with the data_integrity job over the same lake', async () => {
    const quality = (await (await api(`/quality?date=${DATE}`)).json()) as QualityResponse;
    const job = await integrityJob();
    const rows = (job.result?.rows ?? []) as { check_name: string; transaction_id: string; lines: number }[];
    const ids = (check: string) =>
      rows
        .filter((r) => r.check_name === check)
        .map((r) => r.transaction_id)
        .sort();
    const current = quality.uploads.filter(
      (u) => u.status === 'processed' && !(u.store_id === '0003' && u.replaced === undefined),
    );
    expect(ids('duplicate_within_partition')).toEqual(current.flatMap((u) => u.duplicate_transactions.examples).sort());
    expect(ids('store_prefix_mismatch')).toEqual(current.flatMap((u) => u.prefix_mismatches.examples).sort());
    expect(ids('duplicate_across_partitions')).toEqual(
      (quality.lake?.cross_store_duplicates.examples ?? []).map((e) => e.transaction_id),
    );
    const across = rows.find((r) => r.check_name === 'duplicate_across_partitions');
    expect(across?.lines).toBe(quality.lake?.cross_store_duplicates.lines);
  }, 180_000);

  it('answers 404 for a day with no upload and 400 for a date that is not one', async () => {
    const none = await api('/quality?date=2020-01-01');
    expect(none.status).toBe(404);
    expect(((await none.json()) as ApiError).error).toMatchObject({ code: 'NOT_FOUND' });
    for (const bad of ['2025-02-30', 'yesterday', '']) {
      const res = await api(`/quality?date=${bad}`);
      expect(res.status).toBe(400);
      expect(((await res.json()) as ApiError).error.code).toBe('VALIDATION_ERROR');
    }
  });

  it('puts the same figures in the report of the latest revision', () => {
    const reports = platform.messages('tillflow-daily-report').filter((m) => m.subject?.includes(DATE));
    const latest = reports[reports.length - 1]?.message ?? '';
    expect(latest).toMatch(/DATA QUALITY/);
    expect(latest).toMatch(/Lines rejected\s+4 \(28\.6%\)/);
    expect(latest).toMatch(/Duplicate ids within a file\s+1\n/);
    expect(latest).toMatch(new RegExp(`Ids in more than one store's file\\s+1 \\(${tx('0002', 9)}: 0001\\+0002\\)`));
    expect(latest).toMatch(/Late stores\s+0005 /);
    expect(latest).toMatch(/Missing stores\s+0004\n/);
  });
});
