import type { TrendPoint, WeekOverWeek } from '@tillflow/core';
import type { ChartConfiguration } from 'chart.js';
import { money, moneyCompact, shortDate } from './format';

/**
 * A net sales line with its 7- and 30-day moving averages. A day without figures is a gap in the daily line (not a
 * zero that would read as a day of no sales); the averages carry on over it, as the API computes them.
 */
export function salesChart(all: readonly TrendPoint[], colour: string): ChartConfiguration<'line'> {
  const points = all.slice(firstReported([all]));
  return {
    type: 'line',
    data: {
      labels: points.map((p) => shortDate(p.date)),
      datasets: [
        {
          label: 'Net sales',
          data: points.map((p) => (p.reported ? p.net_sales : null)),
          borderColor: colour,
          backgroundColor: `${colour}22`,
          fill: true,
          pointRadius: 3,
          tension: 0.2,
        },
        {
          label: '7-day average',
          data: points.map((p) => p.net_sales_ma7),
          borderColor: '#f97316',
          borderDash: [6, 4],
          pointRadius: 0,
          spanGaps: true,
        },
        {
          label: '30-day average',
          data: points.map((p) => p.net_sales_ma30),
          borderColor: '#64748b',
          borderDash: [2, 3],
          pointRadius: 0,
          spanGaps: true,
        },
      ],
    },
    options: moneyLineOptions(),
  };
}

/** Line chart options with money on the y axis and in the tooltip. */
export function moneyLineOptions(): NonNullable<ChartConfiguration<'line'>['options']> {
  return {
    interaction: { mode: 'index', intersect: false },
    scales: {
      y: { beginAtZero: true, ticks: { callback: (v) => moneyCompact(Number(v)) } },
      x: { ticks: { maxRotation: 0, autoSkipPadding: 12 } },
    },
    plugins: {
      legend: { position: 'bottom', labels: { boxWidth: 12 } },
      tooltip: {
        callbacks: {
          label: (ctx) => ` ${ctx.dataset.label}: ${ctx.raw === null ? 'no figures' : money(Number(ctx.raw))}`,
        },
      },
    },
  };
}

/**
 * Where the charts of these series start: the first day any of them has figures. The days before are the window's
 * start before the data began (the sample week in a 30-day window), and would only squeeze the lines to one side.
 */
export function firstReported(series: readonly (readonly TrendPoint[])[]): number {
  const firsts = series.map((points) => points.findIndex((p) => p.reported)).filter((i) => i >= 0);
  return firsts.length > 0 ? Math.min(...firsts) : 0;
}

/** The days of a series that have figures. */
export function reportedDays(points: readonly TrendPoint[]): number {
  return points.filter((p) => p.reported).length;
}

export type { WeekOverWeek };
