import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  arnPlaceholder,
  type Body,
  block,
  type FunctionEntry,
  functionMaps,
  loadModule,
  nested,
  STATE_MACHINES_DIR,
  type TerraformModule,
} from './terraform';

interface Workflow {
  definition: string;
}

let module: TerraformModule;
let maps: ReturnType<typeof functionMaps>;
let workflows: Record<string, Workflow>;

beforeAll(async () => {
  module = await loadModule();
  maps = functionMaps(module);
  workflows = module.locals.workflows as Record<string, Workflow>;
});

function aslFiles(): string[] {
  return existsSync(STATE_MACHINES_DIR) ? readdirSync(STATE_MACHINES_DIR).filter((f) => f.endsWith('.asl.json')) : [];
}

function workflowOf(file: string): [string, Workflow] {
  const found = Object.entries(workflows).find(([, wf]) => wf.definition === file);
  if (!found) throw new Error(`state-machines/${file} is not the definition of any workflow in local.workflows`);
  return found;
}

/** What templatefile() is given: one placeholder per function, plus the topics. */
function suppliedPlaceholders(functions: Record<string, FunctionEntry>): Set<string> {
  const topics = Object.keys(module.locals.workflow_topic_arns as Body);
  return new Set([...Object.keys(functions).map(arnPlaceholder), ...topics]);
}

interface TaskState {
  path: string;
  state: Body;
}

/** Every Task of a state machine, including those inside Parallel branches and Map iterators. */
function tasks(states: Record<string, Body>, prefix = ''): TaskState[] {
  const found: TaskState[] = [];
  for (const [name, state] of Object.entries(states)) {
    const path = `${prefix}${name}`;
    if (state.Type === 'Task') found.push({ path, state });
    for (const branch of (state.Branches as Body[] | undefined) ?? []) {
      found.push(...tasks(branch.States as Record<string, Body>, `${path}/`));
    }
    const iterator = (state.ItemProcessor ?? state.Iterator) as Body | undefined;
    if (iterator) found.push(...tasks(iterator.States as Record<string, Body>, `${path}/`));
  }
  return found;
}

const PLACEHOLDER = /^\$\{([a-z0-9_]+)\}$/;

/** The function a Lambda Task invokes (legacy ARN resource or lambda:invoke), or the SNS topic placeholder. */
function taskTarget(state: Body): { kind: 'function' | 'topic'; placeholder: string } {
  const resource = String(state.Resource);
  const parameters = (state.Parameters ?? {}) as Body;
  const direct = PLACEHOLDER.exec(resource);
  if (direct) return { kind: 'function', placeholder: direct[1] as string };
  if (/^arn:aws:states:::lambda:invoke(\.waitForTaskToken)?$/.test(resource)) {
    const m = PLACEHOLDER.exec(String(parameters.FunctionName));
    if (!m) throw new Error(`lambda:invoke with FunctionName ${String(parameters.FunctionName)}, not a placeholder`);
    return { kind: 'function', placeholder: m[1] as string };
  }
  if (resource === 'arn:aws:states:::sns:publish') {
    const m = PLACEHOLDER.exec(String(parameters.TopicArn));
    if (!m) throw new Error(`sns:publish with TopicArn ${String(parameters.TopicArn)}, not a placeholder`);
    return { kind: 'topic', placeholder: m[1] as string };
  }
  throw new Error(`Task resource ${resource} is neither a declared function nor an SNS topic of the template`);
}

describe('state machine definitions', () => {
  it('has the upload-processor definition, and every ASL file belongs to a workflow', () => {
    expect(aslFiles()).toContain('upload-processor.asl.json');
    for (const file of aslFiles()) expect(workflowOf(file)[1].definition).toBe(file);
  });

  it('has the definition of every workflow Terraform deploys', () => {
    expect(Object.keys(workflows).length).toBeGreaterThan(0);
    for (const [name, wf] of Object.entries(workflows))
      expect(existsSync(join(STATE_MACHINES_DIR, wf.definition)), name).toBe(true);
  });

  it('fills every ${...} of every ASL file from the one map templatefile() is given', () => {
    for (const file of aslFiles()) {
      const text = readFileSync(join(STATE_MACHINES_DIR, file), 'utf8');
      // templatefile() would read %{ as a directive.
      expect(text, file).not.toContain('%{');
      const used = [...text.matchAll(/\$\{([^}]*)\}/g)].map((m) => m[1] as string);
      expect(used.length, file).toBeGreaterThan(0);
      const supplied = suppliedPlaceholders(maps.deployed);
      for (const name of used) expect(supplied.has(name), `${file} uses \${${name}}`).toBe(true);
    }
  });

  it('invokes from every Task a declared function that lists the workflow, or a topic of the template', () => {
    for (const file of aslFiles()) {
      const [name] = workflowOf(file);
      const functions = maps.deployed;
      const byPlaceholder = new Map(Object.keys(functions).map((fn) => [arnPlaceholder(fn), fn]));
      const asl = JSON.parse(readFileSync(join(STATE_MACHINES_DIR, file), 'utf8')) as Body;
      const found = tasks(asl.States as Record<string, Body>);
      expect(found.length, file).toBeGreaterThan(0);
      const invoked = new Set<string>();
      for (const { path, state } of found) {
        const target = taskTarget(state);
        if (target.kind === 'topic') {
          expect(Object.keys(module.locals.workflow_topic_arns as Body), `${file} ${path}`).toContain(
            target.placeholder,
          );
          continue;
        }
        const fn = byPlaceholder.get(target.placeholder);
        expect(fn, `${file} ${path} invokes \${${target.placeholder}}`).toBeDefined();
        expect(functions[fn as string]?.workflows, `${fn} must list ${name} so that the role may invoke it`).toContain(
          name,
        );
        invoked.add(fn as string);
      }
      // The converse keeps the role minimal: no function is invokable by a workflow that never calls it.
      const granted = Object.entries(functions)
        .filter(([, fn]) => fn.workflows.includes(name))
        .map(([fn]) => fn);
      expect(granted.sort(), file).toEqual([...invoked].sort());
    }
  });

  it('keeps each Lambda timeout below the TimeoutSeconds of the Tasks that call it', () => {
    for (const file of aslFiles()) {
      const functions = maps.deployed;
      const byPlaceholder = new Map(Object.keys(functions).map((fn) => [arnPlaceholder(fn), fn]));
      const asl = JSON.parse(readFileSync(join(STATE_MACHINES_DIR, file), 'utf8')) as Body;
      for (const { path, state } of tasks(asl.States as Record<string, Body>)) {
        const target = taskTarget(state);
        if (target.kind !== 'function' || typeof state.TimeoutSeconds !== 'number') continue;
        const fn = functions[byPlaceholder.get(target.placeholder) as string] as FunctionEntry;
        expect(fn.timeout_seconds, `${file} ${path}`).toBeLessThan(state.TimeoutSeconds);
      }
    }
  });
});

describe('aws_sfn_state_machine.workflow', () => {
  it('renders each definition with templatefile() and the one map of ARNs', () => {
    const machine = block(module, 'resource', 'aws_sfn_state_machine', 'workflow');
    expect(machine.for_each).toBe('${local.workflows}');
    expect(machine.definition).toBe(
      '${templatefile("${path.module}/../state-machines/${each.value.definition}", local.workflow_template_vars)}',
    );
    expect(module.locals.workflow_template_vars).toBe(
      '${merge(local.workflow_function_arns, local.workflow_topic_arns)}',
    );
    // The naming rule the tests' arnPlaceholder() mirrors.
    expect(module.locals.workflow_function_arns).toBe(
      '${{ for name, fn in aws_lambda_function.function : "${replace(name, "-", "_")}_arn" => fn.arn }}',
    );
    expect(module.locals.workflow_topic_arns).toEqual({
      alerts_topic_arn: '${aws_sns_topic.alerts.arn}',
      report_topic_arn: '${aws_sns_topic.report.arn}',
      jobs_topic_arn: '${aws_sns_topic.jobs.arn}',
    });
  });

  it('always deploys the three machines and the daily cut-off schedule, which enable_scheduled_analysis only pauses', () => {
    expect(workflows).toEqual({
      'upload-processor': { definition: 'upload-processor.asl.json' },
      'daily-analysis': { definition: 'daily-analysis.asl.json' },
      'analytics-job': { definition: 'analytics-job.asl.json' },
    });
    for (const address of [
      'resource.aws_scheduler_schedule.daily_analysis',
      'resource.aws_iam_role.daily_analysis_schedule',
      'resource.aws_iam_role_policy.daily_analysis_schedule',
      'data.aws_iam_policy_document.daily_analysis_schedule',
    ]) {
      const [kind, type, name] = address.split('.') as ['resource' | 'data', string, string];
      expect(block(module, kind, type, name), address).not.toHaveProperty('count');
    }
    const schedule = block(module, 'resource', 'aws_scheduler_schedule', 'daily_analysis');
    expect(schedule.state).toBe('${var.enable_scheduled_analysis ? "ENABLED" : "DISABLED"}');
    expect(nested(schedule, 'target')[0]?.role_arn).toBe('${aws_iam_role.daily_analysis_schedule.arn}');
    expect(block(module, 'resource', 'aws_iam_role_policy', 'daily_analysis_schedule')).toMatchObject({
      role: '${aws_iam_role.daily_analysis_schedule.id}',
      policy: '${data.aws_iam_policy_document.daily_analysis_schedule.json}',
    });
  });

  it('names the daily-analysis machine as the ARN built for its starters expects', () => {
    const machine = block(module, 'resource', 'aws_sfn_state_machine', 'workflow');
    expect(machine.name).toBe('${var.project_name}-${each.key}');
    expect(module.locals.daily_analysis_state_machine_name).toBe('${var.project_name}-daily-analysis');
    expect(module.locals.daily_analysis_state_machine_arn).toBe(
      'arn:${local.partition}:states:${var.aws_region}:${local.account_id}:stateMachine:${local.daily_analysis_state_machine_name}',
    );
  });

  it('logs every workflow to its own log group with retention and traces it with X-Ray', () => {
    const machine = block(module, 'resource', 'aws_sfn_state_machine', 'workflow');
    expect(nested(machine, 'logging_configuration')[0]).toMatchObject({
      log_destination: '${aws_cloudwatch_log_group.workflow[each.key].arn}:*',
      level: '${var.workflow_log_level}',
    });
    expect(nested(machine, 'tracing_configuration')[0]?.enabled).toBe(true);
    const group = block(module, 'resource', 'aws_cloudwatch_log_group', 'workflow');
    expect(group.for_each).toBe('${local.workflows}');
    expect(group.retention_in_days).toBe('${var.log_retention_days}');
    for (const alarm of ['workflow_failed', 'workflow_timed_out']) {
      const body = block(module, 'resource', 'aws_cloudwatch_metric_alarm', alarm);
      expect(body.for_each, alarm).toBe('${local.workflows}');
      expect(body.dimensions, alarm).toEqual({ StateMachineArn: '${aws_sfn_state_machine.workflow[each.key].arn}' });
    }
  });

  it('starts upload-processor for objects created under uploads/ only', () => {
    const rule = block(module, 'resource', 'aws_cloudwatch_event_rule', 'uploads');
    const pattern = String(rule.event_pattern).replace(/\s+/g, ' ');
    expect(pattern).toContain('source = ["aws.s3"]');
    expect(pattern).toContain('"detail-type" = ["Object Created"]');
    expect(pattern).toContain('bucket = { name = [aws_s3_bucket.data.bucket] }');
    expect(pattern).toContain('object = { key = [{ prefix = "uploads/" }] }');
    const target = block(module, 'resource', 'aws_cloudwatch_event_target', 'uploads');
    expect(target.arn).toBe('${aws_sfn_state_machine.workflow["upload-processor"].arn}');
    expect(nested(target, 'dead_letter_config')[0]?.arn).toBe('${aws_sqs_queue.unstarted_uploads.arn}');
    expect(block(module, 'resource', 'aws_s3_bucket_notification', 'data').eventbridge).toBe(true);
  });

  it('evaluates the daily cut-off in the business time zone', () => {
    const schedule = block(module, 'resource', 'aws_scheduler_schedule', 'daily_analysis');
    expect(schedule.schedule_expression).toBe('${var.daily_analysis_schedule}');
    expect(schedule.schedule_expression_timezone).toBe('${var.daily_analysis_timezone}');
    const target = nested(schedule, 'target')[0] as Body;
    expect(target.arn).toBe('${aws_lambda_function.function["trigger-daily-analysis"].arn}');
    // trigger-daily-analysis reads a scheduled event's `time`: the scheduled instant, the same on every retry.
    expect(target.input).toBe(
      '${jsonencode({ id = "<aws.scheduler.execution-id>", time = "<aws.scheduler.scheduled-time>" })}',
    );
  });
});
