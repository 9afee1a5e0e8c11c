import type { MarketplaceAnalyticsResponse, MarketplaceReportEntry } from '@tillflow/core';
import type { ChartConfiguration } from 'chart.js';
import { useMemo, useRef, useState } from 'preact/hooks';
import { type ApiClient, ApiRequestError } from '../api';
import { AsyncView, Badge, Card, ChartView, type Column, Empty, Kpi, numberColumn, SortableTable } from '../components';
import { count, dateTime, moneyIn, percent } from '../format';
import { useApi, useAsync, useHashParam } from '../hooks';
import { colour } from '../palette';

/** How long an upload is watched for its KPIs before the page says it is still waiting. */
const WATCH_MS = 180_000;
const POLL_MS = 1_500;
/** What the API takes as a channel (MarketplaceReportsQuery). */
const CHANNEL = /^[a-z0-9][a-z0-9-]{0,31}$/;

type Figures = MarketplaceAnalyticsResponse['data'];
type Region = Figures['regional_analytics'][number];
type Category = Figures['category_performance'][number];
type Month = Figures['monthly_trends'][number];
type FulfilmentRow = { name: 'Amazon' | 'Merchant' } & Figures['kpis']['fulfilment']['Amazon'];

/**
 * The Marketplace tab: the uploaded marketplace order reports (upload one here), and the chosen report's KPIs, top
 * ship-states, categories, monthly trend and its records by status, as `GET /analytics/marketplace` answers them.
 */
export function Marketplace() {
  const api = useApi();
  const [reportParam, setReport] = useHashParam('report');
  const [reports, reloadReports] = useAsync(() => api.marketplaceReports(), []);
  const all = reports.state === 'ok' ? reports.data.reports : [];
  const withKpis = all.filter((r) => r.processed_at !== null);
  const latest = [...withKpis].sort((a, b) => (b.processed_at ?? '').localeCompare(a.processed_at ?? ''))[0];
  const report = reportParam || latest?.report || '';
  const [analytics, reload] = useAsync(
    () => (report ? api.marketplace(report) : Promise.resolve(null)),
    [report, reports.state === 'ok' ? reports.data : null],
  );
  return (
    <div class="tab">
      <div class="toolbar">
        <h1>Marketplace</h1>
        {withKpis.length > 0 && (
          <label class="inline">
            Report{' '}
            <select
              value={report}
              data-testid="marketplace-report"
              onChange={(e) => setReport((e.target as HTMLSelectElement).value)}
            >
              {withKpis.map((r) => (
                <option key={r.report} value={r.report}>
                  {r.report}
                </option>
              ))}
            </select>
          </label>
        )}
      </div>
      <AsyncView value={reports} what="the marketplace reports" retry={reloadReports}>
        {() =>
          report ? (
            <AsyncView value={analytics} what="the report's KPIs" retry={reload}>
              {(a) => (a ? <ReportFigures answer={a} /> : null)}
            </AsyncView>
          ) : (
            <Empty>
              No marketplace report has been processed yet: upload one below (the columns of an Amazon Sale Report).
            </Empty>
          )
        }
      </AsyncView>
      <UploadReport
        onDone={(id) => {
          reloadReports();
          setReport(id);
        }}
      />
      {all.length > 0 && <ReportList reports={all} onPick={setReport} />}
    </div>
  );
}

/** A report's figures: KPIs, records, states, categories and months. */
function ReportFigures({ answer }: { answer: MarketplaceAnalyticsResponse }) {
  const { kpis, regional_analytics: states, category_performance: categories, monthly_trends: months } = answer.data;
  const m = answer.metadata;
  const cur = m.currency;
  const amount = (v: number) => moneyIn(v, cur);
  const charts = useMemo(
    () => ({
      states: barChart(
        states.map((s) => s.state),
        states.map((s) => s.revenue),
        colour(0),
        cur,
        true,
      ),
      categories: barChart(
        categories.map((c) => c.category),
        categories.map((c) => c.revenue),
        colour(2),
        cur,
        false,
      ),
      months: monthChart(months, cur),
      fulfilment: fulfilmentChart(kpis.fulfilment, cur),
    }),
    [answer],
  );
  return (
    <>
      <p class="muted">
        {answer.data.report}: orders of {m.first_date ?? '…'} to {m.last_date ?? '…'}, processed{' '}
        {dateTime(m.processed_at)}
        {cur ? ` · amounts in ${cur}` : ''}
      </p>
      <div class="kpis" data-testid="marketplace-kpis">
        <Kpi name="total_revenue" label="Revenue" value={amount(kpis.total_revenue)} note="active orders only" />
        <Kpi name="total_orders" label="Orders" value={count(kpis.total_orders)} note="distinct order ids" />
        <Kpi name="average_order_value" label="Average order value" value={amount(kpis.average_order_value)} />
        <Kpi name="total_quantity" label="Quantity" value={count(kpis.total_quantity)} note="units sold" />
        <Kpi
          name="b2b_share_pct"
          label="B2B share"
          value={percent(kpis.b2b_share_pct)}
          note={`B2B ${amount(kpis.b2b_revenue)} · B2C ${amount(kpis.b2c_revenue)}`}
        />
        <Kpi
          name="fulfilment"
          label="Fulfilment: Amazon · merchant"
          value={`${percent(kpis.fulfilment.Amazon.revenue_share_pct)} · ${percent(kpis.fulfilment.Merchant.revenue_share_pct)}`}
          note={`${amount(kpis.fulfilment.Amazon.revenue)} · ${amount(kpis.fulfilment.Merchant.revenue)}`}
        />
      </div>
      <Card title="Records">
        <div class="kpis fit" data-testid="marketplace-records">
          <Kpi name="total_records" label="Records" value={count(m.total_records)} note="accepted lines" />
          <Kpi name="active_records" label="Active" value={count(m.active_records)} note="counted in revenue" />
          <Kpi name="cancelled_records" label="Cancelled" value={count(m.cancelled_records)} />
          <Kpi
            name="excluded_records"
            label="Returned, rejected, lost, damaged"
            value={count(m.excluded_records)}
            note="not in revenue"
          />
          <Kpi name="rejected_records" label="Invalid lines" value={count(m.rejected_records)} note="see Files" />
        </div>
      </Card>
      <div class="grid two">
        <Card title="Top ship-states by revenue">
          {states.length === 0 ? (
            <Empty>No active order names a ship-state.</Empty>
          ) : (
            <>
              <ChartView config={charts.states} height={300} label="revenue of the top ship-states" />
              <SortableTable<Region>
                rows={states}
                rowKey={(r) => r.state}
                testId="marketplace-states"
                initialSort={{ key: 'revenue', descending: true }}
                columns={[
                  { key: 'state', label: 'State', value: (r) => r.state },
                  numberColumn('revenue', 'Revenue', (r) => r.revenue, amount),
                  numberColumn('orders', 'Orders', (r) => r.orders, count),
                  numberColumn('quantity', 'Qty', (r) => r.quantity, count),
                ]}
              />
            </>
          )}
        </Card>
        <Card title="Fulfilment">
          <ChartView config={charts.fulfilment} height={220} label="revenue by fulfilment" />
          <SortableTable<FulfilmentRow>
            rows={(['Amazon', 'Merchant'] as const).map((f) => ({ name: f, ...kpis.fulfilment[f] }))}
            rowKey={(r) => r.name}
            testId="marketplace-fulfilment"
            columns={[
              { key: 'name', label: 'Fulfilment', value: (r) => r.name },
              numberColumn('revenue', 'Revenue', (r) => r.revenue, amount),
              numberColumn('orders', 'Orders', (r) => r.orders, count),
              numberColumn('share', 'Share', (r) => r.revenue_share_pct, percent),
            ]}
          />
        </Card>
      </div>
      <Card title="Categories">
        <ChartView config={charts.categories} height={240} label="revenue by category" />
        <SortableTable<Category>
          rows={categories}
          rowKey={(r) => r.category}
          testId="marketplace-categories"
          initialSort={{ key: 'revenue', descending: true }}
          columns={CATEGORY_COLUMNS(amount)}
        />
      </Card>
      <Card title="Monthly trend">
        <ChartView config={charts.months} height={240} label="revenue and orders by month" />
        <SortableTable<Month>
          rows={months}
          rowKey={(r) => r.month}
          testId="marketplace-months"
          columns={[
            { key: 'month', label: 'Month', value: (r) => r.month },
            numberColumn('revenue', 'Revenue', (r) => r.revenue, amount),
            numberColumn('orders', 'Orders', (r) => r.orders, count),
            numberColumn('quantity', 'Qty', (r) => r.quantity, count),
          ]}
        />
      </Card>
    </>
  );
}

const CATEGORY_COLUMNS = (amount: (v: number) => string): Column<Category>[] => [
  { key: 'category', label: 'Category', value: (r) => r.category },
  numberColumn('revenue', 'Revenue', (r) => r.revenue, amount),
  numberColumn('quantity', 'Qty', (r) => r.quantity, count),
  numberColumn('orders', 'Orders', (r) => r.orders, count),
  numberColumn('average_order_value', 'AOV', (r) => r.average_order_value, amount),
];

/** `₹1.2M` for chart axes, in the report's currency. */
function compact(currency: string | null): (v: number) => string {
  try {
    const f = new Intl.NumberFormat('en-US', {
      ...(currency ? { style: 'currency', currency } : {}),
      notation: 'compact',
      maximumFractionDigits: 1,
    });
    return (v) => f.format(v);
  } catch {
    return (v) => String(v);
  }
}

function barChart(
  labels: string[],
  values: number[],
  fill: string,
  currency: string | null,
  horizontal: boolean,
): ChartConfiguration<'bar'> {
  const axis = { ticks: { callback: (v: number | string) => compact(currency)(Number(v)) }, beginAtZero: true };
  return {
    type: 'bar',
    data: { labels, datasets: [{ label: 'Revenue', data: values, backgroundColor: fill }] },
    options: {
      indexAxis: horizontal ? 'y' : 'x',
      scales: horizontal ? { x: axis } : { y: axis, x: { ticks: { autoSkip: false, maxRotation: 45 } } },
      plugins: {
        legend: { display: false },
        tooltip: { callbacks: { label: (ctx) => ` ${moneyIn(Number(ctx.raw), currency)}` } },
      },
    },
  };
}

function monthChart(months: readonly Month[], currency: string | null): ChartConfiguration<'line'> {
  return {
    type: 'line',
    data: {
      labels: months.map((m) => m.month),
      datasets: [
        {
          label: 'Revenue',
          data: months.map((m) => m.revenue),
          borderColor: colour(0),
          backgroundColor: `${colour(0)}22`,
          fill: true,
          yAxisID: 'y',
          pointRadius: 4,
        },
        {
          label: 'Orders',
          data: months.map((m) => m.orders),
          borderColor: colour(1),
          yAxisID: 'orders',
          pointRadius: 4,
        },
      ],
    },
    options: {
      interaction: { mode: 'index', intersect: false },
      scales: {
        y: { beginAtZero: true, ticks: { callback: (v) => compact(currency)(Number(v)) } },
        orders: { position: 'right', beginAtZero: true, grid: { drawOnChartArea: false } },
      },
      plugins: {
        legend: { position: 'bottom', labels: { boxWidth: 12 } },
        tooltip: {
          callbacks: {
            label: (ctx) =>
              ctx.dataset.yAxisID === 'orders'
                ? ` Orders: ${count(Number(ctx.raw))}`
                : ` Revenue: ${moneyIn(Number(ctx.raw), currency)}`,
          },
        },
      },
    },
  };
}

function fulfilmentChart(
  fulfilment: Figures['kpis']['fulfilment'],
  currency: string | null,
): ChartConfiguration<'doughnut'> {
  return {
    type: 'doughnut',
    data: {
      labels: ['Amazon', 'Merchant'],
      datasets: [
        {
          data: [fulfilment.Amazon.revenue, fulfilment.Merchant.revenue],
          backgroundColor: [colour(1), colour(0)],
        },
      ],
    },
    options: {
      plugins: {
        legend: { position: 'bottom', labels: { boxWidth: 12 } },
        tooltip: { callbacks: { label: (ctx) => ` ${ctx.label}: ${moneyIn(Number(ctx.raw), currency)}` } },
      },
    },
  };
}

/** Every uploaded report, what became of its latest upload, and a button to show it. */
function ReportList(props: { reports: readonly MarketplaceReportEntry[]; onPick: (report: string) => void }) {
  const tone = { processed: 'ok', outdated: 'medium', unprocessed: 'low' } as const;
  return (
    <Card title="Uploaded reports">
      <SortableTable<MarketplaceReportEntry>
        rows={props.reports}
        rowKey={(r) => r.report}
        testId="marketplace-reports"
        initialSort={{ key: 'uploaded_at', descending: true }}
        columns={[
          {
            key: 'report',
            label: 'Report',
            value: (r) => r.report,
            render: (r) =>
              r.processed_at ? (
                <button type="button" class="link" onClick={() => props.onPick(r.report)}>
                  {r.report}
                </button>
              ) : (
                r.report
              ),
          },
          {
            key: 'uploaded_at',
            label: 'Uploaded',
            value: (r) => r.uploaded_at,
            render: (r) => dateTime(r.uploaded_at),
          },
          {
            key: 'status',
            label: 'Status',
            value: (r) => r.status,
            render: (r) => <Badge tone={tone[r.status]}>{r.status}</Badge>,
          },
          {
            key: 'accepted',
            label: 'Records',
            value: (r) => r.accepted_records ?? -1,
            render: (r) => (r.accepted_records === null ? '–' : count(r.accepted_records)),
            numeric: true,
          },
          {
            key: 'rejected',
            label: 'Invalid lines',
            value: (r) => r.rejected_records ?? -1,
            render: (r) => (r.rejected_records === null ? '–' : count(r.rejected_records)),
            numeric: true,
          },
        ]}
      />
      <p class="muted">
        “outdated”: the figures are of an earlier upload of the report; “unprocessed”: none yet. Either the latest
        upload is still being processed, or it was rejected whole (its reason is under Files, Rejected).
      </p>
    </Card>
  );
}

type UploadPhase =
  | { phase: 'idle' }
  | { phase: 'uploading'; progress: number; name: string }
  | { phase: 'processing'; name: string }
  | { phase: 'done'; report: string; records: number; rejected: number }
  | { phase: 'waiting'; report: string }
  | { phase: 'failed'; message: string };

/** A report's upload: its channel and its `.csv`, then a watch of the reports list until its KPIs are computed. */
function UploadReport(props: { onDone: (report: string) => void }) {
  const api = useApi();
  const input = useRef<HTMLInputElement>(null);
  const [channel, setChannel] = useState('amazon');
  const [state, setState] = useState<UploadPhase>({ phase: 'idle' });
  const valid = CHANNEL.test(channel);
  const start = (file: File) =>
    void uploadAndWatch(api, file, channel, (s) => {
      setState(s);
      if (s.phase === 'done') props.onDone(s.report);
    });
  return (
    <Card title="Upload a marketplace report">
      <form class="upload-report" onSubmit={(e) => e.preventDefault()}>
        <label>
          Channel
          <input
            value={channel}
            data-testid="marketplace-channel"
            aria-invalid={!valid}
            onInput={(e) => setChannel((e.target as HTMLInputElement).value)}
          />
        </label>
        <button type="button" disabled={!valid} onClick={() => input.current?.click()}>
          Choose a .csv
        </button>
        <input
          ref={input}
          type="file"
          accept=".csv,text/csv"
          class="sr-only"
          data-testid="marketplace-upload-input"
          onChange={(e) => {
            const el = e.target as HTMLInputElement;
            const file = el.files?.[0];
            if (file) start(file);
            el.value = '';
          }}
        />
      </form>
      {!valid && <p class="error-text">A channel is lower-case letters, digits and dashes (at most 32).</p>}
      <div class="upload-status" data-testid="marketplace-upload" data-phase={state.phase}>
        {state.phase === 'uploading' && (
          <span>
            Uploading {state.name}… {Math.round(state.progress * 100)}%
          </span>
        )}
        {state.phase === 'processing' && (
          <span>
            <span class="spinner" aria-hidden="true" /> {state.name} uploaded; computing its KPIs…
          </span>
        )}
        {state.phase === 'done' && (
          <span>
            <Badge tone="ok">processed</Badge> {state.report}: {count(state.records)} records, {count(state.rejected)}{' '}
            invalid lines
          </span>
        )}
        {state.phase === 'waiting' && (
          <span>{state.report} uploaded; not processed yet (or rejected whole: see Files, Rejected).</span>
        )}
        {state.phase === 'failed' && <span class="error-text">{state.message}</span>}
      </div>
    </Card>
  );
}

async function uploadAndWatch(
  api: ApiClient,
  file: File,
  channel: string,
  report: (state: UploadPhase) => void,
): Promise<void> {
  const began = Date.now();
  let key: string;
  try {
    report({ phase: 'uploading', progress: 0, name: file.name });
    ({ key } = await api.upload(
      file,
      (progress) => report({ phase: 'uploading', progress, name: file.name }),
      channel,
    ));
  } catch (error) {
    report({ phase: 'failed', message: (error as Error).message });
    return;
  }
  report({ phase: 'processing', name: file.name });
  const id = key.replace(/^uploads\/marketplace\//, '').replace(/\.csv$/, '');
  while (Date.now() - began < WATCH_MS) {
    await new Promise((r) => setTimeout(r, POLL_MS));
    try {
      const entry = (await api.marketplaceReports()).reports.find((r) => r.upload_key === key);
      if (entry?.status === 'processed' && entry.processed_at && Date.parse(entry.processed_at) >= began - 5_000) {
        return report({
          phase: 'done',
          report: entry.report,
          records: entry.accepted_records ?? 0,
          rejected: entry.rejected_records ?? 0,
        });
      }
    } catch (error) {
      if (!(error instanceof ApiRequestError) || error.status >= 500 || error.status === 0) continue;
      return report({ phase: 'failed', message: error.message });
    }
  }
  report({ phase: 'waiting', report: id });
}
