import { type IdentityKeyPair } from './identity.js';
import { type SenderCertificate } from '@envelope/crypto-public';
export * from '@envelope/crypto-public';
/**
 * The inner layer's size for a session message around a padded plaintext of
 * `plaintextBucket` bytes: the longest certificate, the largest session
 * message of that bucket, the padding marker. It depends on nothing else.
 */
export declare function sealedInnerLength(plaintextBucket: number): number;
/** The size of every sealed message (sealSender's output) whose plaintext was padded to `plaintextBucket`. */
export declare function sealedLength(plaintextBucket: number): number;
/** Where the bytes of a sealed message go (for the X-ray): all but `keys` are inside layer 2's encryption. */
export interface SealedLayout {
    /** Version, E_pub, the sender's identity key encrypted (layer 1), layer 2's tag. */
    readonly keys: number;
    /** The certificate with its length field. */
    readonly certificate: number;
    readonly content: number;
    /** The padding marker and zeros. */
    readonly padding: number;
    readonly total: number;
}
export declare function sealedLayout(plaintextBucket: number, certificateBytes: number, contentBytes: number): SealedLayout;
/**
 * Seals `content`, a session message whose plaintext was padded to
 * `plaintextBucket` bytes (EncryptResult.padded.length), from `sender` to the
 * holder of `recipientIdentityKey`. The result is sealedLength(plaintextBucket)
 * bytes whatever the content's kind and the certificate's name.
 */
export declare function sealSender(sender: IdentityKeyPair, recipientIdentityKey: Uint8Array, certificate: SenderCertificate, content: Uint8Array, plaintextBucket: number): Uint8Array;
/**
 * The two layers around an inner layer exactly as given. sealSender builds
 * and pads the inner layer; tests call this directly to make a sealed message
 * whose inner layer is malformed, as only a sender (who holds the keys) could.
 */
export declare function sealInnerLayer(sender: IdentityKeyPair, recipientIdentityKey: Uint8Array, inner: Uint8Array): Uint8Array;
export interface UnsealedMessage {
    readonly certificate: SenderCertificate;
    readonly content: Uint8Array;
    /** The plaintext bucket the envelope's size stands for (@envelope/crypto-public padding.ts). */
    readonly plaintextBucket: number;
    /** Padding bytes in the inner layer (marker included): what made it the same size as any other of its bucket. */
    readonly paddingBytes: number;
}
/**
 * Opens a sealed message. Throws CryptoError: UNSUPPORTED_VERSION, DECRYPT_FAILED
 * (not for us, or altered), INVALID_PADDING (a size that is no size class, or an
 * inner layer not padded as sealSender pads), CERTIFICATE_INVALID or _EXPIRED.
 */
export declare function openSealedSender(recipient: IdentityKeyPair, sealed: Uint8Array, serverPublicKey: Uint8Array, now: number): UnsealedMessage;
