/**
 * The X-ray's key-escrow part: the access field that travelled beside an
 * envelope, laid out in plain words (escrow-view.ts), on the sender's and the
 * recipient's side; and on the server's side what it keeps for the escrow.
 */
import { byteCount } from './format.js';
import { Bytes } from './XrayBytes.js';
import './escrow.css';
import type { AccessFieldView } from './escrow-view.js';

export function AccessFieldLayout({ field, me, sent }: { readonly field: AccessFieldView; readonly me: string; readonly sent: boolean }) {
  return (
    <section className="xray-escrow" data-testid="xray-access-field" data-check-bits={field.checkBits} aria-label="The access field (key escrow)">
      <h4>Beside it: the access field for the escrow ({byteCount(field.bytes)})</h4>
      <p className="small">
        {sent
          ? `Made on ${me}’s device from this message’s key, and sent beside the encrypted message.`
          : `Checked on ${me}’s device: its checkword matched this message’s key, so the app accepted the message.`}
      </p>
      <dl className="facts escrow-parts">
        {field.parts.map((part) => (
          <div key={part.key} className="escrow-part" data-testid={`access-${part.key}`}>
            <dt>{part.name}</dt>
            <dd>
              <span className="mono">{part.value}</span>
              <span className="escrow-meaning">: {part.meaning}</span>
            </dd>
          </div>
        ))}
      </dl>
      <Bytes bytes={field.field} testId="xray-access-bytes" />
    </section>
  );
}

/** On the server's side: the field it holds, and why it keeps the ciphertext after delivery. */
export function AccessFieldAtServer({ field }: { readonly field: AccessFieldView }) {
  return (
    <div className="xray-escrow-server" data-testid="xray-server-escrow">
      <p>
        <strong>The server keeps this ciphertext and this field after delivery, for the retention period: that is what escrow needs.</strong>
      </p>
      <p className="small">
        It holds the same access field ({byteCount(field.bytes)}) and can read its plain parts (the conversation’s fingerprint, the message
        number), but not the sealed key: opening that takes two of the escrow key’s three shares.
      </p>
    </div>
  );
}
