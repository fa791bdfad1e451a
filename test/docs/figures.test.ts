import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { DOC_ROOT, docFiles } from './blocks.js';

/**
 * Every measured figure in README.md and docs/ comes from a results file: a marker
 * `<!-- figure: <file> <pointer> -->` right before the number names the file (from the repository's root) and
 * the value in it, as a JSON Pointer (RFC 6901: `/` in a key is written `~1`; keys may hold spaces). The number
 * written must be the value rounded to as many decimals as it shows. A decimal figure with a unit of measure
 * (ms, µs, KiB, MB, MiB, ×, req/s, ...), or an approximate one (`~60 µs`, or a size as `about 27 KiB`), that has no marker
 * fails too, unless it is a bound (`≤ 1.1×`, `under`,
 * `at most`), which is a goal or a limit rather than a measurement. CONTRIBUTING.md ("Figures in the docs") says
 * how to add one.
 */

const MARKER = /<!--\s*figure:\s*(\S+)\s+(\/[^>]*?)\s*-->\s*~?([0-9][0-9,]*(?:\.[0-9]+)?)/g;
/** A decimal number with a unit of measure: a measurement, unless it is a bound. */
const MEASURED =
  /(?:~[0-9][0-9,.]*(?:[–-][0-9][0-9,.]*)?|[0-9]+\.[0-9]+)\s?(?:ms|µs|s\b|KiB|KB|MB|MiB|GB|×|%|req\/s)|\babout [0-9][0-9,.]*\s?(?:KiB|KB|MB|MiB|GB)/g;
const BOUND = /(?:≤|≥|<|>|under|at most|at least|goal of|budget of|up to)\s*~?$/;

/** The value at a JSON Pointer (RFC 6901) in `data`. */
function at(data: unknown, pointer: string): unknown {
  let value = data;
  for (const raw of pointer.split('/').slice(1)) {
    const key = raw.replace(/~1/g, '/').replace(/~0/g, '~');
    if (value === null || typeof value !== 'object' || !(key in value)) return undefined;
    value = (value as Record<string, unknown>)[key];
  }
  return value;
}

/** Whether `written` is `value` rounded to the decimals `written` shows. */
export function agrees(written: string, value: number): boolean {
  const plain = written.replace(/,/g, '');
  const decimals = plain.includes('.') ? (plain.split('.')[1] ?? '').length : 0;
  return value.toFixed(decimals) === plain;
}

/** The text of a Markdown file with its code blocks blanked out (lines kept), for the prose checks. */
function prose(text: string): string {
  return text.replace(/^```[\s\S]*?^```$/gm, (block) => block.replace(/[^\n]/g, ' '));
}

const files = docFiles().map((file) => ({
  file,
  text: prose(readFileSync(new URL(file, DOC_ROOT), 'utf8')),
}));

describe('the figures of the docs', () => {
  it('agree with the results file their marker names', () => {
    const wrong: string[] = [];
    let count = 0;
    for (const { file, text } of files) {
      for (const match of text.matchAll(MARKER)) {
        count += 1;
        const [, source = '', pointer = '', written = ''] = match;
        const line = text.slice(0, match.index).split('\n').length;
        let value: unknown;
        try {
          value = at(JSON.parse(readFileSync(new URL(source, DOC_ROOT), 'utf8')), pointer);
        } catch (error) {
          wrong.push(`${file}:${line}: ${source} cannot be read: ${String(error)}`);
          continue;
        }
        if (typeof value !== 'number') {
          wrong.push(
            `${file}:${line}: ${source} ${pointer} is not a number (${JSON.stringify(value)})`,
          );
        } else if (!agrees(written, value)) {
          wrong.push(`${file}:${line}: says ${written}, ${source} ${pointer} is ${value}`);
        }
      }
    }
    expect(wrong).toEqual([]);
    expect(count).toBeGreaterThanOrEqual(5);
  });

  it('never start a line or a list item: there `<!--` opens an HTML block, and its words would not render', () => {
    const starting: string[] = [];
    for (const { file, text } of files) {
      text.split('\n').forEach((line, index) => {
        if (/^\s*(?:[-*+]\s+|\d+\.\s+)?<!--\s*figure:/.test(line))
          starting.push(`${file}:${index + 1}`);
      });
    }
    expect(starting).toEqual([]);
  });

  it('each have a marker, when they are measurements', () => {
    const unmarked: string[] = [];
    for (const { file, text } of files) {
      for (const match of text.matchAll(MEASURED)) {
        const before = text.slice(0, match.index);
        if (/-->\s*~?$/.test(before) || BOUND.test(before)) continue;
        unmarked.push(`${file}:${before.split('\n').length}: ${match[0]}`);
      }
    }
    expect(unmarked).toEqual([]);
  });

  it('round as they are written', () => {
    expect(agrees('1.07', 1.066756431594761)).toBe(true);
    expect(agrees('1.0', 1.066756431594761)).toBe(false);
    expect(agrees('50,000', 50000)).toBe(true);
    expect(agrees('11.1', 11.082623481750488)).toBe(true);
    expect(agrees('12.0', 11.082623481750488)).toBe(false);
  });
});
