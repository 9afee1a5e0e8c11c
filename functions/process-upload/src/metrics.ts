import { type Metrics, MetricUnit } from '@tillflow/aws';
import type { ReasonCount } from '@tillflow/core';
import type { UploadResult } from './process';

/**
 * How many rejected lines each field's rules caught, from the rejection log's counts (every rejected line, not only
 * the ones the report shows): a line counts once for each field and rule at fault, `(record)` for a fault of the
 * record as a whole, `(unknown field)` for fields the format does not have. Small (one entry per field of the
 * format), so it travels in the result.
 */
export function rejectedByField(reasons: readonly ReasonCount[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const reason of reasons) counts[reason.field] = (counts[reason.field] ?? 0) + reason.lines;
  return counts;
}

/**
 * The upload's business metrics (docs/operations.md "Metrics"): `FilesAccepted` or `FilesRejected`, `LinesAccepted`,
 * `LinesRejected`, and `LinesRejectedByReason` per field (dimension `reason`). Emitted by the handler's body, which
 * a duplicate delivery does not run (idempotency), so that a file counts once.
 */
export function recordUploadMetrics(
  metrics: Metrics,
  result: Pick<UploadResult, 'status' | 'accepted' | 'rejected'> & { rejectedByField?: Record<string, number> },
): void {
  metrics.addMetric(result.status === 'processed' ? 'FilesAccepted' : 'FilesRejected', MetricUnit.Count, 1);
  metrics.addMetric('LinesAccepted', MetricUnit.Count, result.accepted);
  metrics.addMetric('LinesRejected', MetricUnit.Count, result.rejected);
  for (const [reason, count] of Object.entries(result.rejectedByField ?? {})) {
    const single = metrics.singleMetric();
    single.addDimension('reason', reason);
    single.addMetric('LinesRejectedByReason', MetricUnit.Count, count);
  }
}
