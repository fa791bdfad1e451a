import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import {
  chmodSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { connect, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { fill, quotePath, renderDeploymentConfig, TEST_MAIN_TEMPLATE } from './nginx-config.js';

export {
  compareWithTemplate,
  DEPLOYMENT_TEMPLATE,
  docNginxBlock,
  meaningfulLines,
  renderDeploymentConfig,
  TEST_MAIN_TEMPLATE,
  type DeploymentValues,
} from './nginx-config.js';

const START_DEADLINE_MS = 20_000;
const STOP_DEADLINE_MS = 10_000;

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

// --- finding nginx ----------------------------------------------------------------------------------------------

export type NginxLookup =
  | { readonly found: true; readonly path: string; readonly version: string }
  | { readonly found: false; readonly reason: string };

function versionAtLeast(version: string, wanted: readonly number[]): boolean {
  const parts = version.split('.').map(Number);
  for (let i = 0; i < wanted.length; i++) {
    const have = parts[i] ?? 0;
    const want = wanted[i] ?? 0;
    if (have !== want) return have > want;
  }
  return true;
}

/**
 * Finds an nginx binary with the SSL module: on the PATH, or where distributions install it (`/usr/sbin` is not
 * on a non-root user's PATH on Debian).
 */
export function findNginx(): NginxLookup {
  const dirs = [
    ...(process.env.PATH ?? '').split(delimiter).filter((dir) => dir !== ''),
    '/usr/sbin',
    '/usr/local/sbin',
    '/usr/local/nginx/sbin',
  ];
  const path = dirs.map((dir) => join(dir, 'nginx')).find((candidate) => existsSync(candidate));
  if (path === undefined) {
    return {
      found: false,
      reason: `no nginx binary on the PATH or in /usr/sbin (install it: apt-get install nginx)`,
    };
  }
  const probe = spawnSync(path, ['-V'], { encoding: 'utf8', timeout: 10_000 });
  if (probe.status !== 0) {
    return { found: false, reason: `${path} -V failed: ${probe.stderr || String(probe.error)}` };
  }
  const output = `${probe.stdout}${probe.stderr}`;
  const version = /nginx\/(\d+\.\d+\.\d+)/.exec(output)?.[1];
  if (version === undefined) return { found: false, reason: `${path} -V printed no version` };
  if (!output.includes('http_ssl_module')) {
    return { found: false, reason: `${path} (nginx ${version}) is built without http_ssl_module` };
  }
  // $ssl_client_verify's FAILED:reason and $connection_requests in log_format need nginx 1.11.8.
  if (!versionAtLeast(version, [1, 11, 8])) {
    return { found: false, reason: `${path} is nginx ${version}; the tests need 1.11.8 or later` };
  }
  return { found: true, path, version };
}

// --- running nginx ------------------------------------------------------------------------------------------------

/** One line of the test access log (see `log_format` in test-main.conf). */
export interface AccessLogEntry {
  /** nginx's serial number of the client connection: a new number is a new TCP connection and TLS handshake. */
  readonly connection: number;
  /** The request's number on its connection, from 1. */
  readonly connectionRequests: number;
  /** Whether the connection's handshake resumed a TLS session. */
  readonly sessionReused: boolean;
  readonly status: number;
  /** The upstream that answered, `-` when nginx answered itself. */
  readonly upstream: string;
  /** `SUCCESS`, `NONE` or `FAILED:<reason>`. */
  readonly clientVerify: string;
}

export interface NginxOptions {
  /** The binary, as {@link findNginx} found it. */
  readonly nginx: { readonly path: string; readonly version: string };
  /** `host:port` of each authnzerver. */
  readonly upstreams: readonly string[];
  readonly serverCert: string;
  readonly serverKey: string;
  readonly clientCa: string;
}

export interface RunningNginx {
  /** `https://127.0.0.1:<port>/` */
  readonly url: string;
  readonly port: number;
  /** The temporary prefix: conf/, logs/, temp/. */
  readonly prefix: string;
  /** Every access log line so far. */
  accessLog(): AccessLogEntry[];
  /** Waits (nginx logs a request after answering it) until the log has `count` lines after the first `from`. */
  waitForAccessLog(from: number, count: number): Promise<AccessLogEntry[]>;
  /** The error log so far (level info: it names why a client certificate was refused). */
  errorLog(): string;
  /** Stops nginx and every process it started, then deletes the prefix. */
  stop(): Promise<void>;
}

const LOG_LINE = /^(\d+) (\d+) ([r.]) (\d{3}) "([^"]*)" "([^"]*)"$/;

export function parseAccessLog(text: string): AccessLogEntry[] {
  return text
    .split('\n')
    .filter((line) => line !== '')
    .map((line) => {
      const match = LOG_LINE.exec(line);
      if (match === null) throw new Error(`unexpected nginx access log line: ${line}`);
      const [, connection, requests, reused, status, upstream, verify] = match;
      return {
        connection: Number(connection),
        connectionRequests: Number(requests),
        sessionReused: reused === 'r',
        status: Number(status),
        upstream: upstream ?? '',
        clientVerify: verify ?? '',
      };
    });
}

/**
 * nginx instances still running (process group to prefix): killed and deleted when the test process exits,
 * whatever happened to the tests.
 */
const running = new Map<number, string>();
let exitHookInstalled = false;
function installExitHook(): void {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  process.once('exit', () => {
    for (const [group, prefix] of running) {
      try {
        process.kill(-group, 'SIGKILL');
      } catch {
        // already gone
      }
      rmSync(prefix, { recursive: true, force: true });
    }
  });
}

function groupAlive(group: number): boolean {
  try {
    process.kill(-group, 0);
    return true;
  } catch (error) {
    return (error as { code?: string }).code === 'EPERM';
  }
}

async function freePort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((resolve, reject) => {
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', resolve);
  });
  const { port } = probe.address() as { port: number };
  await new Promise<void>((resolve) => probe.close(() => resolve()));
  return port;
}

function accepts(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host: '127.0.0.1', port });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

function readOr(path: string, fallback: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return fallback;
  }
}

function exited(child: ChildProcess): boolean {
  return child.exitCode !== null || child.signalCode !== null;
}

function waitForExit(child: ChildProcess, ms: number): Promise<boolean> {
  if (exited(child)) return Promise.resolve(true);
  return new Promise((resolve) => {
    const timer = setTimeout(() => resolve(false), ms);
    child.once('exit', () => {
      clearTimeout(timer);
      resolve(true);
    });
  });
}

async function stopGroup(child: ChildProcess, group: number): Promise<void> {
  const signal = (name: NodeJS.Signals): void => {
    try {
      process.kill(-group, name);
    } catch {
      // the group is gone
    }
  };
  if (!exited(child)) {
    // SIGQUIT: graceful shutdown, the master waits for its worker and removes the pid file.
    signal('SIGQUIT');
    if (!(await waitForExit(child, STOP_DEADLINE_MS))) {
      signal('SIGKILL');
      await waitForExit(child, STOP_DEADLINE_MS);
    }
  }
  const deadline = Date.now() + STOP_DEADLINE_MS;
  while (groupAlive(group) && Date.now() < deadline) await sleep(25);
  if (groupAlive(group)) {
    signal('SIGKILL');
    await sleep(100);
  }
  running.delete(group);
  if (groupAlive(group)) throw new Error(`nginx processes of group ${group} did not stop`);
}

function launch(
  options: NginxOptions,
  prefix: string,
  port: number,
): { child: ChildProcess; output: () => string } {
  const conf = join(prefix, 'conf');
  writeFileSync(
    join(conf, 'authnzerver.conf'),
    renderDeploymentConfig({
      listen: `127.0.0.1:${port}`,
      upstreams: options.upstreams,
      serverCert: options.serverCert,
      serverKey: options.serverKey,
      clientCa: options.clientCa,
    }),
  );
  writeFileSync(
    join(conf, 'nginx.conf'),
    // The template quotes every path; quotePath refuses the characters that would need escaping inside quotes.
    fill(readFileSync(TEST_MAIN_TEMPLATE, 'utf8'), { prefix: quotePath(prefix).slice(1, -1) }),
  );
  const errorLog = join(prefix, 'logs', 'error.log');
  // -e (1.19.5+) keeps nginx from opening its compiled-in error log before it reads the config.
  const earlyLog = versionAtLeast(options.nginx.version, [1, 19, 5]) ? ['-e', errorLog] : [];
  // detached: nginx leads a process group of its own, so that the master and its worker can be killed together.
  const child = spawn(
    options.nginx.path,
    ['-p', `${prefix}/`, '-c', join(conf, 'nginx.conf'), ...earlyLog],
    { detached: true, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
  child.on('error', (error) => (output += `\nspawn failed: ${error.message}`));
  return { child, output: () => `${output}\n${readOr(errorLog, '')}`.trim() };
}

/**
 * Starts nginx in the foreground on a free loopback port, with the deployment configuration in a temporary
 * prefix (conf/, logs/, temp/), TLS with `ssl_verify_client on` and the given upstreams, and waits until it
 * accepts connections. Works as root (workers run as nginx's default user) and as any other user.
 */
export async function startNginx(options: NginxOptions): Promise<RunningNginx> {
  installExitHook();
  const prefix = mkdtempSync(join(tmpdir(), 'authnzerver-nginx-'));
  for (const dir of ['conf', 'logs', 'temp']) mkdirSync(join(prefix, dir));
  // As root, the workers run as an unprivileged user and must reach the temp directories nginx makes for them.
  if (process.getuid?.() === 0) chmodSync(prefix, 0o755);

  let lastOutput = '';
  try {
    for (let attempt = 1; attempt <= 5; attempt++) {
      const port = await freePort();
      const { child, output } = launch(options, prefix, port);
      const group = child.pid;
      if (group === undefined) {
        await waitForExit(child, STOP_DEADLINE_MS);
        throw new Error(`could not start nginx: ${output()}`);
      }
      running.set(group, prefix);
      const deadline = Date.now() + START_DEADLINE_MS;
      let ready = false;
      while (!exited(child) && Date.now() < deadline) {
        const pid = readOr(join(prefix, 'nginx.pid'), '').trim();
        if (pid === String(group) && (await accepts(port))) {
          ready = true;
          break;
        }
        await sleep(25);
      }
      if (ready) return handle(prefix, port, child, group);
      lastOutput = output();
      await stopGroup(child, group);
      if (!/Address already in use/i.test(lastOutput)) break;
      rmSync(join(prefix, 'logs', 'error.log'), { force: true });
    }
    throw new Error(`nginx did not start:\n${lastOutput}`);
  } catch (error) {
    rmSync(prefix, { recursive: true, force: true });
    throw error;
  }
}

function handle(prefix: string, port: number, child: ChildProcess, group: number): RunningNginx {
  const accessLogFile = join(prefix, 'logs', 'access.log');
  const accessLog = (): AccessLogEntry[] => parseAccessLog(readOr(accessLogFile, ''));
  let stopped: Promise<void> | undefined;
  return {
    url: `https://127.0.0.1:${port}/`,
    port,
    prefix,
    accessLog,
    async waitForAccessLog(from, count) {
      const deadline = Date.now() + 10_000;
      for (;;) {
        const entries = accessLog().slice(from);
        if (entries.length >= count || Date.now() > deadline) return entries;
        await sleep(20);
      }
    },
    errorLog() {
      return readOr(join(prefix, 'logs', 'error.log'), '');
    },
    stop() {
      stopped ??= stopGroup(child, group).finally(() => {
        rmSync(prefix, { recursive: true, force: true });
      });
      return stopped;
    },
  };
}
