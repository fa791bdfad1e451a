import { existsSync } from 'node:fs';
import { createServer, request, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import type { Io } from '../../src/cli/io.js';
import { main } from '../../src/cli/main.js';
import { runNode, type Finished } from '../helpers/processes.js';

/** The built bin, as package.json `bin` names it. */
const BIN = fileURLToPath(new URL('../../dist/src/cli/bin.js', import.meta.url));

/**
 * Runs the `authnzerver` command as users run it: the built bin, as a child process, with only PATH and `env` in
 * its environment, and `stdin` on its standard input.
 */
export function runBin(
  args: readonly string[],
  env: Record<string, string> = {},
  stdin?: string,
): Promise<Finished> {
  if (!existsSync(BIN))
    throw new Error(`${BIN} is missing: run npm run build first (npm test does)`);
  return runNode([BIN, ...args], {
    env: { PATH: process.env.PATH ?? '', ...env },
    ...(stdin === undefined ? {} : { stdin }),
  });
}

/** Runs the CLI's `main` in this process with `env` as its environment: its exit code and all it printed. */
export async function runMain(
  args: readonly string[],
  env: Record<string, string>,
): Promise<{ code: number; out: string }> {
  let out = '';
  const io: Io = {
    stdout: (text) => void (out += text),
    stderr: (text) => void (out += text),
    stdin: () => '',
    env,
  };
  const code = await main(args, io);
  return { code, out };
}

/** A running {@link startProxy}. */
export interface Proxy {
  /** `http://127.0.0.1:<port>/`. */
  readonly url: string;
  close(): Promise<void>;
}

/**
 * An HTTP proxy on loopback in front of `upstreams`, like a load balancer: each request goes to the next one in
 * turn. `answerHeaders` may change the headers of each answer on its way back.
 */
export async function startProxy(
  upstreams: readonly { readonly port: number }[],
  answerHeaders: (headers: IncomingHttpHeaders) => IncomingHttpHeaders = (headers) => headers,
): Promise<Proxy> {
  let turn = 0;
  const proxy = createServer((req, res) => {
    const upstream = upstreams[turn++ % upstreams.length] as { readonly port: number };
    const forward = request(
      {
        host: '127.0.0.1',
        port: upstream.port,
        method: req.method,
        path: req.url,
        headers: req.headers,
      },
      (answer) => {
        res.writeHead(answer.statusCode ?? 502, answerHeaders(answer.headers));
        answer.pipe(res);
      },
    );
    forward.on('error', () => res.destroy());
    req.pipe(forward);
  });
  await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(proxy.address() as AddressInfo).port}/`,
    close: () => new Promise<void>((resolve) => proxy.close(() => resolve())),
  };
}
