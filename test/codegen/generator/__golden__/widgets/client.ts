// Generated from test/fixtures/codegen/widgets.yaml by authnzerver-codegen. Do not edit: change the YAML, then run npm test.
import { AuthnzerverClient, SyncClient } from '../../../../../src/runtime.js';
import type { AuthnzerverOptions, CallOptions, ResponseTuple } from '../../../../../src/runtime.js';
import { specs } from './specs.js';
import type * as T from './types.js';

/**
 * The widgets client: one typed method per request type of the catalogue, and the generic `request(type, body, reqid?)`.
 *
 * A made-up widget service, to exercise every feature of the catalogue format.
 *
 * @example
 * const client = new Widgets(); // AUTHNZERVER_URL and AUTHNZERVER_SECRET
 * const result = await client.widgetNew({ name, owner_password, size, made, client_ipaddr: req.ip });
 * if (result.success) console.log(result.response);
 * else console.log(result.failure, result.messages);
 */
export class Widgets extends AuthnzerverClient<T.WidgetsRequests> {
  /**
   * @param options see {@link AuthnzerverOptions}; `url` and `secret` fall back to `AUTHNZERVER_URL` and `AUTHNZERVER_SECRET`.
   *
   * @throws {ConfigError} when an option is missing or malformed; it names the option and its variable.
   */
  constructor(options?: AuthnzerverOptions) {
    super(options, specs);
  }

  /** The same methods, synchronous, for scripts and start-up code: `client.sync.widgetNew(body)` returns the tuple itself. Same validation, deadlines, retries and failure kinds; the network I/O runs in a worker thread while the caller blocks. */
  get sync(): WidgetsSync {
    return this.syncView(WidgetsSync);
  }

  /**
   * Make a widget.
   *
   * Makes a widget and returns it.
   *
   * A second paragraph.
   *
   * Sends `widget-new`. It changes state on the server, so it is retried only when it provably never left. Its deadline is `timeouts.request`.
   * @param body the arguments of `widget-new`, with the end user's `client_ipaddr`.
   * @param options {@link CallOptions}: `reqid`, `timeout`, `deadline`, `signal`, `validateResponse`, `retry`.
   * @returns the response tuple: on success `response` is a {@link T.WidgetNewSuccess}; when the server turns the request down (`failure: 'rejected'`) it is a {@link T.WidgetNewFailure}. Transport and server failures are failure tuples, never exceptions.
   * @throws {RequestValidationError} (as a rejection) when the body is invalid; nothing is sent.
   */
  widgetNew(
    body: T.WidgetNewBody,
    options?: CallOptions,
  ): Promise<ResponseTuple<T.WidgetNewSuccess, T.WidgetNewFailure>> {
    return this.call(specs['widget-new'], body, options);
  }

  /**
   * Read a widget.
   *
   * **Known server defect:** The server sometimes returns the wrong widget.
   *
   * Sends `widget-get`. It only reads, so it may be retried after a transient failure. Its deadline is `timeouts.login`: the server delays failed log-ins by up to 40 s.
   * @param body the arguments of `widget-get`, with the end user's `client_ipaddr`.
   * @param options {@link CallOptions}: `reqid`, `timeout`, `deadline`, `signal`, `validateResponse`, `retry`.
   * @returns the response tuple: on success `response` is a {@link T.WidgetGetSuccess}; when the server turns the request down (`failure: 'rejected'`) it is a {@link T.WidgetGetFailure}. Transport and server failures are failure tuples, never exceptions.
   * @throws {RequestValidationError} (as a rejection) when the body is invalid; nothing is sent.
   */
  widgetGet(
    body: T.WidgetGetBody,
    options?: CallOptions,
  ): Promise<ResponseTuple<T.WidgetGetSuccess, T.WidgetGetFailure>> {
    return this.call(specs['widget-get'], body, options);
  }

  /**
   * Do nothing.
   *
   * Sends `widget-ping`. It only reads, so it may be retried after a transient failure. Its deadline is `timeouts.request`.
   * @param body the arguments of `widget-ping`, with the end user's `client_ipaddr`.
   * @param options {@link CallOptions}: `reqid`, `timeout`, `deadline`, `signal`, `validateResponse`, `retry`.
   * @returns the response tuple: on success `response` is a {@link T.WidgetPingSuccess}; when the server turns the request down (`failure: 'rejected'`) it is a {@link T.WidgetPingFailure}. Transport and server failures are failure tuples, never exceptions.
   * @throws {RequestValidationError} (as a rejection) when the body is invalid; nothing is sent.
   */
  widgetPing(
    body: T.WidgetPingBody,
    options?: CallOptions,
  ): Promise<ResponseTuple<T.WidgetPingSuccess, T.WidgetPingFailure>> {
    return this.call(specs['widget-ping'], body, options);
  }
}

/** The synchronous methods of {@link Widgets}, as `client.sync`. */
export class WidgetsSync extends SyncClient<T.WidgetsRequests> {
  /** Make a widget. The synchronous {@link Widgets.widgetNew}: it returns the tuple itself. */
  widgetNew(
    body: T.WidgetNewBody,
    options?: CallOptions,
  ): ResponseTuple<T.WidgetNewSuccess, T.WidgetNewFailure> {
    return this.call(specs['widget-new'], body, options);
  }

  /** Read a widget. The synchronous {@link Widgets.widgetGet}: it returns the tuple itself. */
  widgetGet(
    body: T.WidgetGetBody,
    options?: CallOptions,
  ): ResponseTuple<T.WidgetGetSuccess, T.WidgetGetFailure> {
    return this.call(specs['widget-get'], body, options);
  }

  /** Do nothing. The synchronous {@link Widgets.widgetPing}: it returns the tuple itself. */
  widgetPing(
    body: T.WidgetPingBody,
    options?: CallOptions,
  ): ResponseTuple<T.WidgetPingSuccess, T.WidgetPingFailure> {
    return this.call(specs['widget-ping'], body, options);
  }
}
