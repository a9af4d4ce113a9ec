/**
 * The parts of the warrant answer view (WarrantAnswerView): a titled section,
 * the "N in all" line of a bounded list, and the lists that need more than a
 * table: devices and their keys, stored envelopes, reports, addresses. Every
 * field of the answer is written out here or in WarrantAnswerView; the page
 * may cut a long value (a ciphertext) where the export shows all of it.
 */
import type { ReactNode } from 'react';
import { REPORT_REASON_LABELS, type QueuedReport } from '@envelope/protocol';
import type { AddressEventWire, WarrantAnswer, WarrantDevice, WarrantStoredEnvelope } from './schemas.js';
import { exactBytes, logNumberText, peerText, plural, shownOf, utcTime } from './warrant-format.js';
import {
  ADDRESS_EVENT_LABELS,
  ADDRESSES_NOT_STORED_TEXT,
  addressesStoredText,
  CIPHERTEXT_NOTE,
  CONTENT_KIND_TEXT,
  MODE_TEXT,
  NO_DEVICES_TEXT,
  NO_READABLE_TEXT,
  SENDER_SOURCE_TEXT,
  NO_SIGNED_PREKEY_TEXT,
  SEALED_FROM_SAME_ADDRESSES_TEXT,
  type SectionText,
} from './warrant-text.js';

/** Characters of each ciphertext shown on the page (the export carries the whole of it). */
const CIPHERTEXT_CHARS_ON_PAGE = 96;

export function Part({ text, testId, children }: { text: SectionText; testId: string; children: ReactNode }) {
  return (
    <section className="warrant-part" data-testid={testId}>
      <h3>{text.title}</h3>
      <p className="operator-muted">{text.about}</p>
      {children}
    </section>
  );
}

export function Total({ shown, total, noun }: { shown: number; total: number; noun: string }) {
  const cut = shownOf(shown, total);
  return (
    <p className="warrant-total">
      {plural(total, noun)} in all{cut && ` (${cut})`}.
    </p>
  );
}

/** Each device with every key and count the server holds for it. */
export function Devices({ devices }: { devices: readonly WarrantDevice[] }) {
  if (devices.length === 0) return <p>{NO_DEVICES_TEXT}</p>;
  return devices.map((d) => (
    <div key={d.deviceId} className="warrant-device" data-testid="warrant-device">
      <h4>Device {d.deviceId}</h4>
      <dl className="warrant-facts">
        <dt>Registered</dt>
        <dd>{utcTime(d.registeredAt)}</dd>
        <dt>Identity key (public)</dt>
        <dd>
          <code>{d.identityKey}</code>
        </dd>
        <dt>Signed prekey (public)</dt>
        <dd>
          {d.signedPreKey === null ? (
            NO_SIGNED_PREKEY_TEXT
          ) : (
            <>
              <code>{d.signedPreKey.publicKey}</code> (key no. {d.signedPreKey.id}, uploaded {utcTime(d.signedPreKey.uploadedAt)})
            </>
          )}
        </dd>
        <dt>One-time prekeys left</dt>
        <dd>{d.oneTimePreKeysLeft}</dd>
        <dt>Post-quantum prekeys left</dt>
        <dd>
          {d.kemPreKeysLeft}, {d.hasLastResortKemKey ? 'plus a last-resort key (reused once they run out)' : 'and no last-resort key'}
        </dd>
        <dt>Active sign-ins</dt>
        <dd>{d.activeSignIns}</dd>
      </dl>
    </div>
  ));
}

interface StoredEnvelopesProps {
  readonly text: SectionText;
  readonly testId: string;
  readonly list: WarrantAnswer['waitingForAccount'];
  readonly complete: boolean;
}

export function StoredEnvelopes({ text, testId, list, complete }: StoredEnvelopesProps) {
  const shownChars = complete ? Number.POSITIVE_INFINITY : CIPHERTEXT_CHARS_ON_PAGE;
  return (
    <Part text={text} testId={testId}>
      <Total shown={list.envelopes.length} total={list.total} noun="envelope" />
      {list.envelopes.length > 0 && (
        <p>
          {CIPHERTEXT_NOTE}
          {!complete && ' The page shows the beginning of each; the exported document holds all of it.'}
        </p>
      )}
      <ul className="warrant-envelopes">
        {list.envelopes.map((e: WarrantStoredEnvelope) => (
          <li key={e.seq}>
            Envelope <code>{e.messageId}</code> ({logNumberText(e.seq)}), from {peerText(e.sender, e.senderDevice)} to{' '}
            {peerText(e.recipient, e.recipientDevice)}, stored {utcTime(e.storedAt)}, {exactBytes(e.size)}, {MODE_TEXT[e.mode]}:
            <code className="warrant-bytes">
              {e.ciphertext.slice(0, shownChars)}
              {e.ciphertext.length > shownChars && '…'}
            </code>
          </li>
        ))}
      </ul>
    </Part>
  );
}

/** Messages the server read (transport-only): who, when, how the sender is known, and the text. */
export function ReadableMessages({ list }: { list: WarrantAnswer['readableMessages'] }) {
  if (list.total === 0) return <p>{NO_READABLE_TEXT}</p>;
  return (
    <>
      <Total shown={list.messages.length} total={list.total} noun="message" />
      <ul data-testid="warrant-readable-messages">
        {list.messages.map((m) => (
          <li key={m.seq}>
            Envelope <code>{m.messageId}</code> ({logNumberText(m.seq)}), {m.direction === 'sent' ? 'sent to' : 'received from'}{' '}
            {m.peer ?? 'nobody named'} at {utcTime(m.at)} ({SENDER_SOURCE_TEXT[m.senderSource]}; {MODE_TEXT[m.mode]}): {CONTENT_KIND_TEXT[m.kind]}
            {m.text !== null && (
              <>
                {' '}
                <q>{m.text}</q>
              </>
            )}
          </li>
        ))}
      </ul>
    </>
  );
}

interface ReportsProps {
  readonly list: { readonly total: number; readonly reports: readonly QueuedReport[] };
  readonly noun: string;
  readonly none: string;
  /** Who sent and reported it, given the reason in words. */
  readonly line: (report: QueuedReport, reason: string) => string;
}

/** Reported messages: which report and envelope, who sent and reported each, when, then the text the reporter revealed. */
export function Reports({ list, noun, none, line }: ReportsProps) {
  if (list.total === 0) return <p>{none}</p>;
  return (
    <>
      <Total shown={list.reports.length} total={list.total} noun={noun} />
      <ul>
        {list.reports.map((r) => (
          <li key={r.id}>
            <strong>Report no. {r.id}</strong> on envelope <code>{r.messageId}</code> ({logNumberText(r.seq)}), filed {utcTime(r.reportedAt)}.{' '}
            {line(r, REPORT_REASON_LABELS[r.reason].toLowerCase())}: <q>{r.text}</q>
          </li>
        ))}
      </ul>
    </>
  );
}

/** One address-log event: when, what, which device and envelope where the log names them, and from where. */
function AddressEvent({ event }: { event: AddressEventWire }) {
  return (
    <li>
      {utcTime(event.at)}: {ADDRESS_EVENT_LABELS[event.event]}
      {event.deviceId === null ? '' : ` (device ${event.deviceId})`}
      {event.messageId !== null && (
        <>
          {' '}
          (id <code>{event.messageId}</code>)
        </>
      )}{' '}
      from <code>{event.address}</code> (address log no. {event.seq})
    </li>
  );
}

export function Addresses({ addresses }: { addresses: WarrantAnswer['networkAddresses'] }) {
  if (!addresses.stored) return <p data-testid="warrant-addresses-not-stored">{ADDRESSES_NOT_STORED_TEXT}</p>;
  return (
    <>
      <p>{addressesStoredText(addresses.retentionDays)}</p>
      <Total shown={addresses.account.events.length} total={addresses.account.total} noun="event" />
      <ul data-testid="warrant-address-events">
        {addresses.account.events.map((e) => (
          <AddressEvent key={e.seq} event={e} />
        ))}
      </ul>
      <p>{SEALED_FROM_SAME_ADDRESSES_TEXT}</p>
      <Total shown={addresses.sealedFromSameAddresses.events.length} total={addresses.sealedFromSameAddresses.total} noun="sealed envelope" />
      <ul data-testid="warrant-sealed-from-same-addresses">
        {addresses.sealedFromSameAddresses.events.map((e) => (
          <AddressEvent key={e.seq} event={e} />
        ))}
      </ul>
    </>
  );
}
