import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { type Body, block, FUNCTIONS_DIR, loadModule, nested, type TerraformModule } from './terraform';

let module: TerraformModule;
beforeAll(async () => {
  module = await loadModule();
});

/** The business metrics the functions emit: every name passed to `addMetric` or a metric helper in their src/. */
function emittedMetrics(): Set<string> {
  const names = new Set<string>();
  for (const fn of readdirSync(FUNCTIONS_DIR)) {
    const dir = join(FUNCTIONS_DIR, fn, 'src');
    let files: string[] = [];
    try {
      files = readdirSync(dir).filter((f) => f.endsWith('.ts'));
    } catch {
      continue;
    }
    for (const file of files) {
      const source = readFileSync(join(dir, file), 'utf8');
      // The name argument of each call: every capitalised literal before its MetricUnit.
      for (const call of source.matchAll(/(?:addMetric|emit)\(([^;]*?)MetricUnit/g)) {
        for (const m of (call[1] ?? '').matchAll(/'([A-Z][A-Za-z]+)'/g)) names.add(m[1] as string);
      }
    }
  }
  return names;
}

const BUSINESS_ALARMS = ['files_rejected', 'insights_degraded', 'analysis_duration', 'bedrock_cost'];

describe('alarms on the business metrics', () => {
  it('read metrics a function emits, in the namespace the functions get, with the service dimension', () => {
    const emitted = emittedMetrics();
    expect([...emitted]).toEqual(expect.arrayContaining(['FilesAccepted', 'FilesRejected', 'LinesRejected']));
    const namespace = (module.locals.common_environment as Body).POWERTOOLS_METRICS_NAMESPACE;
    expect(namespace).toBe('${var.metrics_namespace}');
    for (const name of BUSINESS_ALARMS) {
      const alarm = block(module, 'resource', 'aws_cloudwatch_metric_alarm', name);
      expect(alarm.namespace, name).toBe(namespace);
      expect(emitted.has(alarm.metric_name as string), `${name} alarms on ${alarm.metric_name}`).toBe(true);
      expect((alarm.dimensions as Body).service, name).toBe('${local.metrics_service}');
      expect(alarm.alarm_actions, name).toBe('${local.alarm_actions}');
      expect(alarm.treat_missing_data, name).toBe('notBreaching');
    }
    const lines = block(module, 'resource', 'aws_cloudwatch_metric_alarm', 'lines_rejected');
    const queried = nested(lines, 'metric_query').flatMap((q) => nested(q, 'metric'));
    expect(queried.map((m) => m.metric_name).sort()).toEqual(['LinesAccepted', 'LinesRejected']);
    for (const metric of queried) {
      expect(emitted.has(metric.metric_name as string)).toBe(true);
      expect(metric.namespace).toBe(namespace);
    }
    expect(lines.threshold).toBe('${var.alarm_rejected_lines_pct}');
  });

  it('alarm on Bedrock cost only where Bedrock writes the insights, by the model the function calls', () => {
    const cost = block(module, 'resource', 'aws_cloudwatch_metric_alarm', 'bedrock_cost');
    expect(cost.count).toBe('${var.insights_provider == "bedrock" ? 1 : 0}');
    expect((cost.dimensions as Body).model).toBe('${var.bedrock_model_id}');
  });

  it('the service dimension is the POWERTOOLS_SERVICE_NAME every function gets', () => {
    expect(module.locals.metrics_service).toBe('${local.common_environment.POWERTOOLS_SERVICE_NAME}');
    expect((module.locals.common_environment as Body).POWERTOOLS_SERVICE_NAME).toBe('tillflow');
  });
});
