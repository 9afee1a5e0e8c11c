import {
  type AnalyticsJobView,
  type DatesResponse,
  MAX_RANGE_DAYS,
  type MarketplaceReportEntry,
  OPERATION_NAMES,
  OPERATION_PARAMETERS,
  type OperationName,
  type StoresResponse,
} from '@tillflow/core';
import { useEffect, useState } from 'preact/hooks';
import type { ApiClient } from '../api';
import { Badge, Card, Empty, ErrorView, storeName } from '../components';
import { count, dateTime, label } from '../format';
import { type Async, useApi, useAsync, useHashParam } from '../hooks';

/** What a job is polled at, and how long the page keeps polling one before it says it is still running. */
const POLL_MS = 1_000;
const WATCH_MS = 10 * 60_000;
/** Rows of an inline result shown on the page (the API gives up to 1,000; a longer one is a download). */
const SHOWN_ROWS = 200;
const SESSION_KEY = 'tillflow.jobs';

/** What each operation answers (docs/operations.md, "Analytics jobs"). */
const OPERATION_HELP: Record<OperationName, string> = {
  revenue_by_period: 'Net sales per day, week or month and per store, product or payment method, with growth and rank.',
  store_ranking: "Every store's totals over the range, ranked by one metric.",
  product_affinity: 'Pairs of products bought in the same transaction: support, confidence and lift.',
  customer_analysis: 'Repeat rate, spend segments and lifetime value of the customers seen in the range.',
  hourly_profile: 'Transactions and sales by local hour of the day, for the company or each store.',
  marketplace_summary: 'Marketplace order lines (those with a channel) grouped by one of their columns.',
  data_integrity: 'Lines per partition, duplicate transaction ids within and across partitions, prefix mismatches.',
};

/** The JSON Schema of one parameter, as the operation schemas (TypeBox) state it. */
interface ParameterSchema {
  type?: string;
  enum?: readonly string[];
  pattern?: string;
  minimum?: number;
  maximum?: number;
  default?: unknown;
  description?: string;
  items?: ParameterSchema;
}

/** A form's values: text for every field, a list of choices for the multi-choice fields. */
type FormValues = Record<string, string | string[]>;

const DATE_PATTERN = '^\\d{4}-\\d{2}-\\d{2}$';

function schemaOf(operation: OperationName): { properties: Record<string, ParameterSchema>; required: string[] } {
  const schema = OPERATION_PARAMETERS[operation] as unknown as {
    properties: Record<string, ParameterSchema>;
    required?: string[];
  };
  return { properties: schema.properties, required: schema.required ?? [] };
}

/** A form's first values: the parameters' defaults, and the analysed range for `from` and `to`. */
function initialValues(operation: OperationName, range: { from: string; to: string }): FormValues {
  const values: FormValues = {};
  for (const [name, p] of Object.entries(schemaOf(operation).properties)) {
    if (name === 'from' || name === 'to') values[name] = range[name];
    else if (p.type === 'array' && p.items?.type === 'string') values[name] = (p.default as string[] | undefined) ?? [];
    else if (p.type === 'array') values[name] = ((p.default as number[] | undefined) ?? []).join(', ');
    else values[name] = p.default === undefined ? '' : String(p.default);
  }
  return values;
}

/**
 * The request's parameters from the form: numbers as numbers, lists as lists, an empty optional field left out.
 * Throws with the field's name for a number that is not one; every other rule is the API's (its 400 says which).
 */
export function parametersOf(operation: OperationName, values: FormValues): Record<string, unknown> {
  const { properties } = schemaOf(operation);
  const out: Record<string, unknown> = {};
  for (const [name, p] of Object.entries(properties)) {
    const value = values[name];
    if (Array.isArray(value)) {
      if (value.length > 0) out[name] = value;
      continue;
    }
    const text = (value ?? '').trim();
    if (text === '') continue;
    if (p.type === 'integer' || p.type === 'number') {
      const n = Number(text);
      if (!Number.isFinite(n)) throw new Error(`${label(name)}: "${text}" is not a number`);
      out[name] = n;
    } else if (p.type === 'array') {
      out[name] = text.split(/[\s,]+/).map((part) => {
        const n = Number(part);
        if (!Number.isInteger(n)) throw new Error(`${label(name)}: "${part}" is not a whole number`);
        return n;
      });
    } else out[name] = text;
  }
  return out;
}

/**
 * The order dates of the processed marketplace reports, first to last, its start moved up to keep within the longest
 * range an operation takes (MAX_RANGE_DAYS); empty when no report has been processed.
 */
function reportsRange(reports: readonly MarketplaceReportEntry[]): { from: string; to: string } {
  const firsts = reports.flatMap((r) => (r.first_date ? [r.first_date] : [])).sort();
  const lasts = reports.flatMap((r) => (r.last_date ? [r.last_date] : [])).sort();
  const to = lasts.at(-1) ?? '';
  let from = firsts[0] ?? '';
  if (from && to) {
    const earliest = new Date(Date.parse(`${to}T00:00:00Z`) - (MAX_RANGE_DAYS - 1) * 86_400_000)
      .toISOString()
      .slice(0, 10);
    if (from < earliest) from = earliest;
  }
  return { from, to };
}

/** The jobs this browser tab started, newest first (session storage: they survive a reload, not a new tab). */
function sessionJobs(): string[] {
  try {
    return JSON.parse(sessionStorage.getItem(SESSION_KEY) ?? '[]') as string[];
  } catch {
    return [];
  }
}

function rememberJob(id: string): string[] {
  const ids = [id, ...sessionJobs().filter((j) => j !== id)].slice(0, 20);
  try {
    sessionStorage.setItem(SESSION_KEY, JSON.stringify(ids));
  } catch {
    // Storage refused: the list lasts while the page is open.
  }
  return ids;
}

/**
 * The Jobs tab: a form for each analytics operation, its fields derived from the operation's parameter schema (the
 * choices only from its fixed lists), a job started with `POST /analytics/jobs` and followed with
 * `GET /analytics/jobs/{id}` until it succeeds or fails; the result as a table, or its download link when it is large.
 */
export function Jobs(props: { dates: Async<DatesResponse>; stores: Async<StoresResponse> }) {
  const [opParam, setOp] = useHashParam('operation');
  const operation = (OPERATION_NAMES as string[]).includes(opParam) ? (opParam as OperationName) : 'revenue_by_period';
  const [jobs, setJobs] = useState<string[]>(sessionJobs);
  const dates = props.dates.state === 'ok' ? props.dates.data.dates : [];
  const api = useApi();
  // Marketplace rows have their own dates: that operation's range opens as the processed reports' orders.
  const [reports] = useAsync(
    () => (operation === 'marketplace_summary' ? api.marketplaceReports() : Promise.resolve(null)),
    [operation],
  );
  const range =
    operation === 'marketplace_summary' && reports.state === 'ok' && reports.data
      ? reportsRange(reports.data.reports)
      : { from: dates.at(-1)?.date ?? '', to: dates[0]?.date ?? '' };
  return (
    <div class="tab">
      <div class="toolbar">
        <h1>Analytics jobs</h1>
        <label class="inline">
          Operation{' '}
          <select
            value={operation}
            data-testid="job-operation"
            onChange={(e) => setOp((e.target as HTMLSelectElement).value)}
          >
            {OPERATION_NAMES.map((name) => (
              <option key={name} value={name}>
                {label(name)}
              </option>
            ))}
          </select>
        </label>
      </div>
      <JobForm
        key={`${operation}:${range.from}:${range.to}`}
        operation={operation}
        range={range}
        stores={props.stores.state === 'ok' ? props.stores.data.stores.map((s) => s.store_id) : []}
        onStarted={(id) => setJobs(rememberJob(id))}
      />
      {jobs.length === 0 ? (
        <Empty>No job started in this session yet.</Empty>
      ) : (
        jobs.map((id, i) => <JobCard key={id} id={id} open={i === 0} />)
      )}
    </div>
  );
}

function JobForm(props: {
  operation: OperationName;
  range: { from: string; to: string };
  stores: string[];
  onStarted: (id: string) => void;
}) {
  const api = useApi();
  const { properties, required } = schemaOf(props.operation);
  const [values, setValues] = useState<FormValues>(() => initialValues(props.operation, props.range));
  const [error, setError] = useState<Error | null>(null);
  const [busy, setBusy] = useState(false);
  const set = (name: string, value: string | string[]) => setValues({ ...values, [name]: value });
  const submit = async () => {
    setError(null);
    setBusy(true);
    try {
      const accepted = await api.startJob({
        operation: props.operation,
        parameters: parametersOf(props.operation, values),
      });
      props.onStarted(accepted.job_id);
    } catch (e) {
      setError(e as Error);
    } finally {
      setBusy(false);
    }
  };
  return (
    <Card title={label(props.operation)}>
      <p class="muted">{OPERATION_HELP[props.operation]}</p>
      <form
        class="job-form"
        data-testid="job-form"
        data-operation={props.operation}
        onSubmit={(e) => {
          e.preventDefault();
          void submit();
        }}
      >
        {Object.entries(properties).map(([name, p]) => (
          <Field
            key={name}
            name={name}
            schema={p}
            required={required.includes(name)}
            value={values[name] ?? ''}
            stores={props.stores}
            onChange={(v) => set(name, v)}
          />
        ))}
        <div class="job-submit">
          <button type="submit" disabled={busy} data-testid="job-start">
            {busy ? 'Starting…' : 'Run the job'}
          </button>
        </div>
      </form>
      {error && <ErrorView error={error} />}
    </Card>
  );
}

/** One parameter's input: a date, a choice of a fixed list, a number, a list of numbers, or checkboxes. */
function Field(props: {
  name: string;
  schema: ParameterSchema;
  required: boolean;
  value: string | string[];
  stores: string[];
  onChange: (value: string | string[]) => void;
}) {
  const { name, schema: p } = props;
  const title = `${label(name)}${props.required ? '' : ' (optional)'}`;
  const hint = p.description;
  if (p.type === 'array' && p.items?.type === 'string') {
    // Stores: the known ones; a list of text with defaults (excluded statuses): those defaults, each on or off.
    const choices = name === 'stores' ? props.stores : ((p.default as string[] | undefined) ?? []);
    const chosen = Array.isArray(props.value) ? props.value : [];
    return (
      <fieldset class="field wide" data-field={name}>
        <legend>{title}</legend>
        <div class="choices">
          {choices.map((c) => (
            <label key={c} class="choice">
              <input
                type="checkbox"
                value={c}
                checked={chosen.includes(c)}
                onChange={(e) =>
                  props.onChange(
                    (e.target as HTMLInputElement).checked ? [...chosen, c] : chosen.filter((x) => x !== c),
                  )
                }
              />{' '}
              {name === 'stores' ? storeName(c) : c}
            </label>
          ))}
        </div>
        {hint && <small class="muted">{hint}</small>}
      </fieldset>
    );
  }
  const text = Array.isArray(props.value) ? props.value.join(', ') : props.value;
  const change = (e: Event) => props.onChange((e.target as HTMLInputElement | HTMLSelectElement).value);
  let input: preact.JSX.Element;
  if (p.enum) {
    input = (
      <select id={`job-${name}`} name={name} value={text} onChange={change}>
        {!props.required && <option value="">(none)</option>}
        {p.enum.map((v) => (
          <option key={v} value={v}>
            {v}
          </option>
        ))}
      </select>
    );
  } else if (p.pattern === DATE_PATTERN) {
    input = (
      <input id={`job-${name}`} type="date" name={name} value={text} required={props.required} onInput={change} />
    );
  } else if (p.type === 'integer' || p.type === 'number') {
    input = (
      <input
        id={`job-${name}`}
        type="number"
        name={name}
        value={text}
        min={p.minimum}
        max={p.maximum}
        step={p.type === 'integer' ? 1 : 'any'}
        required={props.required}
        onInput={change}
      />
    );
  } else {
    input = (
      <input
        id={`job-${name}`}
        type="text"
        name={name}
        value={text}
        pattern={p.type === 'array' ? '^[\\d\\s,]+$' : p.pattern}
        required={props.required}
        onInput={change}
      />
    );
  }
  return (
    <label class="field" data-field={name} htmlFor={`job-${name}`}>
      <span>{title}</span>
      {input}
      {hint && <small class="muted">{hint}</small>}
    </label>
  );
}

/** Polls a job until it ends (or the page stops watching), giving each state it sees. */
function useJob(api: ApiClient, id: string): { job: AnalyticsJobView | null; error: Error | null } {
  const [job, setJob] = useState<AnalyticsJobView | null>(null);
  const [error, setError] = useState<Error | null>(null);
  useEffect(() => {
    let current = true;
    const began = Date.now();
    const poll = async () => {
      while (current && Date.now() - began < WATCH_MS) {
        try {
          const view = await api.job(id);
          if (!current) return;
          setJob(view);
          setError(null);
          if (view.status === 'SUCCEEDED' || view.status === 'FAILED') return;
        } catch (e) {
          if (!current) return;
          setError(e as Error);
        }
        await new Promise((r) => setTimeout(r, POLL_MS));
      }
    };
    void poll();
    return () => {
      current = false;
    };
  }, [id]);
  return { job, error };
}

/** A result column of integer cents (`net_sales_cents`): shown as an amount with two decimals, headed without `_cents`. */
const CENTS = /_cents$/;
const amountFormat = new Intl.NumberFormat('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 });
const numberFormat = new Intl.NumberFormat('en-US', { maximumFractionDigits: 4 });

/** A result value for people: amounts from cents, numbers grouped (at most four decimals), text as it is. */
export function cellText(column: string, value: string | number | boolean | null | undefined): string {
  if (value === null || value === undefined) return '';
  if (typeof value !== 'number') return String(value);
  if (CENTS.test(column)) return amountFormat.format(value / 100);
  return numberFormat.format(value);
}

const STATUS_TONE = { QUEUED: 'low', RUNNING: 'medium', SUCCEEDED: 'ok', FAILED: 'critical' } as const;

/** A job of this session: its status (polled), parameters, timings, and its result or failure. */
function JobCard(props: { id: string; open: boolean }) {
  const api = useApi();
  const { job, error } = useJob(api, props.id);
  const [open, setOpen] = useState(props.open);
  return (
    <section class="card job" data-job={props.id} data-status={job?.status ?? 'loading'}>
      <header class="card-head">
        <h2>
          {job ? label(job.operation) : 'Job'} <code class="muted">{props.id.slice(0, 8)}</code>
        </h2>
        <div class="card-actions">
          {job && <Badge tone={STATUS_TONE[job.status]}>{job.status.toLowerCase()}</Badge>}
          <button type="button" class="secondary small" aria-expanded={open} onClick={() => setOpen(!open)}>
            {open ? 'Hide' : 'Show'}
          </button>
        </div>
      </header>
      {error && <ErrorView error={error} />}
      {!job && !error && (
        <div class="state loading" role="status">
          <span class="spinner" aria-hidden="true" /> Loading the job…
        </div>
      )}
      {job && open && <JobDetails job={job} />}
    </section>
  );
}

function JobDetails({ job }: { job: AnalyticsJobView }) {
  return (
    <>
      <p class="muted">
        {Object.entries(job.parameters)
          .map(([k, v]) => `${k}=${Array.isArray(v) ? v.join(',') : String(v)}`)
          .join(' · ')}
      </p>
      <p class="muted">
        Started {dateTime(job.created_at)}
        {job.finished_at ? `, finished ${dateTime(job.finished_at)}` : ''} · engine {job.engine}
        {job.cached ? ' · from the cache (same request, same lake)' : ''}
      </p>
      {(job.status === 'QUEUED' || job.status === 'RUNNING') && (
        <div class="state loading" role="status">
          <span class="spinner" aria-hidden="true" /> {job.status === 'QUEUED' ? 'Queued…' : 'Running…'}
        </div>
      )}
      {job.status === 'FAILED' && (
        <div class="state error" data-testid="job-error">
          <strong>The job failed.</strong> {job.error ? `${job.error.name}: ${job.error.message}` : 'No reason given.'}
        </div>
      )}
      {job.status === 'SUCCEEDED' && <JobResult job={job} />}
    </>
  );
}

function JobResult({ job }: { job: AnalyticsJobView }) {
  if (job.result_url)
    return (
      <p data-testid="job-download">
        {count(job.row_count ?? 0)} rows: too many to show here.{' '}
        <a href={job.result_url} download>
          Download the result
        </a>{' '}
        (the link works for {Math.round((job.result_url_expires_in ?? 0) / 60)} minutes).
      </p>
    );
  const result = job.result;
  if (!result || result.rows.length === 0) return <Empty>The job found no rows for these parameters.</Empty>;
  const rows = result.rows.slice(0, SHOWN_ROWS);
  return (
    <>
      <p class="muted" data-testid="job-row-count">
        {count(result.rows.length)} rows{result.rows.length > SHOWN_ROWS ? `, the first ${SHOWN_ROWS} shown` : ''}
      </p>
      <div class="table-wrap">
        <table class="compact" data-testid="job-result">
          <thead>
            <tr>
              {result.columns.map((c) => (
                <th key={c.name} class={c.kind === 'text' || c.kind === 'boolean' ? '' : 'num'}>
                  {CENTS.test(c.name) ? c.name.replace(CENTS, '') : c.name}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {rows.map((row, i) => (
              <tr key={String(i)} data-row={String(i)}>
                {result.columns.map((c) => (
                  <td key={c.name} data-col={c.name} class={c.kind === 'text' || c.kind === 'boolean' ? '' : 'num'}>
                    {cellText(c.name, row[c.name])}
                  </td>
                ))}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </>
  );
}
