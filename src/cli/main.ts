/** Entry point of the `frametail` CLI (bin/frametail.js loads its bundle); see cli.ts. */
import { serveResultsWorker, useResultsWorker } from '../results/read-pair.js';
import { removeWorktreesNow } from '../runner/git.js';
import { killActiveRuns } from '../runner/process.js';
import { main } from './cli.js';

// A worker thread started to read a large results file (results/read-pair.ts) runs this bundle too, and only that.
if (!(await serveResultsWorker())) {
  useResultsWorker(import.meta.url);
  // Interrupted: take the runs in flight down too (they have their own process groups) and remove the
  // base worktree, then exit as the signal would. Results written so far stay; `--resume` continues.
  for (const [signal, code] of [['SIGINT', 130], ['SIGTERM', 143]] as const) {
    process.once(signal, () => {
      killActiveRuns();
      removeWorktreesNow();
      process.exit(code);
    });
  }
  process.exitCode = await main(process.argv.slice(2));
}
