// Writes frametail.schema.json (the config's JSON Schema, for editors) from the zod schema.
import { writeFileSync } from 'node:fs';
import { configJsonSchema } from '../src/config/load.js';

writeFileSync('frametail.schema.json', JSON.stringify(configJsonSchema(), null, 2) + '\n');
console.log('wrote frametail.schema.json');
