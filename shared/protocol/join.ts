/**
 * GET /api/join (public, no token): the addresses people can open to join
 * this server's classroom, for the join link and QR code on the page.
 */
import { z } from 'zod';

/** Addresses listed at most: one per network interface of the machine. */
export const MAX_JOIN_URLS = 16;

export const JoinInfoSchema = z
  .object({
    /** http(s) URLs of the web app, best first. */
    urls: z
      .array(z.string().max(200).regex(/^https?:\/\/[^\s/]+$/, 'must be an http(s) origin'))
      .min(1)
      .max(MAX_JOIN_URLS),
    /**
     * True when other devices on the network can open these addresses; false
     * when the server only listens on this computer (HOST=127.0.0.1, the
     * default), so only this computer's browsers can join.
     */
    network: z.boolean(),
  })
  .strict();

export type JoinInfo = z.output<typeof JoinInfoSchema>;
