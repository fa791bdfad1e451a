/**
 * The fetch transport: ky over a WHATWG `fetch`, the runtime's own or one the options give. The default on Bun,
 * Cloudflare Workers and edge functions; on Node, for custom fetch stacks and interception in tests. It uses
 * only web APIs (no `Buffer`), so it runs everywhere.
 */
import type { KyInstance } from 'ky';
import { classifyError } from './classify.js';
import { tooLarge } from './failures.js';
import type { Transport, TransportOutcome, TransportRequest } from './types.js';

/** Any WHATWG `fetch`: Node's own, undici's, a test interceptor's (msw), or another runtime's. */
export type FetchLike = (input: Request | URL | string, init?: RequestInit) => Promise<Response>;

function headersToRecord(headers: Headers): Record<string, string> {
  const out: Record<string, string> = {};
  headers.forEach((value, name) => {
    out[name] = value;
  });
  return out;
}

/**
 * The alternative transport: ky over a `fetch`, for custom fetch stacks, interception in tests and runtimes
 * without undici. ky's own retries, timeout and HTTP errors are off: the client owns those. ky is loaded on the
 * first request, so users of the default transport never pay for importing it.
 */
export class FetchTransport implements Transport {
  readonly name = 'fetch';
  readonly #fetch: FetchLike | undefined;
  readonly #release: (() => void) | undefined;
  #ky: Promise<KyInstance> | undefined;

  /**
   * @param fetchImpl the `fetch` to use. @default the global `fetch` at the time of each request
   * @param release what `close()` releases, when the `fetch` holds something of the client's (Deno's
   *   `HttpClient` of a TLS client certificate).
   */
  constructor(fetchImpl?: FetchLike, release?: () => void) {
    this.#fetch = fetchImpl;
    this.#release = release;
  }

  #client(): Promise<KyInstance> {
    this.#ky ??= import('ky').then(({ default: ky }) =>
      ky.create({
        retry: 0,
        timeout: false,
        throwHttpErrors: false,
        ...(this.#fetch === undefined ? {} : { fetch: this.#fetch }),
      }),
    );
    return this.#ky;
  }

  async send(request: TransportRequest): Promise<TransportOutcome> {
    let gotHeaders = false;
    let status: number | undefined;
    let headers: Record<string, string> | undefined;
    // fetch wants an AbortSignal: link one to the client's cancellation.
    const controller = new AbortController();
    if (request.cancel.aborted) controller.abort();
    request.cancel.onAbort = () => {
      controller.abort();
    };
    try {
      const ky = await this.#client();
      const response = await (request.method === 'GET'
        ? ky.get(request.url, { signal: controller.signal })
        : ky.post(request.url, {
            body: request.body,
            headers: { 'content-type': 'text/plain; charset=utf-8' },
            signal: controller.signal,
          }));
      gotHeaders = true;
      request.onHeaders?.();
      status = response.status;
      headers = headersToRecord(response.headers);
      const declared = Number(headers['content-length']);
      if (declared > request.maxResponseBytes) {
        await response.body?.cancel().catch(() => undefined);
        return tooLarge(request.maxResponseBytes, status, headers);
      }
      const decoder = new TextDecoder();
      let body = '';
      let size = 0;
      if (response.body !== null) {
        const reader = response.body.getReader();
        for (;;) {
          const { done, value } = (await reader.read()) as { done: boolean; value?: Uint8Array };
          if (done || value === undefined) break;
          size += value.byteLength;
          if (size > request.maxResponseBytes) {
            await reader.cancel().catch(() => undefined);
            return tooLarge(request.maxResponseBytes, status, headers);
          }
          body += decoder.decode(value, { stream: true });
        }
      }
      body += decoder.decode();
      return { ok: true, response: { status, headers, body } };
    } catch (error) {
      const failure = classifyError(error, gotHeaders);
      return {
        ok: false,
        failure:
          status === undefined || headers === undefined ? failure : { ...failure, status, headers },
      };
    } finally {
      request.cancel.onAbort = undefined;
    }
  }

  close(): Promise<void> {
    // A fetch owns its connections; there is nothing of ours to release, unless the client made the fetch.
    this.#release?.();
    return Promise.resolve();
  }
}
