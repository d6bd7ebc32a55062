/**
 * A small SVG chart of a simulation: replicas (desired and ready, left axis) and lag (right
 * axis) over time. Hand-written SVG, no dependency; every text from input is XML-escaped.
 */
import type { Simulation, TimelinePoint } from './simulate.js';

const WIDTH = 720;
const HEIGHT = 320;
const PAD = { left: 48, right: 64, top: 36, bottom: 36 };
/** Points per series at most: one per horizontal pixel of the plot area. */
const MAX_POINTS = WIDTH - PAD.left - PAD.right;

const escapeXml = (s: string) =>
  s
    .replace(/[<>&"']/g, (c) => `&#${c.codePointAt(0) ?? 0};`)
    .replace(/[^\t\n\r\x20-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/gu, '');

/** Buckets of timeline points, each drawn as its maximum, so a peak is never lost. */
function buckets(timeline: readonly TimelinePoint[]): TimelinePoint[] {
  const size = Math.max(1, Math.ceil(timeline.length / MAX_POINTS));
  const out: TimelinePoint[] = [];
  for (let i = 0; i < timeline.length; i += size) {
    const slice = timeline.slice(i, i + size);
    const first = slice[0];
    if (first === undefined) break;
    out.push({
      ...first,
      desired: Math.max(...slice.map((p) => p.desired)),
      ready: Math.max(...slice.map((p) => p.ready)),
      lag: Math.max(...slice.map((p) => p.lag)),
    });
  }
  return out;
}

/** Round-number top of an axis: 1, 2 or 5 × 10^n, at least `max`. */
function niceTop(max: number): number {
  if (max <= 0) return 1;
  const step = 10 ** Math.floor(Math.log10(max));
  const top = [1, 2, 5, 10].map((m) => m * step).find((v) => v >= max);
  return top ?? 10 * step;
}

/** The chart, titled `title` (e.g. the claim's name). */
export function simulationSvg(sim: Simulation, title: string): string {
  const points = buckets(sim.timeline);
  const duration = sim.profile.durationSeconds;
  const plotW = WIDTH - PAD.left - PAD.right;
  const plotH = HEIGHT - PAD.top - PAD.bottom;
  const replicasTop = niceTop(Math.max(sim.settings.maxReplicas, ...points.map((p) => p.desired)));
  const lagTop = niceTop(Math.max(...points.map((p) => p.lag), 0));
  const x = (t: number) => (PAD.left + (t / Math.max(1, duration - 1)) * plotW).toFixed(1);
  const y = (v: number, top: number) => (PAD.top + plotH - (v / top) * plotH).toFixed(1);
  const line = (value: (p: TimelinePoint) => number, top: number) =>
    points.map((p) => `${x(p.t)},${y(value(p), top)}`).join(' ');
  const bottom = PAD.top + plotH;
  const right = PAD.left + plotW;
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${WIDTH}" height="${HEIGHT}" viewBox="0 0 ${WIDTH} ${HEIGHT}" font-family="sans-serif" font-size="11">`,
    `<title>${escapeXml(title)}</title>`,
    `<rect width="${WIDTH}" height="${HEIGHT}" fill="white"/>`,
    `<text x="${PAD.left}" y="20" font-size="13">${escapeXml(title)}: replicas and lag over ${duration} s</text>`,
    `<line x1="${PAD.left}" y1="${bottom}" x2="${right}" y2="${bottom}" stroke="#999"/>`,
    `<line x1="${PAD.left}" y1="${PAD.top}" x2="${PAD.left}" y2="${bottom}" stroke="#999"/>`,
    `<line x1="${right}" y1="${PAD.top}" x2="${right}" y2="${bottom}" stroke="#999"/>`,
    `<text x="${PAD.left - 6}" y="${PAD.top + 4}" text-anchor="end">${replicasTop}</text>`,
    `<text x="${PAD.left - 6}" y="${bottom}" text-anchor="end">0</text>`,
    `<text x="${right + 6}" y="${PAD.top + 4}">${lagTop}</text>`,
    `<text x="${right + 6}" y="${bottom}">0</text>`,
    `<text x="${PAD.left}" y="${bottom + 16}">0 s</text>`,
    `<text x="${right}" y="${bottom + 16}" text-anchor="end">${duration} s</text>`,
    `<polyline fill="none" stroke="#d62728" stroke-width="1" points="${line((p) => p.lag, lagTop)}"/>`,
    `<polyline fill="none" stroke="#9ecae1" stroke-width="2" points="${line((p) => p.desired, replicasTop)}"/>`,
    `<polyline fill="none" stroke="#1f77b4" stroke-width="2" points="${line((p) => p.ready, replicasTop)}"/>`,
    `<text x="${PAD.left + 8}" y="${bottom + 30}" fill="#1f77b4">ready replicas</text>`,
    `<text x="${PAD.left + 108}" y="${bottom + 30}" fill="#6baed6">desired replicas</text>`,
    `<text x="${PAD.left + 218}" y="${bottom + 30}" fill="#d62728">lag (right axis)</text>`,
    '</svg>',
    '',
  ].join('\n');
}
