import { BUCKET_NAME, IDEMPOTENCY_TABLE, SALES_TABLE, stateMachineArn, TOPIC_NAMES, topicArn } from './resources';

/** The stores a chain is expected to have when nothing says otherwise: 0001 to 0011, as in the sample data. */
export const DEFAULT_EXPECTED_STORES: readonly string[] = Array.from({ length: 11 }, (_, i) =>
  String(i + 1).padStart(4, '0'),
);

/**
 * The one key pair the local S3 and DynamoDB accept (`storage-auth.ts` verifies every request's signature with it):
 * `test`/`test`, the convention of other AWS emulators, so that an AWS CLI or SDK configured for one works here, or
 * `TILLFLOW_ACCESS_KEY_ID`/`TILLFLOW_SECRET_ACCESS_KEY`. The handlers and the platform's own clients sign with it;
 * the storage process reads the same variables, which `storage.ts` sets on it.
 */
export const LOCAL_CREDENTIALS: { readonly accessKeyId: string; readonly secretAccessKey: string } = {
  accessKeyId: process.env.TILLFLOW_ACCESS_KEY_ID || 'test',
  secretAccessKey: process.env.TILLFLOW_SECRET_ACCESS_KEY || 'test',
};

/**
 * The report email's local settings when Terraform's `report_email_recipients` default is empty and
 * `report_email_sender` null (no email in AWS unless configured): locally the report always goes by email too, to
 * addresses of the reserved domain example.com (RFC 2606), so that nothing can reach a real mailbox.
 */
export const LOCAL_REPORT_EMAIL: { readonly recipients: readonly string[]; readonly sender: string } = {
  recipients: ['reports@example.com'],
  sender: 'tillflow@example.com',
};

/** What the functions' variables depend on. */
export interface HandlerEnvironmentInput {
  endpoints: { s3: string; dynamodb: string; sns: string; sfn: string; logs: string; ses: string };
  expectedStores: readonly string[];
  timeZone: string;
  verbose: boolean;
  /** `REPORT_EMAIL_RECIPIENTS` and `REPORT_EMAIL_SENDER` (the local SES's verified identity is the sender). */
  reportEmail: { recipients: readonly string[]; sender: string };
}

/**
 * The report email's settings: the platform's options, else Terraform's defaults when they configure an email, else
 * {@link LOCAL_REPORT_EMAIL}.
 */
export function localReportEmail(
  options: { recipients?: readonly string[]; sender?: string } | undefined,
  defaults: Readonly<Record<string, unknown>>,
): { recipients: readonly string[]; sender: string } {
  const configured = defaults.report_email_recipients;
  const recipients =
    Array.isArray(configured) && configured.length > 0 ? configured.map(String) : LOCAL_REPORT_EMAIL.recipients;
  const sender =
    typeof defaults.report_email_sender === 'string' ? defaults.report_email_sender : LOCAL_REPORT_EMAIL.sender;
  return { recipients: options?.recipients ?? recipients, sender: options?.sender ?? sender };
}

/**
 * The local values of the variables Terraform sets on the functions (infrastructure/locals.tf), by name: the local
 * bucket, tables and ARNs, and what the command line sets. A variable Terraform sets from another variable's default
 * (`var.insights_provider`) needs no entry here: the platform reads the default from infrastructure/variables.tf.
 */
export function knownValues(input: Omit<HandlerEnvironmentInput, 'endpoints'>): Record<string, string> {
  return {
    BUCKET_NAME,
    SALES_TABLE,
    IDEMPOTENCY_TABLE,
    EXPECTED_STORES: input.expectedStores.join(','),
    ALERTS_TOPIC_ARN: topicArn(TOPIC_NAMES.alerts),
    REPORT_TOPIC_ARN: topicArn(TOPIC_NAMES.report),
    DAILY_ANALYSIS_STATE_MACHINE_ARN: stateMachineArn('daily-analysis'),
    ANALYTICS_STATE_MACHINE_ARN: stateMachineArn('analytics-job'),
    // The names infrastructure/analytics.tf gives the Athena workgroup and Glue database (project `tillflow`).
    ATHENA_WORKGROUP: 'tillflow',
    ATHENA_DATABASE: 'tillflow_lake',
    DAILY_ANALYSIS_TIMEZONE: input.timeZone,
    REPORT_EMAIL_RECIPIENTS: input.reportEmail.recipients.join(','),
    REPORT_EMAIL_SENDER: input.reportEmail.sender,
    POWERTOOLS_LOG_LEVEL: input.verbose ? 'INFO' : 'WARN',
  };
}

/**
 * The variables only the local platform sets, on every function: the SDK's own endpoint variables pointing at the
 * local servers (so the same bundle runs in AWS, where they are absent), the local credentials (Lambda gives the
 * role's), and tracing off (there is no X-Ray daemon here; in Lambda the Tracer traces).
 */
export function localAdditions(endpoints: HandlerEnvironmentInput['endpoints']): Record<string, string> {
  return {
    AWS_ACCESS_KEY_ID: LOCAL_CREDENTIALS.accessKeyId,
    AWS_SECRET_ACCESS_KEY: LOCAL_CREDENTIALS.secretAccessKey,
    AWS_ENDPOINT_URL_S3: endpoints.s3,
    AWS_ENDPOINT_URL_DYNAMODB: endpoints.dynamodb,
    AWS_ENDPOINT_URL_SNS: endpoints.sns,
    AWS_ENDPOINT_URL_SFN: endpoints.sfn,
    AWS_ENDPOINT_URL_CLOUDWATCH_LOGS: endpoints.logs,
    AWS_ENDPOINT_URL_SESV2: endpoints.ses,
    POWERTOOLS_TRACE_ENABLED: 'false',
  };
}
