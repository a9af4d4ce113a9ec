/**
 * The X-ray of one message: on the left what this device typed and made of
 * it (encoded, padded, encrypted, and the ratchet step), on the right the
 * row the server stored for it, with a visible check that both hold the same
 * bytes. The point the room should see: the text appears only on the left.
 * A sealed-sender message shows one more layer on the left: the sender
 * certificate inside the seal, and how the stored bytes split into the seal,
 * the certificate, the message and the padding that gives them one size.
 */
import { Dialog } from '../ui/Dialog.js';
import { Explain } from '../ui/Explain.js';
import { SOURCES } from '../ui/sources.js';
import { POLICY_WORDS } from '@envelope/protocol';
import { byteCount, clock, dayClock, fromBase64Url, MAX_BYTES_SHOWN, spacedHex } from './format.js';
import { Bytes } from './XrayBytes.js';
import { TransportXray } from './XrayTransport.js';
import { EncodedFields } from './XrayFields.js';
import { AccessFieldAtServer, AccessFieldLayout } from './XrayAccessField.js';
import type { PersonaDialog } from './persona-dialogs.js';
import type { SealedView, XrayEnvelopeView, XrayView } from './xray-view.js';

export interface XrayDialogProps {
  readonly me: string;
  /** This device sent the message as a rogue app with a forged access field (rogue-dialog.ts). */
  readonly forged?: boolean;
  readonly dialog: Extract<PersonaDialog, { kind: 'xray' }>;
  readonly onClose: () => void;
}

export function XrayDialog({ me, dialog, onClose, forged = false }: XrayDialogProps) {
  return (
    <Dialog title="X-ray of one message" size="wide" onClose={onClose} testId="xray-dialog">
      {dialog.error && (
        <p className="warning" role="alert">
          {dialog.error}
        </p>
      )}
      {!dialog.view && !dialog.error && <p className="muted">Asking the server for its copy…</p>}
      {dialog.view && (
        <p className={`xray-mode ${dialog.view.mode === 'e2ee' ? 'is-e2ee' : 'is-readable'}`} data-testid="xray-mode" data-mode={dialog.view.mode}>
          Sent under: <strong>{POLICY_WORDS[dialog.view.mode].name}</strong>
          {dialog.view.mode === 'e2ee' ? '' : `. ${POLICY_WORDS[dialog.view.mode].banner}`}
        </p>
      )}
      {dialog.view && (dialog.view.transport ? <TransportXray me={me} view={dialog.view} transport={dialog.view.transport} /> : <XrayBody me={me} view={dialog.view} forged={forged} />)}
    </Dialog>
  );
}

function XrayBody({ me, view, forged }: { readonly me: string; readonly view: XrayView; readonly forged: boolean }) {
  const sent = view.direction === 'sent';
  const padded = view.message.length + view.padding.length;
  return (
    <>
      <div className="xray">
        <section className="xray-side secret" aria-label="What the people in the chat see">
          <h3>{sent ? `On ${me}’s device: what was typed` : `On ${me}’s device: what arrived from ${view.peer}, decrypted here`}</h3>
          <h4>The message</h4>
          <p className="xray-plaintext" data-testid="xray-plaintext">
            {view.text}
          </p>
          <h4>Encoded by the app ({byteCount(view.message.length)})</h4>
          <p className="mono small">{view.encodedText}</p>
          <EncodedFields encodedText={view.encodedText} />
          <h4>Padded to {byteCount(padded)}</h4>
          <p className="bytes mono" data-testid="xray-padded" role="region" aria-label="The padded message, as hex" tabIndex={0}>
            <span className="hex-message">{spacedHex(view.message)}</span>{' '}
            <span className="hex-padding" data-testid="xray-padding">
              {spacedHex(view.padding.subarray(0, MAX_BYTES_SHOWN))}
              {view.padding.length > MAX_BYTES_SHOWN ? ' …' : ''}
            </span>
          </p>
          <p className="legend">
            <span className="hex-padding">Grey, underlined with dots,</span> is padding ({byteCount(view.padding.length)}: one 80, then zeros), so the size on the wire
            only says “up to {padded} bytes”, not the exact length.
          </p>
          {view.envelopes.map((envelope) => (
            <EnvelopeSender key={envelope.envelopeId} envelope={envelope} me={me} peer={view.peer} sent={sent} forged={forged} />
          ))}
        </section>
        <section className="xray-side server" aria-label="What the server stored">
          <h3>At the server: what it stored</h3>
          {view.envelopes.map((envelope) => (
            <EnvelopeServer key={envelope.envelopeId} envelope={envelope} />
          ))}
          <p className="xray-nowhere">
            Nowhere on this side is the message itself: the server has only scrambled bytes, and who, when and how big.
            {view.mode === 'key-escrow' && ' Its key is here too, but sealed to the escrow key, which the server does not hold.'}
          </p>
        </section>
      </div>
      <Explain title="What this shows" open={false} source={SOURCES.europolTwoAsks}>
        <p>
          The left is what only the two people in the chat can read. The right is everything the server could hand over if asked: the metadata,
          and the ciphertext, which is useless without the keys in the two browsers. Police call this “going dark”; it is also what protects the
          message from anyone else who gets into the server.
        </p>
      </Explain>
    </>
  );
}

function EnvelopeSender(props: { readonly envelope: XrayEnvelopeView; readonly me: string; readonly peer: string; readonly sent: boolean; readonly forged: boolean }) {
  const { envelope, me, peer, sent, forged } = props;
  const { step, sealed } = envelope;
  const whose = sent ? `for ${peer}’s device ${envelope.deviceId}` : 'as it arrived';
  return (
    <div className="xray-envelope">
      <h4>
        Encrypted {sealed ? `${whose}: the message inside the seal` : whose} ({byteCount(envelope.sessionMessage.length)})
      </h4>
      {sealed ? <Bytes bytes={envelope.sessionMessage} label="The encrypted message inside the seal, as hex" testId="xray-session-message" /> : <StoredBytes envelope={envelope} />}
      <h4>The ratchet step that produced it</h4>
      <dl className="facts" data-testid="xray-step">
        <dt>Handshake</dt>
        <dd>
          {step.handshake === 'pqxdh'
            ? 'PQXDH: this message starts the conversation (a post-quantum key agreement)'
            : step.handshake === 'x3dh'
              ? 'X3DH: this message starts the conversation'
              : 'None: the conversation was already set up'}
        </dd>
        <dt>New DH ratchet key?</dt>
        <dd>{step.newRatchetKey ? 'Yes: fresh keys, so an old stolen key cannot read what follows' : 'No: the same chain moves one step on'}</dd>
        <dt>Message in this chain</dt>
        <dd>
          number {step.messageIndex} (the previous chain had {step.previousChainLength})
        </dd>
        <dt>Ratchet public key</dt>
        <dd className="mono small">{envelope.ratchetKeyHex}</dd>
      </dl>
      {sealed && <SealedLayer sealed={sealed} me={me} peer={peer} sent={sent} envelope={envelope} />}
      {envelope.escrow && <AccessFieldLayout field={envelope.escrow} me={me} sent={sent} forged={forged && sent} />}
    </div>
  );
}

/** The body as it went to the server, and its digest (what the right-hand side is checked against). */
function StoredBytes({ envelope }: { readonly envelope: XrayEnvelopeView }) {
  return (
    <>
      <Bytes bytes={envelope.ciphertext} label="The encrypted message, as hex" testId="xray-ciphertext" />
      <p className="small">
        SHA-256 of these bytes: <span className="mono" data-testid="xray-digest">{envelope.digest}</span>
      </p>
    </>
  );
}

/** Sealed sender: the certificate inside the seal, how the stored bytes split up, and the padding that hides what a size would tell. */
function SealedLayer(props: { readonly sealed: SealedView; readonly envelope: XrayEnvelopeView; readonly me: string; readonly peer: string; readonly sent: boolean }) {
  const { sealed, envelope, me, peer, sent } = props;
  const recipient = sent ? peer : me;
  const { layout } = sealed;
  const parts = [
    { key: 'keys', label: 'seal', bytes: layout.keys },
    { key: 'certificate', label: 'certificate', bytes: layout.certificate },
    { key: 'content', label: 'message (above)', bytes: layout.content },
    { key: 'padding', label: 'padding', bytes: layout.padding },
  ];
  return (
    <section className="xray-sealed" data-testid="xray-sealed" aria-label="The sealed envelope">
      <h4>Then sealed, so the server cannot see who sent it</h4>
      <p className="small">
        Inside the seal, which only {recipient}’s device can open, is a certificate that says who wrote the message. The server signed it earlier
        for {sealed.sender}, but cannot tell which of its certificates is in here.
      </p>
      <dl className="facts" data-testid="xray-certificate">
        <dt>Sent by</dt>
        <dd>
          {sealed.sender}, device {sealed.senderDevice}
        </dd>
        <dt>Vouched for by</dt>
        <dd>the server’s signature{sent ? '' : `, checked on ${me}’s device`}</dd>
        <dt>Valid until</dt>
        <dd>{dayClock(sealed.expiresAt)} (a day: a stolen one soon lapses)</dd>
        <dt>Sender’s key</dt>
        <dd className="mono small">{sealed.identityKeyHex}</dd>
      </dl>
      <h4>What the server stored ({byteCount(layout.total)})</h4>
      <ol className="sealed-layout" data-testid="xray-sealed-layout" aria-label={`The ${layout.total} stored bytes`}>
        {parts.map((part) => (
          <li key={part.key} className={`sealed-part ${part.key}`} style={{ flexGrow: part.bytes }} data-bytes={part.bytes}>
            <span className="sealed-part-label">{part.label}</span> <span className="sealed-part-size">{byteCount(part.bytes)}</span>
          </li>
        ))}
      </ol>
      <p className="legend" data-testid="xray-sealed-padding">
        The seal holds a fresh one-time key and the sender’s key, encrypted; the certificate and the message are encrypted too. The server
        learns nothing from these bytes but their number. The <span className="hex-padding">padding</span> ({byteCount(layout.padding)}) makes every sealed message of a text this long
        exactly {byteCount(layout.total)}, whether it starts a conversation or not, and whoever sends it.
      </p>
      <StoredBytes envelope={envelope} />
    </section>
  );
}

function EnvelopeServer({ envelope }: { readonly envelope: XrayEnvelopeView }) {
  const server = envelope.server;
  if (server.kind === 'unavailable') return <p className="muted">{server.reason}</p>;
  const { row, check } = server;
  return (
    <div className="xray-envelope xray-server-row" data-testid="xray-server-row">
      <dl className="facts">
        <dt>From</dt>
        <dd>{row.sender === null ? 'hidden (sealed sender)' : `${row.sender}, device ${row.senderDevice}`}</dd>
        <dt>To</dt>
        <dd>
          {row.recipient}, device {row.recipientDevice}
        </dd>
        <dt>Stored at</dt>
        <dd>{clock(row.receivedAt)}</dd>
        <dt>Size</dt>
        <dd>{byteCount(row.size)}</dd>
        <dt>Kind</dt>
        <dd>
          {row.kind === 'session-start'
            ? 'first message of a conversation'
            : row.kind === 'message'
              ? 'message'
              : row.kind === 'sealed'
                ? 'sealed: the server cannot see who sent it'
                : 'unknown'}
        </dd>
        {envelope.sealed && (
          <>
            <dt>Can it tell?</dt>
            <dd data-testid="xray-server-sealed">
              Not who sent it, not whether it starts a conversation: every sealed message of a text this long is {byteCount(envelope.sealed.layout.total)}.
            </dd>
          </>
        )}
        <dt>Picked up</dt>
        <dd>
          {row.deliveredAt === null
            ? 'not yet: waiting in the mailbox'
            : envelope.escrow
              ? `${clock(row.deliveredAt)} by the recipient’s device; the mailbox copy was deleted, the escrow copy was not (below)`
              : `${clock(row.deliveredAt)} by the recipient’s device, and the ciphertext was deleted`}
        </dd>
        <dt>SHA-256</dt>
        <dd className="mono small" data-testid="xray-server-digest">
          {row.ciphertextSha256}
        </dd>
      </dl>
      <h4>Ciphertext it holds</h4>
      {row.ciphertext !== null ? (
        <Bytes bytes={fromBase64Url(row.ciphertext)} label="The ciphertext the server holds, as hex" testId="xray-server-ciphertext" />
      ) : (
        <p className="muted">
          {envelope.escrow
            ? 'Deleted from the mailbox once the recipient’s device picked it up; the escrow’s copy is not shown here.'
            : 'Deleted once the recipient’s device picked it up. Only the digest above is kept.'}
        </p>
      )}
      {envelope.escrow && <AccessFieldAtServer field={envelope.escrow} />}
      <p className={`match ${check.matches ? 'ok' : 'bad'}`} data-testid="xray-match" data-matches={check.matches} data-by={check.by}>
        {check.matches
          ? check.by === 'bytes'
            ? '✓ Same bytes as on the left: the server stores exactly this ciphertext.'
            : '✓ Same digest: the SHA-256 of the bytes on the left is what the server kept.'
          : check.by === 'bytes'
            ? '✗ These bytes differ from the ones on the left.'
            : '✗ The digest differs from the bytes on the left.'}
      </p>
    </div>
  );
}
