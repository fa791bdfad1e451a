/**
 * Node.js types as the published declarations show them. The declarations are compiled again in every app that
 * uses the package (all of them under `skipLibCheck: false`), and not every app has @types/node: these types
 * are Node's own where it does, and what they stand for in plain TypeScript where it does not, so that the
 * declarations compile in both. Inside this package (which has @types/node) they are exactly Node's types.
 */

/**
 * Node's `Buffer` in an app with @types/node; otherwise the `Uint8Array` that a `Buffer` is. (@types/node's own
 * `crypto` global picks its type the same way.)
 */
export type NodeBuffer = typeof globalThis extends {
  Buffer: { isBuffer(value: unknown): value is infer B };
}
  ? B
  : Uint8Array;

/**
 * A secret key of node:crypto (a `KeyObject`), by the members these types show: a `KeyObject` is one, and the
 * type needs no @types/node.
 */
export interface NodeSecretKey {
  readonly type: 'secret' | 'public' | 'private';
  readonly symmetricKeySize?: number | undefined;
}
