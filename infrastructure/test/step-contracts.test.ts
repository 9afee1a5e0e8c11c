/**
 * The workflows' half of every step contract: for each Task of each `state-machines/*.asl.json` that invokes one of
 * our functions, the event its `Parameters` build from a representative state input must be accepted by that
 * function's event schema (`functions/<name>/src/event.ts`), the same check the handler kit makes in AWS.
 *
 * The state data is built by walking each machine from StartAt, as Step Functions would run it: the execution input,
 * then at each Task a sample of the function's result put at its ResultPath (each sample of a function is followed,
 * so that both sides of a Choice are reached), Catch paths with an error output, Parallel branches as a result array,
 * Pass Parameters. A path that names nothing in the state (a renamed `$.upload.processedKey`) fails the walk.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { TSchema } from 'typebox';
import { Compile } from 'typebox/compile';
import { describe, expect, it } from 'vitest';
import type { TrendStepResult } from '../../functions/analyze-trends/src/trend-step';
import type { CompanyMetricsResult } from '../../functions/calc-company-metrics/src/company';
import type { CheckResult } from '../../functions/check-all-stores/src/check';
import type { InsightCounts } from '../../functions/combine-insights/src/combine';
import type { AnomalyStepResult } from '../../functions/detect-anomalies/src/anomaly-step';
import type { ExportResult } from '../../functions/export-to-quicksight/src/export';
import type { RecommendationsResult } from '../../functions/generate-recommendations/src/recommendations';
import type { ReportResult } from '../../functions/generate-report/src/publish-report';
import type { StoreSummariesResult } from '../../functions/get-store-summaries/src/summaries';
import type { NoticeResult } from '../../functions/publish-notice/src/notice';
import type { UploadWrite } from '../../functions/write-metrics/src/record';
import type { JobOutcome } from '../../packages/analytics/src/jobs';
import type { DailyAnalysisInput } from '../../packages/aws/src/workflows';
import type { StoreDayFigures } from '../../packages/core/src/store-summary.schema';
import { toEventBridge } from '../../packages/local/src/routing/s3-events';
import { STATE_MACHINES_DIR } from './terraform';

// process-upload's UploadResult and calc-product-metrics' ProductMetricsResult are not imported: their modules reach
// packages/columnar, which this package's compiler settings do not type-check; their samples follow those interfaces.
type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type State = Record<string, Json> & { Type: string };
interface Machine {
  StartAt: string;
  States: Record<string, State>;
}

// ---------------------------------------------------------------------------------------------------------------
// Samples: the execution inputs and each function's results, typed by the functions' own result types.

const DATE = '2025-10-01';
const UPLOAD_KEY = `uploads/store_0001_${DATE}.json`;

const uploadInput = toEventBridge(
  {
    bucket: 'tillflow-local',
    key: UPLOAD_KEY,
    size: 20480,
    etag: '9b2cf535f27731c974343645a3985328',
    time: '2025-10-01T21:04:05.123Z',
    requestId: 'REQ-1',
    sourceIp: '127.0.0.1',
    eventName: 'ObjectCreated:Put',
  } as Parameters<typeof toEventBridge>[0],
  '0066D5A3C1D2E3F4A5',
);

/** What check-all-stores and trigger-daily-analysis start daily-analysis with. */
const dailyInput: DailyAnalysisInput = { date: DATE, revision: 1, reason: 'all-stores-reported' };

const figures: StoreDayFigures = {
  store_id: '0001',
  date: DATE,
  gross_sales: 100,
  discounts: 5,
  net_sales: 95,
  transactions: 4,
  items: 9,
  lines: 6,
  avg_basket: 23.75,
  units_per_transaction: 2.25,
  payment_mix: {
    cash: { net_sales: 95, transactions: 4 },
    credit: { net_sales: 0, transactions: 0 },
    debit: { net_sales: 0, transactions: 0 },
    gift_card: { net_sales: 0, transactions: 0 },
    mobile: { net_sales: 0, transactions: 0 },
  },
  hourly: Array.from({ length: 24 }, (_, h) => (h === 9 ? 95 : 0)),
  top_products: [{ sku: 'SKU-1', name: 'Keychain', units: 9, net_sales: 95 }],
};

/** An upload's data quality (packages/core/src/quality.schema.ts, UploadQuality). */
const quality = (lines: number, accepted: number, reason?: string) => ({
  lines,
  accepted,
  rejected: lines - accepted,
  reasons: lines > accepted ? [{ field: 'quantity', rule: 'minimum', lines: lines - accepted }] : [],
  duplicate_transactions: { transactions: 0, examples: [] },
  prefix_mismatches: { transactions: 0, lines: 0, examples: [] },
  ...(reason ? { reason } : {}),
});

const processed = {
  status: 'processed',
  sourceKey: UPLOAD_KEY,
  etag: '9b2cf535f27731c974343645a3985328',
  storeId: '0001',
  date: DATE,
  lines: 6,
  accepted: 6,
  rejected: 0,
  processedKey: `processed/sales/date=${DATE}/store=0001/store_0001_${DATE}.parquet`,
  figures,
  quality: quality(6, 6),
};
const rejectedWhole = {
  status: 'rejected',
  sourceKey: UPLOAD_KEY,
  etag: '9b2cf535f27731c974343645a3985328',
  storeId: '0001',
  date: DATE,
  lines: 0,
  accepted: 0,
  rejected: 0,
  rejectedKey: `rejected/date=${DATE}/store=0001/store_0001_${DATE}.rejected.json`,
  reason: 'the file is not valid JSON',
  quality: quality(0, 0, 'the file is not valid JSON'),
};
/** A key of no known form: rejected whole, unattributed (no store-day, so no quality record). */
const rejectedUnattributed = {
  status: 'rejected',
  sourceKey: 'uploads/notes.txt',
  etag: '9b2cf535f27731c974343645a3985328',
  lines: 0,
  accepted: 0,
  rejected: 0,
  rejectedKey: 'rejected/unattributed/notes.txt.rejected.json',
  reason: 'not a store file name',
  quality: quality(0, 0, 'not a store file name'),
};
/** A marketplace report (functions/process-upload/src/sources/marketplace.ts, MarketplaceUploadResult). */
const marketplaceProcessed = {
  status: 'processed',
  source: 'marketplace',
  sourceKey: 'uploads/marketplace/amazon/sales-2022-q2.csv',
  etag: '5d41402abc4b2a76b9719d911017c592',
  report: 'amazon/sales-2022-q2',
  lines: 2200,
  accepted: 2195,
  rejected: 5,
  partitions: 91,
  summaryKey: 'summaries/marketplace/channel=amazon/sales-2022-q2.json',
  rejectedKey: 'rejected/marketplace/channel=amazon/sales-2022-q2.rejected.json',
};
const marketplaceRejected = {
  status: 'rejected',
  source: 'marketplace',
  sourceKey: 'uploads/marketplace/amazon/sales-2022-q2.csv',
  etag: '5d41402abc4b2a76b9719d911017c592',
  report: 'amazon/sales-2022-q2',
  lines: 0,
  accepted: 0,
  rejected: 0,
  rejectedKey: 'rejected/marketplace/channel=amazon/sales-2022-q2.rejected.json',
  reason: 'the header lacks the marketplace report column(s) Amount',
};
/** A mapped POS export of one store-day (sources/mapped.ts): a store file's result with its source. */
const mappedProcessed = { ...processed, source: 'kassa', sourceKey: `uploads/kassa/store_0001_${DATE}.csv` };
const write: UploadWrite = { replaced: false, stale: false, quality_recorded: true };
const corrected: UploadWrite = {
  replaced: true,
  stale: false,
  previous: { etag: 'e0', uploaded_at: '2025-10-01T20:00:00Z' },
  quality_recorded: true,
};
const check: CheckResult = {
  date: DATE,
  storeId: '0001',
  reported: 11,
  expected: 11,
  missing: [],
  claimed: true,
  reanalysis: false,
  revision: 1,
  execution: { name: `${DATE}-r1`, started: true },
};
const factsKey = `analysis/date=${DATE}/revision=1/facts.json`;
const summaries = (storeCount: number): StoreSummariesResult => ({
  date: DATE,
  revision: 1,
  factsKey,
  storeCount,
  stores: storeCount > 0 ? ['0001'] : [],
  historyCount: 0,
});
const company: CompanyMetricsResult = {
  factsKey,
  net_sales: 95,
  stores_reported: 1,
  stores_expected: 1,
  missing_stores: [],
  written: true,
  historyCount: 0,
};
const products = {
  factsKey,
  total_products: 1,
  units: 9,
  net_sales: 95,
  files: 1,
  written: true,
  historyCount: 0,
  cross_store_duplicates: 0,
};
const anomalies: AnomalyStepResult = {
  status: 'ok',
  key: `analysis/date=${DATE}/revision=1/anomalies.json`,
  count: 0,
  severities: { critical: 0, high: 0, medium: 0, low: 0 },
};
const trends: TrendStepResult = {
  status: 'ok',
  key: `analysis/date=${DATE}/revision=1/trends.json`,
  count: 0,
  directions: { improving: 0, declining: 0, stable: 0 },
  scopes: {},
};
const recommendations = (degraded: boolean): RecommendationsResult => ({
  insightsKey: `analysis/date=${DATE}/revision=1/insights.json`,
  provider: 'statistical',
  model: null,
  degraded,
  notice: degraded ? 'detect-anomalies failed; recomputed by the statistical engine' : null,
  anomalies: 0,
  trends: 0,
  recommendations: 0,
});
const combined: InsightCounts & { written: boolean } = { anomalies: 0, trends: 0, recommendations: 0, written: true };
const reportKeys = { textKey: `reports/date=${DATE}/report.txt`, htmlKey: `reports/date=${DATE}/report.html` };
const report: ReportResult = {
  status: 'published',
  ...reportKeys,
  messageId: 'm-1',
  subject: 'Tillflow daily report',
  email: { status: 'sent', messageId: 'e-1', recipients: 2 },
};
const reportSkipped: ReportResult = {
  status: 'skipped',
  ...reportKeys,
  reason: 'published',
  revision: 1,
  email: { status: 'off' },
};
const exported: ExportResult = {
  status: 'exported',
  datasets: [{ dataset: 'store_summaries', key: `quicksight/store_summaries/date=${DATE}.ndjson`, rows: 1 }],
};
const exportSkipped: ExportResult = { status: 'skipped', datasets: [], reason: 'published', revision: 1 };
const notice: NoticeResult = { status: 'published', notice: 'no-data', messageId: 'm-3' };
const noticeSkipped: NoticeResult = { status: 'skipped', notice: 'no-data', reason: 'published', revision: 1 };

/** A job id as start-analytics-job makes them (a UUID, the execution's name). */
const JOB_ID = '6f1c2a9e-3b4d-4e5f-8a7b-9c0d1e2f3a4b';
const jobOutcome: JobOutcome = {
  jobId: JOB_ID,
  status: 'SUCCEEDED',
  operation: 'store_ranking',
  rowCount: 11,
  cached: false,
  resultKey: `jobs/${JOB_ID}/result.json`,
};

/** Each function's possible results: every one is followed through the machine. */
const RESULTS: Record<string, readonly unknown[]> = {
  'run-analytics-job': [jobOutcome],
  'fail-analytics-job': [
    { jobId: JOB_ID, status: 'FAILED', error: 'TransientError', reason: 'throttled', recorded: true },
  ],
  'email-analytics-job': [
    { status: 'sent', messageId: 'e-1', recipients: 1, jobStatus: 'SUCCEEDED' },
    { status: 'skipped', reason: 'sent-already' },
    { status: 'off' },
  ],
  'process-upload': [
    processed,
    rejectedWhole,
    rejectedUnattributed,
    marketplaceProcessed,
    marketplaceRejected,
    mappedProcessed,
  ],
  'write-metrics': [write, corrected],
  'check-all-stores': [check],
  'notify-failure': [{ notified: true, messageId: 'm-2' }],
  'get-store-summaries': [summaries(1), summaries(0)],
  'calc-company-metrics': [company],
  'calc-product-metrics': [products],
  'detect-anomalies': [anomalies],
  'analyze-trends': [trends],
  'generate-recommendations': [recommendations(false), recommendations(true)],
  'combine-insights': [combined],
  'generate-report': [report, reportSkipped],
  'export-to-quicksight': [exported, exportSkipped],
  'publish-notice': [notice, noticeSkipped],
};

/** Each machine's execution inputs: daily-analysis as its starters give it, and as an operator may (docs/operations.md). */
const INPUTS: Record<string, readonly Json[]> = {
  'upload-processor': [uploadInput as unknown as Json],
  'daily-analysis': [dailyInput as unknown as Json, { date: DATE }, { date: DATE, revision: 1 }, {}],
  'analytics-job': [{ jobId: JOB_ID }],
};

/** What a Catch hands on as its error output. */
const CAUGHT: Json = { Error: 'TransientError', Cause: '{"errorType":"TransientError","errorMessage":"throttled"}' };

// ---------------------------------------------------------------------------------------------------------------
// A small JSONPath and intrinsic-function evaluator: what these machines use, and an error for anything else.

/** Reads a reference path (`$`, `$.a.b`, `$.a[0].b`); throws when it names nothing, as Step Functions fails. */
function readPath(data: Json, path: string): Json {
  if (!path.startsWith('$')) throw new Error(`not a path: ${path}`);
  let value: Json = data;
  for (const [, name, index] of path.slice(1).matchAll(/\.([A-Za-z0-9_-]+)|\[(\d+)\]/g)) {
    const next: Json | undefined =
      name !== undefined
        ? value !== null && typeof value === 'object' && !Array.isArray(value)
          ? value[name]
          : undefined
        : Array.isArray(value)
          ? value[Number(index)]
          : undefined;
    if (next === undefined) throw new Error(`${path} names nothing in the state`);
    value = next;
  }
  const rebuilt = path.replace(/^\$/, '');
  if (rebuilt.replace(/\.([A-Za-z0-9_-]+)|\[(\d+)\]/g, '') !== '') throw new Error(`unsupported path: ${path}`);
  return value;
}

/** The context object (`$$`) as Step Functions gives it to an execution: the fields the machines read. */
const CONTEXT: Json = {
  Execution: {
    Id: 'arn:aws:states:us-east-1:000000000000:execution:m:e',
    Name: 'e',
    StartTime: '2025-10-30T06:00:00.000Z',
  },
};

/** Evaluates an intrinsic function (`States.Format('{} r{}', $.date, $.revision)`), a path or a context path. */
function evaluate(expression: string, data: Json): Json {
  if (expression.startsWith('$$.')) return readPath(CONTEXT, expression.slice(1));
  const format = /^States\.Format\('((?:[^'\\]|\\.)*)'\s*(?:,(.*))?\)$/.exec(expression.trim());
  if (format) {
    const args = (format[2] ?? '')
      .split(',')
      .map((a) => a.trim())
      .filter((a) => a !== '')
      .map((a) => readPath(data, a));
    let i = 0;
    const text = (format[1] ?? '').replace(/\{\}/g, () => {
      const arg = args[i++];
      if (arg === undefined) throw new Error(`${expression}: too few arguments`);
      return typeof arg === 'string' ? arg : JSON.stringify(arg);
    });
    if (i !== args.length) throw new Error(`${expression}: too many arguments`);
    return text;
  }
  const json = /^States\.JsonToString\((\$[^)]*)\)$/.exec(expression.trim());
  if (json) return JSON.stringify(readPath(data, json[1] as string));
  if (expression.startsWith('States.')) throw new Error(`unsupported intrinsic: ${expression}`);
  return readPath(data, expression);
}

/** A payload template (`Parameters`, `Payload`): `.$` keys evaluated against `data`, the rest as written. */
function applyTemplate(template: Json, data: Json): Json {
  if (Array.isArray(template)) return template.map((t) => applyTemplate(t, data));
  if (template === null || typeof template !== 'object') return template;
  const out: Record<string, Json> = {};
  for (const [key, value] of Object.entries(template)) {
    if (key.endsWith('.$')) out[key.slice(0, -2)] = evaluate(String(value), data);
    else out[key] = applyTemplate(value, data);
  }
  return out;
}

/** Puts `result` into `data` at a ResultPath (`$` or absent: the result; null: data unchanged; `$.a.b`). */
function placeResult(data: Json, resultPath: Json | undefined, result: Json): Json {
  if (resultPath === null) return data;
  if (resultPath === undefined || resultPath === '$') return result;
  const names = String(resultPath).replace(/^\$\./, '').split('.');
  const copy = structuredClone(data) as Record<string, Json>;
  let target = copy;
  for (const name of names.slice(0, -1)) {
    target[name] = (target[name] ?? {}) as Json;
    target = target[name] as Record<string, Json>;
  }
  target[names.at(-1) as string] = result;
  return copy;
}

/** The Choice rules these machines use; an unknown comparison fails the test rather than being guessed. */
function matches(rule: Record<string, Json>, data: Json): boolean {
  if (Array.isArray(rule.And)) return rule.And.every((r) => matches(r as Record<string, Json>, data));
  if (Array.isArray(rule.Or)) return rule.Or.some((r) => matches(r as Record<string, Json>, data));
  if (rule.Not) return !matches(rule.Not as Record<string, Json>, data);
  if ('IsPresent' in rule) {
    let present = true;
    try {
      readPath(data, String(rule.Variable));
    } catch {
      present = false;
    }
    return present === rule.IsPresent;
  }
  const value = readPath(data, String(rule.Variable));
  if ('StringEquals' in rule) return value === rule.StringEquals;
  if ('BooleanEquals' in rule) return value === rule.BooleanEquals;
  if ('NumericGreaterThan' in rule) return typeof value === 'number' && value > Number(rule.NumericGreaterThan);
  if ('NumericEquals' in rule) return value === rule.NumericEquals;
  throw new Error(`unsupported Choice rule: ${JSON.stringify(rule)}`);
}

// ---------------------------------------------------------------------------------------------------------------
// The walk.

/** One Task invocation of one of our functions, with the event its Parameters built. */
interface Invocation {
  path: string;
  fn: string;
  event: Json;
}

/** Our function behind a Task: `${process_upload_arn}`, or `lambda:invoke` with such a FunctionName. */
function targetFunction(state: State): { fn: string; template: Json } | undefined {
  const placeholder = (text: Json | undefined) => /^\$\{([a-z0-9_]+)_arn\}$/.exec(String(text ?? ''))?.[1];
  const direct = placeholder(state.Resource);
  if (direct) return { fn: direct.replaceAll('_', '-'), template: state.Parameters ?? null };
  if (String(state.Resource).startsWith('arn:aws:states:::lambda:invoke')) {
    const params = (state.Parameters ?? {}) as Record<string, Json>;
    const name = placeholder(params.FunctionName);
    if (name) return { fn: name.replaceAll('_', '-'), template: params.Payload ?? null };
  }
  return undefined;
}

/**
 * Runs `machine` from its StartAt on `input`, every sample result and every Catch taken, and returns each of our
 * functions' invocations and each way the machine can end (its outputs). A state reached twice with the same data
 * is walked once.
 */
function walk(machine: Machine, input: Json, trail: string, invocations: Invocation[]): Json[] {
  const ends: Json[] = [];
  const seen = new Set<string>();
  const queue: { name: string; data: Json }[] = [{ name: machine.StartAt, data: input }];
  while (queue.length > 0) {
    const { name, data } = queue.shift() as { name: string; data: Json };
    const key = `${name}\u0000${JSON.stringify(data)}`;
    if (seen.has(key)) continue;
    seen.add(key);
    const state = machine.States[name];
    if (!state) throw new Error(`${trail}: no state ${name}`);
    const where = `${trail} > ${name}`;
    const next = (output: Json) => {
      if (state.End === true) ends.push(output);
      else queue.push({ name: String(state.Next), data: output });
    };
    const catches = (state.Catch ?? []) as { ResultPath?: Json; Next: string }[];
    for (const c of catches) queue.push({ name: c.Next, data: placeResult(data, c.ResultPath, CAUGHT) });

    if (state.Type === 'Task') {
      const target = targetFunction(state);
      let event: Json;
      try {
        event = applyTemplate(target?.template ?? state.Parameters ?? null, data);
      } catch (error) {
        throw new Error(`${where}: ${(error as Error).message}`);
      }
      const results = target ? RESULTS[target.fn] : [{}];
      if (!results) throw new Error(`${where}: no sample results for ${target?.fn}`);
      if (target) invocations.push({ path: where, fn: target.fn, event });
      for (const result of results) next(placeResult(data, state.ResultPath, result as Json));
    } else if (state.Type === 'Choice') {
      const rules = (state.Choices ?? []) as Record<string, Json>[];
      const taken = rules.find((rule) => matches(rule, data));
      queue.push({ name: String(taken ? taken.Next : state.Default), data });
    } else if (state.Type === 'Pass') {
      const output = state.Parameters !== undefined ? applyTemplate(state.Parameters, data) : (state.Result ?? data);
      next(placeResult(data, state.ResultPath, output));
    } else if (state.Type === 'Parallel') {
      const branches = (state.Branches ?? []) as unknown as Machine[];
      let combos: Json[][] = [[]];
      branches.forEach((branch, i) => {
        const outs = walk(branch, data, `${where}[${i}]`, invocations);
        combos = combos.flatMap((combo) => outs.map((out) => [...combo, out]));
      });
      for (const combo of combos) next(placeResult(data, state.ResultPath, combo));
    } else if (state.Type === 'Succeed' || state.Type === 'Fail') {
      if (state.Type === 'Succeed') ends.push(data);
    } else {
      throw new Error(`${where}: unsupported state type ${state.Type}`);
    }
  }
  return ends;
}

// ---------------------------------------------------------------------------------------------------------------

const machines = readdirSync(STATE_MACHINES_DIR)
  .filter((f) => f.endsWith('.asl.json'))
  .map((file) => ({
    name: file.replace(/\.asl\.json$/, ''),
    machine: JSON.parse(readFileSync(join(STATE_MACHINES_DIR, file), 'utf8')) as Machine,
  }));

/** Each function's event schema, from its own `src/event.ts` (the one export there that is a schema). */
async function eventSchema(fn: string): Promise<TSchema> {
  const module = (await import(`../../functions/${fn}/src/event.ts`)) as Record<string, unknown>;
  // An object schema has a `type`; a union of them (publish-notice's) an `anyOf`.
  const schemas = Object.values(module).filter(
    (v) => typeof v === 'object' && v !== null && ('type' in v || 'anyOf' in v),
  );
  if (schemas.length !== 1) throw new Error(`functions/${fn}/src/event.ts exports ${schemas.length} schemas, not 1`);
  return schemas[0] as TSchema;
}

describe('step contracts: each Task builds an event its function accepts', () => {
  it.each(machines.map((m) => [m.name, m.machine] as const))(
    '%s',
    async (name, machine) => {
      const inputs = INPUTS[name];
      expect(inputs, `no sample execution input for ${name}: add one to INPUTS`).toBeDefined();
      const invocations: Invocation[] = [];
      for (const input of inputs ?? []) walk(machine, input, name, invocations);

      // Every Task of ours is reached, so none escapes the check.
      const tasks = Object.entries(machine.States).flatMap(([state, s]) =>
        s.Type === 'Parallel'
          ? ((s.Branches ?? []) as unknown as Machine[]).flatMap((b) => Object.entries(b.States))
          : [[state, s] as const],
      );
      for (const [state, s] of tasks) {
        if (s.Type === 'Task' && targetFunction(s)) {
          expect(
            invocations.some((i) => i.path.endsWith(` > ${state}`)),
            `${state} is never reached`,
          ).toBe(true);
        }
      }

      const problems: string[] = [];
      for (const { path, fn, event } of invocations) {
        const check = Compile(await eventSchema(fn));
        if (!check.Check(event)) {
          const errors = check.Errors(event).map((e) => `event${e.instancePath.replaceAll('/', '.')}: ${e.message}`);
          problems.push(`${path} (${fn}): ${errors.join('; ')}`);
        }
      }
      expect(problems).toEqual([]);
      // Importing each function's event module (and @tillflow/aws behind it) takes seconds on a loaded machine.
    },
    60_000,
  );
});
