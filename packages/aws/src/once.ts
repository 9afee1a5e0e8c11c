/**
 * `create`, run on the first call only; every call gets the same promise, so callers that race on a cold start share
 * one result (one SDK client, one tracer) instead of each building their own. A rejection is not kept: the next call
 * tries again, as a failed constructor would have been retried before the factories were lazy.
 */
export function once<T>(create: () => Promise<T>): () => Promise<T> {
  let pending: Promise<T> | undefined;
  return () => {
    pending ??= create().catch((error: unknown) => {
      pending = undefined;
      throw error;
    });
    return pending;
  };
}
