import type { DatesResponse, StoreEntry, StoresResponse, TrendsResponse } from '@tillflow/core';
import { useMemo } from 'preact/hooks';
import { AsyncView, Card, ChartView, type Column, Empty, SortableTable, storeName } from '../components';
import { DatePicker } from '../date-picker';
import { count, money, moneyCompact, percent, shortDate } from '../format';
import { type Async, useApi, useAsync, useHashParam } from '../hooks';
import { type AnyChartConfig, colour } from '../palette';
import { firstReported, moneyLineOptions } from '../series';
import { STORE_COLUMNS } from './overview';
import { Series } from './trends';

const RANGES = [7, 14, 30, 90];

/** The Store comparison tab: the stores side by side for a day and over a range, and one store's history. */
export function StoreComparison(props: { dates: Async<DatesResponse>; stores: Async<StoresResponse> }) {
  const [date, setDate] = useHashParam('date');
  const [rangeParam, setRange] = useHashParam('days');
  const [storeParam, setStore] = useHashParam('store');
  const days = RANGES.includes(Number(rangeParam)) ? Number(rangeParam) : 7;
  const dates = props.dates.state === 'ok' ? props.dates.data.dates : [];
  const stores = props.stores.state === 'ok' ? props.stores.data.stores : [];
  const day = date || (props.dates.state === 'ok' ? (props.dates.data.latest ?? '') : '');
  const store = storeParam || stores.find((s) => s.last_reported_date)?.store_id || '';
  return (
    <div class="tab">
      <div class="toolbar">
        <h1>Store comparison</h1>
        <DatePicker dates={dates} value={day} onChange={setDate} />
      </div>
      {props.dates.state === 'ok' && !day ? (
        <Empty>No day has been analysed yet: upload store files under Files.</Empty>
      ) : (
        <>
          <DayComparison date={day} onDate={setDate} />
          <Card
            title={`Over ${days} days to ${day ? shortDate(day) : '…'}`}
            actions={
              <label class="inline">
                Days{' '}
                <select value={String(days)} onChange={(e) => setRange((e.target as HTMLSelectElement).value)}>
                  {RANGES.map((r) => (
                    <option key={r} value={String(r)}>
                      {r}
                    </option>
                  ))}
                </select>
              </label>
            }
          >
            <AsyncView value={props.stores} what="the stores">
              {(s) => <RangeComparison stores={s.stores} date={day} days={days} />}
            </AsyncView>
          </Card>
          <Card
            title={store ? `History of ${storeName(store)}` : 'History of a store'}
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
            {store ? (
              <StoreHistory store={store} date={day} days={Math.max(days, 30)} />
            ) : (
              <Empty>No store has reported yet.</Empty>
            )}
          </Card>
        </>
      )}
    </div>
  );
}

function DayComparison(props: { date: string; onDate: (date: string) => void }) {
  const api = useApi();
  const [analytics, reload] = useAsync(() => api.analytics(props.date || undefined), [props.date]);
  return (
    <Card title={props.date ? `Stores on ${shortDate(props.date)}` : 'Stores on the day'}>
      <AsyncView value={analytics} what="the day's stores" retry={reload} onDate={props.onDate}>
        {(a) =>
          a.stores.length === 0 ? (
            <Empty>No store reported this day.</Empty>
          ) : (
            <>
              <ChartView
                label="net sales per store"
                height={Math.max(220, a.stores.length * 26)}
                config={storeBars(a.stores.map((s) => ({ id: s.store_id, net: s.net_sales, basket: s.avg_basket })))}
              />
              <SortableTable
                rows={a.stores}
                columns={STORE_COLUMNS}
                rowKey={(s) => s.store_id}
                initialSort={{ key: 'net_sales', descending: true }}
                testId="compare-day-table"
              />
            </>
          )
        }
      </AsyncView>
    </Card>
  );
}

function storeBars(rows: { id: string; net: number; basket: number }[]): AnyChartConfig {
  const sorted = [...rows].sort((a, b) => b.net - a.net);
  return {
    type: 'bar',
    data: {
      labels: sorted.map((r) => storeName(r.id)),
      datasets: [{ label: 'Net sales', data: sorted.map((r) => r.net), backgroundColor: colour(0) }],
    },
    options: {
      indexAxis: 'y',
      scales: { x: { beginAtZero: true, ticks: { callback: (v) => moneyCompact(Number(v)) } } },
      plugins: {
        legend: { display: false },
        tooltip: { callbacks: { label: (ctx) => ` ${money(Number(ctx.raw))}` } },
      },
    },
  };
}

/** One store's totals over the range, from its trend series. */
interface RangeRow {
  store_id: string;
  net_sales: number;
  transactions: number;
  avg_basket: number;
  days_reported: number;
  wow_pct: number | null;
}

const RANGE_COLUMNS: readonly Column<RangeRow>[] = [
  { key: 'store_id', label: 'Store', value: (r) => r.store_id, render: (r) => storeName(r.store_id) },
  { key: 'net_sales', label: 'Net sales', value: (r) => r.net_sales, render: (r) => money(r.net_sales), numeric: true },
  {
    key: 'transactions',
    label: 'Transactions',
    value: (r) => r.transactions,
    render: (r) => count(r.transactions),
    numeric: true,
  },
  {
    key: 'avg_basket',
    label: 'Avg basket',
    value: (r) => r.avg_basket,
    render: (r) => money(r.avg_basket),
    numeric: true,
  },
  { key: 'days_reported', label: 'Days reported', value: (r) => r.days_reported, numeric: true },
  {
    key: 'wow_pct',
    label: 'Week over week',
    value: (r) => r.wow_pct ?? Number.NEGATIVE_INFINITY,
    render: (r) => percent(r.wow_pct, { signed: true }),
    numeric: true,
  },
];

/** At most this many trend requests at once: one per store. */
const PARALLEL_REQUESTS = 4;

function RangeComparison(props: { stores: readonly StoreEntry[]; date: string; days: number }) {
  const api = useApi();
  const ids = props.stores.filter((s) => s.last_reported_date).map((s) => s.store_id);
  const [series, reload] = useAsync(async () => {
    const out: TrendsResponse[] = new Array(ids.length);
    let next = 0;
    const worker = async () => {
      while (next < ids.length) {
        const i = next++;
        out[i] = await api.trends({ store: ids[i], days: props.days, ...(props.date ? { date: props.date } : {}) });
      }
    };
    await Promise.all(Array.from({ length: Math.min(PARALLEL_REQUESTS, ids.length) }, worker));
    return out;
  }, [ids.join(','), props.date, props.days]);
  if (ids.length === 0) return <Empty>No store has reported yet.</Empty>;
  return (
    <AsyncView value={series} what={`${ids.length} stores' series`} retry={reload}>
      {(all) => <RangeView all={all} />}
    </AsyncView>
  );
}

function RangeView({ all }: { all: TrendsResponse[] }) {
  const rows: RangeRow[] = all.flatMap((t) => {
    if (!t.store) return [];
    const points = t.store.points.filter((p) => p.reported);
    const net = round2(points.reduce((s, p) => s + p.net_sales, 0));
    const transactions = points.reduce((s, p) => s + p.transactions, 0);
    return [
      {
        store_id: t.store.store_id,
        net_sales: net,
        transactions,
        avg_basket: transactions > 0 ? round2(net / transactions) : 0,
        days_reported: points.length,
        wow_pct: t.store.week_over_week.net_sales_change_pct,
      },
    ];
  });
  const config = useMemo<AnyChartConfig>(() => {
    const start = firstReported(all.map((t) => t.store?.points ?? []));
    const first = (all[0]?.store?.points ?? []).slice(start);
    return {
      type: 'line',
      data: {
        labels: first.map((p) => shortDate(p.date)),
        datasets: all.flatMap((t, i) =>
          t.store
            ? [
                {
                  label: storeName(t.store.store_id),
                  data: t.store.points.slice(start).map((p) => (p.reported ? p.net_sales : null)),
                  borderColor: colour(i),
                  backgroundColor: colour(i),
                  pointRadius: 2,
                  tension: 0.2,
                },
              ]
            : [],
        ),
      },
      options: moneyLineOptions(),
    };
  }, [all]);
  return (
    <>
      <ChartView config={config} height={300} label="net sales per store per day" />
      <SortableTable
        rows={rows}
        columns={RANGE_COLUMNS}
        rowKey={(r) => r.store_id}
        initialSort={{ key: 'net_sales', descending: true }}
        testId="compare-range-table"
      />
    </>
  );
}

function StoreHistory(props: { store: string; date: string; days: number }) {
  const api = useApi();
  const [trend, reload] = useAsync(
    () => api.trends({ store: props.store, days: props.days, ...(props.date ? { date: props.date } : {}) }),
    [props.store, props.date, props.days],
  );
  return (
    <AsyncView value={trend} what="the store's history" retry={reload}>
      {(t) =>
        t.store ? (
          <>
            <Series series={t.store} colour={colour(2)} testId="store-history" />
            <div class="table-wrap">
              <table data-testid="store-history-table">
                <thead>
                  <tr>
                    <th>Day</th>
                    <th class="num">Net sales</th>
                    <th class="num">Transactions</th>
                    <th class="num">Avg basket</th>
                  </tr>
                </thead>
                <tbody>
                  {[...t.store.points]
                    .filter((p) => p.reported)
                    .reverse()
                    .map((p) => (
                      <tr key={p.date} data-row={p.date}>
                        <td>{shortDate(p.date)}</td>
                        <td class="num">{money(p.net_sales)}</td>
                        <td class="num">{count(p.transactions)}</td>
                        <td class="num">{money(p.avg_basket)}</td>
                      </tr>
                    ))}
                </tbody>
              </table>
            </div>
          </>
        ) : (
          <Empty>No figures for this store.</Empty>
        )
      }
    </AsyncView>
  );
}

/** Sums of money in floating point: rounded back to cents for display and sorting. */
function round2(value: number): number {
  return Math.round(value * 100) / 100;
}
