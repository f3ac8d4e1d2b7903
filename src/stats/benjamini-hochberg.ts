/**
 * Benjamini–Hochberg adjusted p-values ("q-values"), in input order: q₍ᵢ₎ = min over j ≥ i of
 * min(1, m·p₍ⱼ₎/j) for the ascending p₍₁₎ ≤ … ≤ p₍ₘ₎ (Benjamini & Hochberg, JRSS B 57, 1995). Same as
 * scipy.stats.false_discovery_control(p, method='bh'). Rejecting every test with q ≤ α controls
 * the false discovery rate at α for independent or positively dependent tests. NaN entries stay
 * NaN and do not count in m (as R's p.adjust); an empty list gives an empty list.
 */
export function benjaminiHochberg(p: readonly number[]): number[] {
  const order = p
    .map((value, index) => ({ value, index }))
    .filter(({ value }) => !Number.isNaN(value))
    .sort((left, right) => left.value - right.value);
  const m = order.length;
  const q = new Array<number>(p.length).fill(NaN);
  let running = 1;
  for (let rank = m; rank >= 1; rank--) {
    const entry = order[rank - 1] as { value: number; index: number };
    running = Math.min(running, entry.value * (m / rank)); // m/rank ≥ 1 keeps q ≥ p after rounding
    q[entry.index] = running;
  }
  return q;
}
