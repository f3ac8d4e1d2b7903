/**
 * Parses a duration as users write it in YAML: a number of milliseconds, or a string with a unit
 * ("250ms", "1.5s", "2m", "1h"). Returns milliseconds, or undefined when the text is not a duration.
 */
export function parseDurationMs(value: number | string): number | undefined {
  if (typeof value === 'number') return Number.isFinite(value) && value >= 0 ? value : undefined;
  const match = /^\s*(\d+(?:\.\d+)?)\s*(ms|s|m|h)?\s*$/.exec(value);
  if (!match) return undefined;
  const amount = Number(match[1]);
  const unit = match[2] ?? 'ms';
  const factor = unit === 'h' ? 3_600_000 : unit === 'm' ? 60_000 : unit === 's' ? 1000 : 1;
  return amount * factor;
}
