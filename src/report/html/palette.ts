/** Colors shared by the HTML report's table badges and plots, so a verdict looks the same everywhere. */
import type { CellVerdict } from '../model.js';

export const VERDICT_COLOR: Record<CellVerdict, string> = {
  regression: '#d1242f',
  improvement: '#1a7f37',
  unchanged: '#6e7781',
  inconclusive: '#bf8700',
};

export const SIDE_COLOR = { base: '#57606a', head: '#0969da' } as const;
