import type { ProductTrend, StoresResponse, TrendSeries, TrendsResponse } from '@tillflow/core';
import { useMemo } from 'preact/hooks';
import { AsyncView, Badge, Card, ChartView, Empty, Kpi, storeName } from '../components';
import { count, longDate, money, percent } from '../format';
import { type Async, useApi, useAsync, useHashParam } from '../hooks';
import { colour } from '../palette';
import { reportedDays, salesChart } from '../series';

/** The Trends tab: 30 days of the company and of one store, week over week, and the products that moved most. */
export function Trends(props: { stores: Async<StoresResponse> }) {
  const api = useApi();
  const [storeParam, setStore] = useHashParam('store');
  const stores = props.stores.state === 'ok' ? props.stores.data.stores : [];
  const store = storeParam || stores.find((s) => s.last_reported_date)?.store_id || '';
  const [company, reloadCompany] = useAsync(() => api.trends({ days: 30 }), []);
  const [storeTrend, reloadStore] = useAsync(
    () => (store ? api.trends({ days: 30, store }) : Promise.resolve(null)),
    [store],
  );
  return (
    <div class="tab">
      <div class="toolbar">
        <h1>Trends</h1>
        {company.state === 'ok' && (
          <span class="muted">
            {longDate(company.data.from)} – {longDate(company.data.to)}
          </span>
        )}
      </div>
      <AsyncView value={company} what="the company's trends" retry={reloadCompany}>
        {(t) => (
          <>
            <SeriesCard
              title="Company net sales, 30 days"
              series={t.company}
              colour={colour(0)}
              testId="company-trend"
            />
            <ProductTrends trends={t} />
          </>
        )}
      </AsyncView>
      <Card
        title={store ? `${storeName(store)}: net sales, 30 days` : 'Store net sales'}
        actions={
          <label class="inline">
            Store{' '}
            <select value={store} onChange={(e) => setStore((e.target as HTMLSelectElement).value)}>
              {stores.map((s) => (
                <option key={s.store_id} value={s.store_id}>
                  {storeName(s.store_id, s.name)}
                </option>
              ))}
            </select>
          </label>
        }
      >
        <AsyncView value={storeTrend} what="the store's trend" retry={reloadStore}>
          {(t) =>
            t?.store ? (
              <Series series={t.store} colour={colour(1)} testId="store-trend" />
            ) : (
              <Empty>No store has reported yet.</Empty>
            )
          }
        </AsyncView>
      </Card>
    </div>
  );
}

function SeriesCard(props: { title: string; series: TrendSeries; colour: string; testId: string }) {
  return (
    <Card title={props.title}>
      <Series series={props.series} colour={props.colour} testId={props.testId} />
    </Card>
  );
}

/** A series' chart and its week-over-week figures. */
export function Series(props: { series: TrendSeries; colour: string; testId: string }) {
  const config = useMemo(() => salesChart(props.series.points, props.colour), [props.series, props.colour]);
  const w = props.series.week_over_week;
  if (reportedDays(props.series.points) === 0) return <Empty>No figures in these days.</Empty>;
  return (
    <div data-testid={props.testId}>
      <div class="kpis small">
        <Kpi
          name="wow_net_sales"
          label="Net sales, last 7 days"
          value={money(w.net_sales)}
          note={versus(w.net_sales_change_pct, money(w.previous_net_sales))}
        />
        <Kpi
          name="wow_transactions"
          label="Transactions, last 7 days"
          value={count(w.transactions)}
          note={versus(w.transactions_change_pct, count(w.previous_transactions))}
        />
      </div>
      <ChartView config={config} height={260} label="net sales per day with 7- and 30-day moving averages" />
    </div>
  );
}

/** `+4.2% vs $61,000.00 the week before`, or that there is no week before to compare with. */
function versus(pct: number | null, previous: string): string {
  return pct === null
    ? 'no figures the week before'
    : `${percent(pct, { signed: true })} vs ${previous} the week before`;
}

/** A product's change, or `new` when it sold nothing the week before. */
function change(pct: number | null): string {
  return pct === null ? 'new' : percent(pct, { signed: true });
}

function ProductTrends({ trends }: { trends: TrendsResponse }) {
  return (
    <div class="grid two">
      <Card title="Rising products (last 7 days vs the 7 before)">
        <ProductTable products={trends.products.rising} testId="rising-products" />
      </Card>
      <Card title="Falling products">
        <ProductTable products={trends.products.falling} testId="falling-products" />
      </Card>
    </div>
  );
}

function ProductTable({ products, testId }: { products: readonly ProductTrend[]; testId: string }) {
  if (products.length === 0) return <Empty>Needs two weeks of figures to compare; none moved.</Empty>;
  return (
    <div class="table-wrap">
      <table data-testid={testId}>
        <thead>
          <tr>
            <th>Product</th>
            <th class="num">Net sales</th>
            <th class="num">Before</th>
            <th class="num">Change</th>
          </tr>
        </thead>
        <tbody>
          {products.map((p) => (
            <tr key={p.sku} data-row={p.sku}>
              <td class="wrap">
                {p.name} <span class="muted sku">{p.sku}</span>
              </td>
              <td class="num">{money(p.net_sales)}</td>
              <td class="num muted">{money(p.previous_net_sales)}</td>
              <td class="num">
                <Badge tone={p.direction === 'improving' ? 'ok' : p.direction === 'declining' ? 'high' : 'low'}>
                  {change(p.change_pct)}
                </Badge>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
