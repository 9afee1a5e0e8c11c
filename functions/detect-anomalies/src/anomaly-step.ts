import type { InsightStepOutcome } from '@tillflow/aws';
import type { Anomaly, Severity } from '@tillflow/insights';

/** The step's result: the key of the anomalies, how many, and how many of each severity (for the logs and output). */
export type AnomalyStepResult = Extract<InsightStepOutcome, { status: 'ok' }> & {
  severities: Record<Severity, number>;
};

export function anomalyStepResult(key: string, anomalies: readonly Anomaly[]): AnomalyStepResult {
  const severities: Record<Severity, number> = { critical: 0, high: 0, medium: 0, low: 0 };
  for (const a of anomalies) severities[a.severity] += 1;
  return { status: 'ok', key, count: anomalies.length, severities };
}
