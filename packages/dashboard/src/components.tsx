import type { ComponentChildren } from 'preact';
import { useEffect, useRef, useState } from 'preact/hooks';
import { ApiRequestError } from './api';
import type { Async } from './hooks';
import type { AnyChartConfig } from './palette';

/** A titled panel. */
export function Card(props: {
  title?: string;
  actions?: ComponentChildren;
  children: ComponentChildren;
  class?: string;
}) {
  return (
    <section class={`card ${props.class ?? ''}`}>
      {(props.title || props.actions) && (
        <header class="card-head">
          {props.title && <h2>{props.title}</h2>}
          {props.actions && <div class="card-actions">{props.actions}</div>}
        </header>
      )}
      {props.children}
    </section>
  );
}

/** A request under way. */
export function Loading(props: { what?: string }) {
  return (
    <div class="state loading" role="status" aria-live="polite">
      <span class="spinner" aria-hidden="true" /> Loading {props.what ?? ''}…
    </div>
  );
}

/** Nothing to show, and what would make something appear. */
export function Empty(props: { children: ComponentChildren }) {
  return <div class="state empty">{props.children}</div>;
}

/** A failed request: the API's message, the nearest analysed days for a 404 of a day, and a retry. */
export function ErrorView(props: { error: Error; retry?: () => void; onDate?: (date: string) => void }) {
  const e = props.error;
  const nearest = e instanceof ApiRequestError ? e.nearestDates : [];
  const unauthorized = e instanceof ApiRequestError && (e.status === 401 || e.status === 403);
  return (
    <div class="state error" role="alert">
      <strong>{unauthorized ? 'The API wants a key.' : 'Could not load this.'}</strong> {e.message}
      {unauthorized && <span> Enter it under “API key” at the top right.</span>}
      {nearest.length > 0 && (
        <div class="nearest">
          Analysed days nearby:{' '}
          {nearest.map((d) => (
            <button type="button" class="link" key={d} onClick={() => props.onDate?.(d)}>
              {d}
            </button>
          ))}
        </div>
      )}
      {props.retry && (
        <button type="button" class="secondary" onClick={props.retry}>
          Retry
        </button>
      )}
    </div>
  );
}

/** Renders an {@link Async}: loading, error (with retry) or `children(data)`. */
export function AsyncView<T>(props: {
  value: Async<T>;
  what?: string;
  retry?: () => void;
  onDate?: (date: string) => void;
  children: (data: T) => ComponentChildren;
}) {
  const v = props.value;
  if (v.state === 'loading') return <Loading what={props.what} />;
  if (v.state === 'error')
    return (
      <ErrorView
        error={v.error}
        {...(props.retry ? { retry: props.retry } : {})}
        {...(props.onDate ? { onDate: props.onDate } : {})}
      />
    );
  return <>{props.children(v.data)}</>;
}

/** One headline figure. */
export function Kpi(props: { name: string; label: string; value: string; note?: string }) {
  return (
    <div class="kpi" data-kpi={props.name}>
      <div class="kpi-label">{props.label}</div>
      <div class="kpi-value">{props.value}</div>
      {props.note && <div class="kpi-note">{props.note}</div>}
    </div>
  );
}

/** A column of a {@link SortableTable}. */
export interface Column<Row> {
  key: string;
  label: string;
  /** The value sorted on. */
  value: (row: Row) => number | string;
  /** What is shown (default: the value). */
  render?: (row: Row) => ComponentChildren;
  numeric?: boolean;
}

/** A numeric column: sorted on `value`, shown through `show` (an amount, a count, a percentage). */
export function numberColumn<Row>(
  key: string,
  label: string,
  value: (row: Row) => number,
  show: (v: number) => string,
): Column<Row> {
  return { key, label, value, render: (row) => show(value(row)), numeric: true };
}

/** A table whose column headers sort it (click again to reverse); rows carry `data-row` for tests and links. */
export function SortableTable<Row>(props: {
  rows: readonly Row[];
  columns: readonly Column<Row>[];
  rowKey: (row: Row) => string;
  initialSort?: { key: string; descending: boolean };
  caption?: string;
  testId?: string;
}) {
  const [sort, setSort] = useState(props.initialSort ?? { key: props.columns[0]?.key ?? '', descending: false });
  const column = props.columns.find((c) => c.key === sort.key);
  const rows = column
    ? [...props.rows].sort((a, b) => {
        const x = column.value(a);
        const y = column.value(b);
        const d = typeof x === 'number' && typeof y === 'number' ? x - y : String(x).localeCompare(String(y));
        return sort.descending ? -d : d;
      })
    : props.rows;
  return (
    <div class="table-wrap">
      <table data-testid={props.testId}>
        {props.caption && <caption>{props.caption}</caption>}
        <thead>
          <tr>
            {props.columns.map((c) => {
              const active = c.key === sort.key;
              return (
                <th
                  key={c.key}
                  class={c.numeric ? 'num' : ''}
                  aria-sort={active ? (sort.descending ? 'descending' : 'ascending') : 'none'}
                >
                  <button
                    type="button"
                    class="sort"
                    onClick={() => setSort({ key: c.key, descending: active ? !sort.descending : c.numeric === true })}
                  >
                    {c.label}
                    <span class="sort-mark" aria-hidden="true">
                      {active ? (sort.descending ? '▼' : '▲') : ''}
                    </span>
                  </button>
                </th>
              );
            })}
          </tr>
        </thead>
        <tbody>
          {rows.map((row) => (
            <tr key={props.rowKey(row)} data-row={props.rowKey(row)}>
              {props.columns.map((c) => (
                <td key={c.key} class={c.numeric ? 'num' : ''} data-col={c.key}>
                  {c.render ? c.render(row) : c.value(row)}
                </td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

/**
 * A Chart.js chart in a box of the given height; redrawn when `config` changes. Chart.js is imported on the first
 * chart, in parallel with the figures' rendering (see `charts.ts`).
 */
export function ChartView(props: { config: AnyChartConfig; height?: number; label: string }) {
  const canvas = useRef<HTMLCanvasElement>(null);
  const [failed, setFailed] = useState<Error | null>(null);
  useEffect(() => {
    let chart: { destroy(): void } | undefined;
    let current = true;
    import('./charts').then(
      ({ drawChart }) => {
        if (current && canvas.current) chart = drawChart(canvas.current, props.config);
      },
      (error: Error) => current && setFailed(error),
    );
    return () => {
      current = false;
      chart?.destroy();
    };
  }, [props.config]);
  if (failed) return <ErrorView error={failed} />;
  return (
    <div class="chart" style={{ height: `${props.height ?? 260}px` }}>
      <canvas ref={canvas} role="img" aria-label={props.label} />
    </div>
  );
}

/** A small coloured label. */
export function Badge(props: { tone: string; children: ComponentChildren }) {
  return <span class={`badge badge-${props.tone}`}>{props.children}</span>;
}

/** `Store 0001` (store files carry no names; the API's name when it has one). */
export function storeName(id: string, name?: string | null): string {
  return name ? `${name} (${id})` : `Store ${id}`;
}
