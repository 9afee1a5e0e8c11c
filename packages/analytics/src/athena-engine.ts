import { type AthenaTarget, runAthenaQuery } from '@tillflow/aws';
import { ATHENA } from './dialect';
import type { AnalyticsEngine, QueryResult, RunInput } from './engine';
import { toResultRows } from './values';

/**
 * Amazon Athena over the Glue table `sales` (infrastructure/analytics.tf), for a lake larger than one function reads
 * comfortably: the same operations in the Athena dialect, the values as ExecutionParameters. Partition projection
 * finds the partitions of the range from the `"date"` predicate, so the listed files are not needed here.
 */
export function athenaEngine(target: AthenaTarget): AnalyticsEngine {
  return {
    name: 'athena',
    dialect: ATHENA,
    run: async (input: RunInput): Promise<QueryResult> => {
      const out = await runAthenaQuery(target, input.query.sql, input.query.params, input.signal);
      const names = out.columns.map((c) => c.name);
      const objects = out.rows.map((cells) => Object.fromEntries(names.map((name, i) => [name, cells[i] ?? null])));
      return { columns: input.columns, rows: toResultRows(objects, input.columns) };
    },
  };
}
