/**
 * The HTTP half of the protocol (shared/protocol/http.ts). Every response is
 * parsed with its schema before use: the server is trusted to relay, never to
 * be well-formed. Failures become ClientErrors with a stable code.
 */
import { z } from 'zod';
import { ChallengeSchema, ServerInfoSchema, SessionGrantedSchema, type BundleResponse, type IdentityResetRequest, type PreKeyStatus, type PreKeyUpload, type RegisterRequest, type SessionRequest, type StoredEnvelope } from '@envelope/protocol';
import { type DeviceId, type MessageId, type Username, type FiledReport, type ReportRequestWire } from '@envelope/protocol';
import { type AccessKeyUploadWire, type SealedSendRequestWire, type SealedStored, type SenderCertificateResponse } from '@envelope/protocol';
import { type PolicyAnnouncement } from '@envelope/protocol';
export type FetchLike = (input: string, init?: RequestInit) => Promise<Response>;
/** A server that has not answered in this long is treated as unreachable. */
export declare const HTTP_TIMEOUT_MS = 10000;
export type Challenge = z.output<typeof ChallengeSchema>;
export type SessionGranted = z.output<typeof SessionGrantedSchema>;
export type ServerInfo = z.output<typeof ServerInfoSchema>;
export declare class ServerApi {
    #private;
    constructor(serverUrl: string, fetchImpl?: FetchLike);
    challenge(): Promise<Challenge>;
    register(body: RegisterRequest): Promise<SessionGranted>;
    openSession(body: SessionRequest): Promise<SessionGranted>;
    /** Consumes one-time prekeys on the server: fetch only when a session is needed. */
    bundle(username: Username, token: string): Promise<BundleResponse>;
    uploadPreKeys(upload: PreKeyUpload, token: string): Promise<PreKeyStatus>;
    preKeyStatus(token: string): Promise<PreKeyStatus>;
    /** Replaces this device's identity key and all its prekeys (resetKeys); the answer is a token for the new key. */
    resetIdentity(body: IdentityResetRequest, token: string): Promise<SessionGranted>;
    /** The server's own row for an envelope we sent or received (the X-ray's other side). */
    storedEnvelope(id: MessageId, token: string): Promise<StoredEnvelope>;
    /**
     * The server's row for an envelope we sent sealed, deliberately asked for WITHOUT a token (as it was sent):
     * a token would tell the server who sent it. The id and the recipient device name the row.
     */
    storedSealedEnvelope(id: MessageId, to: Username, toDevice: DeviceId): Promise<StoredEnvelope>;
    /** Files a report of one received message (POST /api/reports); REPORT_REJECTED with the server's reason if it does not check out. */
    report(request: ReportRequestWire, token: string): Promise<FiledReport>;
    /** A sender certificate for this device (sealed sender). */
    senderCertificate(token: string): Promise<SenderCertificateResponse>;
    /**
     * A sealed-sender envelope, deliberately sent WITHOUT a token: the request must
     * not say who we are. It carries the recipient's access key instead, without
     * which the server refuses it (SEALED_ACCESS_DENIED).
     */
    postSealed(request: SealedSendRequestWire, accessKey: string | undefined): Promise<SealedStored>;
    /** Registers this account's access key (profile-key.ts). */
    uploadAccessKey(upload: AccessKeyUploadWire, token: string): Promise<void>;
    info(): Promise<ServerInfo>;
    /** The server's policy mode (GET /api/policy, public). Its `mode` is any string: the caller decides whether it knows it (policy.ts). */
    policy(): Promise<PolicyAnnouncement>;
}
