/**
 * Number formatting shared by every renderer, so the comment, the HTML page and the terminal say
 * the same thing in the same words ("8.2 s", "412 ms", "+23%", "q=0.003").
 */

/** Milliseconds for people: "412 ms" under a second, "8.2 s" under a minute, "2 min 05 s" above; "—" for null. */
export function formatMs(ms: number | null | undefined): string {
  if (ms === null || ms === undefined || !Number.isFinite(ms)) return '—';
  const abs = Math.abs(ms);
  const sign = ms < 0 ? '−' : '';
  if (abs === 0) return '0 ms';
  if (abs < 1) return `${sign}${abs.toFixed(2)} ms`;
  if (abs < 10) return `${sign}${abs.toFixed(1)} ms`;
  if (abs < 999.5) return `${sign}${Math.round(abs)} ms`;
  if (abs < 59_950) return `${sign}${(abs / 1000).toFixed(1)} s`;
  const totalSeconds = Math.round(abs / 1000);
  const minutes = Math.floor(totalSeconds / 60);
  const seconds = String(totalSeconds % 60).padStart(2, '0');
  return `${sign}${minutes} min ${seconds} s`;
}

/** A signed duration change: "+48 ms", "−1.2 s", "±0 ms". */
export function formatDeltaMs(ms: number): string {
  if (!Number.isFinite(ms)) return '—';
  if (ms === 0) return '±0 ms';
  const text = formatMs(Math.abs(ms));
  return ms > 0 ? `+${text}` : `−${text}`;
}

/**
 * A ratio head/base as a signed percent change: 1.234 → "+23%", 0.9 → "−10%", 1.0004 → "±0%".
 * Changes under 10% keep one decimal when it is not zero (1.047 → "+4.7%") so small effects near the
 * 5% threshold stay distinguishable.
 */
export function formatChange(ratio: number): string {
  if (!Number.isFinite(ratio)) return '—';
  const pct = (ratio - 1) * 100;
  const abs = Math.abs(pct);
  const digits = abs < 9.95 ? 1 : 0;
  const rounded = abs.toFixed(digits).replace(/\.0$/, '');
  if (rounded === '0') return '±0%';
  return pct > 0 ? `+${rounded}%` : `−${rounded}%`;
}

/** A ratio with two decimals: "1.23". */
export function formatRatio(ratio: number): string {
  return Number.isFinite(ratio) ? ratio.toFixed(2) : '—';
}

/** A ratio's interval as "[1.15, 1.31]". */
export function formatInterval(low: number, high: number): string {
  return `[${formatRatio(low)}, ${formatRatio(high)}]`;
}

/** A p- or q-value: "0.003", "0.04", "<0.001" → with a prefix, "q=0.003" / "q<0.001". */
export function formatProbability(name: 'p' | 'q', value: number | null): string {
  if (value === null || !Number.isFinite(value)) return `${name}=—`;
  if (value < 0.001) return `${name}<0.001`;
  if (value < 0.01) return `${name}=${value.toFixed(3)}`;
  return `${name}=${value.toFixed(2)}`;
}

/** A rate as a whole percent: 0.9 → "90%". */
export function formatRate(rate: number): string {
  return Number.isFinite(rate) ? `${Math.round(rate * 100)}%` : '—';
}

/** Count with a noun, pluralized with "s": (1, "cell") → "1 cell", (3, "cell") → "3 cells". */
export function plural(count: number, noun: string, pluralNoun = `${noun}s`): string {
  return `${count} ${count === 1 ? noun : pluralNoun}`;
}

/** The first 7 characters of a SHA, or "—" when unknown. */
export function shortSha(sha: string | null): string {
  return sha ? sha.slice(0, 7) : '—';
}

const TEST_NAMES: Record<string, string> = {
  'wilcoxon-signed-rank': 'Wilcoxon signed-rank',
  'mann-whitney': 'Mann–Whitney U',
  boschloo: "Boschloo's exact test",
  barnard: "Barnard's exact test",
  fisher: "Fisher's exact test",
};

/** A statistical test's name for people: "wilcoxon-signed-rank" → "Wilcoxon signed-rank". */
export function testName(test: string): string {
  return TEST_NAMES[test] ?? test;
}
