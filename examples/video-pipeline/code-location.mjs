import { relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repository root: this file lives in `<root>/examples/video-pipeline/`, wherever the checkout is. */
const repositoryRoot = fileURLToPath(new URL('../../', import.meta.url));

/**
 * @typedef {object} CodeLocation
 * @property {string} filePath repository-relative, with forward slashes (what a PR annotation needs)
 * @property {number} lineNumber 1-based
 * @property {string} functionName the enclosing function, or "" at module level
 */

/**
 * Where the caller of `boundary` is in the source: the first stack frame above `boundary`, read through V8's
 * structured stack trace API rather than by parsing `error.stack` text. Frametail turns these into the
 * `code.*` span attributes that point a regression at a source line.
 * @param {Function} boundary the function whose caller is wanted (frames up to and including it are skipped)
 * @returns {CodeLocation | undefined} undefined when the stack holds no file frame (never in this pipeline)
 */
export function callerLocation(boundary) {
  const callSites = captureCallSites(boundary);
  const site = callSites.find((candidate) => candidate.getFileName());
  if (site === undefined) return undefined;
  return {
    filePath: repositoryRelativePath(/** @type {string} */ (site.getFileName())),
    lineNumber: site.getLineNumber() ?? 0,
    functionName: site.getFunctionName() ?? '',
  };
}

/**
 * The path of a module, relative to the repository root, from its `file:` URL or absolute path.
 * @param {string} fileNameOrUrl
 * @returns {string}
 */
export function repositoryRelativePath(fileNameOrUrl) {
  const absolute = fileNameOrUrl.startsWith('file:') ? fileURLToPath(fileNameOrUrl) : fileNameOrUrl;
  return relative(repositoryRoot, absolute).split(sep).join('/');
}

/**
 * @param {Function} boundary
 * @returns {NodeJS.CallSite[]}
 */
function captureCallSites(boundary) {
  const previous = Error.prepareStackTrace;
  Error.prepareStackTrace = (_error, callSites) => callSites;
  try {
    /** @type {{ stack?: NodeJS.CallSite[] }} */
    const holder = {};
    Error.captureStackTrace(holder, boundary);
    return holder.stack ?? [];
  } finally {
    Error.prepareStackTrace = previous;
  }
}
