/**
 * The X-ray of a message sent in the transport-only mode. Left: what was
 * typed, put in a payload for the server (header, message, padding) and
 * sealed to the server's key for the trip; no session and no ratchet step,
 * because nothing was encrypted end to end. Right: the server's row, whose
 * body is the opened payload, so the verdict is not "same ciphertext" but
 * "the server holds the message itself". A sealed send's certificate is in
 * the payload the server opens: sealing hides nothing from it here.
 */
import { Explain } from '../ui/Explain.js';
import { byteCount, clock, dayClock, MAX_BYTES_SHOWN, spacedHex } from './format.js';
import { Bytes } from './XrayBytes.js';
import { EncodedFields } from './XrayFields.js';
import './policy-mode.css';
import type { TransportEnvelopeView, TransportXrayView, XrayView } from './xray-view.js';

export interface TransportXrayProps {
  readonly me: string;
  readonly view: XrayView;
  readonly transport: TransportXrayView;
}

export function TransportXray({ me, view, transport }: TransportXrayProps) {
  const sent = view.direction === 'sent';
  const padded = transport.header.length + view.message.length + view.padding.length;
  return (
    <>
      <div className="xray">
        <section className="xray-side secret" aria-label="What the people in the chat see">
          <h3>{sent ? `On ${me}’s device: what was typed` : `On ${me}’s device: what arrived from ${view.peer}`}</h3>
          <h4>The message</h4>
          <p className="xray-plaintext" data-testid="xray-plaintext">
            {view.text}
          </p>
          <h4>Encoded by the app ({byteCount(view.message.length)})</h4>
          <p className="mono small">{view.encodedText}</p>
          <EncodedFields encodedText={view.encodedText} />
          <h4>Put in a payload for the server and padded to {byteCount(padded)}</h4>
          <p className="bytes mono" data-testid="xray-padded" role="region" aria-label="The padded payload, as hex" tabIndex={0}>
            <span className="hex-header">{spacedHex(transport.header)}</span> <span className="hex-message">{spacedHex(view.message)}</span>{' '}
            <span className="hex-padding" data-testid="xray-padding">
              {spacedHex(view.padding.subarray(0, MAX_BYTES_SHOWN))}
              {view.padding.length > MAX_BYTES_SHOWN ? ' …' : ''}
            </span>
          </p>
          <p className="legend">
            First the payload’s header ({byteCount(transport.header.length)}
            {transport.certificate ? ', with the sender certificate' : ''}), then the message, then <span className="hex-padding">grey</span> padding (underlined with dots).
          </p>
          <p className="xray-no-e2ee" data-testid="xray-no-e2ee">
            <strong>Not encrypted end to end.</strong> No session, no ratchet step: this payload was locked only for the trip, with a key the server
            itself holds{sent ? '' : ', and the server opened it before passing it on'}.
          </p>
          {transport.envelopes.map((envelope) => (
            <div className="xray-envelope" key={envelope.envelopeId}>
              <h4>
                {sent ? `Locked to the server’s key for ${view.peer}’s device ${envelope.deviceId}` : 'As the server delivered it: the opened payload'} (
                {byteCount(envelope.wire.length)})
              </h4>
              <Bytes bytes={envelope.wire} label="The payload as the server handled it, as hex" testId="xray-ciphertext" />
            </div>
          ))}
          {transport.certificate && (
            <section className="xray-sealed" data-testid="xray-transport-sealed" aria-label="Sealed sender in this mode">
              <h4>Sealed sender: the name is inside, and the server opens it</h4>
              <p className="small">
                The envelope carried no sender, but the certificate inside the payload says {transport.certificate.sender} (device{' '}
                {transport.certificate.senderDevice}, valid until {dayClock(transport.certificate.expiresAt)}). The server opens the payload, so it
                reads that name too: <strong>sealing hides nothing from a server that reads content.</strong>
              </p>
            </section>
          )}
        </section>
        <section className="xray-side server" aria-label="What the server stored">
          <h3>At the server: what it stored</h3>
          {transport.envelopes.map((envelope) => (
            <TransportServer key={envelope.envelopeId} envelope={envelope} sealedSender={transport.certificate?.sender ?? null} />
          ))}
          <p className="xray-nowhere xray-readable" data-testid="xray-server-holds-text">
            Here the server holds the message itself. Whoever runs it, breaks into it or gets an order for its data can read it.
          </p>
        </section>
      </div>
      <Explain title="What this shows" open={false}>
        <p>
          This is how messaging worked before end-to-end encryption: the connection to the server is encrypted, so nobody on the network can read
          the message, but the server opens it, keeps the text and passes it on. Compare with a message sent end to end, whose X-ray shows the
          server holding only scrambled bytes.
        </p>
      </Explain>
    </>
  );
}

function TransportServer({ envelope, sealedSender }: { readonly envelope: TransportEnvelopeView; readonly sealedSender: string | null }) {
  const server = envelope.server;
  if (server.kind === 'unavailable') return <p className="muted">{server.reason}</p>;
  const { row } = server;
  return (
    <div className="xray-envelope xray-server-row" data-testid="xray-server-row">
      <dl className="facts">
        <dt>From</dt>
        <dd>
          {row.sender === null
            ? `not on the envelope (sealed sender), but the server read “${sealedSender ?? 'unknown'}” inside`
            : `${row.sender}, device ${row.senderDevice}`}
        </dd>
        <dt>To</dt>
        <dd>
          {row.recipient}, device {row.recipientDevice}
        </dd>
        <dt>Stored at</dt>
        <dd>{clock(row.receivedAt)}</dd>
        <dt>Size</dt>
        <dd>{byteCount(row.size)}</dd>
        <dt>Picked up</dt>
        <dd>
          {row.deliveredAt === null
            ? 'not yet: waiting in the mailbox'
            : `${clock(row.deliveredAt)} by the recipient’s device; the delivery copy was deleted, the text stays in the server’s content log`}
        </dd>
      </dl>
      <h4>The message as the server holds it</h4>
      {server.serverReads !== null ? (
        <p className="mono small xray-server-reads" data-testid="xray-server-reads">
          {server.serverReads}
        </p>
      ) : (
        <p className="muted">Its delivery copy is gone; its content log still has the text, for as long as it keeps metadata.</p>
      )}
      <p className={`match ${server.holdsOpened ? 'readable' : 'bad'}`} data-testid="xray-match" data-matches={server.holdsOpened} data-by={server.by}>
        {server.holdsOpened
          ? server.by === 'bytes'
            ? '⚠ The server stores the opened message: the same bytes as the padded payload on the left, the text in plain sight. Not a ciphertext.'
            : '⚠ Same digest as the padded payload on the left: the server held the opened message, not a ciphertext.'
          : '✗ The server’s copy differs from the payload on the left.'}
      </p>
    </div>
  );
}
