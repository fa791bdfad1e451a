/**
 * Runs the edge bundle in the Vercel edge runtime (`edge-runtime`'s `EdgeRuntime` and `runServer`) in a Node
 * process of its own, so that an error the bundle throws where nothing catches it ends this process, not the
 * runner. Usage: `node edge-host.js <bundle>`, with the app's configuration in `ECO_CONFIG`: posts it to the
 * bundle's fetch listener and prints the reply (the app's JSON report) as one line. Exit code 0 when the reply
 * came with HTTP 200.
 */
/* global process, console, fetch */
import { readFileSync } from 'node:fs';
import { EdgeRuntime, runServer } from 'edge-runtime';

const bundle = process.argv[2];
if (bundle === undefined) throw new Error('usage: node edge-host.js <bundle>');
const runtime = new EdgeRuntime({ initialCode: readFileSync(bundle, 'utf8') });
const server = await runServer({ runtime, port: 0, host: '127.0.0.1' });
try {
  const response = await fetch(server.url, {
    method: 'POST',
    body: process.env.ECO_CONFIG ?? '{}',
  });
  console.log((await response.text()).trim());
  if (response.status !== 200) process.exitCode = 1;
} finally {
  await server.close();
}
