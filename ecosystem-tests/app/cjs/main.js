/**
 * The ecosystem app's entry on Node as CommonJS (this folder's package.json says `commonjs`): it runs ./app.js,
 * the CommonJS copy of ../app.js that the runner makes with esbuild, so `require('authnzerver')` loads the
 * package. It also reports, for each entry point, whether `require` gave a real CommonJS module (`cjs`) or an ES
 * module namespace (`esm`, Node's require(esm)), and which file `require('authnzerver')` resolved to.
 */
/* global require, process, console */
/* eslint-disable @typescript-eslint/no-require-imports -- this entry is CommonJS on purpose: it tests require() */
'use strict';

const ENTRY_POINTS = ['authnzerver', 'authnzerver/runtime', 'authnzerver/testing'];

async function main() {
  const formats = {};
  for (const name of ENTRY_POINTS) {
    const loaded = require(name);
    formats[name] = Object.prototype.toString.call(loaded) === '[object Module]' ? 'esm' : 'cjs';
  }
  const resolved = require
    .resolve('authnzerver')
    .split(/[\\/]node_modules[\\/]/)
    .pop();
  const { run } = require('./app.js');
  const report = await run(JSON.parse(process.env.ECO_CONFIG ?? '{}'));
  console.log(JSON.stringify({ ...report, formats, resolved }));
  if (!report.ok) process.exitCode = 1;
}

main().catch((error) => {
  console.log(JSON.stringify({ ok: false, runtime: 'node', error: String(error) }));
  process.exitCode = 1;
});
