import type {
  ActionReply,
  HandlerResult,
  ReceivedRequest,
} from '../../src/testing/protocol-server.js';

/**
 * A handler for the runtime's own tests, on made-up request types, so that these tests need no catalogue:
 * - `test-ok` succeeds and echoes the body;
 * - `test-no` is turned down with a reason;
 * - `test-invalid` answers with the server's invalid-parameters shape.
 * Anything else is an unknown type (HTTP 400), as on the server.
 */
export function testHandler(request: ReceivedRequest): HandlerResult {
  switch (request.type) {
    case 'test-ok':
      return { success: true, messages: ['It worked.'], echo: request.body } satisfies ActionReply;
    case 'test-no':
      return {
        success: false,
        failure_reason: 'not allowed',
        messages: ['Sorry, no.'],
        echo: null,
      };
    case 'test-invalid':
      return {
        success: false,
        response: {
          problems: [
            {
              param: 'thing',
              problem: 'missing',
              required_type: ['int', 'None'],
              required_param: true,
            },
          ],
          failure_reason: 'invalid request parameters',
        },
        messages: ["request 'test-invalid' has invalid parameters"],
      };
    default:
      return { httpStatus: 400 };
  }
}
