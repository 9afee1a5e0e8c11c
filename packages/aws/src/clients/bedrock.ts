import type { BedrockRuntimeClient } from '@aws-sdk/client-bedrock-runtime';
import { traced } from '../observability';
import { once } from '../once';

/**
 * Bedrock Runtime (Converse). One attempt per call: the insights provider retries throttling itself with full
 * jitter, and the SDK's own retries would multiply its attempts.
 */
export const bedrockRuntimeClient: () => Promise<BedrockRuntimeClient> = once(async () => {
  const { BedrockRuntimeClient } = await import('@aws-sdk/client-bedrock-runtime');
  return traced(new BedrockRuntimeClient({ maxAttempts: 1 }));
});
