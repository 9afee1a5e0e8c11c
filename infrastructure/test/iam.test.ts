import { beforeAll, describe, expect, it } from 'vitest';
import {
  type Body,
  block,
  documentStatements,
  type FunctionEntry,
  functionMaps,
  loadModule,
  type Statement,
  type TerraformModule,
} from './terraform';

let module: TerraformModule;
let allFunctions: Record<string, FunctionEntry>;

beforeAll(async () => {
  module = await loadModule();
  const maps = functionMaps(module);
  allFunctions = maps.deployed;
});

/** A statement wherever it comes from, with where, for messages. */
interface Located {
  where: string;
  effect: string;
  sid: unknown;
  actions: unknown;
  resources: unknown;
  conditions: unknown;
}

function everyStatement(): Located[] {
  const found: Located[] = [];
  for (const [name, fn] of Object.entries(allFunctions)) {
    for (const s of fn.statements) {
      found.push({
        where: `function ${name}`,
        effect: 'Allow',
        sid: s.sid,
        actions: s.actions,
        resources: s.resources,
        conditions: s.conditions,
      });
    }
  }
  for (const [name, document] of Object.entries(module.data.aws_iam_policy_document ?? {})) {
    for (const s of documentStatements(document)) {
      found.push({
        where: `data.aws_iam_policy_document.${name}`,
        effect: (s.effect as string | undefined) ?? 'Allow',
        sid: s.sid,
        actions: s.actions,
        resources: s.resources,
        conditions: s.condition,
      });
    }
  }
  return found;
}

/** Actions AWS authorises only on resource "*". */
const RESOURCE_STAR_ACTIONS = new Set([
  'xray:PutTraceSegments',
  'xray:PutTelemetryRecords',
  'xray:GetSamplingRules',
  'xray:GetSamplingTargets',
  'logs:CreateLogDelivery',
  'logs:GetLogDelivery',
  'logs:UpdateLogDelivery',
  'logs:DeleteLogDelivery',
  'logs:ListLogDeliveries',
  'logs:PutResourcePolicy',
  'logs:DescribeResourcePolicies',
  'logs:DescribeLogGroups',
]);

describe('IAM statements', () => {
  it('finds the statements of the function map and of every policy document', () => {
    const statements = everyStatement();
    expect(statements.filter((s) => s.where.startsWith('function ')).length).toBeGreaterThan(20);
    expect(statements.filter((s) => s.where.startsWith('data.')).length).toBeGreaterThan(10);
  });

  it('never uses "*" as an action, and an Allow never uses a wildcard action', () => {
    for (const s of everyStatement()) {
      if (typeof s.actions === 'string') {
        // Only the dynamic block that copies a function's statement from the map, checked through the map itself.
        expect(s.actions, s.where).toBe('${statement.value.actions}');
        continue;
      }
      const actions = s.actions as string[];
      expect(actions.length, `${s.where} ${s.sid}`).toBeGreaterThan(0);
      for (const action of actions) {
        expect(action, `${s.where} ${s.sid}`).not.toBe('*');
        if (s.effect === 'Allow') expect(action, `${s.where} ${s.sid}`).toMatch(/^[a-z0-9-]+:[A-Za-z0-9]+$/);
      }
    }
  });

  it('allows resource "*" only for actions that accept nothing else', () => {
    for (const s of everyStatement()) {
      if (s.effect !== 'Allow' || !Array.isArray(s.resources) || !s.resources.includes('*')) continue;
      expect(s.resources, `${s.where} ${s.sid}`).toEqual(['*']);
      for (const action of s.actions as string[]) {
        expect(RESOURCE_STAR_ACTIONS.has(action), `${s.where} ${s.sid}: ${action} on "*"`).toBe(true);
      }
    }
  });

  it('gives statements alphanumeric sids, unique within each function', () => {
    for (const [name, fn] of Object.entries(allFunctions)) {
      const sids = ['OwnLogs', 'Tracing', 'DataBucketKey', ...fn.statements.map((s) => s.sid)];
      for (const sid of sids) expect(sid, name).toMatch(/^[A-Za-z0-9]+$/);
      expect(new Set(sids).size, name).toBe(sids.length);
    }
  });

  it('builds every policy from an aws_iam_policy_document, never from inline JSON', () => {
    for (const [type, byName] of Object.entries(module.resource)) {
      for (const [name, body] of Object.entries(byName)) {
        for (const attribute of ['policy', 'assume_role_policy']) {
          if (body[attribute] === undefined) continue;
          expect(body[attribute], `${type}.${name}.${attribute}`).toMatch(
            /^\$\{data\.aws_iam_policy_document\.[a-z_]+(\[(0|each\.key)\])?\.json\}$/,
          );
        }
      }
    }
  });
});

describe('function roles', () => {
  const bucketObjects =
    /^\$\{local\.bucket_arn\}\/(uploads|processed|processed\/sales|rejected|analysis|reports|quicksight|mappings|summaries\/marketplace|processed\/marketplace|jobs|athena-results)\/\*$/;

  it('scopes S3 object access to a prefix and listing to a prefix condition', () => {
    const listed: Record<string, string[]> = {
      'list-files': ['uploads/*', 'processed/*', 'rejected/*'],
      'get-health': ['reports/*'],
      'get-marketplace-analytics': ['uploads/marketplace/*'],
    };
    for (const [name, fn] of Object.entries(allFunctions)) {
      for (const s of fn.statements) {
        const s3 = s.actions.filter((a) => a.startsWith('s3:'));
        if (s3.length === 0) continue;
        expect(s3.length, `${name} ${s.sid} mixes services`).toBe(s.actions.length);
        if (s3.includes('s3:ListBucket')) {
          expect(s.actions, name).toEqual(['s3:ListBucket']);
          expect(s.resources, name).toEqual(['${local.bucket_arn}']);
          const values =
            listed[name] ??
            (name.includes('analytics') ? ['processed/sales/*', 'processed/marketplace/*'] : ['processed/*']);
          expect(s.conditions, name).toEqual([{ test: 'StringLike', variable: 's3:prefix', values }]);
          continue;
        }
        if (s3.includes('s3:GetBucketLocation')) {
          // Athena's caller: the bucket's region, nothing of its contents.
          expect(s.actions, name).toEqual(['s3:GetBucketLocation']);
          expect(s.resources, name).toEqual(['${local.bucket_arn}']);
          continue;
        }
        for (const resource of s.resources as string[]) expect(resource, `${name} ${s.sid}`).toMatch(bucketObjects);
      }
    }
  });

  it('scopes DynamoDB, SNS, Step Functions and Bedrock to their table, topic, state machine and model', () => {
    const allowed: Record<string, RegExp> = {
      dynamodb:
        /^\$\{(local\.sales_table_arn|aws_dynamodb_table\.idempotency\.arn)\}$|^\$\{local\.sales_table_arn\}\/index\/GSI1$/,
      sns: /^\$\{aws_sns_topic\.(alerts|report)\.arn\}$/,
      states: /^\$\{local\.(daily_analysis|analytics_job)_state_machine_arn\}$/,
      ses: /^\$\{local\.report_email_identity_arn\}$/,
      athena: /^\$\{local\.athena_workgroup_arn\}$/,
      glue: /^arn:\$\{local\.partition\}:glue:\$\{var\.aws_region\}:\$\{local\.account_id\}:(catalog|database\/\$\{aws_glue_catalog_database\.lake\.name\}|table\/\$\{aws_glue_catalog_database\.lake\.name\}\/(sales|marketplace))$/,
    };
    for (const [name, fn] of Object.entries(allFunctions)) {
      for (const s of fn.statements) {
        const service = (s.actions[0] as string).split(':')[0] as string;
        if (service === 's3') continue;
        for (const action of s.actions) expect(action.split(':')[0], `${name} ${s.sid}`).toBe(service);
        if (service === 'athena' || service === 'glue') {
          // Only when Athena is the engine.
          expect(s.enabled, `${name} ${s.sid}`).toBe('${local.athena_enabled}');
        }
        if (service === 'bedrock') {
          expect(s.resources).toBe('${local.bedrock_model_arns}');
          expect(s.enabled).toBe('${var.insights_provider == "bedrock"}');
          continue;
        }
        const pattern = allowed[service];
        expect(pattern, `${name} uses ${service}`).toBeDefined();
        for (const resource of s.resources as string[]) expect(resource, `${name} ${s.sid}`).toMatch(pattern as RegExp);
      }
    }
  });

  it.each([
    ['generate-report', 'EmailReport'],
    ['email-analytics-job', 'EmailJob'],
  ])('lets %s send email only when recipients are set, as the report identity and from its sender', (fnName, sid) => {
    const statements = (allFunctions[fnName]?.statements ?? []) as Statement[];
    const ses = statements.filter((s) => s.actions.some((a) => a.startsWith('ses:')));
    expect(ses).toEqual([
      {
        sid,
        enabled: '${local.report_email_enabled}',
        actions: ['ses:SendEmail'],
        resources: ['${local.report_email_identity_arn}'],
        conditions: [
          {
            test: 'StringEquals',
            variable: 'ses:FromAddress',
            values: ['${local.report_email_enabled ? var.report_email_sender : ""}'],
          },
        ],
      },
    ]);
    for (const [name, fn] of Object.entries(allFunctions)) {
      if (name === 'generate-report' || name === 'email-analytics-job') continue;
      const actions = (fn.statements as Statement[]).flatMap((s) => s.actions);
      expect(
        actions.filter((a) => a.startsWith('ses:')),
        name,
      ).toEqual([]);
    }
  });

  it('grants each function exactly the actions it needs', () => {
    const idempotency = ['dynamodb:DeleteItem', 'dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:UpdateItem'];
    // The Athena statements are listed too: present in the map, left out of the policy unless Athena is the engine.
    const analyticsCompute = [
      'athena:GetQueryExecution',
      'athena:GetQueryResults',
      'athena:StartQueryExecution',
      'athena:StopQueryExecution',
      'dynamodb:GetItem',
      'dynamodb:PutItem',
      'dynamodb:UpdateItem',
      'glue:GetDatabase',
      'glue:GetPartitions',
      'glue:GetTable',
      's3:AbortMultipartUpload',
      's3:GetBucketLocation',
      's3:GetObject',
      's3:ListBucket',
      's3:PutObject',
    ];
    const expected: Record<string, string[]> = {
      'generate-upload-url': ['s3:PutObject'],
      'get-marketplace-analytics': ['s3:GetObject', 's3:ListBucket'],
      'process-upload': ['s3:DeleteObject', 's3:GetObject', 's3:PutObject', ...idempotency],
      'write-metrics': idempotency,
      'check-all-stores': [...idempotency, 'states:StartExecution'],
      'notify-failure': ['sns:Publish'],
      'get-store-summaries': ['dynamodb:GetItem', 'dynamodb:Query', 'dynamodb:UpdateItem', 's3:PutObject'],
      'calc-company-metrics': ['dynamodb:PutItem', 'dynamodb:Query', 's3:GetObject', 's3:PutObject'],
      'calc-product-metrics': ['dynamodb:PutItem', 'dynamodb:Query', 's3:GetObject', 's3:PutObject'],
      'detect-anomalies': ['s3:GetObject', 's3:PutObject'],
      'analyze-trends': ['s3:GetObject', 's3:PutObject'],
      'generate-recommendations': ['bedrock:InvokeModel', 's3:GetObject', 's3:PutObject'],
      'combine-insights': ['dynamodb:PutItem', 's3:GetObject'],
      'generate-report': [
        'dynamodb:GetItem',
        'dynamodb:Query',
        'dynamodb:UpdateItem',
        's3:GetObject',
        's3:PutObject',
        'ses:SendEmail',
        'sns:Publish',
      ],
      'export-to-quicksight': ['dynamodb:GetItem', 'dynamodb:UpdateItem', 's3:GetObject', 's3:PutObject'],
      'publish-notice': ['dynamodb:GetItem', 'dynamodb:UpdateItem', 'sns:Publish'],
      'trigger-daily-analysis': ['dynamodb:GetItem', 'dynamodb:UpdateItem', 'states:StartExecution'],
      'get-analytics': ['dynamodb:GetItem', 'dynamodb:Query'],
      'get-trends': ['dynamodb:Query'],
      'list-catalog': ['dynamodb:Query'],
      'get-quality': ['dynamodb:Query'],
      'list-files': ['s3:GetObject', 's3:ListBucket'],
      'generate-download-url': ['s3:GetObject'],
      'get-report': ['s3:GetObject'],
      'get-health': ['dynamodb:DescribeTable', 's3:ListBucket'],
      'start-analytics-job': ['dynamodb:PutItem', 'dynamodb:UpdateItem', 'states:StartExecution'],
      'run-analytics-job': analyticsCompute,
      'query-analytics': [
        'dynamodb:GetItem',
        'dynamodb:PutItem',
        'dynamodb:UpdateItem',
        's3:GetObject',
        's3:ListBucket',
        'states:StartExecution',
      ],
      'fail-analytics-job': ['dynamodb:UpdateItem'],
      'email-analytics-job': ['dynamodb:GetItem', 'dynamodb:UpdateItem', 's3:GetObject', 'ses:SendEmail'],
      'get-analytics-job': ['dynamodb:GetItem', 's3:GetObject'],
    };
    const actual = Object.fromEntries(
      Object.entries(allFunctions).map(([name, fn]) => [
        name,
        [...new Set(fn.statements.flatMap((s: Statement) => s.actions))].sort(),
      ]),
    );
    expect(actual).toEqual(
      Object.fromEntries(Object.entries(expected).map(([name, actions]) => [name, actions.sort()])),
    );
  });

  it('writes S3 objects only under the prefixes each function owns', () => {
    const writes = Object.fromEntries(
      Object.entries(allFunctions).map(([name, fn]) => [
        name,
        fn.statements
          .filter((s) => s.actions.includes('s3:PutObject'))
          .flatMap((s) => s.resources as string[])
          .map((r) => r.replace('${local.bucket_arn}/', ''))
          .sort(),
      ]),
    );
    expect(writes).toEqual({
      'generate-upload-url': ['uploads/*'],
      'get-marketplace-analytics': [],
      'process-upload': ['processed/*', 'rejected/*', 'summaries/marketplace/*'],
      'write-metrics': [],
      'check-all-stores': [],
      'notify-failure': [],
      'get-store-summaries': ['analysis/*'],
      'calc-company-metrics': ['analysis/*'],
      'calc-product-metrics': ['analysis/*'],
      'detect-anomalies': ['analysis/*'],
      'analyze-trends': ['analysis/*'],
      'generate-recommendations': ['analysis/*'],
      'combine-insights': [],
      'generate-report': ['reports/*'],
      'export-to-quicksight': ['quicksight/*'],
      'publish-notice': [],
      'trigger-daily-analysis': [],
      'get-analytics': [],
      'get-trends': [],
      'list-catalog': [],
      'get-quality': [],
      'list-files': [],
      'generate-download-url': [],
      'get-report': [],
      'get-health': [],
      'start-analytics-job': [],
      'run-analytics-job': ['athena-results/*', 'jobs/*'],
      'query-analytics': [],
      'fail-analytics-job': [],
      'email-analytics-job': [],
      'get-analytics-job': [],
    });
  });

  it('gives the API read functions read actions only, and only the folders their routes show', () => {
    const reads = /^(dynamodb:(GetItem|Query|DescribeTable)|s3:(GetObject|ListBucket))$/;
    const api = [
      'get-analytics',
      'get-trends',
      'list-catalog',
      'get-quality',
      'list-files',
      'generate-download-url',
      'get-report',
      'get-health',
      'get-marketplace-analytics',
    ];
    const objects: Record<string, string[]> = {};
    for (const name of api) {
      const fn = allFunctions[name] as { statements: Statement[] };
      for (const s of fn.statements) for (const action of s.actions) expect(action, `${name} ${s.sid}`).toMatch(reads);
      objects[name] = fn.statements
        .filter((s) => s.actions.includes('s3:GetObject'))
        .flatMap((s) => s.resources as string[])
        .map((r) => r.replace('${local.bucket_arn}/', ''))
        .sort();
    }
    expect(objects).toEqual({
      'get-analytics': [],
      'get-trends': [],
      'list-catalog': [],
      'get-quality': [],
      'list-files': ['rejected/*'],
      'generate-download-url': ['processed/*', 'quicksight/*', 'rejected/*', 'reports/*'],
      'get-report': ['reports/*'],
      'get-health': [],
      'get-marketplace-analytics': ['summaries/marketplace/*'],
    });
  });
});

describe('workflow and service roles', () => {
  it('lets a state machine invoke only the functions that list its workflow', () => {
    const document = block(module, 'data', 'aws_iam_policy_document', 'workflow');
    const invoke = documentStatements(document).find((s) => s.sid === 'InvokeOwnFunctions') as Body;
    expect(invoke.actions).toEqual(['lambda:InvokeFunction']);
    expect(String(invoke.resources).replace(/\s+/g, ' ')).toBe(
      '${flatten([ for name, fn in local.functions : [aws_lambda_function.function[name].arn, "${aws_lambda_function.function[name].arn}:*"] if contains(fn.workflows, each.key) ])}',
    );
  });

  it('lets the uploads rule start upload-processor and nothing else', () => {
    const statements = documentStatements(block(module, 'data', 'aws_iam_policy_document', 'uploads_rule'));
    expect(statements).toEqual([
      {
        sid: 'StartUploadProcessor',
        actions: ['states:StartExecution'],
        resources: ['${aws_sfn_state_machine.workflow["upload-processor"].arn}'],
      },
    ]);
  });

  it('lets the schedule invoke trigger-daily-analysis and nothing else', () => {
    const statements = documentStatements(block(module, 'data', 'aws_iam_policy_document', 'daily_analysis_schedule'));
    expect(statements.map((s) => [s.actions, s.resources])).toEqual([
      [
        ['lambda:InvokeFunction'],
        [
          '${aws_lambda_function.function["trigger-daily-analysis"].arn}',
          '${aws_lambda_function.function["trigger-daily-analysis"].arn}:*',
        ],
      ],
    ]);
  });

  it('denies plain-HTTP access to the data bucket', () => {
    const [deny] = documentStatements(block(module, 'data', 'aws_iam_policy_document', 'data_bucket'));
    expect(deny?.effect).toBe('Deny');
    expect(deny?.condition).toEqual([{ test: 'Bool', variable: 'aws:SecureTransport', values: ['false'] }]);
  });
});
