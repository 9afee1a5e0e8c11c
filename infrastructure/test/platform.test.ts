import { MARKETPLACE_FIELDS } from '@tillflow/columnar';
import { API_ROUTE_SPECS, CanonicalRow, marketplaceProcessedKey, storeSummaryKey } from '@tillflow/core';
import { beforeAll, describe, expect, it } from 'vitest';
import { type Body, block, dynamicBlocks, functionMaps, loadModule, nested, type TerraformModule } from './terraform';

let module: TerraformModule;

beforeAll(async () => {
  module = await loadModule();
});

describe('versions', () => {
  it('requires Terraform 1.6 or newer and the AWS provider 5.x or 6.x', () => {
    const [settings] = module.terraform;
    expect(settings?.required_version).toBe('>= 1.6');
    const providers = nested(settings as Body, 'required_providers')[0] as Body;
    expect(providers.aws).toEqual({ source: 'hashicorp/aws', version: '>= 5.80, < 7.0' });
  });
});

describe('data bucket', () => {
  it('is versioned, encrypted (KMS when a key is given), private and TLS-only', () => {
    const versioning = block(module, 'resource', 'aws_s3_bucket_versioning', 'data');
    expect(nested(versioning, 'versioning_configuration')[0]?.status).toBe('Enabled');
    const encryption = block(module, 'resource', 'aws_s3_bucket_server_side_encryption_configuration', 'data');
    const rule = nested(encryption, 'rule')[0] as Body;
    expect(nested(rule, 'apply_server_side_encryption_by_default')[0]).toEqual({
      sse_algorithm: '${var.kms_key_arn == null ? "AES256" : "aws:kms"}',
      kms_master_key_id: '${var.kms_key_arn}',
    });
    const access = block(module, 'resource', 'aws_s3_bucket_public_access_block', 'data');
    for (const flag of ['block_public_acls', 'block_public_policy', 'ignore_public_acls', 'restrict_public_buckets']) {
      expect(access[flag], flag).toBe(true);
    }
    expect(block(module, 'resource', 'aws_s3_bucket_policy', 'data').policy).toBe(
      '${data.aws_iam_policy_document.data_bucket.json}',
    );
  });

  it('moves raw uploads to Intelligent-Tiering after 30 days and expires noncurrent versions', () => {
    const lifecycle = block(module, 'resource', 'aws_s3_bucket_lifecycle_configuration', 'data');
    const rules = nested(lifecycle, 'rule');
    const uploads = rules.find((r) => nested(r, 'filter')[0]?.prefix === 'uploads/') as Body;
    expect(nested(uploads, 'transition')[0]).toEqual({ days: 30, storage_class: 'INTELLIGENT_TIERING' });
    const noncurrent = rules.find((r) => nested(r, 'noncurrent_version_expiration').length > 0) as Body;
    expect(nested(noncurrent, 'noncurrent_version_expiration')[0]?.noncurrent_days).toBe(
      '${var.noncurrent_version_expiration_days}',
    );
  });

  it('takes its CORS origins from the variable', () => {
    const cors = block(module, 'resource', 'aws_s3_bucket_cors_configuration', 'data');
    expect(nested(cors, 'cors_rule')[0]?.allowed_origins).toBe('${local.cors_origins}');
    expect(module.locals.cors_origins).toMatch(/^\$\{concat\(var\.cors_origins, /);
  });
});

describe('tables', () => {
  it('keys the sales table and GSI1 with the attribute names of @tillflow/core', () => {
    const table = block(module, 'resource', 'aws_dynamodb_table', 'sales');
    const key = storeSummaryKey({ storeId: '0001', date: '2025-10-29' });
    expect(nested(table, 'attribute').map((a) => a.name)).toEqual(Object.keys(key));
    expect([table.hash_key, table.range_key]).toEqual(['PK', 'SK']);
    expect(nested(table, 'global_secondary_index')[0]).toMatchObject({
      name: 'GSI1',
      hash_key: 'GSI1PK',
      range_key: 'GSI1SK',
      projection_type: 'ALL',
    });
    expect(table.billing_mode).toBe('PAY_PER_REQUEST');
    expect(nested(table, 'point_in_time_recovery')[0]?.enabled).toBe(true);
  });

  it('keeps idempotency records in their own on-demand table with TTL on Powertools’ expiration attribute', () => {
    const table = block(module, 'resource', 'aws_dynamodb_table', 'idempotency');
    expect(table.hash_key).toBe('id');
    expect(table.billing_mode).toBe('PAY_PER_REQUEST');
    expect(nested(table, 'ttl')[0]).toEqual({ attribute_name: 'expiration', enabled: true });
  });

  it('alarms on read and write throttles of both tables', () => {
    const alarms = module.locals.dynamodb_throttle_alarms as Record<string, { table: string; metric: string }>;
    expect(
      Object.values(alarms)
        .map((a) => `${a.table} ${a.metric}`)
        .sort(),
    ).toEqual([
      '${aws_dynamodb_table.idempotency.name} ReadThrottleEvents',
      '${aws_dynamodb_table.idempotency.name} WriteThrottleEvents',
      '${aws_dynamodb_table.sales.name} ReadThrottleEvents',
      '${aws_dynamodb_table.sales.name} WriteThrottleEvents',
    ]);
    expect(block(module, 'resource', 'aws_cloudwatch_metric_alarm', 'dynamodb_throttles').dimensions).toEqual({
      TableName: '${each.value.table}',
    });
  });
});

describe('API', () => {
  it('routes each path to a declared function, with a permission for that route only', () => {
    const { deployed } = functionMaps(module);
    const routes = module.locals.api_routes as Record<string, { route_key: string; function: string; public: boolean }>;
    expect(routes['create-upload']).toEqual({
      route_key: 'POST /uploads',
      function: 'generate-upload-url',
      public: false,
    });
    for (const [name, route] of Object.entries(routes)) {
      expect(deployed[route.function], `${name} -> ${route.function}`).toBeDefined();
      expect(route.route_key, name).toMatch(/^(GET|POST|PUT|DELETE|PATCH) \/[^ ]*$/);
    }
    // The routes of the OpenAPI document (and of the local gateway, API_ROUTES, derived from it), each to its function.
    const declared = Object.fromEntries(Object.values(routes).map((r) => [r.route_key, r.function]));
    expect(declared).toEqual(Object.fromEntries(API_ROUTE_SPECS.map((r) => [`${r.method} ${r.path}`, r.handler])));
    for (const spec of API_ROUTE_SPECS) {
      const entry = Object.values(routes).find((r) => r.route_key === `${spec.method} ${spec.path}`) as unknown as {
        public: boolean;
      };
      expect(entry.public, spec.path).toBe(!spec.authorized);
    }
    const permission = block(module, 'resource', 'aws_lambda_permission', 'api');
    expect(permission.for_each).toBe('${local.api_routes}');
    expect(permission.principal).toBe('apigateway.amazonaws.com');
    expect(String(permission.source_arn)).toContain('${aws_apigatewayv2_api.http.execution_arn}/*/');
  });

  it('throttles, logs access and requires a JWT when enable_auth is set', () => {
    const stage = block(module, 'resource', 'aws_apigatewayv2_stage', 'default');
    expect(nested(stage, 'default_route_settings')[0]).toEqual({
      throttling_rate_limit: '${var.api_throttle_rate_limit}',
      throttling_burst_limit: '${var.api_throttle_burst_limit}',
    });
    expect(nested(stage, 'access_log_settings')[0]?.destination_arn).toBe('${aws_cloudwatch_log_group.api_access.arn}');
    const route = block(module, 'resource', 'aws_apigatewayv2_route', 'route');
    expect(route.authorization_type).toBe('${var.enable_auth && !each.value.public ? "JWT" : "NONE"}');
    const routes = module.locals.api_routes as Record<string, { route_key: string; public: boolean }>;
    // Only the health check stays open when the authorizer is on.
    expect(
      Object.values(routes)
        .filter((r) => r.public)
        .map((r) => r.route_key),
    ).toEqual(['GET /health']);
    expect(block(module, 'resource', 'aws_apigatewayv2_authorizer', 'jwt').count).toBe('${var.enable_auth ? 1 : 0}');
    const api = block(module, 'resource', 'aws_apigatewayv2_api', 'http');
    expect(dynamicBlocks(api, 'cors_configuration')[0]?.content.allow_origins).toBe('${cors_configuration.value}');
  });
});

describe('lake', () => {
  it('declares the Glue columns of the canonical row, partitioned by date and store with projection', () => {
    const table = block(module, 'resource', 'aws_glue_catalog_table', 'sales');
    const columns = module.locals.lake_columns as { name: string; type: string }[];
    expect(columns.map((c) => c.name)).toEqual(Object.keys(CanonicalRow.properties));
    // The Parquet types of packages/columnar (arrow-schema.ts), which Athena must be told exactly.
    expect(Object.fromEntries(columns.map((c) => [c.name, c.type]))).toEqual({
      store_id: 'string',
      business_date: 'string',
      transaction_id: 'string',
      timestamp_ms: 'timestamp',
      utc_offset_minutes: 'smallint',
      item_sku: 'string',
      item_name: 'string',
      quantity: 'int',
      unit_price_cents: 'bigint',
      line_total_cents: 'bigint',
      discount_cents: 'bigint',
      payment_method: 'string',
      customer_id: 'string',
    });
    expect(nested(table, 'partition_keys').map((p) => p.name)).toEqual(['date', 'store']);
    const parameters = table.parameters as Record<string, string>;
    expect(parameters['projection.enabled']).toBe('true');
    // The same layout as processedKey() in @tillflow/core.
    expect(parameters['storage.location.template']).toBe(
      's3://${aws_s3_bucket.data.bucket}/processed/sales/date=$${date}/store=$${store}/',
    );
    expect(block(module, 'resource', 'aws_athena_workgroup', 'lake')).toBeDefined();
  });

  it('declares the marketplace lake as a table of its own, partitioned by channel and date with projection', () => {
    const table = block(module, 'resource', 'aws_glue_catalog_table', 'marketplace');
    const columns = module.locals.marketplace_columns as { name: string; type: string }[];
    // The columns packages/columnar writes (MARKETPLACE_FIELDS) but channel, which is the partition column.
    expect(columns.map((c) => c.name)).toEqual(MARKETPLACE_FIELDS.map(([name]) => name).filter((n) => n !== 'channel'));
    const types = Object.fromEntries(columns.map((c) => [c.name, c.type]));
    expect([types.quantity, types.amount_cents, types.b2b, types.status_class]).toEqual([
      'int',
      'bigint',
      'boolean',
      'string',
    ]);
    expect(nested(table, 'partition_keys').map((p) => p.name)).toEqual(['channel', 'date']);
    const parameters = table.parameters as Record<string, string>;
    expect(parameters['projection.channel.values']).toBe('${join(",", var.marketplace_channels)}');
    // The same layout as marketplaceProcessedKey() in @tillflow/core.
    expect(parameters['storage.location.template']).toBe(
      's3://${aws_s3_bucket.data.bucket}/processed/marketplace/channel=$${channel}/date=$${date}/',
    );
    const key = marketplaceProcessedKey({ channel: 'amazon', name: 'q2' }, '2022-04-30');
    expect(key.startsWith('processed/marketplace/channel=amazon/date=2022-04-30/')).toBe(true);
  });
});

describe('notifications and outputs', () => {
  it('subscribes the alert email to the alerts topic, and the report email to the report topic', () => {
    const alerts = block(module, 'resource', 'aws_sns_topic_subscription', 'alerts_email');
    expect([alerts.topic_arn, alerts.protocol, alerts.endpoint]).toEqual([
      '${aws_sns_topic.alerts.arn}',
      'email',
      '${var.alert_email}',
    ]);
    const report = block(module, 'resource', 'aws_sns_topic_subscription', 'report_email');
    expect(report.topic_arn).toBe('${aws_sns_topic.report.arn}');
  });

  it('outputs the API URL, bucket, tables, state machine ARNs and dashboard URL, each described', () => {
    for (const name of ['api_url', 'bucket_name', 'sales_table_name', 'state_machine_arns', 'dashboard_url']) {
      expect(module.output[name], name).toBeDefined();
    }
    for (const [name, output] of Object.entries(module.output)) {
      expect(String(output.description ?? '').length, name).toBeGreaterThan(10);
    }
  });
});
