// The results worker's script when frametail runs from its sources (the benchmarks, tests): Node 20 does not
// apply `--import tsx` to worker threads, so the loader is registered here. The bundles start their workers on
// their own entry points instead (src/cli/main.ts, src/action/main.ts; see src/results/read-pair.ts).
import { register } from 'tsx/esm/api';

register();
const { serveResultsWorker } = await import('../src/results/read-pair.ts');
await serveResultsWorker();
