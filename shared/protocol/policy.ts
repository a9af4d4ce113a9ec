/**
 * The policy mode: what the server may read, one mode at a time for the whole
 * server (docs/lawful-access.md).
 *
 *   GET  /api/policy                 (public)          → PolicyAnnouncement
 *   POST /api/operator/policy        (operator token)  PolicyChangeRequest → PolicyAnnouncement
 *   WebSocket frame `policy`         the same announcement, pushed after `auth` and on every change
 *
 *   e2ee            the default: the server relays envelopes it cannot open.
 *   transport-only  messaging before end-to-end encryption: each message is
 *                   sealed to the server's transport key (protection in transit
 *                   only); the server opens it, keeps the text and delivers it.
 *   key-escrow      Clipper's idea on a modern protocol: messages stay end-to-end
 *                   encrypted, but each carries an access field (escrow.ts) with
 *                   its message key sealed to an escrow key whose private half is
 *                   split between named holders; the server keeps ciphertexts
 *                   after delivery so that the holders, together, can open them.
 *
 * Client-side scanning and the ghost join the list later.
 *
 * Clients parse the announcement's `mode` as any string and refuse to send
 * under one they do not know (fail closed): a newer server's mode may make
 * content readable in a way an older client would not say.
 *
 * Every envelope records the mode it was encrypted under (the send frame's
 * `mode`, absent for e2ee): a message queued before a switch travels under the
 * mode it was written in, and the server, the X-ray and the warrant answer all
 * say which.
 *
 * What a demonstration cannot show: in reality a mode is a different client
 * build that users install, not a switch on the server. This server announces
 * its mode honestly and the clients obey; a real deployment could change the
 * clients without announcing anything.
 */
import { z } from 'zod';
import { fixedBytes, TimestampSchema } from './codec.js';
import { KEY_BYTES } from './limits.js';

export const POLICY_MODES = ['e2ee', 'transport-only', 'key-escrow'] as const;
export const PolicyModeSchema = z.enum(POLICY_MODES);
export type PolicyMode = z.output<typeof PolicyModeSchema>;
export const DEFAULT_POLICY_MODE = 'e2ee' satisfies PolicyMode;

/** An envelope's `mode` field: any mode but e2ee, whose mark is the field's absence (old clients send none). */
export const EnvelopeModeSchema = PolicyModeSchema.exclude([DEFAULT_POLICY_MODE]);
export type EnvelopeMode = z.output<typeof EnvelopeModeSchema>;
export const ENVELOPE_MODES: readonly EnvelopeMode[] = EnvelopeModeSchema.options;

export function isPolicyMode(value: unknown): value is PolicyMode {
  return typeof value === 'string' && (POLICY_MODES as readonly string[]).includes(value);
}

/** Plain words for each mode, shared by the web app, the CLI and the operator page. */
export const POLICY_WORDS: Readonly<Record<PolicyMode, { readonly name: string; readonly banner: string; readonly detail: string }>> = {
  e2ee: {
    name: 'End-to-end encryption',
    banner: 'End-to-end encrypted: only the people in a conversation can read it.',
    detail: 'The server carries sealed envelopes it cannot open. It sees who writes to whom, when, and how much; never what.',
  },
  'transport-only': {
    name: 'Transport encryption only',
    banner: 'The server can read what you write.',
    detail:
      'Messages are encrypted only on the way to the server, which opens them, keeps the text and passes it on. ' +
      'Whoever runs the server, breaks into it or gets an order for its data can read them.',
  },
  'key-escrow': {
    name: 'Key escrow',
    // Who can read, in the mechanism's own terms: the holders of two shares, whatever order they act on.
    banner: 'Every message carries its key, locked for an escrow: any two of its three key holders together can read what you write.',
    detail:
      'Messages stay end-to-end encrypted, but each carries its key sealed to an escrow key split between a court, ' +
      'an agency and this provider; any two of them together can open it. The server keeps every message after ' +
      'delivery so that they can. Sealed sender is off in this mode here: the escrow must find and open each message.',
  },
};

/**
 * The escrow key's holders (server/lawful-access/escrow-key.ts): each keeps one
 * share of the private key, and any ESCROW_THRESHOLD of them together rebuild it.
 */
export const ESCROW_HOLDERS = ['court', 'agency', 'provider'] as const;
export const EscrowHolderSchema = z.enum(ESCROW_HOLDERS);
export type EscrowHolder = z.output<typeof EscrowHolderSchema>;
export const ESCROW_THRESHOLD = 2;

/**
 * The checkword's width in bits (escrow.ts). 16 is Clipper's LEAF checksum,
 * which Blaze (1994) beat by trial (about 65,536 tries); 64 puts trial out of
 * reach. ESCROW_CHECK_BITS= on the server, or `checkBits` with the switch.
 */
export const ESCROW_CHECK_BITS = [16, 64] as const;
export const EscrowCheckBitsSchema = z.union([z.literal(16), z.literal(64)]);
export type EscrowCheckBits = z.output<typeof EscrowCheckBitsSchema>;
export const DEFAULT_ESCROW_CHECK_BITS = 16 satisfies EscrowCheckBits;

/** What a key-escrow announcement tells clients: the key to seal message keys to, the check's width, who holds shares. */
export const EscrowAnnouncementSchema = z
  .object({
    /** The escrow X25519 public key (its private half exists only as shares). */
    publicKey: fixedBytes(KEY_BYTES),
    checkBits: EscrowCheckBitsSchema,
    holders: z.tuple([z.literal('court'), z.literal('agency'), z.literal('provider')]),
    threshold: z.literal(ESCROW_THRESHOLD),
  })
  .strict();
export type EscrowAnnouncement = z.output<typeof EscrowAnnouncementSchema>;

/** Said wherever the mode is shown (UI, CLI, README): the demo's one simplification. */
export const POLICY_DEMO_CAVEAT =
  'In reality a mode is a different app that users install, not a switch on the server. ' +
  'This server announces its mode and the apps obey; a real one could change the apps without telling anyone.';

/**
 * Messages the server holds in readable form because earlier modes made them
 * readable: switching back to e2ee protects new messages only.
 */
export const PolicyExposureSchema = z
  .object({
    /** Messages whose text the server still holds (its content log, within retention). */
    messages: z.number().int().min(0),
    /** Distinct people who sent or received them. */
    people: z.number().int().min(0),
    /**
     * Key escrow: messages the server keeps as ciphertext with an access field
     * (escrow_retained), which any two share holders, or whoever gets two
     * shares, can open; and the people they involve. Absent before key escrow
     * was ever used. Switching back to e2ee leaves these exposed until retention deletes them.
     */
    escrowed: z.object({ messages: z.number().int().min(0), people: z.number().int().min(0) }).strict().optional(),
  })
  .strict();

export const PolicyAnnouncementSchema = z
  .object({
    /** Any string: a client that does not know the mode refuses to send (see isPolicyMode). */
    mode: z.string().min(1).max(64),
    /** When the mode took effect (server clock, ms). */
    since: TimestampSchema,
    /** transport-only: the server's X25519 public key that messages are sealed to. */
    transportKey: fixedBytes(KEY_BYTES).optional(),
    /** key-escrow only: the escrow key and the check's width (escrow.ts). */
    escrow: EscrowAnnouncementSchema.optional(),
    exposure: PolicyExposureSchema,
  })
  .strict();

/** `checkBits` only with `{mode: 'key-escrow'}` (absent: the server's ESCROW_CHECK_BITS). */
export const PolicyChangeRequestSchema = z
  .object({ mode: PolicyModeSchema, checkBits: EscrowCheckBitsSchema.optional() })
  .strict()
  .refine((request) => request.checkBits === undefined || request.mode === 'key-escrow', {
    message: 'checkBits is a setting of key-escrow only',
    path: ['checkBits'],
  });

export type PolicyAnnouncement = z.output<typeof PolicyAnnouncementSchema>;
export type PolicyAnnouncementWire = z.input<typeof PolicyAnnouncementSchema>;
export type PolicyExposure = z.output<typeof PolicyExposureSchema>;
export type PolicyChangeRequest = z.output<typeof PolicyChangeRequestSchema>;
