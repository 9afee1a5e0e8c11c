import { Value } from 'typebox/value';
import { describe, expect, it } from 'vitest';
import { detectAnomalies } from '../src/anomalies';
import { InsightFacts } from '../src/insight-facts.schema';
import { DailyInsights } from '../src/insights.schema';
import { recommend } from '../src/recommendations';
import { createStatisticalProvider, statisticalInsights } from '../src/statistical';
import { analyzeTrends } from '../src/trends';
import { buildFacts, DATE, ODD_SKU } from './series';

const planted = buildFacts({ drop: { store: '0003', factor: 0.4 }, paymentShift: true });

describe('detectAnomalies', () => {
  it('finds a planted 60% drop against the store history, critical, with its numbers', () => {
    const anomalies = detectAnomalies(planted);
    const drop = anomalies.find((a) => a.subject === '0003' && a.method === 'history' && a.metric === 'net_sales');
    expect(drop).toMatchObject({
      severity: 'critical',
      direction: 'below',
      basis: 'same_weekday',
      value: 320,
      expected: 800,
      deviation_pct: -60,
      // (320 - 800) / max(1.4826 * 0, 3% of 800).
      robust_z: -20,
    });
    expect(drop?.facts).toEqual({
      value: 320,
      baseline_median: 800,
      baseline_mad: 0,
      baseline_days: 4,
      deviation_pct: -60,
      robust_z: -20,
    });
    expect(drop?.summary).toBe(
      'Store 0003 net sales 320.00 are 60.0% below the usual 800.00 (same weekday, 4 days; robust z -20.00).',
    );
  });

  it('finds the same drop against the peers, and only in store 0003', () => {
    const anomalies = detectAnomalies(planted);
    const peers = anomalies.find((a) => a.method === 'peers');
    expect(peers).toMatchObject({ subject: '0003', severity: 'critical', deviation_pct: -60 });
    expect(peers?.facts).toMatchObject({ level_pct: 40, peer_level_pct: 100, peers: 5 });
    // Transactions follow net sales (13 against 32: -59.4%); the average basket does not move.
    expect(anomalies.map((a) => `${a.subject}/${a.method}/${a.metric}/${a.deviation_pct}`)).toEqual([
      '0003/history/net_sales/-60',
      '0003/history/transactions/-59.4',
      '0003/peers/net_sales/-60',
    ]);
  });

  it('finds nothing in a flat series, with or without day-to-day noise', () => {
    expect(detectAnomalies(buildFacts())).toEqual([]);
    expect(detectAnomalies(buildFacts({ noise: true }))).toEqual([]);
  });

  it('grades severity by the size of the deviation', () => {
    const severity = (factor: number) =>
      detectAnomalies(buildFacts({ drop: { store: '0005', factor } })).find(
        (a) => a.method === 'history' && a.metric === 'net_sales',
      )?.severity;
    expect(severity(0.65)).toBe('high');
    expect(severity(0.75)).toBe('medium');
    expect(severity(0.85)).toBe('low');
    expect(severity(0.95)).toBeUndefined();
    expect(severity(1.6)).toBe('critical');
  });

  it('falls back to every trailing day without three same weekdays, and skips stores with under 7 days', () => {
    const tenDays = buildFacts({ drop: { store: '0003', factor: 0.4 }, historyDays: 10 });
    const drop = detectAnomalies(tenDays).find((a) => a.method === 'history' && a.metric === 'net_sales');
    expect(drop?.basis).toBe('trailing');
    expect(drop?.facts.baseline_days).toBe(10);
    expect(detectAnomalies(buildFacts({ drop: { store: '0003', factor: 0.4 }, historyDays: 6 }))).toEqual([]);
  });
});

describe('analyzeTrends', () => {
  const trends = analyzeTrends(planted);

  it('calls a rising product improving and a falling one declining, week over week', () => {
    const rise = trends.find((t) => t.subject === 'RISE-001');
    // Units 17…23 this week against 10…16, at 5.00 each: 700.00 against 455.00.
    expect(rise).toMatchObject({ direction: 'improving', current: 700, previous: 455, change_pct: 53.8, days: 7 });
    expect(rise?.facts).toMatchObject({ units_current: 140, units_previous: 91, units_change_pct: 53.8 });
    const fall = trends.find((t) => t.subject === 'FALL-002');
    expect(fall).toMatchObject({ direction: 'declining', current: 420, previous: 714, change_pct: -41.2 });
  });

  it('lists no stable product, and reports every store and the company even when stable', () => {
    expect(trends.some((t) => t.subject === 'FLAT-003' || t.subject === ODD_SKU)).toBe(false);
    expect(trends.filter((t) => t.scope === 'store').length).toBe(10);
    const company = trends.find((t) => t.scope === 'company' && t.metric === 'net_sales');
    // One day down 480.00 among six unchanged ones: -1%, not significant, so stable.
    expect(company).toMatchObject({ direction: 'stable', current: 46970, previous: 47450, significant: false });
  });

  it('keeps stable a significant change inside the 5% band', () => {
    const t = analyzeTrends(planted, { trendBandPct: 60 }).find((x) => x.subject === 'RISE-001');
    expect(t).toBeUndefined();
  });
});

describe('recommend', () => {
  const insights = statisticalInsights(planted);

  it('asks to investigate the store with the drop, citing its anomalies and their facts', () => {
    const r = insights.recommendations.find((x) => x.category === 'investigate');
    expect(r).toMatchObject({ subject: '0003', priority: 'high' });
    expect(r?.evidence).toEqual(insights.anomalies.map((a) => a.id));
    expect(r?.facts).toMatchObject({
      'net_sales.value': 320,
      'net_sales.baseline_median': 800,
      'net_sales.deviation_pct': -60,
      'transactions.value': 13,
      'net_sales_vs_peers.level_pct': 40,
    });
  });

  it('restocks the fast mover, promotes the declining product and flags the payment-mix shift', () => {
    const byCategory = Object.fromEntries(
      insights.recommendations.map((r) => [`${r.category}/${r.subject}`, r] as const),
    );
    expect(Object.keys(byCategory)).toEqual([
      'investigate/0003',
      'restock/RISE-001',
      'promote/FALL-002',
      'payment_mix/cash',
      'payment_mix/mobile',
    ]);
    expect(byCategory['restock/RISE-001']).toMatchObject({ priority: 'high' });
    expect(byCategory['restock/RISE-001']?.facts).toMatchObject({
      'net_sales_trend.units_change_pct': 53.8,
      'today.rank': 1,
      'today.units': 23,
      'today.stores_count': 2,
    });
    // 714.00 of the company's 47,450.00 the week before: 1.5%, so medium.
    expect(byCategory['promote/FALL-002']).toMatchObject({ priority: 'medium' });
    expect(byCategory['promote/FALL-002']?.facts['company.previous_share_pct']).toBe(1.5);
    expect(byCategory['payment_mix/cash']?.facts).toMatchObject({
      share_current_pct: 15,
      share_previous_pct: 30,
      shift_pp: -15,
    });
    expect(byCategory['payment_mix/mobile']?.action).toBe(
      'Mobile rose to 25.0% of net sales from 10.0% the week before: make sure every till accepts mobile payments.',
    );
  });

  it('recommends only the product actions when the stores are flat and the mix unchanged', () => {
    const flat = buildFacts({ noise: true });
    expect(recommend(flat, detectAnomalies(flat), analyzeTrends(flat)).map((r) => r.subject)).toEqual([
      'RISE-001',
      'FALL-002',
    ]);
  });

  it('gives every recommendation facts and, except payment mix, evidence', () => {
    for (const r of insights.recommendations) {
      expect(Object.keys(r.facts).length).toBeGreaterThan(0);
      if (r.category !== 'payment_mix') expect(r.evidence.length).toBeGreaterThan(0);
    }
  });
});

describe('statisticalInsights', () => {
  it('gives identical output, ids included, for the same input in any order', () => {
    const again = buildFacts({ drop: { store: '0003', factor: 0.4 }, paymentShift: true });
    const shuffled = {
      ...again,
      stores: [...again.stores].reverse(),
      storeHistory: [...again.storeHistory].reverse(),
      company: [...again.company].reverse(),
      products: [...again.products].reverse(),
    };
    const first = statisticalInsights(planted);
    expect(statisticalInsights(shuffled)).toEqual(first);
    expect(first.anomalies[0]?.id).toBe(statisticalInsights(planted).anomalies[0]?.id);
    const ids = [...first.anomalies, ...first.trends, ...first.recommendations].map((i) => i.id);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('reads facts that match the InsightFacts schema and produces a document that matches DailyInsights', () => {
    expect(Value.Check(InsightFacts, planted)).toBe(true);
    const result = statisticalInsights(planted);
    expect(Value.Check(DailyInsights, result)).toBe(true);
    expect(result.summary).toBe(
      `${DATE}: 3 anomalies (3 critical), 14 trends (1 improving, 1 declining), 5 recommendations (2 high priority).`,
    );
  });

  it('reuses anomalies and trends computed by earlier steps', async () => {
    const anomalies = detectAnomalies(planted).slice(0, 1);
    const result = await createStatisticalProvider().analyze(planted, { anomalies, trends: [] });
    expect(result.anomalies).toEqual(anomalies);
    expect(result.trends).toEqual([]);
    expect(result.recommendations.map((r) => r.category)).toEqual(['investigate', 'payment_mix', 'payment_mix']);
  });
});
