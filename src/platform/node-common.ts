/**
 * What Node.js, Bun and Deno share, from the Node modules all three implement: Fernet and SHA-256 on
 * node:crypto (synchronous), the call's TracingChannel on node:diagnostics_channel, and zod's `compile` (all
 * three allow `new Function`).
 */
import { createHash } from 'node:crypto';
import { tracingChannel } from 'node:diagnostics_channel';
import { compile } from 'zod/mini';
import { NodeFernet, nodeKeyParts } from '../crypto/fernet-node.js';
import type { CallChannel, Platform } from './types.js';

/** The parts of a {@link Platform} that node:crypto and node:diagnostics_channel make. */
export const nodeCommon = {
  cipher: (raw) => new NodeFernet(raw),
  syncFernet: { create: (raw) => new NodeFernet(raw), keyParts: nodeKeyParts },
  sha256Hex: (data) => createHash('sha256').update(data).digest('hex'),
  tracingChannel: <T extends object>(name: string): CallChannel<T> => {
    const channel = tracingChannel<unknown, T>(name) as unknown as CallChannel<T>;
    if (typeof channel.hasSubscribers === 'boolean') return channel;
    // Bun's TracingChannel has no `hasSubscribers` of its own: its channels have.
    const parts = [channel.start, channel.end, channel.asyncStart, channel.asyncEnd, channel.error];
    return Object.create(channel, {
      hasSubscribers: {
        get: () => parts.some((part) => (part as { hasSubscribers?: boolean }).hasSubscribers),
      },
    }) as CallChannel<T>;
  },
  compileSchema: (schema) => compile(schema),
} satisfies Pick<
  Platform,
  'cipher' | 'syncFernet' | 'sha256Hex' | 'tracingChannel' | 'compileSchema'
>;
