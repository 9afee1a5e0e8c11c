import {
  BUCKET_NAME,
  IDEMPOTENCY_TABLE,
  REGION,
  SALES_TABLE,
  stateMachineArn,
  TOPIC_NAMES,
  topicArn,
} from './resources';

/** The stores a chain is expected to have when nothing says otherwise: 0001 to 0011, as in the sample data. */
export const DEFAULT_EXPECTED_STORES: readonly string[] = Array.from({ length: 11 }, (_, i) =>
  String(i + 1).padStart(4, '0'),
);

/** s3rver accepts these credentials only; dynalite and the platform's own APIs accept any. */
export const LOCAL_CREDENTIALS = { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' } as const;

/** What the handler environment depends on. */
export interface HandlerEnvironmentInput {
  endpoints: { s3: string; dynamodb: string; sns: string; sfn: string; logs: string };
  expectedStores: readonly string[];
  timeZone: string;
  verbose: boolean;
}

/**
 * The environment the handlers get: the variables Terraform sets on each function, with local names and ARNs, and
 * the SDK's own endpoint variables pointing at the local servers. Locally every function shares one process, so
 * they share this one environment.
 */
export function handlerEnvironment(input: HandlerEnvironmentInput): Record<string, string> {
  return {
    BUCKET_NAME,
    SALES_TABLE,
    IDEMPOTENCY_TABLE,
    EXPECTED_STORES: input.expectedStores.join(','),
    ALERTS_TOPIC_ARN: topicArn(TOPIC_NAMES.alerts),
    REPORT_TOPIC_ARN: topicArn(TOPIC_NAMES.report),
    DAILY_ANALYSIS_STATE_MACHINE_ARN: stateMachineArn('daily-analysis'),
    DAILY_ANALYSIS_TIMEZONE: input.timeZone,
    INSIGHTS_PROVIDER: 'statistical',
    AWS_REGION: REGION,
    AWS_DEFAULT_REGION: REGION,
    AWS_ACCESS_KEY_ID: LOCAL_CREDENTIALS.accessKeyId,
    AWS_SECRET_ACCESS_KEY: LOCAL_CREDENTIALS.secretAccessKey,
    AWS_ENDPOINT_URL_S3: input.endpoints.s3,
    AWS_ENDPOINT_URL_DYNAMODB: input.endpoints.dynamodb,
    AWS_ENDPOINT_URL_SNS: input.endpoints.sns,
    AWS_ENDPOINT_URL_SFN: input.endpoints.sfn,
    AWS_ENDPOINT_URL_CLOUDWATCH_LOGS: input.endpoints.logs,
    POWERTOOLS_SERVICE_NAME: 'tillflow',
    POWERTOOLS_LOG_LEVEL: input.verbose ? 'INFO' : 'WARN',
    POWERTOOLS_TRACE_ENABLED: 'false',
    POWERTOOLS_METRICS_DISABLED: 'true',
  };
}
