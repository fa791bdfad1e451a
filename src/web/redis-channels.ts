/**
 * The subscribing side of `redisStore()`: one connection of its own (the `subscriber` option, or the client's
 * `duplicate()`), for node-redis and ioredis alike, with each channel proved end to end by a probe: published
 * through the store's ordinary client, it must come back on the subscribed connection. Neither client tells
 * reliably when a subscription is live again after a reconnection (both resubscribe on their own), and a silent
 * network loss shows no event at all, so the probe is the one signal trusted for `up`, and its absence for `down`.
 */
import type { ChannelListener } from './store.js';

/** In-band probe messages start with this; the layer's own messages never do. */
const PROBE = 'authnzerver-probe:';

/** The events after which messages may have been missed (names of both clients). */
const LOSS_EVENTS = ['error', 'end', 'close', 'reconnecting'] as const;

/** What `RedisChannels` needs of the store. */
export interface RedisChannelsOptions {
  readonly client: unknown;
  readonly subscriber: unknown;
  /** PUBLISH through the ordinary client, with the store's deadline. */
  readonly publish: (channel: string, message: string) => Promise<void>;
  readonly timeoutMs: number;
  readonly heartbeatMs: number;
}

/** The little of either client's event emitter and pub/sub used here. */
interface Emitter {
  on(event: string, listener: (...args: unknown[]) => void): unknown;
  off?(event: string, listener: (...args: unknown[]) => void): unknown;
  removeListener?(event: string, listener: (...args: unknown[]) => void): unknown;
}
interface SubscriberClient extends Emitter {
  /** ioredis: `status`; node-redis: `isReady`. */
  readonly status?: string;
  readonly isReady?: boolean;
  readonly isOpen?: boolean;
  call?: unknown;
  connect?(): Promise<unknown>;
  duplicate?(): unknown;
  subscribe(
    channel: string,
    listener?: (message: string, channel: string) => void,
  ): Promise<unknown>;
  unsubscribe(channel: string): Promise<unknown>;
  destroy?(): unknown;
  disconnect?(): unknown;
}

type State = 'starting' | 'up' | 'down';

interface Channel {
  readonly listeners: Set<ChannelListener>;
  state: State;
  /** The probe awaited, and the timer that declares the channel down without it. */
  probe: string | null;
  probeTimer: ReturnType<typeof setTimeout> | undefined;
  subscribed: boolean;
}

/** The store's channels, on one subscribing connection. */
export class RedisChannels {
  readonly #options: RedisChannelsOptions;
  readonly #channels = new Map<string, Channel>();
  #connection: SubscriberClient | null = null;
  #owned = false;
  #ioredis = false;
  #heartbeat: ReturnType<typeof setInterval> | undefined;
  readonly #handlers: [string, (...args: unknown[]) => void][] = [];

  constructor(options: RedisChannelsOptions) {
    this.#options = options;
  }

  /** Adds a listener of a (prefixed) channel; the function returned removes it. */
  add(name: string, listener: ChannelListener): () => void {
    let channel = this.#channels.get(name);
    if (channel === undefined) {
      channel = {
        listeners: new Set(),
        state: 'starting',
        probe: null,
        probeTimer: undefined,
        subscribed: false,
      };
      this.#channels.set(name, channel);
    }
    channel.listeners.add(listener);
    if (channel.state === 'up')
      tell(() => {
        listener.up();
      });
    if (this.#connection === null) this.#open();
    else if (this.#ready()) void this.#subscribe(name, channel);
    const added = channel;
    return () => {
      added.listeners.delete(listener);
      if (added.listeners.size > 0) return;
      clearTimeout(added.probeTimer);
      this.#channels.delete(name);
      void this.#connection?.unsubscribe(name).catch(() => undefined);
      if (this.#channels.size === 0) this.#close();
    };
  }

  /** Makes the subscribing connection (the app's, or a duplicate of the client) and listens to its events. */
  #open(): void {
    const given = this.#options.subscriber;
    let connection: unknown = given;
    if (connection === undefined) {
      const client = this.#options.client as Partial<SubscriberClient>;
      if (typeof client.duplicate !== 'function') {
        this.#downAll('the Redis client has no duplicate(): give redisStore a `subscriber` client');
        return;
      }
      try {
        connection = client.duplicate();
      } catch {
        this.#downAll('the Redis client could not be duplicated for subscriptions');
        return;
      }
      this.#owned = true;
    }
    const c = connection as SubscriberClient;
    this.#connection = c;
    this.#ioredis = typeof c.call === 'function';
    const listen = (event: string, handler: (...args: unknown[]) => void): void => {
      c.on(event, handler);
      this.#handlers.push([event, handler]);
    };
    for (const event of LOSS_EVENTS) {
      listen(event, () => {
        this.#downAll('the subscriber connection to Redis was lost');
      });
    }
    listen('ready', () => {
      this.#onReady();
    });
    if (this.#ioredis) {
      listen('message', (channel, message) => {
        if (typeof channel === 'string' && typeof message === 'string')
          this.#onMessage(channel, message);
      });
    }
    this.#heartbeat = setInterval(() => {
      for (const [name, channel] of this.#channels)
        if (channel.probe === null && channel.subscribed) this.#probe(name, channel);
    }, this.#options.heartbeatMs);
    unref(this.#heartbeat);
    if (this.#ready()) this.#onReady();
    else if (this.#owned && !this.#ioredis && typeof c.connect === 'function') {
      // A node-redis duplicate starts closed; its `ready` event follows the connection.
      c.connect().catch(() => {
        this.#downAll('the subscriber connection to Redis could not be opened');
      });
    }
  }

  #ready(): boolean {
    const c = this.#connection;
    if (c === null) return false;
    return this.#ioredis ? c.status === 'ready' : c.isReady === true;
  }

  /** Connected (first time, or again): subscribe where needed, then prove each channel. */
  #onReady(): void {
    for (const [name, channel] of this.#channels) {
      // ioredis resubscribes by itself unless told not to; a second SUBSCRIBE is harmless, so it is sent anyway.
      // node-redis resubscribes by itself and would add a second listener: it subscribes once.
      if (this.#ioredis || !channel.subscribed) void this.#subscribe(name, channel);
      else this.#probe(name, channel);
    }
  }

  async #subscribe(name: string, channel: Channel): Promise<void> {
    const c = this.#connection;
    if (c === null) return;
    try {
      if (this.#ioredis) await c.subscribe(name);
      else if (!channel.subscribed) {
        channel.subscribed = true;
        await c.subscribe(name, (message) => {
          this.#onMessage(name, message);
        });
      }
      channel.subscribed = true;
      this.#probe(name, channel);
    } catch {
      if (!this.#ioredis) channel.subscribed = false;
      this.#down(channel, 'could not subscribe to the Redis channel');
    }
  }

  /** Publishes a probe on the channel; without it back within the deadline, the channel is down. */
  #probe(name: string, channel: Channel): void {
    if (this.#channels.get(name) !== channel) return;
    const probe = `${PROBE}${crypto.randomUUID()}`;
    channel.probe = probe;
    clearTimeout(channel.probeTimer);
    channel.probeTimer = setTimeout(() => {
      if (channel.probe !== probe) return;
      channel.probe = null;
      this.#down(
        channel,
        `the channel's probe did not come back within ${this.#options.timeoutMs} ms`,
      );
    }, this.#options.timeoutMs);
    unref(channel.probeTimer);
    // A failed publish shows as the probe's absence.
    this.#options.publish(name, probe).catch(() => undefined);
  }

  #onMessage(name: string, message: string): void {
    const channel = this.#channels.get(name);
    if (channel === undefined) return;
    if (message.startsWith(PROBE)) {
      if (message !== channel.probe) return; // another instance's probe
      channel.probe = null;
      clearTimeout(channel.probeTimer);
      if (channel.state !== 'up') {
        channel.state = 'up';
        for (const listener of [...channel.listeners])
          tell(() => {
            listener.up();
          });
      }
      return;
    }
    // Delivered even while down: dropping a cache entry is always safe.
    for (const listener of [...channel.listeners])
      tell(() => {
        listener.message(message);
      });
  }

  #down(channel: Channel, reason: string): void {
    if (channel.state === 'down') return;
    channel.state = 'down';
    for (const listener of [...channel.listeners])
      tell(() => {
        listener.down(reason);
      });
  }

  #downAll(reason: string): void {
    for (const channel of this.#channels.values()) {
      channel.probe = null;
      clearTimeout(channel.probeTimer);
      this.#down(channel, reason);
    }
  }

  /** The last listener left: stop probing, and close the connection if the store made it. */
  #close(): void {
    clearInterval(this.#heartbeat);
    const c = this.#connection;
    this.#connection = null;
    if (c === null) return;
    for (const [event, handler] of this.#handlers.splice(0)) {
      if (typeof c.off === 'function') c.off(event, handler);
      else c.removeListener?.(event, handler);
    }
    if (!this.#owned) return;
    this.#owned = false;
    // An owned connection still needs a listener for the errors of its closing.
    c.on('error', () => undefined);
    try {
      if (typeof c.destroy === 'function') c.destroy();
      else c.disconnect?.();
    } catch {
      // closing a broken connection: nothing more to do
    }
  }
}

/** Calls a listener; its failure is its own. */
function tell(call: () => void): void {
  try {
    call();
  } catch {
    // the listener's failure must not stop the others
  }
}

function unref(timer: ReturnType<typeof setTimeout>): void {
  if (typeof timer === 'object' && typeof timer.unref === 'function') timer.unref();
}
