/**
 * The messages between `startTestServerThread` (thread.ts) and its thread (thread-worker.ts). Apart from the
 * public declarations, which must compile in an app without @types/node (these name Node's `MessagePort`).
 */
import type { MessagePort } from 'node:worker_threads';
import type { TestServerThreadOptions } from './thread-options.js';

/** What the thread's module gets. */
export interface ThreadData {
  readonly port: MessagePort;
  readonly options: TestServerThreadOptions;
}

/** The operations the thread runs, each with its arguments. */
export type ThreadOp =
  | 'addUser'
  | 'listUsers'
  | 'findUser'
  | 'listSessions'
  | 'listApiKeys'
  | 'lockOut'
  | 'received'
  | 'stats'
  | 'setSecret'
  | 'fault'
  | 'pendingFaults'
  | 'clearFaults'
  | 'idle'
  | 'resetLimits'
  | 'close';

/** One command to the thread. */
export interface ThreadCommand {
  readonly id: number;
  readonly op: ThreadOp;
  readonly args: readonly unknown[];
}

/** An error as it crosses threads. */
export interface PortableError {
  readonly name: string;
  readonly message: string;
}

/** What the thread answers: once `ready` (or `failed`) when it starts, then one reply per command. */
export type ThreadMessage =
  | {
      readonly ready: {
        readonly url: string;
        readonly port: number;
        readonly secrets: readonly string[];
        readonly admin: { readonly email: string; readonly password: string } | undefined;
      };
    }
  | { readonly failed: PortableError }
  | { readonly id: number; readonly ok: true; readonly value: unknown }
  | { readonly id: number; readonly ok: false; readonly error: PortableError };
