/** Shows or saves a report in the format asked for (`compare --format`, and the end of `bench`). */
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { InputError } from '../errors.js';
import { renderHtml } from '../report/html/render.js';
import { reportJsonBatches, reportJsonText } from '../report/json.js';
import { renderComment } from '../report/markdown/comment.js';
import type { Report } from '../report/model.js';
import { renderTerminal } from '../report/terminal.js';
import type { CliIo } from './io.js';
import { useColor } from './io.js';

export type ReportFormat = 'text' | 'md' | 'json' | 'html';

export function parseFormat(value: string | undefined): ReportFormat {
  const format = value ?? 'text';
  if (format === 'text' || format === 'md' || format === 'json' || format === 'html') return format;
  throw new InputError(`--format: expected text, md, json or html, got "${format}"`);
}

const EXTENSION: Record<ReportFormat, string> = { text: 'txt', md: 'md', json: 'json', html: 'html' };

/** The report rendered as `format`. `reproduce` is the command line the markdown shows. */
export async function renderReport(report: Report, format: ReportFormat, options: { color: boolean; reproduce: string; width?: number }): Promise<string> {
  switch (format) {
    case 'json':
      return reportJsonText(report);
    case 'text': {
      return renderTerminal(report, { color: options.color, ...(options.width ? { width: options.width } : {}) });
    }
    case 'md': {
      return renderComment(report, { marker: `<!-- frametail:${report.experiment.id} -->`, reproduce: options.reproduce });
    }
    case 'html': {
      return renderHtml(report);
    }
  }
}

/**
 * Writes the report to DIR/report.<ext> when `outDir` is given, else to stdout. Returns the file
 * written, if any.
 */
export async function emitReport(report: Report, format: ReportFormat, outDir: string | undefined, io: CliIo, reproduce: string): Promise<string | undefined> {
  if (format === 'json') return emitJson(report, outDir, io);
  const text = await renderReport(report, format, { color: outDir === undefined && useColor(io), reproduce, ...(io.stdout.columns ? { width: io.stdout.columns } : {}) });
  if (outDir === undefined) {
    io.stdout.write(text.endsWith('\n') ? text : text + '\n');
    return undefined;
  }
  await mkdir(outDir, { recursive: true });
  const file = join(outDir, `report.${EXTENSION[format]}`);
  await writeFile(file, text);
  return file;
}

/** JSON is written in pieces of about a megabyte (reportJsonBatches): the same text as renderReport's, never whole in memory. */
async function emitJson(report: Report, outDir: string | undefined, io: CliIo): Promise<string | undefined> {
  if (outDir === undefined) {
    for (const batch of reportJsonBatches(report)) io.stdout.write(batch);
    return undefined;
  }
  await mkdir(outDir, { recursive: true });
  const file = join(outDir, `report.${EXTENSION.json}`);
  await writeFile(file, reportJsonBatches(report));
  return file;
}
