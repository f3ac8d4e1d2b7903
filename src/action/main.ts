/** Entry point of the bundled action (dist/index.js); everything else happens in run(). */
import { serveResultsWorker, useResultsWorker } from '../results/read-pair.js';
import { run } from './run.js';

// A worker thread started to read a large results file (results/read-pair.ts) runs this bundle too, and only that.
if (!(await serveResultsWorker())) {
  useResultsWorker(import.meta.url);
  await run();
}
