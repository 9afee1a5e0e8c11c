import { type DailyInsights, insightId } from '@tillflow/insights';
import { describe, expect, it } from 'vitest';
import { combineInsights, countInsights } from '../src/combine';

const DATE = '2025-10-29';

function insights(): DailyInsights {
  const anomaly = {
    id: insightId(DATE, 'anomaly', 'store', '0003', 'history:net_sales'),
    kind: 'anomaly' as const,
    date: DATE,
    scope: 'store' as const,
    subject: '0003',
    summary: 'Store 0003 net sales are 60.0% below their usual level.',
    facts: { value: 400, baseline_median: 1000, deviation_pct: -60 },
    metric: 'net_sales' as const,
    method: 'history' as const,
    basis: 'same_weekday' as const,
    direction: 'below' as const,
    severity: 'critical' as const,
    value: 400,
    expected: 1000,
    deviation_pct: -60,
    robust_z: -12.5,
  };
  const recommendation = {
    id: insightId(DATE, 'recommendation', 'store', '0003', 'investigate'),
    kind: 'recommendation' as const,
    date: DATE,
    scope: 'store' as const,
    subject: '0003',
    summary: 'Investigate store 0003.',
    facts: { 'net_sales.value': 400 },
    category: 'investigate' as const,
    priority: 'high' as const,
    action: 'Investigate store 0003.',
    rationale: 'Net sales 60.0% below usual.',
    evidence: [anomaly.id],
  };
  return {
    date: DATE,
    provider: 'statistical',
    model: null,
    degraded: false,
    reasons: [],
    summary: '1 anomaly',
    anomalies: [anomaly, { ...anomaly }],
    trends: [],
    recommendations: [recommendation],
  };
}

describe('combineInsights', () => {
  it('keeps each insight once by id, so writing the same findings twice cannot add to the day', () => {
    const combined = combineInsights(insights());
    expect(combined.anomalies).toHaveLength(1);
    expect(countInsights(combined)).toEqual({ anomalies: 1, trends: 0, recommendations: 1 });
    expect(combined.recommendations[0]?.evidence).toEqual([combined.anomalies[0]?.id]);
  });

  it('gives the same item for the same insights (a re-run replaces it with itself)', () => {
    expect(combineInsights(insights())).toEqual(combineInsights(insights()));
  });

  it('refuses insights that do not match the schema, naming the field', () => {
    const broken = { ...insights(), anomalies: [{ ...insights().anomalies[0], severity: 'apocalyptic' }] };
    expect(() => combineInsights(broken)).toThrow(/the insights are not valid: \/anomalies\/0\/severity/);
    expect(() => combineInsights({ date: DATE })).toThrow(/the insights are not valid/);
  });
});
