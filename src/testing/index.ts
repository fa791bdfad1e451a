/**
 * Testing kit: a real loopback server that speaks authnzerver's protocol, for testing apps without the Python
 * server. Import it as `authnzerver/testing`.
 */
export {
  ERROR_BODIES,
  NOT_FOUND_HTML,
  startProtocolServer,
  wrapAction,
  type ActionReply,
  type Fault,
  type HandlerResult,
  type HttpErrorReply,
  type ReceivedRequest,
  type RequestHandler,
  type TestServer,
  type TestServerOptions,
} from './server.js';
