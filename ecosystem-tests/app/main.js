/**
 * The ecosystem app's entry on Node (ESM), Bun and Deno: reads its configuration from the environment
 * (`ECO_CONFIG`, JSON, secret included, so that it is never on a command line), runs the app or the bench, and
 * prints the report as one JSON line. The exit code is 0 when the report says `ok`.
 */
/* global process, Deno, console */
import { run } from './app.js';

const text = typeof Deno === 'undefined' ? process.env.ECO_CONFIG : Deno.env.get('ECO_CONFIG');
const report = await run(JSON.parse(text ?? '{}'));
console.log(JSON.stringify(report));
if (!report.ok) {
  if (typeof Deno === 'undefined') process.exitCode = 1;
  else Deno.exitCode = 1;
}
