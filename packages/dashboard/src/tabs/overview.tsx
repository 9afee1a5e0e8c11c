import type { AnalyticsResponse, ApiInsight, DatesResponse, RankedProduct, StoreFigures } from '@tillflow/core';
import { AsyncView, Badge, Card, ChartView, type Column, Empty, Kpi, SortableTable, storeName } from '../components';
import { DatePicker } from '../date-picker';
import { count, decimal, label, money, percent } from '../format';
import { type Async, useApi, useAsync, useHashParam } from '../hooks';
import { colour } from '../palette';

const PAYMENT_LABELS: Record<string, string> = {
  cash: 'Cash',
  credit: 'Credit card',
  debit: 'Debit card',
  gift_card: 'Gift card',
  mobile: 'Mobile',
};

/** The Overview tab: a day's KPIs, stores, payment mix, products, insights and status. */
export function Overview(props: { dates: Async<DatesResponse> }) {
  const api = useApi();
  const [date, setDate] = useHashParam('date');
  const [analytics, reload] = useAsync(() => api.analytics(date || undefined), [date]);
  const dates = props.dates.state === 'ok' ? props.dates.data.dates : [];
  const shown = analytics.state === 'ok' ? analytics.data.date : date;
  return (
    <div class="tab">
      <div class="toolbar">
        <h1>Overview</h1>
        <DatePicker dates={dates} value={shown} onChange={setDate} />
      </div>
      <AsyncView value={analytics} what="the day's analytics" retry={reload} onDate={setDate}>
        {(a) => <Day analytics={a} />}
      </AsyncView>
    </div>
  );
}

function Day({ analytics: a }: { analytics: AnalyticsResponse }) {
  const c = a.company;
  return (
    <>
      <div class="kpis" data-testid="kpis">
        <Kpi name="net_sales" label="Net sales" value={money(c.net_sales)} />
        <Kpi name="gross_sales" label="Gross sales" value={money(c.gross_sales)} />
        <Kpi
          name="discounts"
          label="Discounts"
          value={money(c.discounts)}
          note={`${percent(c.discount_rate_pct)} of gross`}
        />
        <Kpi name="transactions" label="Transactions" value={count(c.transactions)} />
        <Kpi
          name="items"
          label="Items sold"
          value={count(c.items)}
          note={`${decimal(c.units_per_transaction)} per basket`}
        />
        <Kpi name="avg_basket" label="Average basket" value={money(c.avg_basket)} />
      </div>
      <div class="grid two">
        <DayStatus analytics={a} />
        <PaymentMix analytics={a} />
      </div>
      <Card title={`Stores (${a.stores.length})`}>
        {a.stores.length === 0 ? <Empty>No store reported this day.</Empty> : <StoresTable stores={a.stores} />}
      </Card>
      <div class="grid two">
        <Card title="Top products">
          <Products products={a.products.top} testId="top-products" />
        </Card>
        <Card title="Bottom products">
          <Products products={a.products.bottom} testId="bottom-products" />
        </Card>
      </div>
      <Insights analytics={a} />
    </>
  );
}

/** The stores table's columns (also used by the Store comparison tab). */
export const STORE_COLUMNS: readonly Column<StoreFigures>[] = [
  { key: 'rank', label: '#', value: (s) => s.rank, numeric: true },
  { key: 'store_id', label: 'Store', value: (s) => s.store_id, render: (s) => storeName(s.store_id) },
  { key: 'net_sales', label: 'Net sales', value: (s) => s.net_sales, render: (s) => money(s.net_sales), numeric: true },
  { key: 'share_pct', label: 'Share', value: (s) => s.share_pct, render: (s) => percent(s.share_pct), numeric: true },
  {
    key: 'gross_sales',
    label: 'Gross',
    value: (s) => s.gross_sales,
    render: (s) => money(s.gross_sales),
    numeric: true,
  },
  { key: 'discounts', label: 'Discounts', value: (s) => s.discounts, render: (s) => money(s.discounts), numeric: true },
  {
    key: 'transactions',
    label: 'Transactions',
    value: (s) => s.transactions,
    render: (s) => count(s.transactions),
    numeric: true,
  },
  { key: 'items', label: 'Items', value: (s) => s.items, render: (s) => count(s.items), numeric: true },
  {
    key: 'avg_basket',
    label: 'Avg basket',
    value: (s) => s.avg_basket,
    render: (s) => money(s.avg_basket),
    numeric: true,
  },
  {
    key: 'rejected_lines',
    label: 'Rejected lines',
    value: (s) => s.rejected_lines,
    render: (s) => count(s.rejected_lines),
    numeric: true,
  },
];

function StoresTable({ stores }: { stores: readonly StoreFigures[] }) {
  return (
    <SortableTable
      rows={stores}
      columns={STORE_COLUMNS}
      rowKey={(s) => s.store_id}
      initialSort={{ key: 'net_sales', descending: true }}
      testId="stores-table"
    />
  );
}

function DayStatus({ analytics: a }: { analytics: AnalyticsResponse }) {
  const s = a.status;
  const pending = s.latest_revision > s.analysis_revision;
  return (
    <Card title="Day status">
      <dl class="status" data-testid="day-status">
        <dt>Stores reported</dt>
        <dd>
          <strong>
            {s.stores_reported} of {s.stores_expected}
          </strong>{' '}
          {s.complete ? <Badge tone="ok">complete</Badge> : <Badge tone="medium">incomplete</Badge>}
        </dd>
        <dt>Analysis</dt>
        <dd>
          revision {s.analysis_revision}
          {pending && <> · re-analysis r{s.latest_revision} pending</>}
        </dd>
        {s.missing_stores.length > 0 && (
          <>
            <dt>Missing</dt>
            <dd>{s.missing_stores.map((id) => storeName(id)).join(', ')}</dd>
          </>
        )}
        {s.late_stores.length > 0 && (
          <>
            <dt>Late</dt>
            <dd>{s.late_stores.map((id) => storeName(id)).join(', ')}</dd>
          </>
        )}
        {s.unexpected_stores.length > 0 && (
          <>
            <dt>Not expected</dt>
            <dd>{s.unexpected_stores.map((id) => storeName(id)).join(', ')}</dd>
          </>
        )}
        {a.best_store && (
          <>
            <dt>Best store</dt>
            <dd>
              {storeName(a.best_store.store_id)} · {money(a.best_store.net_sales)}
            </dd>
          </>
        )}
        {a.worst_store && (
          <>
            <dt>Lowest store</dt>
            <dd>
              {storeName(a.worst_store.store_id)} · {money(a.worst_store.net_sales)}
            </dd>
          </>
        )}
        <dt>Products sold</dt>
        <dd>{count(a.products.total_products)}</dd>
      </dl>
    </Card>
  );
}

function PaymentMix({ analytics: a }: { analytics: AnalyticsResponse }) {
  const methods = Object.entries(a.payment_mix) as [string, { net_sales: number; transactions: number }][];
  const total = methods.reduce((sum, [, m]) => sum + m.net_sales, 0);
  if (total === 0)
    return (
      <Card title="Payment mix">
        <Empty>No sales this day.</Empty>
      </Card>
    );
  return (
    <Card title="Payment mix">
      <div class="payment">
        <ChartView
          label="Net sales by payment method"
          height={200}
          config={{
            type: 'doughnut',
            data: {
              labels: methods.map(([m]) => PAYMENT_LABELS[m] ?? m),
              datasets: [
                { data: methods.map(([, m]) => m.net_sales), backgroundColor: methods.map((_, i) => colour(i)) },
              ],
            },
            options: {
              plugins: {
                legend: { display: false },
                tooltip: { callbacks: { label: (ctx) => ` ${money(Number(ctx.raw))}` } },
              },
            },
          }}
        />
        <table class="compact" data-testid="payment-mix">
          <tbody>
            {methods.map(([m, f], i) => (
              <tr key={m} data-row={m}>
                <td>
                  <span class="swatch" style={{ background: colour(i) }} /> {PAYMENT_LABELS[m] ?? m}
                </td>
                <td class="num" data-col="net_sales">
                  {money(f.net_sales)}
                </td>
                <td class="num muted">{percent((f.net_sales / total) * 100)}</td>
                <td class="num muted">{count(f.transactions)} tx</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </Card>
  );
}

function Products({ products, testId }: { products: readonly RankedProduct[]; testId: string }) {
  if (products.length === 0) return <Empty>No products this day.</Empty>;
  return (
    <div class="table-wrap">
      <table data-testid={testId}>
        <thead>
          <tr>
            <th>Product</th>
            <th class="num">Net sales</th>
            <th class="num">Units</th>
            <th class="num">Stores</th>
          </tr>
        </thead>
        <tbody>
          {products.map((p) => (
            <tr key={p.sku} data-row={p.sku}>
              <td class="wrap">
                {p.name} <span class="muted sku">{p.sku}</span>
              </td>
              <td class="num">{money(p.net_sales)}</td>
              <td class="num">{count(p.units)}</td>
              <td class="num">{p.stores_count}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

const SEVERITY_ORDER = { critical: 0, high: 1, medium: 2, low: 3 } as const;

function Insights({ analytics: a }: { analytics: AnalyticsResponse }) {
  const items = [...a.insights.items].sort((x, y) => SEVERITY_ORDER[x.severity] - SEVERITY_ORDER[y.severity]);
  return (
    <Card
      title={`Insights (${items.length})`}
      actions={
        <span class="muted">
          {a.insights.provider}
          {a.insights.degraded && <Badge tone="high">degraded</Badge>}
        </span>
      }
    >
      {a.insights.summary && <p class="summary">{a.insights.summary}</p>}
      {items.length === 0 ? (
        <Empty>No anomalies, trends or recommendations for this day.</Empty>
      ) : (
        <ul class="insights" data-testid="insights">
          {items.map((i) => (
            <Insight key={i.id} insight={i} />
          ))}
        </ul>
      )}
    </Card>
  );
}

function Insight({ insight: i }: { insight: ApiInsight }) {
  return (
    <li class={`insight severity-${i.severity}`} data-row={i.id}>
      <div class="insight-head">
        <Badge tone={i.severity}>{i.severity}</Badge>
        <span class="muted">
          {i.kind} · {i.scope === 'store' ? storeName(i.subject) : i.subject} · {label(i.metric)}
        </span>
      </div>
      <p>{i.summary}</p>
      {i.action && <p class="action">→ {i.action}</p>}
      {Object.keys(i.facts).length > 0 && (
        <dl class="facts">
          {Object.entries(i.facts).map(([name, value]) => (
            <div key={name}>
              <dt>{label(name)}</dt>
              <dd>{factValue(name, value, i.metric)}</dd>
            </div>
          ))}
        </dl>
      )}
    </li>
  );
}

/**
 * A fact as its name says: `_pct` in percent (signed for a change or deviation), counts as counts, and the figures
 * of a money metric (`value`, medians, `current`…) as money. The insight's metric decides what `value` is.
 */
function factValue(name: string, value: number, metric: string): string {
  if (name.endsWith('_pct')) return percent(value, { signed: /change|deviation/.test(name) });
  if (/days|peers|count|_z$|units|transactions|items/.test(name)) return decimal(value);
  const moneyMetric = !/transactions|units|items/.test(metric);
  if (/sales|basket|discount/.test(name) || (moneyMetric && /value|median|mad|expected|current|previous/.test(name)))
    return money(value);
  return decimal(value);
}
