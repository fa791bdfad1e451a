import { createServer } from 'node:http';
import { Fernet, decodeWire, encodeWire } from 'authnzerver';

/**
 * The benchmark's server, in a process of its own so its CPU is not counted as the client's: a node:http server
 * that really decrypts every request and answers with an encrypted reply of about 400 bytes, as authnzerver
 * answers user-passcheck. GET /stats reports the connections it saw.
 */
const fernet = new Fernet(process.env.BENCH_SECRET ?? '');
let open = 0;
let maxOpen = 0;
let total = 0;

const server = createServer((req, res) => {
  if (req.method === 'GET') {
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ open, maxOpen, total }));
    return;
  }
  const chunks: Buffer[] = [];
  req.on('data', (chunk: Buffer) => chunks.push(chunk));
  req.on('end', () => {
    const envelope = decodeWire(fernet, Buffer.concat(chunks).toString('latin1')) as {
      reqid: string | number;
    };
    const action = {
      success: true,
      user_id: 4,
      user_role: 'authenticated',
      messages: ['Verification successful.'],
    };
    const body = encodeWire(fernet, {
      success: true,
      response: action,
      messages: action.messages,
      reqid: envelope.reqid,
    });
    res.writeHead(200, {
      'content-type': 'text/plain; charset=UTF-8',
      'content-length': body.length,
    });
    res.end(body);
  });
});
server.on('connection', (socket) => {
  open++;
  total++;
  maxOpen = Math.max(maxOpen, open);
  socket.on('close', () => open--);
});
server.keepAliveTimeout = 60_000;
server.listen(0, '127.0.0.1', () => {
  const address = server.address() as { port: number };
  process.stdout.write(`${JSON.stringify({ port: address.port })}\n`);
});
process.on('SIGTERM', () => {
  server.close();
  server.closeAllConnections();
});
