import { describe, expect, it } from 'vitest';
import type { SpanNode } from '../traces/analyze.js';
import type { Span } from '../traces/span.js';
import { waterfallFromTree } from './waterfall.js';

function node(name: string, depth: number, children: SpanNode[] = []): SpanNode {
  const span = { name, status: 'ok' } as Span;
  return { span, path: name, depth, startMs: depth, durationMs: 10, selfMs: 1, criticalMs: depth % 2, children };
}

describe('waterfallFromTree', () => {
  it('lists spans depth-first, parents before children, siblings in order', () => {
    const tree = [node('root', 0, [node('a', 1, [node('a1', 2), node('a2', 2)]), node('b', 1)]), node('orphan', 0)];
    expect(waterfallFromTree(tree).map((w) => w.name)).toEqual(['root', 'a', 'a1', 'a2', 'b', 'orphan']);
  });

  it('walks a 100,000-deep chain without overflowing the stack (depth is input)', () => {
    const root = node('s0', 0);
    let tip = root;
    for (let depth = 1; depth < 100_000; depth++) {
      const child = node(`s${depth}`, depth);
      tip.children.push(child);
      tip = child;
    }
    const out = waterfallFromTree([root]);
    expect(out).toHaveLength(100_000);
    expect(out[99_999]).toMatchObject({ name: 's99999', depth: 99_999 });
  });
});
