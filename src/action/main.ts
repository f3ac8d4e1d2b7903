/** Entry point of the bundled action (dist/index.js); everything else happens in run(). */
import { run } from './run.js';

await run();
