import { createTestServer } from 'authnzerver/testing';

/** The test server with its in-memory authnzerver, in a process of its own, for the load run. */
const server = await createTestServer({ rateLimits: false });
process.stdout.write(`${JSON.stringify({ url: server.url, secret: server.secret })}\n`);
process.on('SIGTERM', () => {
  void server.close();
});
