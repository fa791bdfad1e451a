/**
 * The platform of edge functions (the `edge-light` condition of `#platform`: Vercel's edge runtime, Next.js
 * middleware): the web platform, named.
 */
import { webPlatform } from './web.js';

/** The platform of edge functions. */
export const platform = webPlatform('edge-light', 'the edge runtime (edge-light)');
