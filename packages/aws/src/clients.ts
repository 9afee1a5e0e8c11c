/**
 * The one place that builds AWS SDK clients. Endpoints come from the SDK's own variables (`AWS_ENDPOINT_URL_S3`,
 * `AWS_ENDPOINT_URL_DYNAMODB`, `AWS_ENDPOINT_URL_SNS`, `AWS_ENDPOINT_URL_SFN`), which the SDK reads itself; this
 * module only adds what a local S3 server needs when such an override is present, so the same bundle runs in AWS.
 * Clients are created once per cold start and traced by X-Ray in Lambda (the tracer is quiet elsewhere). One module
 * per service, so that a function's bundle imports only the SDK clients it uses.
 */
export * from './clients/bedrock';
export * from './clients/dynamodb';
export * from './clients/s3';
export * from './clients/sfn';
export * from './clients/sns';
