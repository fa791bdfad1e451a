/**
 * The nginx configuration of the TLS tests: the deployment template that docs/deployment.md shows, filled with a
 * test's values, and the checks that the documentation and the template say the same (nginx.ts runs nginx).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const FIXTURES = fileURLToPath(new URL('../fixtures/nginx/', import.meta.url));
/** The deployment configuration: what docs/deployment.md shows, with `{{...}}` for the values a deployment chooses. */
export const DEPLOYMENT_TEMPLATE = join(FIXTURES, 'authnzerver.conf');
/** The test-only main configuration that includes the deployment configuration. */
export const TEST_MAIN_TEMPLATE = join(FIXTURES, 'test-main.conf');

export interface DeploymentValues {
  /** `host:port` nginx listens on. */
  readonly listen: string;
  /** `host:port` of each authnzerver, in order. */
  readonly upstreams: readonly string[];
  readonly serverCert: string;
  readonly serverKey: string;
  /** The CA that client certificates must be signed by. */
  readonly clientCa: string;
}

/** A path as an nginx string, quoted so that spaces and `;` in a temp dir's name cannot break the file. */
export function quotePath(path: string): string {
  if (/["\\\n\r]/.test(path)) throw new Error(`cannot put this path in an nginx config: ${path}`);
  return `"${path}"`;
}

/** Fills each `{{name}}` of a template with its value; a name without one is an error. */
export function fill(template: string, values: Readonly<Record<string, string>>): string {
  return template.replace(/\{\{(\w+)\}\}/g, (match, name: string) => {
    const value = values[name];
    if (value === undefined) throw new Error(`no value for ${match} in the nginx template`);
    return value;
  });
}

/** The deployment configuration with the test's values: the `{{upstream}}` line is repeated per upstream. */
export function renderDeploymentConfig(values: DeploymentValues): string {
  if (values.upstreams.length === 0) throw new Error('nginx needs at least one upstream');
  const template = readFileSync(DEPLOYMENT_TEMPLATE, 'utf8');
  const lines = template
    .split('\n')
    .flatMap((line) =>
      line.includes('{{upstream}}')
        ? values.upstreams.map((upstream) => line.replace('{{upstream}}', upstream))
        : [line],
    );
  return fill(lines.join('\n'), {
    listen: values.listen,
    server_cert: quotePath(values.serverCert),
    server_key: quotePath(values.serverKey),
    client_ca: quotePath(values.clientCa),
  });
}

// --- comparing the deployment doc with the template ---------------------------------------------------------------

/** The lines that matter to nginx: comments and blank lines dropped, white space collapsed. */
export function meaningfulLines(config: string): string[] {
  return config
    .split('\n')
    .map((line) =>
      line
        .replace(/(^|\s)#.*$/, '')
        .trim()
        .replace(/\s+/g, ' '),
    )
    .filter((line) => line !== '');
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** A template line as a pattern: each `{{name}}` stands for any one nginx word (quoted or not). */
function linePattern(line: string): RegExp {
  const parts = line.split(/\{\{\w+\}\}/).map(escapeRegExp);
  return new RegExp(`^${parts.join('(?:"[^"\\n]*"|[^\\s;"]+)')}$`);
}

/**
 * Differences between a configuration (the deployment doc's) and the template, line by line, placeholders matching any
 * value and the `{{upstream}}` line matching one or more lines. Empty when they agree.
 */
export function compareWithTemplate(template: string, config: string): string[] {
  const wanted = meaningfulLines(template);
  const got = meaningfulLines(config);
  const problems: string[] = [];
  let at = 0;
  for (const line of wanted) {
    const pattern = linePattern(line);
    const current = got[at];
    if (current === undefined || !pattern.test(current)) {
      problems.push(
        `expected \`${line}\`, found ${current === undefined ? 'the end' : `\`${current}\``}`,
      );
      return problems;
    }
    at++;
    if (line.includes('{{upstream}}')) {
      while (at < got.length && pattern.test(got[at] ?? '')) at++;
    }
  }
  if (at < got.length) problems.push(`unexpected lines from \`${got[at] ?? ''}\``);
  return problems;
}

/**
 * The first ```nginx block of the Markdown section whose heading is `title`, or undefined when the section or the
 * block is missing.
 */
export function docNginxBlock(readme: string, title: string): string | undefined {
  const lines = readme.split('\n');
  const start = lines.findIndex((line) => /^#{1,6}\s/.test(line) && line.includes(title));
  if (start < 0) return undefined;
  const level = /^(#+)/.exec(lines[start] ?? '')?.[1]?.length ?? 1;
  let inBlock = false;
  const block: string[] = [];
  for (const line of lines.slice(start + 1)) {
    if (!inBlock) {
      const heading = /^(#{1,6})\s/.exec(line);
      if (heading !== null && (heading[1]?.length ?? 0) <= level) return undefined;
      if (/^```nginx\s*$/.test(line)) inBlock = true;
      continue;
    }
    if (/^```\s*$/.test(line)) return block.join('\n');
    block.push(line);
  }
  return undefined;
}
