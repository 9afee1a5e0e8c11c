import { analyzeTrends } from '@tillflow/insights';
import { describe, expect, it } from 'vitest';
// The insights package's constructed series: five flat stores, a rising and a falling product over two weeks.
import { buildFacts, DATE, STORES } from '../../../packages/insights/test/series';
import { trendStepResult } from '../src/trend-step';

describe('trendStepResult', () => {
  it('counts trends by scope and direction: a rising product improving, a falling one declining', () => {
    const trends = analyzeTrends(buildFacts());
    const result = trendStepResult(`analysis/date=${DATE}/revision=2/trends.json`, trends);

    expect(trends.find((t) => t.subject === 'RISE-001')?.direction).toBe('improving');
    expect(trends.find((t) => t.subject === 'FALL-002')?.direction).toBe('declining');
    expect(result).toMatchObject({ status: 'ok', key: `analysis/date=${DATE}/revision=2/trends.json` });
    expect(result.count).toBe(trends.length);
    // Net sales and transactions of the company and of every store; products only when they move.
    expect(result.scopes).toEqual({ company: 2, store: 2 * STORES.length, product: 2 });
    expect(result.directions).toEqual({ improving: 1, declining: 1, stable: 2 + 2 * STORES.length });
  });

  it('counts nothing without two weeks of figures', () => {
    expect(trendStepResult('k', analyzeTrends(buildFacts({ historyDays: 3 })))).toEqual({
      status: 'ok',
      key: 'k',
      count: 0,
      directions: { improving: 0, declining: 0, stable: 0 },
      scopes: {},
    });
  });
});
