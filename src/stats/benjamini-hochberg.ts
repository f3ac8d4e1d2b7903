/**
 * Benjamini–Hochberg adjusted p-values ("q-values"), in input order: q₍ᵢ₎ = min over j ≥ i of
 * min(1, m·p₍ⱼ₎/j) for the ascending p₍₁₎ ≤ … ≤ p₍ₘ₎ (Benjamini & Hochberg, JRSS B 57, 1995). Same as
 * scipy.stats.false_discovery_control(p, method='bh'). Rejecting every test with q ≤ α controls
 * the false discovery rate at α for independent or positively dependent tests. NaN entries stay
 * NaN and do not count in m (as R's p.adjust); an empty list gives an empty list.
 */
export function benjaminiHochberg(p: readonly number[]): number[] {
  // Indexes sorted by their p (a stable sort: equal p keep input order), not one object per test: a
  // comparison of 100,000 cells adjusts two families of about that size.
  const order: number[] = [];
  for (let i = 0; i < p.length; i++) if (!Number.isNaN(p[i])) order.push(i);
  order.sort((left, right) => (p[left] as number) - (p[right] as number));
  const m = order.length;
  const q = new Array<number>(p.length).fill(NaN);
  let running = 1;
  for (let rank = m; rank >= 1; rank--) {
    const index = order[rank - 1] as number;
    running = Math.min(running, (p[index] as number) * (m / rank)); // m/rank ≥ 1 keeps q ≥ p after rounding
    q[index] = running;
  }
  return q;
}
