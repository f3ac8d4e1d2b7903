/** Entry point of the `frametail` CLI (bin/frametail.js loads its bundle); see cli.ts. */
import { main } from './cli.js';

process.exitCode = await main(process.argv.slice(2));
