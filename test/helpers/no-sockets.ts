/* eslint-disable @typescript-eslint/unbound-method -- the originals are called with the socket's own `this` */
import net from 'node:net';
import { afterEach, expect } from 'vitest';

/**
 * The guard of `npm run test:fast`: its tests must not open a socket, as a client or as a server. Every
 * connect and listen is recorded (and still made, so the test runs as it would), and a test that made one fails.
 */

const opened: string[] = [];

const connect = net.Socket.prototype.connect;
net.Socket.prototype.connect = function (this: net.Socket, ...args: unknown[]) {
  opened.push(`connect ${JSON.stringify(args[0])}`);
  return (connect as (...a: unknown[]) => net.Socket).apply(this, args);
};

const listen = net.Server.prototype.listen;
net.Server.prototype.listen = function (this: net.Server, ...args: unknown[]) {
  opened.push(`listen ${JSON.stringify(args[0])}`);
  return (listen as (...a: unknown[]) => net.Server).apply(this, args);
} as typeof listen;

afterEach(() => {
  const seen = opened.splice(0);
  expect(seen, 'a test of the fast suite opened a socket').toEqual([]);
});
