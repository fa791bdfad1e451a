/**
 * The example app's routes (`site.ts`) mounted on a framework, through its `authnzerver/<framework>` adapter:
 * Express 5 (the default), Fastify 5 or Hono 4 (on `@hono/node-server`). Each gives a Node request listener
 * for the app's HTTP or HTTPS server. The framework parses the form (at most {@link FORM_LIMIT} bytes), adds
 * the security headers, serves `/style.css`, and sends each {@link Reply}; everything else is the site's.
 */
import type { IncomingMessage, RequestListener, Server, ServerResponse } from 'node:http';
import express, { type NextFunction, type Request, type Response } from 'express';
import Fastify, { type FastifyReply, type FastifyRequest } from 'fastify';
import { Hono, type Context } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { getRequestListener } from '@hono/node-server';
import { authnzerver as expressAuth } from 'authnzerver/express';
import { authnzerverPlugin } from 'authnzerver/fastify';
import { authnzerver as honoAuth, type AuthEnv } from 'authnzerver/hono';
import type { AuthContext, WebAuth } from 'authnzerver/web';
import { STYLE } from './html.js';
import { FORM_LIMIT, SECURITY_HEADERS, type Reply, type Site } from './site.js';

/** The frameworks the example runs on. */
export const FRAMEWORKS = ['express', 'fastify', 'hono'] as const;
export type Framework = (typeof FRAMEWORKS)[number];

/** A framework's app, ready to take the requests of a Node server. */
export interface Mounted {
  readonly listener: RequestListener;
  close(): Promise<void>;
}

const STYLE_HEADERS = {
  'Content-Type': 'text/css; charset=utf-8',
  'Cache-Control': 'public, max-age=300',
};

const CONTENT_TYPES = { html: 'text/html; charset=utf-8', json: 'application/json' } as const;

// ---- Express 5 -------------------------------------------------------------------------------------------

function expressApp(auth: WebAuth, site: Site, warn: (message: string) => void): Mounted {
  const send = (res: Response, reply: Reply): void => {
    if (reply.type === 'redirect') {
      res.redirect(reply.status, reply.location);
      return;
    }
    res
      .status(reply.status)
      .set(reply.headers ?? {})
      .type(CONTENT_TYPES[reply.type])
      .send(reply.body);
  };
  const app = express();
  app.disable('x-powered-by');
  app.use((_req, res, next) => {
    res.set(SECURITY_HEADERS);
    next();
  });
  app.get('/style.css', (_req, res) => {
    res.set(STYLE_HEADERS).send(STYLE);
  });
  app.use(express.urlencoded({ extended: false, limit: FORM_LIMIT }));
  app.use(
    expressAuth(auth, {
      onFailure: (failure, req, res) => {
        send(res, site.refused(req.path, failure, (req as Partial<Request>).auth));
      },
    }),
  );
  for (const route of site.routes) {
    const handler = async (req: Request, res: Response): Promise<void> => {
      const input = {
        form: (req.body ?? {}) as Record<string, unknown>,
        query: req.query as Record<string, unknown>,
        params: req.params as Record<string, string | undefined>,
      };
      send(res, await route.handle(req.auth, input));
    };
    if (route.method === 'GET') app.get(route.path, handler);
    else app.post(route.path, handler);
  }
  app.use((req: Request, res: Response) => {
    send(res, site.notFound((req as Partial<Request>).auth));
  });
  // Anything thrown: a generic page; only the message goes to the app's log (no secret is ever in one here). A
  // body over the parser's limit (body-parser's 413) gets the 413 page.
  app.use((error: unknown, req: Request, res: Response, _next: NextFunction) => {
    if (res.headersSent) return;
    if ((error as { status?: unknown }).status === 413) {
      send(res, site.tooLarge(req.path));
      return;
    }
    warn(`example app: ${error instanceof Error ? error.message : 'an error'}`);
    send(res, site.error());
  });
  return { listener: app, close: () => Promise.resolve() };
}

// ---- Fastify 5 -------------------------------------------------------------------------------------------

async function fastifyApp(
  auth: WebAuth,
  site: Site,
  warn: (message: string) => void,
  server: Server,
): Promise<Mounted> {
  let listener: RequestListener | undefined;
  const app = Fastify({
    bodyLimit: FORM_LIMIT,
    // Fastify answers on the app's own server, which is already listening.
    serverFactory: (handler) => {
      listener = handler;
      return server;
    },
  });
  const send = (reply: FastifyReply, answer: Reply): FastifyReply => {
    if (answer.type === 'redirect') return reply.redirect(answer.location, answer.status);
    return reply
      .code(answer.status)
      .headers(answer.headers ?? {})
      .type(CONTENT_TYPES[answer.type])
      .send(answer.body);
  };
  const authOf = (request: FastifyRequest): AuthContext | undefined =>
    (request as { auth?: AuthContext | null }).auth ?? undefined;
  app.addContentTypeParser(
    'application/x-www-form-urlencoded',
    { parseAs: 'string' },
    (_request, body, done) => {
      done(null, Object.fromEntries(new URLSearchParams(body as string)));
    },
  );
  app.addHook('onRequest', (_request, reply, done) => {
    reply.headers(SECURITY_HEADERS);
    done();
  });
  app.get('/style.css', (_request, reply) => reply.headers(STYLE_HEADERS).send(STYLE));
  await app.register(authnzerverPlugin, {
    auth,
    onFailure: (failure, request, reply) => {
      send(reply, site.refused(request.url.split('?')[0] ?? '/', failure, authOf(request)));
    },
  });
  for (const route of site.routes) {
    app.route({
      method: route.method,
      url: route.path,
      handler: async (request, reply) => {
        const input = {
          form: (request.body ?? {}) as Record<string, unknown>,
          query: request.query as Record<string, unknown>,
          params: request.params as Record<string, string | undefined>,
        };
        return send(reply, await route.handle(request.auth, input));
      },
    });
  }
  app.setNotFoundHandler((request, reply) => send(reply, site.notFound(authOf(request))));
  app.setErrorHandler((error, request, reply) => {
    // A body over `bodyLimit`: Fastify's FST_ERR_CTP_BODY_TOO_LARGE, status 413.
    if ((error as { statusCode?: unknown }).statusCode === 413) {
      return send(reply, site.tooLarge(request.url.split('?')[0] ?? '/'));
    }
    warn(`example app: ${error instanceof Error ? error.message : 'an error'}`);
    return send(reply, site.error());
  });
  await app.ready();
  const handler = listener;
  if (handler === undefined) throw new Error('fastify did not give its request handler');
  return { listener: handler, close: () => app.close() };
}

// ---- Hono 4 ----------------------------------------------------------------------------------------------

function honoApp(auth: WebAuth, site: Site, warn: (message: string) => void): Mounted {
  const send = (c: Context, reply: Reply): globalThis.Response => {
    if (reply.type === 'redirect') return c.redirect(reply.location, reply.status);
    return c.body(reply.body, reply.status as 200, {
      ...reply.headers,
      'Content-Type': CONTENT_TYPES[reply.type],
    });
  };
  const authOf = (c: Context<AuthEnv>): AuthContext | undefined => c.get('auth');
  const app = new Hono<AuthEnv>();
  app.use(async (c, next) => {
    await next();
    for (const [name, value] of Object.entries(SECURITY_HEADERS))
      if (!c.res.headers.has(name)) c.res.headers.set(name, value);
  });
  app.get('/style.css', (c) => c.body(STYLE, 200, STYLE_HEADERS));
  app.use(bodyLimit({ maxSize: FORM_LIMIT, onError: (c) => send(c, site.tooLarge(c.req.path)) }));
  app.use(
    honoAuth(auth, {
      onFailure: (failure, c) => send(c, site.refused(c.req.path, failure, undefined)),
    }),
  );
  for (const route of site.routes) {
    const handler = async (c: Context<AuthEnv>): Promise<globalThis.Response> => {
      const form =
        route.method === 'POST' &&
        (c.req.header('content-type') ?? '').startsWith('application/x-www-form-urlencoded')
          ? await c.req.parseBody()
          : {};
      const input = { form, query: c.req.query(), params: c.req.param() };
      return send(c, await route.handle(c.get('auth'), input));
    };
    if (route.method === 'GET') app.get(route.path, handler);
    else app.post(route.path, handler);
  }
  app.notFound((c) => send(c, site.notFound(authOf(c))));
  app.onError((error, c) => {
    warn(`example app: ${error.message}`);
    return send(c, site.error());
  });
  const listener = getRequestListener(app.fetch);
  return {
    listener: (req: IncomingMessage, res: ServerResponse) => {
      void listener(req, res);
    },
    close: () => Promise.resolve(),
  };
}

/** Mounts the site on `framework`, for requests of `server`. */
export async function mount(
  framework: Framework,
  auth: WebAuth,
  site: Site,
  warn: (message: string) => void,
  server: Server,
): Promise<Mounted> {
  switch (framework) {
    case 'express':
      return expressApp(auth, site, warn);
    case 'fastify':
      return fastifyApp(auth, site, warn, server);
    case 'hono':
      return honoApp(auth, site, warn);
  }
}
