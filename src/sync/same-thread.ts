/**
 * The servers this thread serves, so that the sync API can refuse to call one of them. A sync call blocks its
 * thread in `Atomics.wait` until the reply comes; a server run by that same thread (the test kit's
 * `createTestServer` or `startProtocolServer`) cannot answer while it is blocked, so the call would only end at its
 * deadline. The test kit records the address of each server it starts here, and the sync driver checks a call's
 * URL against the record before it sends anything. The async API never reads it.
 *
 * The record is a `Map` on `globalThis` under a `Symbol.for` key: one per thread (each worker thread has its own
 * `globalThis`), shared by every copy of this package in the thread (the ES module and CommonJS builds, or two
 * installed versions). Its shape must therefore stay the same: keys `host:port` (a loopback host written
 * `loopback`), values how many servers listen there. Platform-neutral: it imports nothing from `node:`.
 */
import { ConfigError } from '../core/errors.js';

const KEY = Symbol.for('authnzerver.servedOnThisThread');

type Served = Map<string, number>;

function served(create: true): Served;
function served(create: false): Served | undefined;
function served(create: boolean): Served | undefined {
  const global = globalThis as unknown as Record<symbol, Served | undefined>;
  if (create) global[KEY] ??= new Map();
  return global[KEY];
}

const IPV4_LOOPBACK = /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/;
/** `::ffff:127.x.y.z` and `::ffff:0.0.0.0`, as the URL parser writes them (`::ffff:7f00:1`). */
const MAPPED_LOOPBACK = /^::ffff:(7f[0-9a-f]{2}:[0-9a-f]{1,4}|0:0)$/;

/**
 * A host name as a key: every way of writing this machine's loopback (`localhost` and `*.localhost`, 127.0.0.0/8,
 * `0.0.0.0`, `[::1]`, `[::]` and their IPv4-mapped forms) is the one key `loopback`. They can reach the same socket
 * (`localhost` resolves to 127.0.0.1 or ::1, and connecting to 0.0.0.0 reaches the loopback), and refusing a call
 * that could not have reached the server anyway costs less than a call that hangs until its deadline.
 */
export function hostKey(hostname: string): string {
  let host = hostname.toLowerCase();
  if (host.endsWith('.')) host = host.slice(0, -1);
  if (host.startsWith('[') && host.endsWith(']')) host = host.slice(1, -1);
  if (
    host === 'localhost' ||
    host.endsWith('.localhost') ||
    IPV4_LOOPBACK.test(host) ||
    host === '0.0.0.0' ||
    host === '::1' ||
    host === '::' ||
    MAPPED_LOOPBACK.test(host)
  )
    return 'loopback';
  return host;
}

/** The record's key of a URL: its host's key and its port (the scheme's default when it names none). */
function keyOf(url: URL): string {
  const port = url.port === '' ? (url.protocol === 'https:' ? '443' : '80') : url.port;
  return `${hostKey(url.hostname)}:${port}`;
}

/**
 * Records that this thread serves on `host:port`, until the returned function is called (once; later calls do
 * nothing). The test kit calls it when a server starts listening, and the release when it closes.
 */
export function serveOnThisThread(host: string, port: number): () => void {
  const key = `${hostKey(host)}:${port}`;
  const map = served(true);
  map.set(key, (map.get(key) ?? 0) + 1);
  let released = false;
  return () => {
    if (released) return;
    released = true;
    const left = (map.get(key) ?? 1) - 1;
    if (left > 0) map.set(key, left);
    else map.delete(key);
  };
}

/** Whether a server of this thread listens where `url` points. */
export function servedOnThisThread(url: URL): boolean {
  const map = served(false);
  return map !== undefined && map.size > 0 && map.has(keyOf(url));
}

/**
 * Refuses a sync call to a server of this thread, before anything is sent.
 * @throws {ConfigError} (`option: 'url'`) saying why, and how to host the server instead.
 */
export function refuseSameThread(url: URL): void {
  if (!servedOnThisThread(url)) return;
  throw new ConfigError(
    `the sync API cannot call ${url.origin}: a test server of this same thread serves it ` +
      `(createTestServer or startProtocolServer), and a sync call blocks the thread until the reply comes, so ` +
      `that server could never answer and the call would wait for its whole deadline; nothing was sent. ` +
      `Host the test server on another thread (startTestServerThread from authnzerver/testing), or use the ` +
      `async methods (await client.sessionExists(...))`,
    { option: 'url' },
  );
}
