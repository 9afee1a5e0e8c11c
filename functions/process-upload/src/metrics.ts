import { type Metrics, MetricUnit } from '@tillflow/aws';
import type { RejectedLine } from '@tillflow/core';
import type { UploadResult } from './process';

/**
 * How many rejected lines each field's rule caught: a line with two faulty fields counts once for each, `(record)`
 * for a fault of the record as a whole. Small (one entry per field of the format), so it travels in the result.
 */
export function rejectedByField(rejected: readonly RejectedLine[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const line of rejected) {
    for (const field of new Set(line.reasons.map((r) => r.field))) counts[field] = (counts[field] ?? 0) + 1;
  }
  return counts;
}

/**
 * The upload's business metrics (docs/operations.md "Metrics"): `FilesAccepted` or `FilesRejected`, `LinesAccepted`,
 * `LinesRejected`, and `LinesRejectedByReason` per field (dimension `reason`). Emitted by the handler's body, which
 * a duplicate delivery does not run (idempotency), so that a file counts once.
 */
export function recordUploadMetrics(metrics: Metrics, result: UploadResult): void {
  metrics.addMetric(result.status === 'processed' ? 'FilesAccepted' : 'FilesRejected', MetricUnit.Count, 1);
  metrics.addMetric('LinesAccepted', MetricUnit.Count, result.accepted);
  metrics.addMetric('LinesRejected', MetricUnit.Count, result.rejected);
  for (const [reason, count] of Object.entries(result.rejectedByField ?? {})) {
    const single = metrics.singleMetric();
    single.addDimension('reason', reason);
    single.addMetric('LinesRejectedByReason', MetricUnit.Count, count);
  }
}
