/**
 * One markdown document at one level of detail, laid out in a single pass within its budget: the parts
 * that must appear (headline, experiment page, warnings, footer) first, then rows of the results table
 * and cell details in order of importance (regressions first, worst first), each rendered once and kept
 * only while it fits. At a strict level anything left out makes the level fail (the caller tries a
 * barer one); at a cutting level what does not fit is left out and counted in a note ("… 4,210 more
 * cells in the job summary / HTML report"). The cost is linear in the cells, whatever the budget.
 */
import { plural } from '../format.js';
import { regressionRank } from '../matrix.js';
import type { CellReport, Report } from '../model.js';
import { ratioChart } from './chart.js';
import { Room, type Measure } from './budget.js';
import type { Detail } from './detail.js';
import {
  cellDetails,
  detailCells,
  experimentSection,
  footerSection,
  resultsTable,
  ruledOutTable,
  warningsSection,
  type SourceUrl,
  type TableRow,
} from './sections.js';

export interface LayoutSpec {
  /** Text before the body (marker and headline) and after it; both always present. */
  prefix: string;
  suffix: string;
  /** Experiment page and results table. */
  overview: boolean;
  /** Chart, cell details, the "ruled out" table and warnings. */
  details: boolean;
  /** The footer with this reproduce command; none when undefined. */
  reproduce?: string;
  sourceUrl?: SourceUrl;
  /** Where what is left out can be read, e.g. "the job summary / HTML report". */
  elsewhere: string;
}

export interface Laid {
  text: string;
  /** False when even the parts that must appear exceed the budget (the caller cuts the text). */
  fits: boolean;
}

/** Blank lines between blocks, newlines between rows: what each part costs on top of its text. */
const BLOCK_GAP = 2;
const ROW_GAP = 1;
/** Room kept at a cutting level for the notes that count what was left out (each well below this). */
const NOTE_ROOM = 3 * 160;
/** When both want room, the results table may take this share before cell details get theirs. */
const TABLE_SHARE = 0.6;

/**
 * Lays out `report` at `detail` within `max` (in `measure` units). Strict (`cutting` false): null as soon
 * as any part does not fit. Cutting: always a document, with notes for what was left out.
 */
export function layout(report: Report, detail: Detail, spec: LayoutSpec, measure: Measure, max: number, cutting: boolean, cache = new RenderCache()): Laid | null {
  const room = new Room(max, measure);
  room.force(room.cost(spec.prefix + spec.suffix));
  const experiment = spec.overview ? experimentSection(report, detail) : '';
  const warnings = spec.details ? warningsSection(report, detail) : '';
  const footer = spec.reproduce !== undefined ? footerSection(report, spec.reproduce) : '';
  for (const must of [experiment, warnings, footer]) if (must) room.force(room.cost(must, BLOCK_GAP));
  if (room.left < 0 && !cutting) return null;
  if (cutting) room.force(NOTE_ROOM);

  const table = spec.overview ? resultsTable(report, detail) : undefined;
  const tableRows = table ? byPriority(table.rows, (r) => r.rank, (r) => r.index) : [];
  const tableFrame = table && table.rows.length > 0 ? room.cost(table.head, BLOCK_GAP) + room.cost(table.legend, BLOCK_GAP) : 0;
  if (table?.collapsed) room.force(room.cost(table.collapsed, BLOCK_GAP));
  const showTable = tableFrame === 0 || room.take(tableFrame);

  const cellsInOrder = spec.details ? detailCells(report, detail) : [];
  const cellsByPriority = byPriority(cellsInOrder.map((cell, index) => ({ cell, index })), (c) => regressionRank(c.cell), (c) => c.index);

  // Regressed rows first (up to a share when details want room too), then details, then the other rows.
  const rowKey = `${detail.promptChars} ${detail.metricsPerCell}`;
  const renderRow = (row: TableRow) => cache.get(report, `row ${row.index} ${rowKey}`, () => row.render());
  const detailKey = `${detail.spansPerCell} ${detail.successLine} ${detail.metricsPerCell} ${detail.notesPerCell}`;
  const renderDetails = (cell: CellReport) => cache.get(cell, detailKey, () => cellDetails(report, cell, detail, spec.sourceUrl));
  const rows = new Taker<TableRow>(tableRows, renderRow, ROW_GAP);
  const details = new Taker(cellsByPriority, ({ cell }) => renderDetails(cell), BLOCK_GAP);
  if (!cutting && (!showTable || estimatedCost(room, tableRows, renderRow, ROW_GAP) + estimatedCost(room, cellsByPriority, (c) => renderDetails(c.cell), BLOCK_GAP) > room.left * 1.1)) return null;
  const regressedRows = tableRows.filter((r) => r.rank !== null).length;
  if (showTable) {
    const share = cellsByPriority.length > 0 && cutting ? room.left * TABLE_SHARE : room.left;
    if (!rows.fill(room, regressedRows, room.left - share) && !cutting) return null;
  }
  if (!details.fill(room, cellsByPriority.length) && !cutting) return null;
  if (showTable && !rows.fill(room, tableRows.length) && !cutting) return null;

  let chart = detail.chart && spec.details ? ratioChart(report) : '';
  if (chart && !room.take(room.cost(chart, BLOCK_GAP))) {
    if (!cutting) return null;
    chart = '';
  }

  const ruled = spec.details ? ruledOutTable(report, detail) : undefined;
  const ruledFrame = ruled ? room.cost(ruled.open, ROW_GAP) + room.cost(ruled.close, ROW_GAP) + BLOCK_GAP : 0;
  const showRuled = ruled !== undefined && room.take(ruledFrame);
  if (ruled && !showRuled && !cutting) return null;
  const ruledRows = new Taker(ruled?.cells ?? [], (cell: CellReport) => ruled!.row(cell), ROW_GAP);
  if (showRuled && !ruledRows.fill(room, ruled.cells.length) && !cutting) return null;

  // The notes go into the room kept for them.
  if (cutting) room.give(NOTE_ROOM);
  const more = (count: number, what: string) => `… ${plural(count, what)} in ${spec.elsewhere}`;

  const blocks: string[] = [];
  if (experiment) blocks.push(experiment);
  if (table) {
    const shownRows = rows.all ? table.rows.map(renderRow) : rows.taken;
    const omittedCells = rows.left.reduce((n, r) => n + r.cells, 0);
    const notes = [...(table.collapsed ? [table.collapsed] : []), ...(omittedCells > 0 ? [`<sub>${more(omittedCells, 'more cell')}</sub>`] : [])];
    blocks.push(shownRows.length > 0 ? [[table.head, ...shownRows].join('\n'), table.legend, ...notes].join('\n\n') : notes.join('\n\n'));
  }
  if (chart) blocks.push(chart);
  if (details.all) blocks.push(cellsInOrder.map(renderDetails).join('\n\n'));
  else blocks.push(...details.taken, `<sub>${more(details.left.length, 'more cell detail')}</sub>`);
  if (showRuled) {
    const note = ruledRows.all ? [] : [`| ${more(ruledRows.left.length, 'more cell')} | | | | | |`];
    blocks.push([ruled.open, ...ruledRows.taken, ...note, ruled.close].join('\n'));
  }
  if (warnings) blocks.push(warnings);
  if (footer) blocks.push(footer);
  const text = `${spec.prefix}${blocks.filter((b) => b !== '').join('\n\n')}${spec.suffix}`;
  return { text, fits: room.left >= 0 };
}

/**
 * Rendered rows and cell details by the detail fields they depend on, shared by the levels of one
 * document: a level that only drops the chart or collapses rows renders nothing twice.
 */
export class RenderCache {
  private readonly rendered = new WeakMap<object, Map<string, string>>();

  get(item: object, key: string, render: () => string): string {
    let byKey = this.rendered.get(item);
    if (!byKey) this.rendered.set(item, (byKey = new Map()));
    let text = byKey.get(key);
    if (text === undefined) byKey.set(key, (text = render()));
    return text;
  }
}

/** Lists longer than this are first estimated from a sample: a level that clearly cannot fit is not rendered. */
const ESTIMATE_ABOVE = 64;
const SAMPLE = 16;

/**
 * What `items` cost, estimated from an even sample when there are many (0 when few: they are simply
 * rendered). A strict level of a 5,000-cell report that clearly cannot fit fails on the estimate instead
 * of after rendering a budget's worth of parts.
 */
function estimatedCost<T>(room: Room, items: readonly T[], render: (item: T) => string, gap: number): number {
  if (items.length <= ESTIMATE_ABOVE) return 0;
  let sampled = 0;
  for (let k = 0; k < SAMPLE; k++) sampled += room.cost(render(items[Math.floor((k * items.length) / SAMPLE)]!), gap);
  return (sampled / SAMPLE) * items.length;
}

/** Items with a rank (regressions) first, highest rank first, then the rest; ties in their own order. */
function byPriority<T>(items: readonly T[], rank: (item: T) => number | null, index: (item: T) => number): T[] {
  const ranked = items.filter((i) => rank(i) !== null).sort((a, b) => rank(b)! - rank(a)! || index(a) - index(b));
  return [...ranked, ...items.filter((i) => rank(i) === null)];
}

/** Takes rendered items from a list in order while they fit; remembers where it stopped. */
class Taker<T> {
  readonly taken: string[] = [];
  private next = 0;

  constructor(
    private readonly items: readonly T[],
    private readonly render: (item: T) => string,
    private readonly gap: number,
  ) {}

  /**
   * Takes items up to index `until` while each fits in `room` keeping `reserve` units free; false when
   * one did not fit (the rest up to `until` stay for a later call, which may have more room).
   */
  fill(room: Room, until: number, reserve = 0): boolean {
    while (this.next < until) {
      const text = this.render(this.items[this.next]!);
      if (!room.take(room.cost(text, this.gap), room.left - reserve)) return false;
      this.taken.push(text);
      this.next++;
    }
    return true;
  }

  get all(): boolean {
    return this.next >= this.items.length;
  }

  get left(): readonly T[] {
    return this.items.slice(this.next);
  }
}
