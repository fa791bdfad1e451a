#!/usr/bin/env node
/**
 * The mutation-testing reports (`npm run test:mutation`, stryker.config.mjs):
 *
 *   node scripts/mutation-report.js --seed
 *     Before a run: when there is no incremental file yet (reports/mutation/incremental.json, not committed), start
 *     it from the committed baseline (mutation/baseline.json), so that Stryker only tests the mutants whose code
 *     or covering tests changed since then.
 *
 *   node scripts/mutation-report.js [--baseline] [report.json ...]
 *     After a run: writes mutation/summary.md from Stryker's JSON reports (reports/mutation/mutation.json unless
 *     given; several are merged, file by file, for runs split by file), with the score of each file and every
 *     surviving or uncovered mutant. The mutants listed in mutation/equivalent.md are marked, and left out of the
 *     "score without equivalents" column. With --baseline it also writes mutation/baseline.json: the merged
 *     report without the machine's project path and options, for the next run's --seed.
 */
import {
  copyFileSync,
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  writeFileSync,
} from 'node:fs';
import { dirname, join } from 'node:path';
import process from 'node:process';

const INCREMENTAL = 'reports/mutation/incremental.json';
const LATEST = 'reports/mutation/mutation.json';
const BASELINE = 'mutation/baseline.json';
const SUMMARY = 'mutation/summary.md';
const EQUIVALENT = 'mutation/equivalent.md';

const args = process.argv.slice(2);

if (args.includes('--seed')) {
  if (!existsSync(INCREMENTAL) && existsSync(BASELINE)) {
    mkdirSync(dirname(INCREMENTAL), { recursive: true });
    copyFileSync(BASELINE, INCREMENTAL);
    process.stdout.write(`mutation: starting from ${BASELINE}\n`);
  }
  process.exit(0);
}

const writeBaseline = args.includes('--baseline');
const inputs = args.filter((a) => !a.startsWith('--'));
const report = merge(
  (inputs.length > 0 ? inputs : [LATEST]).map((f) => JSON.parse(readFileSync(f, 'utf8'))),
);
const equivalents = readEquivalents();
const { default: config } = await import('../stryker.config.mjs');
writeFileSync(SUMMARY, summary(report, equivalents, missingFiles(config.mutate ?? [], report)));
process.stdout.write(`mutation: wrote ${SUMMARY}\n`);
if (writeBaseline) {
  writeFileSync(BASELINE, JSON.stringify(report) + '\n');
  process.stdout.write(`mutation: wrote ${BASELINE}\n`);
}

/**
 * Merges Stryker reports: the files of each (a later report's file replaces an earlier one's), and their tests
 * under new ids (each run numbers its tests from 0). Drops the project path and the options.
 */
function merge(reports) {
  const files = {};
  const testFiles = {};
  const idOf = new Map(); // "test file\0test name" -> merged id
  for (const r of reports) {
    const remap = new Map();
    for (const [name, testFile] of Object.entries(r.testFiles ?? {})) {
      const merged = (testFiles[name] ??= { ...testFile, tests: [] });
      for (const test of testFile.tests) {
        const key = `${name}\0${test.name}`;
        let id = idOf.get(key);
        if (id === undefined) {
          id = String(idOf.size);
          idOf.set(key, id);
          merged.tests.push({ ...test, id });
        }
        remap.set(test.id, id);
      }
    }
    const ids = (list) => list?.map((id) => remap.get(id) ?? id);
    for (const [name, file] of Object.entries(r.files)) {
      files[name] = {
        ...file,
        mutants: file.mutants.map((m) => ({
          ...m,
          ...(m.coveredBy ? { coveredBy: ids(m.coveredBy) } : {}),
          ...(m.killedBy ? { killedBy: ids(m.killedBy) } : {}),
        })),
      };
    }
  }
  const first = reports[0] ?? {};
  return {
    schemaVersion: first.schemaVersion ?? '1.0',
    thresholds: first.thresholds ?? { high: 80, low: 60 },
    files: sortKeys(files),
    testFiles: sortKeys(testFiles),
  };
}

function sortKeys(object) {
  return Object.fromEntries(Object.entries(object).sort(([a], [b]) => a.localeCompare(b)));
}

/**
 * The files that stryker.config.mjs mutates but that the report does not have (a run split by file that is not
 * complete yet). Knows the two forms the config uses: a recursive folder glob of one extension, and a file name
 * (with or without a line range).
 */
function missingFiles(patterns, report) {
  const wanted = new Set();
  const walk = (dir, ext) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) walk(path, ext);
      else if (path.endsWith(ext)) wanted.add(path.split('\\').join('/'));
    }
  };
  for (const pattern of patterns) {
    const glob = /^(.*)\/\*\*\/\*(\.\w+)$/.exec(pattern);
    if (glob) walk(glob[1], glob[2]);
    else wanted.add(pattern.replace(/:[\d:-]+$/, ''));
  }
  return [...wanted].filter((name) => !(name in report.files)).sort();
}

/** The source text a mutant replaces, on one line. */
function original(file, mutant) {
  const lines = file.source.split('\n');
  const { start, end } = mutant.location;
  const text =
    start.line === end.line
      ? lines[start.line - 1].slice(start.column - 1, end.column - 1)
      : [
          lines[start.line - 1].slice(start.column - 1),
          ...lines.slice(start.line, end.line - 1),
          lines[end.line - 1].slice(0, end.column - 1),
        ].join('\n');
  return oneLine(text);
}

function oneLine(text) {
  return text.replace(/\s+/g, ' ').trim();
}

function short(text, max = 100) {
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}

/**
 * The equivalent mutants of mutation/equivalent.md: the rows of its table (file, line, mutator, original,
 * replacement, why). A row matches the mutant of that file at that line with that mutator, replacement and original
 * text (a text ending in `…` matches as a prefix). When the code moves, the row matches nothing until its line is
 * updated: a stale row never marks another mutant.
 */
function readEquivalents() {
  if (!existsSync(EQUIVALENT)) return [];
  const rows = [];
  for (const line of readFileSync(EQUIVALENT, 'utf8').split('\n')) {
    if (!line.startsWith('|')) continue;
    const cells = line
      .slice(1, line.lastIndexOf('|'))
      .split(/(?<!\\)\|/)
      .map((c) => c.trim().replace(/\\\|/g, '|'));
    if (cells.length < 6 || cells[0] === 'file' || /^-+$/.test(cells[0])) continue;
    const code = (c) => oneLine(c.replace(/^`(.*)`$/s, '$1'));
    rows.push({
      file: code(cells[0]),
      line: Number(cells[1]),
      mutator: cells[2],
      original: code(cells[3]),
      replacement: code(cells[4]),
    });
  }
  return rows;
}

function isEquivalent(equivalents, name, file, mutant) {
  const text = original(file, mutant);
  return equivalents.some(
    (e) =>
      e.file === name &&
      e.line === mutant.location.start.line &&
      e.mutator === mutant.mutatorName &&
      e.replacement === oneLine(mutant.replacement) &&
      (e.original.endsWith('…') ? text.startsWith(e.original.slice(0, -1)) : e.original === text),
  );
}

function count(mutants) {
  const c = {
    total: mutants.length,
    killed: 0,
    timeout: 0,
    survived: 0,
    noCoverage: 0,
    errors: 0,
    ignored: 0,
  };
  for (const m of mutants) {
    if (m.status === 'Killed') c.killed++;
    else if (m.status === 'Timeout') c.timeout++;
    else if (m.status === 'Survived') c.survived++;
    else if (m.status === 'NoCoverage') c.noCoverage++;
    else if (m.status === 'Ignored') c.ignored++;
    else c.errors++; // CompileError, RuntimeError
  }
  return c;
}

/** Stryker's mutation score: detected over valid mutants (not ignored, not in error), as a percentage. */
function score(c, equivalent = 0) {
  const valid = c.killed + c.timeout + c.survived + c.noCoverage - equivalent;
  return valid === 0 ? 'n/a' : `${((100 * (c.killed + c.timeout)) / valid).toFixed(2)}`;
}

function row(label, c, equivalent) {
  return `| ${label} | ${c.total} | ${c.killed} | ${c.timeout} | ${c.survived} | ${c.noCoverage} | ${c.errors + c.ignored} | ${score(c)} | ${score(c, equivalent)} |`;
}

function summary(report, equivalents, missing) {
  const out = [
    '# Mutation testing: summary',
    '',
    'Written by `scripts/mutation-report.js` from the Stryker run (`npm run test:mutation`); do not edit by hand.',
    'Score: killed and timed-out mutants over all valid mutants (survived and uncovered ones count against it).',
    `"Without equivalents" leaves out the mutants listed in \`${EQUIVALENT}\`.`,
    '',
    '| file | mutants | killed | timeout | survived | no coverage | errors/ignored | score % | without equivalents % |',
    '| --- | --- | --- | --- | --- | --- | --- | --- | --- |',
  ];
  const groups = [
    ['src/web/ (the files above)', (n) => n.startsWith('src/web/')],
    ['call core (retry, redact, validate, reply validation)', (n) => !n.startsWith('src/web/')],
    ['all', () => true],
  ];
  const names = Object.keys(report.files);
  const equivalentCount = (list) =>
    list.reduce(
      (sum, n) =>
        sum +
        report.files[n].mutants.filter(
          (m) =>
            ['Survived', 'NoCoverage'].includes(m.status) &&
            isEquivalent(equivalents, n, report.files[n], m),
        ).length,
      0,
    );
  for (const name of names) {
    out.push(row(`\`${name}\``, count(report.files[name].mutants), equivalentCount([name])));
  }
  for (const [label, test] of groups) {
    const list = names.filter(test);
    if (list.length === 0) continue;
    out.push(
      row(
        `**${label}**`,
        count(list.flatMap((n) => report.files[n].mutants)),
        equivalentCount(list),
      ),
    );
  }
  if (missing.length > 0) {
    out.push(
      '',
      `Not in this report (not run yet; \`npm run test:mutation\` tests them): ${missing.map((n) => `\`${n}\``).join(', ')}.`,
    );
  }
  out.push('', '## Surviving and uncovered mutants', '');
  out.push(
    'Each line: position (line:column), Stryker mutator, the original code and what the mutant put in its place.',
    '`no coverage`: no test in the run reached that code at all. `static`: the code ran outside any test (loading a',
    'module, or a `beforeAll`/`beforeEach` hook), so the mutant ran with every test. `equivalent`: listed in',
    `\`${EQUIVALENT}\` (no test can tell it from the original).`,
    '',
  );
  for (const name of names) {
    const file = report.files[name];
    const left = file.mutants
      .filter((m) => m.status === 'Survived' || m.status === 'NoCoverage')
      .sort(
        (a, b) =>
          a.location.start.line - b.location.start.line ||
          a.location.start.column - b.location.start.column,
      );
    if (left.length === 0) continue;
    out.push(`### \`${name}\` (${left.length})`, '');
    for (const m of left) {
      const tags = [
        m.status === 'NoCoverage' ? 'no coverage' : '',
        m.static ? 'static' : '',
        isEquivalent(equivalents, name, file, m) ? 'equivalent' : '',
      ].filter(Boolean);
      const code = (t) => '`' + short(oneLine(t)).replace(/`/g, "'") + '`';
      out.push(
        `- L${m.location.start.line}:${m.location.start.column} ${m.mutatorName}: ${code(original(file, m))} → ${code(m.replacement)}${tags.length ? ` (${tags.join(', ')})` : ''}`,
      );
    }
    out.push('');
  }
  return out.join('\n');
}
