/**
 * The X-ray's key-escrow part: the access field that travelled beside an
 * envelope, laid out in plain words (escrow-view.ts), on the sender's and the
 * recipient's side; and on the server's side what it keeps for the escrow.
 */
import { byteCount } from './format.js';
import { Bytes } from './XrayBytes.js';
import './escrow.css';
import type { AccessFieldView } from './escrow-view.js';

/** `forged`: this device sent it as a rogue app (rogue-dialog.ts): the sealed part is random bytes. */
export function AccessFieldLayout(props: { readonly field: AccessFieldView; readonly me: string; readonly sent: boolean; readonly forged: boolean }) {
  const { field, me, sent, forged } = props;
  return (
    <section className="xray-escrow" data-testid="xray-access-field" data-check-bits={field.checkBits} data-forged={forged} aria-label="The access field (key escrow)">
      <h4>Beside it: the access field for the escrow ({byteCount(field.bytes)})</h4>
      <p className="small">
        {forged
          ? `Forged by ${me}’s rogue app: random bytes where the sealed key should be, tried until the checkword passed the recipient’s check. The escrow opens it to nothing.`
          : sent
            ? `Made on ${me}’s device from this message’s key, and sent beside the encrypted message.`
            : `Checked on ${me}’s device: its checkword matched this message’s key, so the app accepted the message.`}
      </p>
      <dl className="facts escrow-parts">
        {field.parts.map((part) => (
          <div key={part.key} className="escrow-part" data-testid={`access-${part.key}`}>
            <dt>{part.name}</dt>
            <dd>
              <span className="mono">{part.value}</span>
              <span className="escrow-meaning">: {forged && part.key === 'sealed' ? 'random bytes where the sealed key should be: they open to nothing' : part.meaning}</span>
            </dd>
          </div>
        ))}
      </dl>
      <Bytes bytes={field.field} label="The access field, as hex" testId="xray-access-bytes" />
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
