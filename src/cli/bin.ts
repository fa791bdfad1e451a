#!/usr/bin/env node
/**
 * The `authnzerver` command. It is Node.js only (as the sync API): on another runtime it says so and exits with
 * status 2 before loading anything else.
 */
import { platform } from '#platform';

if (platform.runtime !== 'node') {
  process.stderr.write(
    `authnzerver: the command line tool is Node.js only, and this is ${platform.label}; run it with Node.js ` +
      '(npx authnzerver ...)\n',
  );
  process.exit(2);
}

const { readFileSync } = await import('node:fs');
const { main } = await import('./main.js');

process.exitCode = await main(process.argv.slice(2), {
  stdout: (text) => process.stdout.write(text),
  stderr: (text) => process.stderr.write(text),
  stdin: () => readFileSync(0, 'utf8'),
  env: process.env,
});
