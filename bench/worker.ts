/**
 * The small Cloudflare Worker whose bundle `npm run bench` measures (bench/bundle.ts): it checks a session with
 * `sessionExists`, as an app's middleware does, and says whether it is valid. It is bundled, never run.
 */
import { Authnzerver } from 'authnzerver';

interface Env {
  readonly AUTHNZERVER_URL: string;
  readonly AUTHNZERVER_SECRET: string;
}

export default {
  async fetch(request: Request, env: Env): Promise<Response> {
    const client = new Authnzerver({ url: env.AUTHNZERVER_URL, secret: env.AUTHNZERVER_SECRET });
    const result = await client.sessionExists({
      session_token: request.headers.get('x-session-token') ?? '',
      client_ipaddr: request.headers.get('cf-connecting-ip') ?? '',
    });
    return Response.json({ valid: result.success });
  },
};
