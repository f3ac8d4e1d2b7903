/**
 * The HTML report in a real headless Chromium: it loads with no console or page error and no network
 * request, the plots are there, hostile strings stay text, and a full-page screenshot is written to
 * tests/artifacts/report.png for a person to look at. Skipped (with a message) only when
 * /usr/bin/chromium is missing; CI installs it.
 */
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { failReport, injectionReport, largeReport, overflowReport, passReport } from '../fixtures/reports/build.js';
import { HTML_LIMITS, renderHtml } from '../src/report/html/render.js';
import { cellName, regressedCells, topSpans } from '../src/report/matrix.js';

const CHROMIUM = '/usr/bin/chromium';
const ARTIFACTS = join(dirname(fileURLToPath(import.meta.url)), 'artifacts');
const haveChromium = existsSync(CHROMIUM);
if (!haveChromium) console.warn(`skipping the HTML report browser tests: ${CHROMIUM} is missing (apt-get install chromium)`);

let browser: Browser;

/** Load the page from a file:// URL, recording console errors, page errors and network requests. */
async function open(html: string, name: string): Promise<{ page: Page; problems: string[]; requests: string[] }> {
  mkdirSync(ARTIFACTS, { recursive: true });
  const file = join(ARTIFACTS, `${name}.html`);
  writeFileSync(file, html);
  const page = await browser.newPage({ viewport: { width: 1200, height: 900 } });
  const problems: string[] = [];
  const requests: string[] = [];
  page.on('console', (m) => {
    if (m.type() === 'error' || m.type() === 'warning') problems.push(`console ${m.type()}: ${m.text()}`);
  });
  page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
  page.on('dialog', (d) => {
    problems.push(`dialog: ${d.message()}`);
    void d.dismiss();
  });
  page.on('request', (r) => {
    if (!r.url().startsWith('file:')) requests.push(r.url());
  });
  await page.goto(`file://${file}`, { waitUntil: 'load' });
  return { page, problems, requests };
}

describe.skipIf(!haveChromium)('renderHtml in headless Chromium', () => {
  beforeAll(async () => {
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    });
  });
  afterAll(async () => {
    await browser?.close();
  });

  it('renders the failing report with every plot, no error, no network, and a screenshot', async () => {
    const report = failReport();
    const { page, problems, requests } = await open(renderHtml(report), 'report');
    expect(problems).toEqual([]);
    expect(requests).toEqual([]);
    await expect(page.locator('[data-testid=headline]').textContent()).resolves.toContain('1 latency regression: pirouette × Wide shot +23%');
    expect(await page.locator('svg[data-testid=forest-plot] g[data-verdict]').count()).toBe(6);
    expect(await page.locator('svg[data-testid=forest-plot] g[data-verdict=regression]').count()).toBe(1);
    expect(await page.locator('svg[data-testid=distribution]').count()).toBe(6);
    expect(await page.locator('svg[data-testid=distribution] circle').count()).toBe(report.cells.reduce((n, c) => n + c.base.samplesMs.length + c.head.samplesMs.length, 0));
    const waterfall = page.locator('svg[data-testid=waterfall]');
    expect(await waterfall.count()).toBe(1);
    expect(await waterfall.locator('g[data-path="generate/decode"]').count()).toBe(2);
    // Spans whose own comparison is a regression carry a badge in the operations table, the others none.
    const shown = report.cells.flatMap((c) => (c.verdict === 'regression' ? topSpans(c, 10) : []));
    expect(await page.locator('[data-testid=span-regression]').count()).toBe(shown.filter((s) => s.verdict === 'regression').length);
    // The plots have real size on the page (not collapsed to nothing).
    const box = await page.locator('svg[data-testid=forest-plot]').boundingBox();
    expect(box!.width).toBeGreaterThan(600);
    expect(box!.height).toBeGreaterThan(150);
    await page.screenshot({ path: join(ARTIFACTS, 'report.png'), fullPage: true });
    await page.close();
  });

  it('keeps hostile strings as text: no script runs, no element is injected', async () => {
    const { page, problems, requests } = await open(renderHtml(injectionReport()), 'report-injection');
    expect(problems).toEqual([]);
    expect(requests).toEqual([]);
    expect(await page.locator('script').count()).toBe(0);
    expect(await page.locator('img').count()).toBe(0);
    await expect(page.locator('h1').textContent()).resolves.toBe('Motion <script>alert("x")</script><img src=x onerror=alert(1)>');
    expect(await page.locator('svg[data-testid=waterfall] text').filter({ hasText: '<script>' }).count()).toBeGreaterThan(0);
    await page.screenshot({ path: join(ARTIFACTS, 'report-injection.png'), fullPage: true });
    await page.close();
  });

  it('renders a passing report without a regressions section', async () => {
    const { page, problems } = await open(renderHtml(passReport()), 'report-pass');
    expect(problems).toEqual([]);
    expect(await page.locator('[data-testid=regressed-cell]').count()).toBe(0);
    expect(await page.locator('svg[data-testid=waterfall]').count()).toBe(0);
    expect(await page.locator('svg[data-testid=forest-plot]').count()).toBe(1);
    await page.close();
  });

  it('renders all 60 cells of a large matrix: forest rows, distributions, one regressions section each', async () => {
    const { page, problems } = await open(renderHtml(overflowReport()), 'report-overflow');
    expect(problems).toEqual([]);
    expect(await page.locator('svg[data-testid=forest-plot] g[data-verdict]').count()).toBe(60);
    expect(await page.locator('svg[data-testid=distribution]').count()).toBe(60);
    expect(await page.locator('[data-testid=regressed-cell]').count()).toBe(45);
    expect(await page.locator('[data-testid=not-shown]').count()).toBe(0);
    await page.close();
  });

  it('bounds a 5,000-cell matrix to a few MB: the cells of most concern, worst regression first, and notes counting the rest', async () => {
    const report = largeReport();
    const html = renderHtml(report);
    // It was 26 MB; the limits keep it small whatever the matrix.
    expect(html.length).toBeLessThan(4_000_000);
    const { page, problems, requests } = await open(html, 'report-large');
    expect(problems).toEqual([]);
    expect(requests).toEqual([]);
    await expect(page.locator('[data-testid=headline]').textContent()).resolves.toContain('715 latency regressions');
    const worst = regressedCells(report);
    const sections = page.locator('[data-testid=regressed-cell] h3:first-child');
    expect(await sections.count()).toBe(HTML_LIMITS.detailedCells);
    await expect(sections.first().textContent()).resolves.toContain(`${cellName(report, worst[0]!)}: +106%`);
    expect(await page.locator('svg[data-testid=forest-plot] g[data-verdict]').count()).toBe(HTML_LIMITS.plottedCells);
    expect(await page.locator('svg[data-testid=distribution]').count()).toBe(HTML_LIMITS.plottedCells);
    // The plotted cells are the regressions, worst first (715 of them, more than the page plots).
    expect(await page.locator('svg[data-testid=forest-plot] g[data-verdict=regression]').count()).toBe(HTML_LIMITS.plottedCells);
    const tableCells = await page.locator('table[data-testid=results] tbody td .cell-value').count();
    expect(tableCells).toBeLessThanOrEqual(HTML_LIMITS.tableCells);
    const notes = await page.locator('[data-testid=not-shown]').allTextContents();
    expect(notes).toEqual([
      `${5000 - tableCells} more cells not shown here (the page shows at most the ones of most concern); report.json has them all.`,
      `${5000 - HTML_LIMITS.tableCells} more cells not shown here (the page shows at most the ones of most concern); report.json has them all.`,
      `${5000 - HTML_LIMITS.plottedCells} more cells not shown here (the page shows at most the ones of most concern); report.json has them all.`,
      `${715 - HTML_LIMITS.detailedCells} more regressed cells not shown here (the page shows at most the ones of most concern); report.json has them all.`,
    ]);
    await page.close();
  }, 120_000);
});
