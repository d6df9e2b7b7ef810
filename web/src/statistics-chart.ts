import { BarController, BarElement, CategoryScale, Chart, Legend, LinearScale, Tooltip } from 'chart.js';

/*
 * The statistics chart (Chart.js on a canvas): loaded only when the statistics screen draws it, so the main
 * bundle does not carry it. Chart.js sets the canvas's size through the CSSOM (allowed by the page's CSP,
 * which forbids style attributes and inline style sheets) and evaluates no code.
 */

Chart.register(BarController, BarElement, CategoryScale, LinearScale, Legend, Tooltip);

export interface ChartSeries {
  readonly label: string;
  readonly values: readonly number[];
  readonly colour: string;
}

export function drawBars(
  canvas: HTMLCanvasElement,
  labels: readonly string[],
  series: readonly ChartSeries[],
) {
  return new Chart(canvas, {
    type: 'bar',
    data: {
      labels: [...labels],
      datasets: series.map((s) => ({ label: s.label, data: [...s.values], backgroundColor: s.colour })),
    },
    options: {
      responsive: true,
      maintainAspectRatio: false,
      animation: false,
      scales: { y: { beginAtZero: true, ticks: { precision: 0 } } },
    },
  });
}
