/** The platform of Cloudflare Workers (the `workerd` condition of `#platform`): the web platform, named. */
import { webPlatform } from './web.js';

/** The platform of Cloudflare Workers. */
export const platform = webPlatform('workerd', 'Cloudflare Workers (workerd)');
