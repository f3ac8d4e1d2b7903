/**
 * Tiny helpers for building SVG as strings on the server: elements with escaped attributes, linear and
 * logarithmic scales, and "nice" axis ticks. No DOM, no dependencies, deterministic output.
 */
import { escapeHtml } from '../escape.js';

type Attributes = Record<string, string | number | undefined>;

/** Round to one decimal so the markup stays short and stable. */
export const r1 = (x: number): number => Math.round(x * 10) / 10;

/** An element with escaped attribute values; `children` is trusted markup (build it with `el`/`text`). */
export function el(tag: string, attributes: Attributes, children = ''): string {
  const attrs = Object.entries(attributes)
    .filter(([, v]) => v !== undefined)
    .map(([k, v]) => ` ${k}="${escapeHtml(typeof v === 'number' ? String(r1(v)) : v!)}"`)
    .join('');
  return children === '' && tag !== 'text' && tag !== 'title' ? `<${tag}${attrs}/>` : `<${tag}${attrs}>${children}</${tag}>`;
}

/** A `<text>` element holding untrusted text, escaped. */
export function text(content: string, attributes: Attributes): string {
  return el('text', attributes, escapeHtml(content));
}

/** A hover tooltip for the enclosing element (no script needed). */
export function tooltip(content: string): string {
  return el('title', {}, escapeHtml(content));
}

export type Scale = (value: number) => number;

/** Maps [d0, d1] onto [r0, r1] linearly; a zero-width domain maps to the range's middle. */
export function linearScale(d0: number, d1: number, rangeStart: number, rangeEnd: number): Scale {
  if (d1 === d0) return () => (rangeStart + rangeEnd) / 2;
  return (v) => rangeStart + ((v - d0) / (d1 - d0)) * (rangeEnd - rangeStart);
}

/** Maps positive [d0, d1] onto [r0, r1] on a log scale, so ratios 0.8 and 1.25 sit equally far from 1. */
export function logScale(d0: number, d1: number, rangeStart: number, rangeEnd: number): Scale {
  const linear = linearScale(Math.log(d0), Math.log(d1), rangeStart, rangeEnd);
  return (v) => linear(Math.log(Math.max(v, Number.MIN_VALUE)));
}

/** About `count` round tick values covering [min, max] (steps of 1, 2 or 5 × 10^k). */
export function niceTicks(min: number, max: number, count = 5): number[] {
  if (!(max > min)) return [min];
  const raw = (max - min) / count;
  const power = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 5, 10].map((m) => m * power).find((s) => s >= raw) ?? raw;
  const ticks: number[] = [];
  for (let t = Math.ceil(min / step) * step; t <= max + step * 1e-9; t += step) ticks.push(Math.round(t / step) * step);
  return ticks;
}

/** Quantile by linear interpolation between order statistics (type 7, as R and numpy default). */
export function quantile(sorted: number[], q: number): number {
  if (sorted.length === 0) return NaN;
  const position = (sorted.length - 1) * q;
  const lower = Math.floor(position);
  const upper = Math.ceil(position);
  return sorted[lower]! + (sorted[upper]! - sorted[lower]!) * (position - lower);
}
