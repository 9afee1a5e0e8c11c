import { TransientError } from '@tillflow/core';
import { athenaClient } from './clients/athena';

/** Where and how an Athena query runs (infrastructure/analytics.tf: the workgroup and the Glue database). */
export interface AthenaTarget {
  workgroup: string;
  database: string;
}

/** A finished Athena query: its columns with Athena's type names, and every row's cells as Athena gives them. */
export interface AthenaRows {
  queryExecutionId: string;
  columns: { name: string; type: string }[];
  rows: (string | null)[][];
  /** Bytes the query scanned (what Athena bills). */
  scannedBytes: number;
}

/** How often a running query is asked about: from 200 ms, doubling, at most every 2 s. */
const POLL_FIRST_MS = 200;
const POLL_MAX_MS = 2000;

/**
 * A value as Athena's `ExecutionParameters` take it: the text of a SQL literal (Athena substitutes it for the `?`
 * as written), so a string is quoted with its quotes doubled and a number is its decimal text.
 */
export function athenaParameter(value: string | number | boolean): string {
  if (typeof value === 'string') return `'${value.replaceAll("'", "''")}'`;
  if (typeof value === 'number' && !Number.isFinite(value)) throw new Error(`${value} is not a finite number`);
  return String(value);
}

/**
 * Runs one parameterised statement in Athena and reads every row: StartQueryExecution (the values as
 * ExecutionParameters, never in the text), GetQueryExecution until it ends, GetQueryResults page by page (the first
 * row of the first page is the header). A failed or cancelled query throws with Athena's reason; throttling is a
 * TransientError. `signal` stops the query (StopQueryExecution) and throws its reason.
 */
export async function runAthenaQuery(
  target: AthenaTarget,
  sql: string,
  params: readonly (string | number | boolean)[],
  signal?: AbortSignal,
): Promise<AthenaRows> {
  const { StartQueryExecutionCommand, GetQueryExecutionCommand, GetQueryResultsCommand, StopQueryExecutionCommand } =
    await import('@aws-sdk/client-athena');
  const client = await athenaClient();
  const started = await client.send(
    new StartQueryExecutionCommand({
      QueryString: sql,
      WorkGroup: target.workgroup,
      QueryExecutionContext: { Database: target.database },
      ...(params.length > 0 ? { ExecutionParameters: params.map(athenaParameter) } : {}),
    }),
  );
  const id = started.QueryExecutionId;
  if (!id) throw new TransientError('Athena started no query (no QueryExecutionId)');
  let wait = POLL_FIRST_MS;
  let scannedBytes = 0;
  for (;;) {
    if (signal?.aborted) {
      await client.send(new StopQueryExecutionCommand({ QueryExecutionId: id }));
      signal.throwIfAborted();
    }
    const { QueryExecution } = await client.send(new GetQueryExecutionCommand({ QueryExecutionId: id }));
    const state = QueryExecution?.Status?.State;
    scannedBytes = QueryExecution?.Statistics?.DataScannedInBytes ?? 0;
    if (state === 'SUCCEEDED') break;
    if (state === 'FAILED' || state === 'CANCELLED') {
      throw new Error(`Athena query ${id} ${state}: ${QueryExecution?.Status?.StateChangeReason ?? 'no reason given'}`);
    }
    await new Promise((resolve) => setTimeout(resolve, wait));
    wait = Math.min(wait * 2, POLL_MAX_MS);
  }
  const rows: (string | null)[][] = [];
  let columns: AthenaRows['columns'] = [];
  let token: string | undefined;
  let first = true;
  do {
    const page = await client.send(
      new GetQueryResultsCommand({ QueryExecutionId: id, MaxResults: 1000, ...(token ? { NextToken: token } : {}) }),
    );
    if (first) {
      columns = (page.ResultSet?.ResultSetMetadata?.ColumnInfo ?? []).map((c) => ({
        name: c.Name ?? '',
        type: c.Type ?? 'varchar',
      }));
    }
    const data = (page.ResultSet?.Rows ?? []).map((row) => (row.Data ?? []).map((cell) => cell.VarCharValue ?? null));
    rows.push(...(first ? data.slice(1) : data));
    first = false;
    token = page.NextToken;
  } while (token);
  return { queryExecutionId: id, columns, rows, scannedBytes };
}
