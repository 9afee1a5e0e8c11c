/**
 * The one place that builds AWS SDK clients. Endpoints come from the SDK's own variables (`AWS_ENDPOINT_URL_S3`,
 * `AWS_ENDPOINT_URL_DYNAMODB`, `AWS_ENDPOINT_URL_SNS`, `AWS_ENDPOINT_URL_SFN`, `AWS_ENDPOINT_URL_SESV2`), which the SDK reads itself; this
 * module only adds what a local S3 server needs when such an override is present, so the same bundle runs in AWS.
 * Clients are created once per cold start and traced by X-Ray in Lambda (untraced elsewhere). One module per service,
 * so that a function's bundle imports only the SDK clients it uses.
 *
 * Factories are async and load their SDK package with `import()` on first use: importing an SDK client costs
 * 100-200 ms, which an API function would otherwise pay at every cold start before answering, and which a handler
 * that never reaches a service should not pay at all. The adapters load their command classes the same way (the
 * module is already loaded by then, so that costs nothing more).
 */
export * from './clients/athena';
export * from './clients/bedrock';
export * from './clients/dynamodb';
export * from './clients/s3';
export * from './clients/ses';
export * from './clients/sfn';
export * from './clients/sns';
