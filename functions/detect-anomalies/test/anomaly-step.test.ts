import { detectAnomalies } from '@tillflow/insights';
import { describe, expect, it } from 'vitest';
// The insights package's constructed series: four weeks of five stores, with a drop planted where asked.
import { buildFacts } from '../../../packages/insights/test/series';
import { anomalyStepResult } from '../src/anomaly-step';

describe('anomalyStepResult', () => {
  it('counts a planted 60% drop as critical, in store 0003 only', () => {
    const anomalies = detectAnomalies(buildFacts({ noise: true, drop: { store: '0003', factor: 0.4 } }));
    const result = anomalyStepResult('analysis/date=2025-10-29/revision=1/anomalies.json', anomalies);
    expect(anomalies.length).toBeGreaterThan(0);
    expect(new Set(anomalies.map((a) => a.subject))).toEqual(new Set(['0003']));
    expect(result).toMatchObject({
      status: 'ok',
      key: 'analysis/date=2025-10-29/revision=1/anomalies.json',
      count: anomalies.length,
    });
    expect(result.severities.critical).toBe(anomalies.filter((a) => a.severity === 'critical').length);
    expect(result.severities.critical).toBeGreaterThanOrEqual(1);
    expect(Object.values(result.severities).reduce((a, b) => a + b, 0)).toBe(anomalies.length);
  });

  it('counts nothing on a steady day', () => {
    const result = anomalyStepResult('k', detectAnomalies(buildFacts({ noise: true })));
    expect(result).toEqual({
      status: 'ok',
      key: 'k',
      count: 0,
      severities: { critical: 0, high: 0, medium: 0, low: 0 },
    });
  });
});
