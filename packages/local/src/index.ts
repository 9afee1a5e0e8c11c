/**
 * @tillflow/local: the local platform (S3, DynamoDB, Step Functions, SNS, SES, CloudWatch Logs, the HTTP API and the
 * scheduler, with each function's bundle in Lambda-like execution environments) and the `tillflow` CLI that runs it.
 * In rooms: `runtime/` (the execution environments), `servers/` (the AWS stand-ins), `routing/` (S3 events, the
 * schedule, reconciliation after an interruption), `lifecycle/` (ports, the state folder), `cli/`; `platform.ts`
 * starts and stops them in phases.
 */

export { storeFiles, type UploadResult, uploadStoreFiles } from './cli/sample-upload';
export { DEFAULT_EXPECTED_STORES, LOCAL_CREDENTIALS, LOCAL_REPORT_EMAIL, localAdditions } from './env';
export { StateDirInUseError } from './lifecycle/state-lock';
export {
  DASHBOARD_DIR,
  DEFAULT_PORTS,
  type Platform,
  type PlatformOptions,
  type Ports,
  REPO_ROOT,
  startPlatform,
} from './platform';
export { ACCOUNT_ID, BUCKET_NAME, functionArn, REGION, stateMachineArn, topicArn } from './resources';
export type { Reconciled } from './routing/reconcile';
export type { S3ObjectCreatedEvent } from './routing/s3-events';
export type { FunctionSettings, LogSink } from './runtime/environment';
export { LambdaInvocationError } from './runtime/errors';
export { LAMBDA_VARIABLE_NAMES } from './runtime/functions';
export type { LambdaRuntime } from './runtime/lambda-runtime';
export {
  type FaultAction,
  FaultInjector,
  type FaultRequest,
  type FaultRule,
  type FaultService,
  type InjectedFault,
  serverError,
  throttle,
} from './servers/fault-proxy';
export type { LocalMailMessage, LocalMailResponse } from './servers/local-routes';
export { functionLogGroup, LogStore } from './servers/logs';
export { type MailboxMessage, readMailbox } from './servers/mailbox';
export type { SentEmail } from './servers/ses';
export type { PublishedMessage } from './servers/sns';
export type { ExecutionRecord, ExecutionStatus } from './servers/step-functions';
export { type TestLine, testStoreFile, uploadThroughApi } from './test-data';
export { startTestPlatform } from './testing';
