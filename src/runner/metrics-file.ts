/**
 * The metrics file of one run ($FRAMETAIL_METRICS_FILE): JSON lines `{"name": "cost", "value": 0.042,
 * "unit": "USD"}` the pipeline writes. The file is untrusted input: it is read up to MAX_BYTES and
 * MAX_LINES, and each line that is not a known metric with a finite number becomes a warning naming the
 * file and line; the values before and after it still count. A metric written twice keeps its last value.
 */
import type { MetricConfig } from '../config/schema.js';

export const METRICS_FILE_MAX_BYTES = 256 * 1024;
export const METRICS_FILE_MAX_LINES = 1000;
/** Warnings listed per run; more are counted in one last line. */
const MAX_WARNINGS = 10;

export interface MetricsFileValues {
  values: Map<string, number>;
  warnings: string[];
}

/**
 * Values for the configured file metrics (`file: true`) from the text of a metrics file. `label` names
 * the file in warnings; `truncated` says the reader stopped at METRICS_FILE_MAX_BYTES.
 */
export function parseMetricsFile(text: string, label: string, metrics: readonly MetricConfig[], truncated = false): MetricsFileValues {
  const byName = new Map(metrics.filter((m) => m.file === true).map((m) => [m.name, m]));
  const values = new Map<string, number>();
  const warnings: string[] = [];
  let dropped = 0;
  const warn = (line: number, message: string) => {
    if (warnings.length < MAX_WARNINGS) warnings.push(`${label}:${line}: ${message}`);
    else dropped++;
  };
  const lines = text.split('\n');
  // A cut-short last line is not the pipeline's fault when we cut it.
  if (truncated) lines.pop();
  lines.forEach((raw, index) => {
    const lineNo = index + 1;
    const line = raw.trim();
    if (line === '') return;
    if (lineNo > METRICS_FILE_MAX_LINES) {
      if (lineNo === METRICS_FILE_MAX_LINES + 1) warn(lineNo, `more than ${METRICS_FILE_MAX_LINES} lines; the rest is ignored`);
      return;
    }
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch {
      return warn(lineNo, 'not a JSON object; the line is ignored');
    }
    if (typeof value !== 'object' || value === null || Array.isArray(value)) return warn(lineNo, 'not a JSON object; the line is ignored');
    const { name, value: number, unit } = value as Record<string, unknown>;
    if (typeof name !== 'string') return warn(lineNo, 'name: is missing; the line is ignored');
    const metric = byName.get(name);
    if (!metric) return warn(lineNo, `name: ${JSON.stringify(name.slice(0, 64))} is not a metric configured with file: true; the line is ignored`);
    if (typeof number !== 'number' || !Number.isFinite(number)) {
      return warn(lineNo, `value: ${JSON.stringify(number ?? null)?.slice(0, 32)} is not a finite number; the line is ignored`);
    }
    if (unit !== undefined && unit !== metric.unit) {
      warn(lineNo, `unit: ${JSON.stringify(String(unit).slice(0, 16))} differs from the configured "${metric.unit}"; the value is kept as ${metric.unit || 'unitless'}`);
    }
    values.set(name, number);
  });
  if (truncated) warn(lines.length + 1, `the file is larger than ${METRICS_FILE_MAX_BYTES} bytes; the rest is ignored`);
  if (dropped > 0) warnings.push(`${label}: … and ${dropped} more warnings`);
  return { values, warnings };
}
