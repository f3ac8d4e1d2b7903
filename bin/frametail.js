#!/usr/bin/env node
// The CLI, from the committed bundle (npm run build makes it).
import '../dist/cli/index.js';
