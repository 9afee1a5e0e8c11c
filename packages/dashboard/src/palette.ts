import type { ChartConfiguration } from 'chart.js';

/** The series colours: distinguishable, and the same store keeps its colour everywhere. */
export const PALETTE = [
  '#2563eb',
  '#f97316',
  '#16a34a',
  '#9333ea',
  '#dc2626',
  '#0891b2',
  '#ca8a04',
  '#db2777',
  '#4b5563',
  '#65a30d',
  '#7c3aed',
  '#0d9488',
] as const;

/** A colour of the palette by position (wraps around). */
export function colour(i: number): string {
  return PALETTE[i % PALETTE.length] as string;
}

/** The charts the dashboard draws. Types only: importing this file loads no Chart.js code. */
export type AnyChartConfig = ChartConfiguration<'line'> | ChartConfiguration<'bar'> | ChartConfiguration<'doughnut'>;
