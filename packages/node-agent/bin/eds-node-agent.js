#!/usr/bin/env node
// Thin launcher: the agent is compiled to ../dist (npm run build).
import { main } from '../dist/cli.js';

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (err) => {
    console.error('eds-node-agent: unexpected error', err);
    process.exit(1);
  },
);
