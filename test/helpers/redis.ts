/**
 * A real Redis for the store tests: Debian's `redis-server` (`apt-get install redis-server`), started on a free
 * loopback port with no persistence, and stopped (SIGKILL, as a crash) and restarted on the same port for the
 * failure tests. When redis-server is missing, {@link findRedis} says why and the tests skip with that reason
 * printed, unless `AUTHNZERVER_REQUIRE_REDIS=1` (CI): then a missing Redis fails the run.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { connect, createServer } from 'node:net';
import { delimiter, join } from 'node:path';

/** How long a starting Redis may take before the test fails (generous: a loaded machine is slow). */
const START_DEADLINE_MS = 60_000;

/** redis-server's path, or the reason there is none. */
export type RedisLookup =
  | { readonly found: true; readonly path: string }
  | { readonly found: false; readonly reason: string };

/** Looks for redis-server on the PATH and in /usr/bin and /usr/sbin. */
export function findRedis(): RedisLookup {
  const dirs = [...(process.env.PATH ?? '').split(delimiter), '/usr/bin', '/usr/sbin'];
  const path = dirs
    .filter((dir) => dir !== '')
    .map((dir) => join(dir, 'redis-server'))
    .find((candidate) => existsSync(candidate));
  if (path === undefined) {
    return {
      found: false,
      reason: 'no redis-server on the PATH (install it with `apt-get install redis-server`)',
    };
  }
  const version = spawnSync(path, ['--version'], { encoding: 'utf8' });
  if (version.status !== 0) return { found: false, reason: `${path} --version failed` };
  return { found: true, path };
}

/** The Redis of the store tests, or a skip with the reason printed (a failure under AUTHNZERVER_REQUIRE_REDIS=1). */
export function redisForTests(file: string): RedisLookup {
  const lookup = findRedis();
  if (!lookup.found) {
    if (process.env.AUTHNZERVER_REQUIRE_REDIS === '1') {
      throw new Error(`AUTHNZERVER_REQUIRE_REDIS=1 but Redis cannot run: ${lookup.reason}`);
    }
    console.warn(`${file}: skipping the tests on a real Redis: ${lookup.reason}`);
  }
  return lookup;
}

/** A free loopback TCP port. */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => {
        resolve(typeof address === 'object' && address !== null ? address.port : 0);
      });
    });
  });
}

/** Whether Redis answers PING on the port. */
function pings(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    let reply = '';
    socket.setTimeout(2000);
    socket.on('connect', () => socket.write('PING\r\n'));
    socket.on('data', (chunk) => {
      reply += chunk.toString();
      if (reply.includes('\r\n')) {
        socket.destroy();
        resolve(reply.startsWith('+PONG'));
      }
    });
    socket.on('timeout', () => {
      socket.destroy();
      resolve(false);
    });
    socket.on('error', () => resolve(false));
  });
}

/** A running redis-server. */
export interface RunningRedis {
  readonly port: number;
  readonly url: string;
  /** Kills it at once (SIGKILL), as a crash. */
  kill(): Promise<void>;
  /** Starts it again on the same port (after `kill`). */
  restart(): Promise<void>;
  /** Stops it for good. */
  close(): Promise<void>;
}

/** Starts redis-server on a free loopback port, without persistence, and waits until it answers PING. */
export async function startRedis(path: string): Promise<RunningRedis> {
  const port = await freePort();
  let child: ChildProcess | undefined;
  const start = async (): Promise<void> => {
    child = spawn(
      path,
      ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'],
      { stdio: 'ignore' },
    );
    const started = Date.now();
    while (!(await pings(port))) {
      if (child.exitCode !== null) throw new Error(`redis-server exited with ${child.exitCode}`);
      if (Date.now() - started > START_DEADLINE_MS) throw new Error('redis-server did not start');
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  };
  const kill = async (): Promise<void> => {
    const running = child;
    if (running === undefined || running.exitCode !== null || running.signalCode !== null) return;
    const exited = new Promise((resolve) => running.once('exit', resolve));
    running.kill('SIGKILL');
    await exited;
  };
  await start();
  return {
    port,
    url: `redis://127.0.0.1:${port}`,
    kill,
    restart: start,
    close: kill,
  };
}
