import { getXRayTraceIdFromEnv } from '@aws-lambda-powertools/commons/utils/env';
import { Logger } from '@aws-lambda-powertools/logger';
import { Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';
import type { Tracer } from '@aws-lambda-powertools/tracer';
import { once } from './once';

const serviceName = process.env.POWERTOOLS_SERVICE_NAME ?? 'tillflow';

/**
 * The CloudWatch namespace of the business metrics when `POWERTOOLS_METRICS_NAMESPACE` is not set. Terraform sets it
 * from `var.metrics_namespace` (infrastructure/locals.tf), which the alarms in infrastructure/monitoring.tf read too.
 */
export const DEFAULT_METRICS_NAMESPACE = 'Tillflow';

/** The root logger (structured JSON). Handlers get a child with their function name. */
export const rootLogger = new Logger({ serviceName });

export type { Logger };

/**
 * The process's Powertools Metrics: business metrics as CloudWatch embedded metric format (EMF) lines on stdout,
 * which Lambda sends to the function's log group and CloudWatch turns into metrics (no API call, no latency). The
 * kit flushes it once per invocation (`defineHandler`); `POWERTOOLS_METRICS_DISABLED=true` silences it.
 */
export const metrics = new Metrics({
  namespace: process.env.POWERTOOLS_METRICS_NAMESPACE || DEFAULT_METRICS_NAMESPACE,
  serviceName,
});

export { type Metrics, MetricUnit };

/**
 * The Powertools Tracer traces only in a Lambda execution environment (`AWS_EXECUTION_ENV` set) and not when
 * `POWERTOOLS_TRACE_ENABLED` is `false`; anywhere else it returns clients untouched. Importing it costs ~100 ms
 * (aws-xray-sdk-core) of cold start, so it is loaded only where it would trace; the Tracer then applies its own
 * remaining rules (SAM CLI, Amplify mock) as before. The local platform sets `POWERTOOLS_TRACE_ENABLED=false`
 * (packages/local/src/env.ts): it has no X-Ray daemon.
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

/**
 * Runs one workflow step (a handler's body) in an X-Ray subsegment `## <name>` of the invocation's segment, with the
 * correlation id as the annotation `correlation_id` (searchable: `annotation.correlation_id = "uploads/…"`), the
 * cold start and service annotations, and the error, if any, as the subsegment's fault. The SDK calls the step makes
 * are subsegments of it ({@link traced}). Without tracing (outside Lambda, `POWERTOOLS_TRACE_ENABLED=false`) it only
 * runs `step`, and the Tracer is never imported. With tracing on but no trace to attach to (Lambda gives none: no
 * `_X_AMZN_TRACE_ID` nor invoke-store trace id, as in a harness without active tracing), the step runs untraced:
 * asking the X-Ray SDK for the segment then would log a "Missing AWS Lambda trace data" error on every invocation.
 */
export async function inStepSegment<R>(name: string, correlationId: string | undefined, step: () => Promise<R>) {
  if (!tracingWanted() || !getXRayTraceIdFromEnv()) return step();
  const t = await tracer();
  const parent = t.isTracingEnabled() ? t.getSegment() : undefined;
  if (!parent) return step();
  const segment = parent.addNewSubsegment(`## ${name}`);
  t.setSegment(segment);
  t.annotateColdStart();
  t.addServiceNameAnnotation();
  if (correlationId) t.putAnnotation('correlation_id', correlationId);
  try {
    return await step();
  } catch (error) {
    t.addErrorAsMetadata(error as Error);
    throw error;
  } finally {
    segment.close();
    t.setSegment(parent);
  }
}
