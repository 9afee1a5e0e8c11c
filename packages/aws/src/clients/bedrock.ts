import { BedrockRuntimeClient } from '@aws-sdk/client-bedrock-runtime';
import { tracer } from '../observability';

let bedrock: BedrockRuntimeClient | undefined;

/**
 * Bedrock Runtime (Converse). One attempt per call: the insights provider retries throttling itself with full
 * jitter, and the SDK's own retries would multiply its attempts.
 */
export function bedrockRuntimeClient(): BedrockRuntimeClient {
  if (!bedrock) bedrock = tracer.captureAWSv3Client(new BedrockRuntimeClient({ maxAttempts: 1 }));
  return bedrock;
}
