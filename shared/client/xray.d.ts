/**
 * The X-ray of one message: its text, the bytes the session encrypted (before
 * and after padding), and for each envelope the body exactly as it crossed the
 * server and the ratchet step its header shows. The app puts this beside the
 * server's own row (GET /api/envelopes/:id) to show the same bytes from both
 * sides.
 *
 * A sealed-sender envelope (sealed.ts) has one more layer: the body the server
 * stored is the sealed envelope, padded to the size of any other of its
 * bucket; inside it are the sender certificate (who sent it, which only the
 * recipient can read) and the session message, whose ratchet step is shown as
 * for any other. The sender keeps what it put inside (history.ts), the
 * recipient what it found inside (ReceivedRaw), so neither opens it again.
 *
 * Keeping these bytes is a deliberate demo choice. A real client would not keep
 * ciphertext (it costs no secrecy: the server had it anyway, and it is useless
 * without keys this device has already ratcheted past) and would not keep the
 * padded plaintext; here the padded plaintext is the text already kept in
 * history plus the padding, so it reveals nothing more.
 */
import { type SenderCertificate } from '@envelope/crypto-public';
import { type SealedLayout } from '@envelope/crypto';
import { type DeviceId, type EnvelopeMode, type MessageId, type PolicyMode, type Username } from '@envelope/protocol';
import { type Unsealed } from './sealed.js';
import type { ClientStore } from './store.js';
export declare const RECEIVED_RAW_VERSION = 1;
/** A received envelope as it arrived, and what it decrypted to. */
export interface ReceivedRaw {
    v: typeof RECEIVED_RAW_VERSION;
    /** The body exactly as the server delivered it (base64url). */
    body: string;
    /** The decrypted padded plaintext (base64url). */
    padded: string;
    /** Sealed sender: what was inside the sealed body (base64url each). */
    sealed?: {
        sessionMessage: string;
        certificate: string;
    };
    /** transport-only (policy.ts): `body` and `padded` are both the payload the server opened and delivered. */
    mode?: EnvelopeMode;
    /** key-escrow: the access field that came beside the body (base64url), which this device checked. */
    access?: string;
}
/** The sealed layer of an envelope: what the server stored around the session message. */
export interface XRaySealed {
    /** The certificate inside: who sent it, from which device, until when, signed by the server. Only the recipient can read it. */
    certificate: SenderCertificate;
    /** The session message inside (base64url): what an unsealed envelope's body would have been. */
    sessionMessage: string;
    /** Where the stored bytes go; `keys` includes the body's frame byte. All but `keys` is encrypted. */
    layout: SealedLayout;
    /** The plaintext bucket that alone sets the size (shared/crypto-public/padding.ts). */
    plaintextBucket: number;
}
export interface XRayEnvelope {
    envelopeId: MessageId;
    /** The peer's device: the one it was sent to, or the one it came from. */
    deviceId: DeviceId;
    /** base64url envelope body exactly as sent to / received from the server. */
    body: string;
    /** Null unless the envelope was sealed (sealed sender). */
    sealed: XRaySealed | null;
    /** The step the session message shows (inside the sealed layer, for a sealed envelope). */
    step: {
        /** Non-null when this envelope can start a session (a prekey message). */
        handshake: 'pqxdh' | 'x3dh' | null;
        /** The header's DH ratchet public key. */
        ratchetKey: Uint8Array;
        messageIndex: number;
        previousChainLength: number;
        /** First message under a new ratchet key, i.e. just after a DH ratchet step. */
        newRatchetKey: boolean;
    };
}
/**
 * A message sent in the transport-only mode (policy.ts): no session, so no
 * ratchet step. The payload (transport.ts) was sealed to the server's key,
 * and the server opened it: it read everything inside, the certificate of a
 * sealed send included.
 */
export interface XRayTransport {
    /** The sender certificate inside the payload (a sealed send), which the server reads in this mode; null for a signed-in send. */
    certificate: SenderCertificate | null;
    /** Bytes of the payload before the message: version, flags, and the certificate with its length. */
    headerBytes: number;
    /**
     * Per envelope (base64url): sent, the bytes sealed to the server's key (what
     * crossed the network); received, the payload the server delivered after
     * opening it (the same bytes as `padded`).
     */
    envelopes: {
        envelopeId: MessageId;
        deviceId: DeviceId;
        body: string;
    }[];
}
export interface XRay {
    messageId: MessageId;
    direction: 'sent' | 'received';
    peer: Username;
    text: string;
    /** The policy mode it was sent under (policy.ts); 'e2ee' for everything from before modes existed. */
    mode: PolicyMode;
    /** The message bytes (message-codec output), before padding: what the session encrypted, or what went into the transport payload. */
    encoded: Uint8Array;
    /** After padding: the padded plaintext (e2ee), or the padded transport payload (transport-only). */
    padded: Uint8Array;
    /** The session messages, one per device (e2ee); empty in transport-only, which uses no session. */
    envelopes: XRayEnvelope[];
    /** transport-only only: the layer the server opened; null for e2ee. */
    transport: XRayTransport | null;
}
/**
 * The entry to store beside a decrypted message. The session layer unpads
 * before it returns, so the padded bytes are rebuilt here; padding is
 * deterministic and unpadding strict (shared/crypto-public/padding.ts), so exactly one
 * padded form unpads to this plaintext, and it is the one that was decrypted.
 */
export declare function receivedRawEntry(envelopeId: MessageId, body: string, plaintext: Uint8Array, sealed?: Pick<Unsealed, 'sessionMessage' | 'certificate'> | null, escrow?: {
    mode: 'key-escrow';
    access: string;
}): Record<string, ReceivedRaw>;
/** What a session message's framing and ratchet header say (no keys needed: for an unsealed envelope the server can read the same). */
export declare function describeEnvelope(sessionMessage: string): XRayEnvelope['step'];
/** The X-ray of a sent or received message (by message id, or a sent envelope's id); null when unknown or unreadable. */
export declare function loadXRay(store: ClientStore, id: MessageId): Promise<XRay | null>;
