/**
 * Names and ARNs of the local resources: the same names Terraform gives them in AWS (project name `tillflow`), in a
 * fixed fake account and region, so that handlers and ASL see ARNs of the shape they see in AWS.
 */
export const REGION = 'us-east-1';
/** The account of every local ARN (LocalStack's convention: a number no real account has). */
export const ACCOUNT_ID = '000000000000';
/** Terraform's `var.project_name`: the prefix of every resource name. */
export const PROJECT = 'tillflow';

/** The bucket and tables, named as in shared/DESIGN.md "Local defaults". */
export const BUCKET_NAME = 'tillflow-local';
export const SALES_TABLE = 'tillflow-sales';
export const IDEMPOTENCY_TABLE = 'tillflow-idempotency';

/** SNS topics by their role, as in the handler environment (`ALERTS_TOPIC_ARN`, `REPORT_TOPIC_ARN`) and the ASL. */
export const TOPIC_NAMES = {
  alerts: 'tillflow-alerts',
  report: 'tillflow-daily-report',
  jobs: 'tillflow-analytics-jobs',
} as const;

/** `process-upload` → `tillflow-process-upload`, the deployed name of a function or state machine. */
export function resourceName(name: string): string {
  return `${PROJECT}-${name}`;
}

/** The ARN of a function, by its folder name. */
export function functionArn(functionName: string): string {
  return `arn:aws:lambda:${REGION}:${ACCOUNT_ID}:function:${resourceName(functionName)}`;
}

/** The ARN of a state machine, by its ASL file name without `.asl.json`. */
export function stateMachineArn(machineName: string): string {
  return `arn:aws:states:${REGION}:${ACCOUNT_ID}:stateMachine:${resourceName(machineName)}`;
}

/** The ARN of an SNS topic, by its name. */
export function topicArn(topicName: string): string {
  return `arn:aws:sns:${REGION}:${ACCOUNT_ID}:${topicName}`;
}

/**
 * The function folder named by a Lambda function name or ARN, as a Task `Resource` or `lambda:invoke`'s
 * `FunctionName` gives it: `tillflow-x`, `arn:aws:lambda:…:function:tillflow-x`, with or without a `:qualifier`.
 * Undefined when it names no function of this project.
 */
export function functionNameOf(nameOrArn: string): string | undefined {
  const arn = /^arn:aws:lambda:[^:]*:[^:]*:function:([^:]+)(?::[^:]+)?$/.exec(nameOrArn);
  const name = arn ? arn[1] : /^[^:]+$/.test(nameOrArn) ? nameOrArn : undefined;
  if (!name?.startsWith(`${PROJECT}-`)) return undefined;
  return name.slice(PROJECT.length + 1);
}
