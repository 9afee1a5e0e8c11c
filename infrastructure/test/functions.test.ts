import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  type Body,
  block,
  dynamicBlocks,
  FUNCTIONS_DIR,
  type FunctionEntry,
  functionMaps,
  functionPackages,
  loadModule,
  nested,
  type TerraformModule,
} from './terraform';

let module: TerraformModule;
let maps: ReturnType<typeof functionMaps>;
let deployed: Record<string, FunctionEntry>;

beforeAll(async () => {
  module = await loadModule();
  maps = functionMaps(module);
  deployed = maps.deployed;
});

/** The source of a function package's src/, concatenated (empty when it has none yet). */
function sourceOf(name: string): string {
  const dir = join(FUNCTIONS_DIR, name, 'src');
  let files: string[];
  try {
    files = readdirSync(dir).filter((f) => f.endsWith('.ts'));
  } catch {
    return '';
  }
  return files.map((f) => readFileSync(join(dir, f), 'utf8')).join('\n');
}

describe('the function map and functions/', () => {
  it('has an entry for every package under functions/ and a package for every entry', () => {
    const packages = functionPackages();
    expect(packages.length).toBeGreaterThan(0);
    expect(Object.keys(deployed).sort()).toEqual(packages);
  });

  it('merges the analysis, API and job functions into local.functions unconditionally, with no name in two parts', () => {
    expect(module.locals.functions).toBe(
      '${merge(local.upload_functions, local.analysis_functions, local.api_functions, local.analytics_job_functions)}',
    );
    expect(module.locals).not.toHaveProperty('daily_analysis_packaged');
    const parts = [maps.upload, maps.analysis, maps.api, maps.jobs].map((m) => Object.keys(m));
    expect(new Set(parts.flat()).size).toBe(parts.reduce((n, p) => n + p.length, 0));
  });

  it('names each package @tillflow/fn-<folder> with a package script, so turbo builds dist/functions/<folder>.zip', () => {
    for (const name of functionPackages()) {
      const pkg = JSON.parse(readFileSync(join(FUNCTIONS_DIR, name, 'package.json'), 'utf8'));
      expect(pkg.name, name).toBe(`@tillflow/fn-${name}`);
      expect(pkg.scripts?.package, name).toBeTypeOf('string');
    }
  });

  it('gives every entry a description, a workable size and only known workflows', () => {
    const workflows = Object.keys(module.locals.workflows as Body);
    for (const [name, fn] of Object.entries(maps.deployed)) {
      expect(fn.description.length, name).toBeGreaterThan(10);
      expect(fn.description.length, name).toBeLessThanOrEqual(256);
      expect(fn.memory_mb, name).toBeGreaterThanOrEqual(128);
      expect(fn.memory_mb, name).toBeLessThanOrEqual(10240);
      expect(fn.timeout_seconds, name).toBeGreaterThanOrEqual(1);
      expect(fn.timeout_seconds, name).toBeLessThanOrEqual(900);
      for (const wf of fn.workflows) expect(workflows, `${name} lists ${wf}`).toContain(wf);
    }
  });

  it('provides every environment variable a handler reads through the config kit', () => {
    const common = Object.keys(module.locals.common_environment as Body);
    for (const [name, fn] of Object.entries(deployed)) {
      const provided = new Set([...common, ...Object.keys(fn.environment)]);
      const read = [...sourceOf(name).matchAll(/\b([A-Z][A-Z0-9_]+):\s*Env\.[A-Z0-9_]+/g)].map((m) => m[1]);
      for (const variable of read) expect(provided.has(variable as string), `${name} reads ${variable}`).toBe(true);
    }
  });

  it('sets the environment contract of the brief: common names and each function’s own', () => {
    expect(module.locals.common_environment).toEqual({
      POWERTOOLS_SERVICE_NAME: 'tillflow',
      POWERTOOLS_LOG_LEVEL: '${var.log_level}',
      POWERTOOLS_METRICS_NAMESPACE: '${var.metrics_namespace}',
      BUCKET_NAME: '${aws_s3_bucket.data.bucket}',
      SALES_TABLE: '${aws_dynamodb_table.sales.name}',
      IDEMPOTENCY_TABLE: '${aws_dynamodb_table.idempotency.name}',
    });
    const all = maps.deployed;
    const analyticsEngine = [
      'ANALYTICS_CACHE_TTL_SECONDS',
      'ANALYTICS_ENGINE',
      'ANALYTICS_STATE_MACHINE_ARN',
      'ATHENA_DATABASE',
      'ATHENA_WORKGROUP',
    ];
    const own: Record<string, string[]> = {
      'generate-upload-url': ['CORS_ALLOWED_ORIGINS', 'UPLOAD_URL_EXPIRES_SECONDS'],
      'process-upload': ['MAX_UPLOAD_BYTES'],
      'get-analytics': ['CORS_ALLOWED_ORIGINS', 'DAILY_ANALYSIS_TIMEZONE'],
      'get-trends': ['CORS_ALLOWED_ORIGINS'],
      'list-catalog': ['CORS_ALLOWED_ORIGINS', 'EXPECTED_STORES'],
      'list-files': ['CORS_ALLOWED_ORIGINS'],
      'generate-download-url': ['CORS_ALLOWED_ORIGINS'],
      'get-report': ['CORS_ALLOWED_ORIGINS'],
      'get-quality': ['CORS_ALLOWED_ORIGINS', 'EXPECTED_STORES'],
      'get-health': ['CORS_ALLOWED_ORIGINS'],
      'get-marketplace-analytics': ['CORS_ALLOWED_ORIGINS'],
      'check-all-stores': ['DAILY_ANALYSIS_STATE_MACHINE_ARN', 'EXPECTED_STORES'],
      'calc-company-metrics': ['EXPECTED_STORES'],
      'notify-failure': ['ALERTS_TOPIC_ARN'],
      'generate-recommendations': ['BEDROCK_MODEL_ID', 'INSIGHTS_PROVIDER'],
      'generate-report': ['EXPECTED_STORES', 'REPORT_EMAIL_RECIPIENTS', 'REPORT_EMAIL_SENDER', 'REPORT_TOPIC_ARN'],
      'publish-notice': ['ALERTS_TOPIC_ARN', 'REPORT_TOPIC_ARN'],
      'trigger-daily-analysis': ['DAILY_ANALYSIS_STATE_MACHINE_ARN', 'DAILY_ANALYSIS_TIMEZONE', 'EXPECTED_STORES'],
      'start-analytics-job': ['ANALYTICS_ENGINE', 'ANALYTICS_STATE_MACHINE_ARN', 'CORS_ALLOWED_ORIGINS'],
      'run-analytics-job': [...analyticsEngine],
      'get-analytics-job': ['CORS_ALLOWED_ORIGINS'],
      'email-analytics-job': ['REPORT_EMAIL_RECIPIENTS', 'REPORT_EMAIL_SENDER'],
      'query-analytics': [
        'ANALYTICS_ENGINE',
        'ANALYTICS_QUERY_BUDGET_MS',
        'ANALYTICS_STATE_MACHINE_ARN',
        'CORS_ALLOWED_ORIGINS',
      ],
    };
    for (const [name, fn] of Object.entries(all)) {
      expect(Object.keys(fn.environment).sort(), name).toEqual(own[name] ?? []);
    }
    expect(all['check-all-stores']?.environment.DAILY_ANALYSIS_STATE_MACHINE_ARN).toBe(
      '${local.daily_analysis_state_machine_arn}',
    );
  });

  it('grants the idempotency table to every handler that uses idempotency', () => {
    for (const [name, fn] of Object.entries(deployed)) {
      if (!/\bidempotency:\s*\{/.test(sourceOf(name))) continue;
      const sids = fn.statements.map((s) => s.sid);
      expect(sids, name).toContain('IdempotencyRecords');
    }
  });
});

describe('aws_lambda_function.function', () => {
  it('creates every function of the map from its zip, with the handler the bundler writes', () => {
    const fn = block(module, 'resource', 'aws_lambda_function', 'function');
    expect(fn.for_each).toBe('${local.functions}');
    expect(fn.function_name).toBe('${var.project_name}-${each.key}');
    expect(fn.handler).toBe('index.handler');
    expect(fn.runtime).toBe('nodejs24.x');
    expect(fn.architectures).toEqual(['${var.lambda_architecture}']);
    expect(fn.filename).toBe('${local.package_dir}/${each.key}.zip');
    expect(fn.source_code_hash).toBe('${filebase64sha256("${local.package_dir}/${each.key}.zip")}');
    expect(module.locals.package_dir).toBe('${path.module}/../dist/functions');
    expect(fn.memory_size).toBe('${local.function_sizes[each.key].memory_mb}');
    expect(fn.timeout).toBe('${local.function_sizes[each.key].timeout_seconds}');
    expect(nested(fn, 'environment')[0]?.variables).toBe('${merge(local.common_environment, each.value.environment)}');
    expect(nested(fn, 'tracing_config')[0]?.mode).toBe('Active');
  });

  it('gives every function its own log group with retention, used by the function', () => {
    const group = block(module, 'resource', 'aws_cloudwatch_log_group', 'function');
    expect(group.for_each).toBe('${local.functions}');
    // Lambda's default group name for the function name above.
    expect(group.name).toBe('/aws/lambda/${var.project_name}-${each.key}');
    expect(group.retention_in_days).toBe('${var.log_retention_days}');
    const fn = block(module, 'resource', 'aws_lambda_function', 'function');
    expect(nested(fn, 'logging_config')[0]?.log_group).toBe('${aws_cloudwatch_log_group.function[each.key].name}');
  });

  it('gives every function an errors, a throttles and a duration alarm on its own FunctionName', () => {
    const expected = { function_errors: 'Errors', function_throttles: 'Throttles', function_duration: 'Duration' };
    for (const [name, metric] of Object.entries(expected)) {
      const alarm = block(module, 'resource', 'aws_cloudwatch_metric_alarm', name);
      expect(alarm.for_each, name).toBe('${local.functions}');
      expect(alarm.namespace, name).toBe('AWS/Lambda');
      expect(alarm.metric_name, name).toBe(metric);
      expect(alarm.dimensions, name).toEqual({
        FunctionName: '${aws_lambda_function.function[each.key].function_name}',
      });
      expect(alarm.alarm_actions, name).toBe('${local.alarm_actions}');
    }
    const duration = block(module, 'resource', 'aws_cloudwatch_metric_alarm', 'function_duration');
    expect(duration.threshold).toBe('${local.function_sizes[each.key].timeout_seconds * 1000 * 0.8}');
  });

  it('gives every function its own role, with its own statements and logs limited to its log group', () => {
    const role = block(module, 'resource', 'aws_iam_role', 'function');
    expect(role.for_each).toBe('${local.functions}');
    const policy = block(module, 'resource', 'aws_iam_role_policy', 'function');
    expect(policy.role).toBe('${aws_iam_role.function[each.key].id}');
    expect(policy.policy).toBe('${data.aws_iam_policy_document.function[each.key].json}');
    const document = block(module, 'data', 'aws_iam_policy_document', 'function');
    const logs = nested(document, 'statement').find((s) => s.sid === 'OwnLogs');
    expect(logs?.resources).toEqual(['${aws_cloudwatch_log_group.function[each.key].arn}:*']);
    const fromMap = dynamicBlocks(document, 'statement').find((d) => d.content.sid === '${statement.value.sid}');
    expect(fromMap?.for_each).toBe('${[for s in each.value.statements : s if try(s.enabled, true)]}');
    expect(fromMap?.content.actions).toBe('${statement.value.actions}');
    expect(fromMap?.content.resources).toBe('${statement.value.resources}');
  });
});
