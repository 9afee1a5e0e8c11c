import { beforeAll, describe, expect, it } from 'vitest';
import { type Body, loadModule, nested, type TerraformModule } from './terraform';

let module: TerraformModule;

beforeAll(async () => {
  module = await loadModule();
});

function conditions(name: string): string[] {
  const variable = module.variable[name];
  if (!variable) throw new Error(`variable ${name} is not declared`);
  return nested(variable, 'validation').map((v) => String(v.condition));
}

/**
 * The pattern of `regex("<pattern>", var.<name>)` (or of `s` inside a for over the variable) in its validation, as a
 * JavaScript RegExp. The patterns here use only syntax RE2 and JavaScript read alike.
 */
function validationRegex(name: string): RegExp {
  for (const condition of conditions(name)) {
    const m = /regex\("((?:[^"\\]|\\.)*)",/.exec(condition);
    if (m) return new RegExp((m[1] as string).replace(/\\\\/g, '\\'));
  }
  throw new Error(`variable ${name} has no regex validation`);
}

/** The literal list of `contains([...], var.<name>)` in its validation. */
function validationSet(name: string): unknown[] {
  for (const condition of conditions(name)) {
    const m = /contains\((\[[^\]]*\]),/.exec(condition);
    if (m) return JSON.parse(m[1] as string);
  }
  throw new Error(`variable ${name} has no contains() validation`);
}

describe('variables', () => {
  it('declares the variables of the issue', () => {
    for (const name of [
      'aws_region',
      'project_name',
      'bucket_name',
      'expected_stores',
      'alert_email',
      'bedrock_model_id',
      'insights_provider',
      'daily_analysis_schedule',
      'daily_analysis_timezone',
      'enable_scheduled_analysis',
      'log_retention_days',
      'cors_origins',
      'enable_auth',
      'lambda_architecture',
      'function_overrides',
      'tags',
    ]) {
      expect(module.variable[name], name).toBeDefined();
    }
  });

  it('gives every variable a type and a description', () => {
    const variables = Object.entries(module.variable);
    expect(variables.length).toBeGreaterThan(20);
    for (const [name, variable] of variables) {
      expect(variable.type, name).toMatch(/^\$\{[\s\S]+\}$/);
      expect(String(variable.description ?? '').length, name).toBeGreaterThan(10);
    }
  });

  it('validates every variable whose wrong value would deploy something broken', () => {
    for (const name of [
      'aws_region',
      'project_name',
      'bucket_name',
      'expected_stores',
      'alert_email',
      'report_email',
      'report_email_recipients',
      'report_email_sender',
      'report_email_identity',
      'bedrock_model_id',
      'insights_provider',
      'daily_analysis_schedule',
      'daily_analysis_timezone',
      'log_retention_days',
      'log_level',
      'workflow_log_level',
      'cors_origins',
      'jwt_issuer',
      'lambda_architecture',
      'function_overrides',
      'upload_url_expires_seconds',
      'api_throttle_rate_limit',
      'api_throttle_burst_limit',
      'kms_key_arn',
      'noncurrent_version_expiration_days',
    ]) {
      const validations = nested(module.variable[name] as Body, 'validation');
      expect(validations.length, name).toBeGreaterThan(0);
      for (const v of validations) {
        expect(String(v.condition), name).toContain(`var.${name}`);
        expect(String(v.error_message).length, name).toBeGreaterThan(10);
      }
    }
  });

  it('accepts region codes and rejects anything else', () => {
    const region = validationRegex('aws_region');
    for (const ok of ['us-east-1', 'eu-central-2', 'ap-southeast-2', 'us-gov-west-1', 'cn-north-1']) {
      expect(region.test(ok), ok).toBe(true);
    }
    for (const bad of ['US-EAST-1', 'us-east', 'useast1', 'us_east_1', 'us-east-1a', '']) {
      expect(region.test(bad), bad).toBe(false);
    }
    expect(region.test(String(module.variable.aws_region?.default))).toBe(true);
  });

  it('accepts only four-digit store ids, at least one, none twice', () => {
    const store = validationRegex('expected_stores');
    for (const ok of ['0001', '0011', '9999']) expect(store.test(ok), ok).toBe(true);
    for (const bad of ['1', '001', '00001', 'abcd', '0001 ', '']) expect(store.test(bad), bad).toBe(false);
    const [first, second] = conditions('expected_stores');
    expect(first).toContain('length(var.expected_stores) > 0');
    expect(second).toBe('${length(distinct(var.expected_stores)) == length(var.expected_stores)}');
    const defaults = module.variable.expected_stores?.default as string[];
    expect(defaults).toHaveLength(11);
    for (const id of defaults) expect(store.test(id), id).toBe(true);
    expect(new Set(defaults).size).toBe(defaults.length);
  });

  it('keeps project names short enough for IAM role names', () => {
    const project = validationRegex('project_name');
    for (const ok of ['tillflow', 'tf-staging', 'abc']) expect(project.test(ok), ok).toBe(true);
    for (const bad of ['Tillflow', 'ab', '-tillflow', 'tillflow-', 'a'.repeat(25), 'till_flow']) {
      expect(project.test(bad), bad).toBe(false);
    }
    // "<project>-fn-" + the longest function name must fit IAM's 64-character limit.
    expect(`${'a'.repeat(24)}-fn-generate-recommendations`.length).toBeLessThanOrEqual(64);
  });

  it('accepts IANA time zone names and the cron or rate expressions of EventBridge Scheduler', () => {
    const zone = validationRegex('daily_analysis_timezone');
    for (const ok of ['UTC', 'America/New_York', 'America/Argentina/Buenos_Aires', 'Etc/GMT+5', 'Europe/Paris']) {
      expect(zone.test(ok), ok).toBe(true);
    }
    for (const bad of ['', 'New York', '/UTC', 'Europe/']) expect(zone.test(bad), bad).toBe(false);
    const schedule = validationRegex('daily_analysis_schedule');
    for (const ok of ['cron(30 23 * * ? *)', 'rate(1 day)']) expect(schedule.test(ok), ok).toBe(true);
    for (const bad of ['30 23 * * *', 'at(2025-01-01T00:00:00)', 'cron()']) expect(schedule.test(bad), bad).toBe(false);
    expect(zone.test(String(module.variable.daily_analysis_timezone?.default))).toBe(true);
    expect(schedule.test(String(module.variable.daily_analysis_schedule?.default))).toBe(true);
  });

  it('limits the enumerated variables to the values AWS and the handlers accept', () => {
    expect(validationSet('lambda_architecture')).toEqual(['arm64', 'x86_64']);
    expect(module.variable.lambda_architecture?.default).toBe('arm64');
    expect(validationSet('insights_provider')).toEqual(['statistical', 'bedrock']);
    expect(module.variable.insights_provider?.default).toBe('statistical');
    const retention = validationSet('log_retention_days');
    expect(retention).toEqual([
      1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653,
    ]);
    expect(retention).toContain(module.variable.log_retention_days?.default);
    expect(validationSet('workflow_log_level')).toEqual(['ALL', 'ERROR', 'FATAL', 'OFF']);
  });

  it('accepts bucket names, origins and KMS key ARNs of the right shape', () => {
    const bucket = validationRegex('bucket_name');
    expect(bucket.test('tillflow-data-123456789012')).toBe(true);
    for (const bad of ['Tillflow', 'ab', '-bucket', 'bucket_']) expect(bucket.test(bad), bad).toBe(false);
    const origin = validationRegex('cors_origins');
    for (const ok of ['https://dashboard.example.com', 'http://localhost:3000']) expect(origin.test(ok), ok).toBe(true);
    for (const bad of ['https://example.com/', 'example.com', 'https://example.com/app']) {
      expect(origin.test(bad), bad).toBe(false);
    }
    const key = validationRegex('kms_key_arn');
    expect(key.test('arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab')).toBe(true);
    expect(key.test('arn:aws:kms:us-east-1:123456789012:alias/tillflow')).toBe(false);
  });
});
