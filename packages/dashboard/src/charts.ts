import {
  ArcElement,
  BarController,
  BarElement,
  CategoryScale,
  Chart,
  type ChartConfiguration,
  DoughnutController,
  Filler,
  Legend,
  LinearScale,
  LineController,
  LineElement,
  PointElement,
  Tooltip,
} from 'chart.js';
import type { AnyChartConfig } from './palette';

// Only the chart types the dashboard draws are registered: Chart.js tree-shakes the rest out of the bundle.
Chart.register(
  LineController,
  LineElement,
  PointElement,
  BarController,
  BarElement,
  DoughnutController,
  ArcElement,
  CategoryScale,
  LinearScale,
  Filler,
  Legend,
  Tooltip,
);
Chart.defaults.font.family = getComputedStyle(document.documentElement).fontFamily || 'system-ui, sans-serif';
Chart.defaults.color = '#475569';
Chart.defaults.maintainAspectRatio = false;
Chart.defaults.animation = false;

/**
 * Draws `config` on `canvas`; the returned chart must be destroyed when the canvas goes. This module is loaded on
 * the first chart (`ChartView`'s dynamic import), so Chart.js, most of the bundle, never delays the first figures.
 */
export function drawChart(canvas: HTMLCanvasElement, config: AnyChartConfig): Chart {
  return new Chart(canvas, config as ChartConfiguration);
}
