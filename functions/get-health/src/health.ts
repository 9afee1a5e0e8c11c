import { describeTableStatus, listObjects } from '@tillflow/aws';
import type { DependencyCheck, HealthResponse } from '@tillflow/core';

/** How long a dependency may take to answer before it counts as down: a health check must answer fast. */
const CHECK_TIMEOUT_MS = 3000;

/** One word for what failed: the SDK's error name says it, never its message (which may name internals). */
function problemOf(error: unknown): string {
  const name = (error as Error).name ?? '';
  if (name === 'TimeoutError') return 'timeout';
  if (/AccessDenied|Forbidden|UnrecognizedClient|InvalidClientTokenId/i.test(name)) return 'forbidden';
  if (/NotFound|NoSuchBucket|ResourceNotFound/i.test(name)) return 'missing';
  return 'unreachable';
}

async function check(probe: () => Promise<unknown>): Promise<DependencyCheck> {
  const began = Date.now();
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(Object.assign(new Error('timeout'), { name: 'TimeoutError' })), CHECK_TIMEOUT_MS);
  });
  try {
    await Promise.race([probe(), timeout]);
    return { ok: true, latency_ms: Date.now() - began, problem: null };
  } catch (error) {
    return { ok: false, latency_ms: Date.now() - began, problem: problemOf(error) };
  } finally {
    clearTimeout(timer);
  }
}

/**
 * Whether the data bucket and the sales table answer, checked in parallel: a listing of at most one key under
 * reports/ (what the role may list, see infrastructure/locals.tf) and DescribeTable (ACTIVE).
 */
export async function checkHealth(bucket: string, table: string, version: string): Promise<HealthResponse> {
  const [bucketCheck, tableCheck] = await Promise.all([
    check(() => listObjects(bucket, 'reports/', 1)),
    check(async () => {
      const status = await describeTableStatus(table);
      if (status !== 'ACTIVE') throw Object.assign(new Error(status), { name: 'NotActive' });
    }),
  ]);
  return {
    status: bucketCheck.ok && tableCheck.ok ? 'ok' : 'degraded',
    version,
    checks: { bucket: bucketCheck, sales_table: tableCheck },
  };
}
