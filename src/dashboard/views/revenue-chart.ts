/**
 * The overview's revenue chart, drawn on the server as an SVG bar chart (one
 * bar per UTC day, height proportional to that day's Stars), with the same
 * numbers as a table for readers who cannot see it.
 */
import type { RevenueDay } from '../pages/ports.js';
import { formatCount, plural } from './format.js';
import { html, type SafeHtml } from './html.js';

/** The chart's drawing area, in SVG units. */
export const CHART = Object.freeze({ width: 720, height: 240, left: 56, right: 8, top: 12, bottom: 28 });

/** The smallest 1, 2 or 5 × 10^k at or above `value` (at least 1): the top of the axis. */
export function niceCeiling(value: number): number {
  if (value <= 1) return 1;
  const magnitude = 10 ** Math.floor(Math.log10(value));
  for (const step of [1, 2, 5, 10]) {
    if (step * magnitude >= value) return step * magnitude;
  }
  return 10 * magnitude;
}

/** The height in SVG units of a bar of `stars` on an axis topped at `top`. */
export function barHeight(stars: number, top: number): number {
  const plot = CHART.height - CHART.top - CHART.bottom;
  return Math.round((Math.max(0, stars) / top) * plot * 100) / 100;
}

function axis(top: number): SafeHtml[] {
  const plot = CHART.height - CHART.top - CHART.bottom;
  return [0, 0.5, 1].map((share) => {
    const y = CHART.top + plot - share * plot;
    return html`<line class="grid" x1="${CHART.left}" x2="${CHART.width - CHART.right}" y1="${y}" y2="${y}"></line><text class="axis-label" x="${CHART.left - 6}" y="${y + 4}" text-anchor="end">${formatCount(Math.round(top * share))}</text>`;
  });
}

function bars(days: readonly RevenueDay[], top: number): SafeHtml[] {
  const plotWidth = CHART.width - CHART.left - CHART.right;
  const slot = plotWidth / Math.max(1, days.length);
  const width = Math.max(1, Math.round(slot * 0.72 * 100) / 100);
  const base = CHART.height - CHART.bottom;
  return days.map((day, i) => {
    const h = barHeight(day.stars, top);
    const x = Math.round((CHART.left + i * slot + (slot - width) / 2) * 100) / 100;
    return html`<rect class="bar" x="${x}" y="${Math.round((base - h) * 100) / 100}" width="${width}" height="${h}" data-day="${day.day}" data-stars="${day.stars}"><title>${day.day}: ${formatCount(day.stars)} Stars, ${plural(day.payments, 'payment')}</title></rect>`;
  });
}

function dayLabels(days: readonly RevenueDay[]): SafeHtml[] {
  if (days.length === 0) return [];
  const slot = (CHART.width - CHART.left - CHART.right) / days.length;
  const picks = [...new Set([0, Math.floor((days.length - 1) / 2), days.length - 1])];
  return picks.map((i) => html`<text class="axis-label" x="${Math.round((CHART.left + (i + 0.5) * slot) * 100) / 100}" y="${CHART.height - 8}" text-anchor="middle">${days[i]!.day.slice(5)}</text>`);
}

/** The chart: `<svg id="revenue-chart" role="img">` with a title and description, and its numbers as a table. */
export function revenueChart(days: readonly RevenueDay[]): SafeHtml {
  const total = days.reduce((sum, d) => sum + d.stars, 0);
  const best = days.reduce<RevenueDay | undefined>((b, d) => (!b || d.stars > b.stars ? d : b), undefined);
  const top = niceCeiling(Math.max(0, ...days.map((d) => d.stars)));
  const summary = best && best.stars > 0 ? `${formatCount(total)} Stars in ${days.length} days; the best day was ${best.day} with ${formatCount(best.stars)} Stars.` : `No revenue in the last ${days.length} days.`;
  const rows = [...days].reverse().map((d) => html`<tr><td>${d.day}</td><td class="num">${formatCount(d.stars)}</td><td class="num">${formatCount(d.payments)}</td></tr>`);
  return html`<figure class="chart">
<svg id="revenue-chart" role="img" aria-labelledby="revenue-chart-title revenue-chart-desc" viewBox="0 0 ${CHART.width} ${CHART.height}" data-top="${top}" xmlns="http://www.w3.org/2000/svg">
<title id="revenue-chart-title">Revenue per day (UTC), net of refunds</title>
<desc id="revenue-chart-desc">${summary}</desc>
${axis(top)}${bars(days, top)}${dayLabels(days)}
</svg>
<figcaption>${summary}</figcaption>
<details><summary>Revenue by day as a table</summary>
<div class="table-wrap"><table><thead><tr><th scope="col">Day (UTC)</th><th scope="col">Stars</th><th scope="col">Payments</th></tr></thead><tbody>${rows}</tbody></table></div>
</details>
</figure>`;
}
