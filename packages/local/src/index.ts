/**
 * @tillflow/local: the local platform (S3, DynamoDB, Step Functions, SNS, the HTTP API and the scheduler, with the
 * functions' real handlers) and the `tillflow` CLI that runs it.
 */
export * from './env';
export * from './gateway';
export * from './http';
export * from './lifecycle/state-lock';
export * from './logs';
export * from './platform';
export * from './resources';
export * from './routes';
export * from './runtime/environment';
export * from './runtime/errors';
export * from './runtime/functions';
export * from './runtime/lambda-runtime';
export * from './runtime/terraform';
export * from './s3-events';
export * from './scheduler';
export * from './sns';
export * from './step-functions';
export * from './testing';
