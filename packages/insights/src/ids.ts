import { createHash } from 'node:crypto';
import type { InsightKind, InsightScope } from './insights.schema';

const PREFIX: Record<InsightKind, string> = { anomaly: 'a', trend: 't', recommendation: 'r' };

/**
 * The id of an insight: a hash of (date, kind, scope, subject, metric), so the same finding on a re-run gets the same
 * id and overwrites itself. For a recommendation `metric` is its category; for an anomaly, `<method>:<metric>`, since
 * one store-day metric can be unusual both against its history and against its peers. Short and free of store-supplied
 * text, so it is safe to show to a model and to use in a key.
 */
export function insightId(
  date: string,
  kind: InsightKind,
  scope: InsightScope,
  subject: string,
  metric: string,
): string {
  const digest = createHash('sha256')
    .update(JSON.stringify([date, kind, scope, subject, metric]))
    .digest('hex');
  return `${PREFIX[kind]}-${digest.slice(0, 16)}`;
}
