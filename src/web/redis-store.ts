/**
 * `redisStore()`: the web layer's store in Redis, over the app's own client: node-redis (`redis`, v4 or later) or
 * ioredis, both optional peers that this package never imports. Each increment is one Lua script (`INCR`, then
 * `PEXPIRE` on a new counter), so it is atomic across every instance. Each command has a deadline: a client that
 * queues commands while Redis is down would otherwise hang the request. A failed or late command is the store's
 * `whenDown` decision, which the app must make explicitly.
 *
 * Messages (`publish`, `subscribe`) use Redis pub/sub. A connection that subscribes can run no other command, so
 * listening takes a connection of its own: the `subscriber` option, or else the client's `duplicate()`, opened on
 * the first `subscribe` and closed after the last listener leaves. Pub/sub has no acknowledgement, so the store
 * proves the channel end to end: on each (re)connection, and then every `heartbeatMs`, it publishes a probe on the
 * channel and waits for it to come back. A lost connection, or a probe not back within `timeoutMs`, tells the
 * listeners `down`; the next probe that comes back tells them `up`.
 */
import { ConfigError } from '../core/errors.js';
import { checkKeys, optionShape } from '../core/options.js';
import { RedisChannels } from './redis-channels.js';
import type { AuthStore, ChannelListener, Counted } from './store.js';

/** A node-redis client (v4 or later), as the store uses it: its raw command. */
export interface NodeRedisClient {
  sendCommand(args: string[]): Promise<unknown>;
}

/** An ioredis client (or cluster), as the store uses it: its raw command. */
export interface IoRedisClient {
  call(command: string, ...args: (string | number)[]): Promise<unknown>;
}

/** Options of {@link redisStore}. */
export interface RedisStoreOptions {
  /** The app's connected client: `createClient()` of `redis`, or `new Redis()` of `ioredis`. */
  readonly client: NodeRedisClient | IoRedisClient;
  /**
   * Required: what the web layer does when Redis fails or answers after `timeoutMs`. `'closed'` refuses the
   * request with 503 (limits stay strict; the app is down while Redis is); `'open'` lets it through without the
   * check and logs a warning (the app stays up; limits do not hold while Redis is down).
   */
  readonly whenDown: 'closed' | 'open';
  /**
   * Prefix of every key. Default `authnzerver:`.
   * @default 'authnzerver:'
   */
  readonly prefix?: string | undefined;
  /**
   * The deadline of one command, in milliseconds. Default 500.
   * @default 500
   */
  readonly timeoutMs?: number | undefined;
  /**
   * A client of the same kind for subscriptions only, connected by the app (and closed by it). Default: the
   * client's `duplicate()`, which the store connects when the session cache first subscribes and closes after.
   * @default undefined (the client's duplicate())
   */
  readonly subscriber?: NodeRedisClient | IoRedisClient | undefined;
  /**
   * How often the channel's probe checks that messages still arrive, in milliseconds. Default 1000.
   * @default 1000
   */
  readonly heartbeatMs?: number | undefined;
}

const OPTION_KEYS = optionShape<RedisStoreOptions>({
  client: true,
  whenDown: true,
  prefix: true,
  timeoutMs: true,
  subscriber: true,
  heartbeatMs: true,
});

/** `INCR`; a counter without a time to live (new, or left without one) gets `ttlMs`. Gives `{value, pttl}`. */
const INCREMENT = `local v = redis.call('INCR', KEYS[1])
local t = redis.call('PTTL', KEYS[1])
if t < 0 then
  redis.call('PEXPIRE', KEYS[1], ARGV[1])
  t = tonumber(ARGV[1])
end
return {v, t}`;

/** Runs one raw command on either client. */
type Run = (args: readonly string[]) => Promise<unknown>;

function runnerOf(client: unknown, option = 'client'): Run {
  const c = client as Partial<IoRedisClient & NodeRedisClient> | null;
  if (typeof c === 'object' && c !== null && typeof c.call === 'function') {
    const call = c.call.bind(c);
    return ([command, ...args]) => call(command as string, ...args);
  }
  if (typeof c === 'object' && c !== null && typeof c.sendCommand === 'function') {
    const send = c.sendCommand.bind(c);
    return (args) => send([...args]);
  }
  throw new ConfigError(
    `redisStore: \`${option}\` must be a node-redis client (createClient() of \`redis\`) or an ioredis client`,
    { option },
  );
}

/** The work, or a rejection once it has taken longer than `ms`. */
function withDeadline<T>(work: Promise<T>, ms: number): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      reject(new Error(`redis did not answer within ${ms} ms`));
    }, ms);
  });
  return Promise.race([work, late]).finally(() => {
    clearTimeout(timer);
  });
}

/**
 * The web layer's store in Redis, shared by every app instance that uses the same Redis and prefix.
 *
 * @throws {ConfigError} naming the option: an unknown key, a client of another kind, or `whenDown` missing.
 */
export function redisStore(options: RedisStoreOptions): AuthStore {
  checkKeys(options, OPTION_KEYS, 'redisStore');
  const run = runnerOf(options.client);
  const whenDown = options.whenDown as unknown;
  if (whenDown !== 'closed' && whenDown !== 'open') {
    throw new ConfigError(
      "redisStore: `whenDown` must be 'closed' (refuse with 503 while Redis is down) or 'open' (let requests through, unchecked)",
      { option: 'whenDown' },
    );
  }
  const prefix = options.prefix ?? 'authnzerver:';
  const timeoutMs = options.timeoutMs ?? 500;
  if (typeof prefix !== 'string') {
    throw new ConfigError('redisStore: `prefix` must be a string', { option: 'prefix' });
  }
  if (typeof timeoutMs !== 'number' || !Number.isFinite(timeoutMs) || timeoutMs <= 0) {
    throw new ConfigError('redisStore: `timeoutMs` must be a number > 0', { option: 'timeoutMs' });
  }
  const heartbeatMs = options.heartbeatMs ?? 1000;
  if (typeof heartbeatMs !== 'number' || !Number.isFinite(heartbeatMs) || heartbeatMs <= 0) {
    throw new ConfigError('redisStore: `heartbeatMs` must be a number > 0', {
      option: 'heartbeatMs',
    });
  }
  if (options.subscriber !== undefined) runnerOf(options.subscriber, 'subscriber');
  const channels = new RedisChannels({
    client: options.client,
    subscriber: options.subscriber,
    publish: (channel, message) =>
      withDeadline(run(['PUBLISH', channel, message]), timeoutMs).then(() => undefined),
    timeoutMs,
    heartbeatMs,
  });
  return {
    whenDown,
    async increment(key: string, ttlMs: number): Promise<Counted> {
      const ttl = String(Math.max(1, Math.ceil(ttlMs)));
      const reply = await withDeadline(
        run(['EVAL', INCREMENT, '1', `${prefix}${key}`, ttl]),
        timeoutMs,
      );
      if (!Array.isArray(reply) || reply.length !== 2) {
        throw new Error('redis answered the increment with an unexpected reply');
      }
      return { value: Number(reply[0]), ttlMs: Number(reply[1]) };
    },
    async get(key: string): Promise<string | undefined> {
      const reply = await withDeadline(run(['GET', `${prefix}${key}`]), timeoutMs);
      if (reply === null || reply === undefined) return undefined;
      if (typeof reply === 'string') return reply;
      if (reply instanceof Uint8Array) return new TextDecoder().decode(reply);
      throw new Error('redis answered GET with an unexpected reply');
    },
    async set(key: string, value: string, ttlMs: number): Promise<void> {
      const ttl = String(Math.max(1, Math.ceil(ttlMs)));
      await withDeadline(run(['SET', `${prefix}${key}`, value, 'PX', ttl]), timeoutMs);
    },
    async delete(key: string): Promise<void> {
      await withDeadline(run(['DEL', `${prefix}${key}`]), timeoutMs);
    },
    async publish(channel: string, message: string): Promise<void> {
      await withDeadline(run(['PUBLISH', `${prefix}${channel}`, message]), timeoutMs);
    },
    subscribe(channel: string, listener: ChannelListener): () => void {
      return channels.add(`${prefix}${channel}`, listener);
    },
  };
}
