/**
 * SVG charts of the bench, written as plain SVG strings: three line charts need axes, lines,
 * markers and a legend — about a hundred lines — while a charting library that renders to SVG
 * outside a browser (Vega, or D3 over jsdom) would add megabytes of dependencies to draw them.
 * The files are deterministic text, so a chart's change shows in the diff.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Results } from './report';

interface Series {
  name: string;
  points: Array<[number, number]>;
  color: string;
  dashed?: boolean;
  /** Draw as a step line (a cumulative count over time). */
  step?: boolean;
}

interface Chart {
  title: string;
  xLabel: string;
  yLabel: string;
  series: Series[];
  /** Category labels at x = 0, 1, 2… (otherwise x is numeric). */
  categories?: string[];
  yMax?: number;
}

const W = 640;
const PLOT_H = 240;
const M = { left: 64, right: 16, top: 40, bottom: 52 };
const LEGEND_ROW = 18;
const escape = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

/** 1, 2, 2.5, 5 × 10^k steps: about five gridlines up to at least `max`. */
function niceTicks(max: number): number[] {
  const raw = Math.max(max, 1e-9) / 5;
  const base = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 2.5, 5, 10].map((m) => m * base).find((s) => s >= raw)!;
  const ticks: number[] = [];
  for (let v = 0; v <= max + step * 0.999; v += step) ticks.push(Math.round(v * 1e6) / 1e6);
  return ticks;
}

const label = (v: number) => (Math.abs(v) >= 1000 ? v.toLocaleString('en') : String(v));

export function renderChart(chart: Chart): string {
  const all = chart.series.flatMap((s) => s.points).filter(([x, y]) => Number.isFinite(x) && Number.isFinite(y));
  const xMax = chart.categories ? chart.categories.length - 1 : Math.max(1, ...all.map(([x]) => x));
  const yTicks = niceTicks(chart.yMax ?? Math.max(...all.map(([, y]) => y), 1));
  const yTop = yTicks[yTicks.length - 1]!;
  const plotW = W - M.left - M.right;
  const plotH = PLOT_H;
  // Legend rows below the axis label: lay them out first, the picture grows to fit them.
  const legend: Array<{ series: Series; x: number; row: number }> = [];
  let lx = M.left;
  let row = 0;
  for (const series of chart.series) {
    const width = 34 + series.name.length * 6.6;
    if (lx + width > W - M.right && lx > M.left) {
      lx = M.left;
      row++;
    }
    legend.push({ series, x: lx, row });
    lx += width;
  }
  const H = M.top + plotH + M.bottom + (row + 1) * LEGEND_ROW;
  const pad = chart.categories ? 0.5 : 0;
  const sx = (x: number) => M.left + ((x + pad) / (xMax + 2 * pad || 1)) * plotW;
  const sy = (y: number) => M.top + plotH - (y / yTop) * plotH;
  const out: string[] = [];
  out.push(`<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${W} ${H}" width="${W}" height="${H}" font-family="system-ui, sans-serif" font-size="12">`);
  out.push(`<rect width="${W}" height="${H}" fill="#fff"/>`);
  out.push(`<text x="${M.left}" y="22" font-size="14" font-weight="600">${escape(chart.title)}</text>`);
  for (const t of yTicks) {
    out.push(`<line x1="${M.left}" x2="${W - M.right}" y1="${sy(t).toFixed(1)}" y2="${sy(t).toFixed(1)}" stroke="#e5e5e5"/>`);
    out.push(`<text x="${M.left - 6}" y="${(sy(t) + 4).toFixed(1)}" text-anchor="end" fill="#444">${label(t)}</text>`);
  }
  const xTicks = chart.categories ? chart.categories.map((c, i) => [i, c] as const) : niceTicks(xMax).map((t) => [t, label(t)] as const);
  for (const [t, text] of xTicks) {
    if (t > xMax + 1e-9) continue;
    out.push(`<line x1="${sx(t).toFixed(1)}" x2="${sx(t).toFixed(1)}" y1="${M.top + plotH}" y2="${M.top + plotH + 4}" stroke="#444"/>`);
    out.push(`<text x="${sx(t).toFixed(1)}" y="${M.top + plotH + 18}" text-anchor="middle" fill="#444">${escape(text)}</text>`);
  }
  out.push(`<line x1="${M.left}" x2="${W - M.right}" y1="${M.top + plotH}" y2="${M.top + plotH}" stroke="#444"/>`);
  out.push(`<line x1="${M.left}" x2="${M.left}" y1="${M.top}" y2="${M.top + plotH}" stroke="#444"/>`);
  out.push(`<text x="${M.left + plotW / 2}" y="${M.top + plotH + 38}" text-anchor="middle">${escape(chart.xLabel)}</text>`);
  out.push(`<text transform="translate(16 ${M.top + plotH / 2}) rotate(-90)" text-anchor="middle">${escape(chart.yLabel)}</text>`);
  for (const s of chart.series) {
    const pts = s.points.filter(([x, y]) => Number.isFinite(x) && Number.isFinite(y));
    if (pts.length === 0) continue;
    const coords: string[] = [];
    pts.forEach(([x, y], i) => {
      if (s.step && i > 0) coords.push(`${sx(x).toFixed(1)},${sy(pts[i - 1]![1]).toFixed(1)}`);
      coords.push(`${sx(x).toFixed(1)},${sy(y).toFixed(1)}`);
    });
    out.push(`<polyline fill="none" stroke="${s.color}" stroke-width="2"${s.dashed ? ' stroke-dasharray="6 4"' : ''} points="${coords.join(' ')}"/>`);
    if (!s.step) for (const [x, y] of pts) out.push(`<circle cx="${sx(x).toFixed(1)}" cy="${sy(y).toFixed(1)}" r="3" fill="${s.color}"/>`);
  }
  for (const { series: s, x, row: r } of legend) {
    const y = M.top + plotH + M.bottom + r * LEGEND_ROW + 4;
    out.push(`<line x1="${x}" x2="${x + 22}" y1="${y - 4}" y2="${y - 4}" stroke="${s.color}" stroke-width="2"${s.dashed ? ' stroke-dasharray="6 4"' : ''}/>`);
    out.push(`<text x="${x + 28}" y="${y}">${escape(s.name)}</text>`);
  }
  out.push('</svg>');
  return `${out.join('\n')}\n`;
}

const OURS = '#1565c0';
const FLOOR = '#9e9e9e';
const PEER = '#e65100';
const STORM_COLORS = ['#1565c0', '#2e7d32', '#6a1b9a', '#c62828'];

/** Cumulative share (%) over time from sorted times in seconds, starting at 0. */
function cumulative(timesS: number[], total: number): Array<[number, number]> {
  const points: Array<[number, number]> = [[0, 0]];
  const step = Math.max(1, Math.floor(timesS.length / 200)); // ≤ 200 points per line
  for (let i = step - 1; i < timesS.length; i += step) points.push([timesS[i]!, ((i + 1) / total) * 100]);
  if (timesS.length > 0) points.push([timesS[timesS.length - 1]!, (timesS.length / total) * 100]);
  return points;
}

/** Writes the charts the results allow into `dir`; returns the file names written. */
export function writeCharts(r: Results, dir: string): string[] {
  mkdirSync(dir, { recursive: true });
  const written: string[] = [];
  const write = (name: string, chart: Chart) => {
    writeFileSync(path.join(dir, name), renderChart(chart));
    written.push(name);
  };
  if (r.latency.length > 0) {
    const categories = r.latency.map((row) => `${row.apps.toLocaleString('en')}${row.layout === 'two nodes' ? ' (2 nodes)' : ''}`);
    const line = (pick: (row: Results['latency'][number]) => number) => r.latency.map((row, i) => [i, pick(row)] as [number, number]);
    write('latency.svg', {
      title: 'start → notified vs student apps connected',
      xLabel: 'student apps connected',
      yLabel: 'ms',
      categories,
      series: [
        { name: 'ours p50', points: line((row) => row.ours.p50), color: OURS, dashed: true },
        { name: 'ours p99', points: line((row) => row.ours.p99), color: OURS },
        { name: 'floor p50', points: line((row) => row.floor.p50), color: FLOOR, dashed: true },
        { name: 'floor p99', points: line((row) => row.floor.p99), color: FLOOR },
      ],
    });
  }
  if (r.storms.length > 0) {
    const series: Series[] = [];
    r.storms.forEach((s, i) => {
      const name = s.layout === 'one node' ? `${s.apps.toLocaleString('en')} apps, restart` : `${s.apps.toLocaleString('en')} apps, node A killed`;
      series.push({ name: `${name}: online`, points: cumulative(s.curve.onlineAgainS, s.appsDropped), color: STORM_COLORS[i % STORM_COLORS.length]!, step: true });
      if (s.curve.ringsAcknowledgedS.length > 0) series.push({ name: `${name}: rings acknowledged`, points: cumulative(s.curve.ringsAcknowledgedS, s.curve.ringsAcknowledgedS.length), color: STORM_COLORS[i % STORM_COLORS.length]!, step: true, dashed: true });
    });
    write('storm.svg', { title: 'reconnect storm: apps online again since the kill', xLabel: 'seconds since the kill', yLabel: '% of apps / of rings (dashed)', series, yMax: 100 });
  }
  if (r.storeGrowth.length > 0) {
    const categories = r.storeGrowth.map((row) => row.stored.toLocaleString('en'));
    type Figure = (row: Results['storeGrowth'][number]) => number;
    const line = (pick: Figure) => r.storeGrowth.map((row, i) => [i, pick(row)] as [number, number]);
    /** Ours beside the naive lowdb server, one figure against the sessions already stored. */
    const oursBesideNaive = (file: string, title: string, yLabel: string, ours: Figure, naive: Figure) =>
      write(file, {
        title,
        xLabel: 'sessions already stored',
        yLabel,
        categories,
        series: [
          { name: 'ours', points: line(ours), color: OURS },
          { name: 'naive lowdb', points: line(naive), color: PEER },
        ],
      });
    oursBesideNaive('store-throughput.svg', 'create-session throughput vs sessions stored', 'sessions/s', (row) => row.ours, (row) => row.naive);
    oursBesideNaive('store-rss.svg', 'server RSS vs sessions stored', 'MB', (row) => row.oursRssMb, (row) => row.naiveRssMb);
  }
  return written;
}
