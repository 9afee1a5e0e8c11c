import { Logger } from '@aws-lambda-powertools/logger';
import type { Tracer } from '@aws-lambda-powertools/tracer';
import { once } from './once';

const serviceName = process.env.POWERTOOLS_SERVICE_NAME ?? 'tillflow';

/** The root logger (structured JSON). Handlers get a child with their function name. */
export const rootLogger = new Logger({ serviceName });

export type { Logger };

/**
 * The Powertools Tracer traces only in a Lambda execution environment (`AWS_EXECUTION_ENV` set) and not when
 * `POWERTOOLS_TRACE_ENABLED` is `false`; anywhere else it returns clients untouched. Importing it costs ~100 ms
 * (aws-xray-sdk-core) of cold start, so it is loaded only where it would trace; the Tracer then applies its own
 * remaining rules (SAM CLI, Amplify mock) as before.
 */
function tracingWanted(env: Record<string, string | undefined> = process.env): boolean {
  return Boolean(env.AWS_EXECUTION_ENV) && env.POWERTOOLS_TRACE_ENABLED?.toLowerCase() !== 'false';
}

const tracer = once(async (): Promise<Tracer> => {
  const { Tracer } = await import('@aws-lambda-powertools/tracer');
  return new Tracer({ serviceName });
});

/**
 * An SDK client whose calls are X-Ray subsegments when tracing is on (in Lambda), the client itself otherwise. The
 * process has one tracer, created by the first client that needs it.
 */
export async function traced<C>(client: C): Promise<C> {
  return tracingWanted() ? (await tracer()).captureAWSv3Client(client) : client;
}
