/**
 * The warrant answer as a document to hand over or print: one self-contained
 * HTML file (inline CSS; no scripts, no external resources, no links to load)
 * built by a pure function, so it can be tested and opens the same anywhere.
 *
 * Every value from the answer is escaped: the `html` tag below escapes each
 * interpolated string unless it is already-built markup, so forgetting to
 * escape is not possible by accident. Usernames are restricted by the server,
 * but the document does not rely on that.
 */
import type { Source } from '../../ui/sources.js';
import { REPORT_REASON_LABELS } from '@envelope/protocol';
import type { WarrantAnswer, WarrantStoredEnvelope } from './schemas.js';
import { ageBandText, byteSize, kindText, peerText, plural, shownOf, utcTime } from './warrant-format.js';
import {
  ADDRESS_EVENT_LABELS,
  ADDRESSES_NOT_STORED_TEXT,
  addressesStoredText,
  CIPHERTEXT_NOTE,
  NO_CLAIMS_TEXT,
  NO_REPORTS_TEXT,
  SEALED_FROM_SAME_ADDRESSES_TEXT,
  WARRANT_CONTEXT,
  WARRANT_SECTIONS,
  type SectionText,
} from './warrant-text.js';

/** Markup already built (and escaped) by `html`. */
class Markup {
  constructor(readonly text: string) {}
}

type Value = string | number | boolean | null | undefined | Markup | readonly Markup[];

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ESCAPES[c]!);
}

function render(value: Value): string {
  if (value instanceof Markup) return value.text;
  if (Array.isArray(value)) return value.map((v: Markup) => v.text).join('');
  if (value === null || value === undefined || value === false) return '';
  return escapeHtml(String(value));
}

/** A template tag: literal parts are markup, interpolated values are escaped. */
function html(strings: TemplateStringsArray, ...values: Value[]): Markup {
  let text = strings[0]!;
  values.forEach((value, i) => {
    text += render(value) + strings[i + 1]!;
  });
  return new Markup(text);
}

/** A print-friendly page: serif body, tables that break across pages cleanly, long ciphertext wrapped. */
const STYLE = `
  body { font: 11pt/1.45 Georgia, 'Times New Roman', serif; color: #111; margin: 2rem auto; max-width: 52rem; padding: 0 1rem; }
  h1 { font-size: 1.6rem; margin: 0 0 0.3rem; }
  h2 { font-size: 1.2rem; margin: 2rem 0 0.4rem; border-bottom: 1px solid #999; padding-bottom: 0.2rem; break-after: avoid; }
  h3 { font-size: 1rem; margin: 1rem 0 0.3rem; }
  p.about { color: #333; font-style: italic; margin: 0 0 0.6rem; }
  table { border-collapse: collapse; width: 100%; margin: 0.4rem 0 0.8rem; font-size: 0.9rem; }
  th, td { border: 1px solid #bbb; padding: 0.25rem 0.4rem; text-align: left; vertical-align: top; }
  th { background: #eee; }
  tr { break-inside: avoid; }
  dl.facts { display: grid; grid-template-columns: max-content 1fr; gap: 0.2rem 1rem; margin: 0.4rem 0; }
  dl.facts dt { font-weight: bold; }
  dl.facts dd { margin: 0; }
  code, .bytes { font-family: 'DejaVu Sans Mono', Menlo, Consolas, monospace; font-size: 0.8rem; overflow-wrap: anywhere; word-break: break-all; }
  .bytes { display: block; background: #f4f4f4; border: 1px solid #ddd; padding: 0.3rem; margin: 0.2rem 0 0.6rem; white-space: pre-wrap; }
  .not-provided { border: 2px solid #111; padding: 0.5rem 1rem; margin-top: 1rem; break-inside: avoid; }
  .not-provided li { margin-bottom: 0.4rem; }
  .muted { color: #555; }
  .context { margin-top: 2rem; font-size: 0.95rem; }
  @media print { body { margin: 0; max-width: none; } a { color: inherit; text-decoration: none; } }
`;

function section(text: SectionText, id: string, body: Markup): Markup {
  return html`<section id="${id}"><h2>${text.title}</h2><p class="about">${text.about}</p>${body}</section>`;
}

function listNote(shown: number, total: number, noun: string): Markup {
  const cut = shownOf(shown, total);
  return html`<p class="muted">${plural(total, noun)} in all${cut ? ` (${cut}; the server bounds each list)` : ''}.</p>`;
}

function accountSection(a: WarrantAnswer): Markup {
  return section(
    WARRANT_SECTIONS.account,
    'account',
    html`<dl class="facts">
      <dt>Username</dt><dd>${a.account}</dd>
      <dt>Created</dt><dd>${utcTime(a.record.createdAt)}</dd>
      <dt>Age band</dt><dd>${ageBandText(a.record.ageBand)}</dd>
      <dt>Devices</dt><dd>${a.devices.length}</dd>
    </dl>`,
  );
}

function devicesSection(a: WarrantAnswer): Markup {
  const devices = a.devices.map(
    (d) => html`<h3>Device ${d.deviceId}</h3>
      <dl class="facts">
        <dt>Registered</dt><dd>${utcTime(d.registeredAt)}</dd>
        <dt>Identity key (public)</dt><dd><code>${d.identityKey}</code></dd>
        <dt>Signed prekey (public)</dt><dd>${
          d.signedPreKey
            ? html`<code>${d.signedPreKey.publicKey}</code> (id ${d.signedPreKey.id}, uploaded ${utcTime(d.signedPreKey.uploadedAt)})`
            : 'none on file'
        }</dd>
        <dt>One-time prekeys left</dt><dd>${d.oneTimePreKeysLeft}</dd>
        <dt>Post-quantum (ML-KEM) prekeys left</dt><dd>${d.kemPreKeysLeft}${d.hasLastResortKemKey ? ', plus a last-resort key' : ''}</dd>
        <dt>Active sign-ins</dt><dd>${d.activeSignIns}</dd>
      </dl>`,
  );
  return section(WARRANT_SECTIONS.devices, 'devices', html`${devices.length > 0 ? devices : html`<p>No devices.</p>`}`);
}

function contactsSection(a: WarrantAnswer): Markup {
  const rows = a.contacts.list.map(
    (c) => html`<tr><td>${c.username}</td><td>${c.sent}</td><td>${c.received}</td><td>${c.receipts}</td><td>${byteSize(c.bytesSent)}</td><td>${byteSize(c.bytesReceived)}</td><td>${utcTime(c.firstAt)}</td><td>${utcTime(c.lastAt)}</td></tr>`,
  );
  const hidden =
    a.receivedFromHiddenSenders > 0
      ? html`<p>Also received ${plural(a.receivedFromHiddenSenders, 'envelope')} whose sender was hidden (sealed sender): no contact can be named for them.</p>`
      : html``;
  const table =
    rows.length > 0
      ? html`<table><thead><tr><th>Contact</th><th>Sent to</th><th>Received from</th><th>Receipts (both ways)</th><th>Bytes sent</th><th>Bytes received</th><th>First</th><th>Last</th></tr></thead><tbody>${rows}</tbody></table>`
      : html`<p>No contacts in the log.</p>`;
  return section(WARRANT_SECTIONS.contacts, 'contacts', html`${listNote(a.contacts.list.length, a.contacts.total, 'contact')}${table}${hidden}`);
}

function timelineSection(a: WarrantAnswer): Markup {
  const rows = a.timeline.events.map(
    (e) => html`<tr><td>${utcTime(e.at)}</td><td>${e.direction === 'sent' ? 'sent to' : 'received from'}</td><td>${peerText(e.peer, e.peerDevice)}</td><td>${e.device ?? ''}</td><td>${byteSize(e.size)}</td><td>${kindText(e.kind, e.receipt)}</td><td>${e.deliveredAt === null ? 'not yet' : utcTime(e.deliveredAt)}</td><td><code>${e.messageId}</code></td></tr>`,
  );
  const table =
    rows.length > 0
      ? html`<table><thead><tr><th>When</th><th>What</th><th>Who</th><th>Own device</th><th>Size</th><th>Kind</th><th>Picked up</th><th>Envelope id</th></tr></thead><tbody>${rows}</tbody></table>`
      : html`<p>No activity in the log.</p>`;
  return section(WARRANT_SECTIONS.timeline, 'timeline', html`${listNote(a.timeline.events.length, a.timeline.total, 'event')}${table}`);
}

function storedEnvelopes(text: SectionText, id: string, list: WarrantAnswer['waitingForAccount']): Markup {
  const items = list.envelopes.map(
    (e: WarrantStoredEnvelope) => html`<h3>Envelope <code>${e.messageId}</code></h3>
      <p>From ${peerText(e.sender, e.senderDevice)} to ${peerText(e.recipient, e.recipientDevice)}, stored ${utcTime(e.storedAt)}, ${byteSize(e.size)}.</p>
      <span class="bytes">${e.ciphertext}</span>`,
  );
  const body = items.length > 0 ? html`<p>${CIPHERTEXT_NOTE}</p>${items}` : html`<p>None.</p>`;
  return section(text, id, html`${listNote(list.envelopes.length, list.total, 'envelope')}${body}`);
}

function reportsSection(a: WarrantAnswer): Markup {
  const { total, reports: list } = a.verifiedReports;
  const reports = list.map(
    (r) => html`<h3>Report on envelope <code>${r.messageId}</code></h3>
      <p>Sent by ${r.sender} at ${utcTime(r.sentAt)}; reported by ${r.reporter} at ${utcTime(r.reportedAt)} as “${REPORT_REASON_LABELS[r.reason]}”.
      The text the reporter revealed, checked against the sender’s commitment and the server’s stamp:</p>
      <blockquote>${r.text}</blockquote>`,
  );
  return section(
    WARRANT_SECTIONS.reports,
    'reports',
    reports.length > 0 ? html`${listNote(list.length, total, 'report')}${reports}` : html`<p>${NO_REPORTS_TEXT}</p>`,
  );
}

function claimsSection(a: WarrantAnswer): Markup {
  const { total, reports: list } = a.unverifiedClaims;
  const claims = list.map(
    (r) => html`<h3>Claim on envelope <code>${r.messageId}</code></h3>
      <p>${r.reporter} says ${r.sender} sent it at ${utcTime(r.sentAt)} (sealed sender: the server cannot confirm who sent it); reported at
      ${utcTime(r.reportedAt)} as “${REPORT_REASON_LABELS[r.reason]}”. The text, checked against the commitment and the stamp the reporter received:</p>
      <blockquote>${r.text}</blockquote>`,
  );
  return section(
    WARRANT_SECTIONS.claims,
    'claims',
    claims.length > 0 ? html`${listNote(list.length, total, 'claim')}${claims}` : html`<p>${NO_CLAIMS_TEXT}</p>`,
  );
}

function addressesSection(a: WarrantAnswer): Markup {
  const addresses = a.networkAddresses;
  if (!addresses.stored) return section(WARRANT_SECTIONS.addresses, 'addresses', html`<p>${ADDRESSES_NOT_STORED_TEXT}</p>`);
  const own = addresses.account.events.map(
    (e) => html`<li>${utcTime(e.at)}: ${ADDRESS_EVENT_LABELS[e.event]}${e.deviceId === null ? '' : ` (device ${e.deviceId})`} from <code>${e.address}</code></li>`,
  );
  const sealed = addresses.sealedFromSameAddresses.events.map(
    (e) => html`<li>${utcTime(e.at)}: envelope <code>${e.messageId ?? ''}</code> from <code>${e.address}</code></li>`,
  );
  return section(
    WARRANT_SECTIONS.addresses,
    'addresses',
    html`<p>${addressesStoredText(addresses.retentionDays)}</p>${listNote(own.length, addresses.account.total, 'event')}<ul>${own}</ul>
      <p>${SEALED_FROM_SAME_ADDRESSES_TEXT}</p>${listNote(sealed.length, addresses.sealedFromSameAddresses.total, 'sealed envelope')}<ul>${sealed}</ul>`,
  );
}

function notProvidedSection(a: WarrantAnswer): Markup {
  const items = a.notProvided.map((n) => html`<li><strong>${n.what}.</strong> ${n.why}</li>`);
  return html`<section id="not-provided" class="not-provided"><h2>${WARRANT_SECTIONS.notProvided.title}</h2><p class="about">${WARRANT_SECTIONS.notProvided.about}</p><ul>${items}</ul></section>`;
}

function sourceText(source: Source): string {
  return source.href ? `${source.label} (${source.href})` : source.label;
}

function contextSection(): Markup {
  const paragraphs = WARRANT_CONTEXT.paragraphs.map((p) => html`<p>${p}</p>`);
  const sources = WARRANT_CONTEXT.sources.map((s) => html`<li>${sourceText(s)}</li>`);
  return html`<section class="context"><h2>Why this matters</h2>${paragraphs}<p>Sources:</p><ul>${sources}</ul></section>`;
}

/** The whole answer as one self-contained HTML document. */
export function warrantDocument(answer: WarrantAnswer): string {
  const title = `What the server holds about ${answer.account}`;
  const page = html`<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${title}</title>
<style>${new Markup(STYLE)}</style>
</head>
<body>
<header>
<h1>${title}</h1>
<p>Answer of the Envelope relay server to a request for the account <strong>${answer.account}</strong>, generated ${utcTime(answer.generatedAt)}.
The server keeps its log of envelopes for ${plural(answer.metadataRetentionDays, 'day')}. This document lists everything the server holds about the account
and ends with what it could not provide.</p>
</header>
${accountSection(answer)}
${devicesSection(answer)}
${contactsSection(answer)}
${timelineSection(answer)}
${storedEnvelopes(WARRANT_SECTIONS.waiting, 'waiting', answer.waitingForAccount)}
${storedEnvelopes(WARRANT_SECTIONS.sentWaiting, 'sent-waiting', answer.sentStillWaiting)}
${reportsSection(answer)}
${claimsSection(answer)}
${addressesSection(answer)}
${notProvidedSection(answer)}
${contextSection()}
</body>
</html>
`;
  return page.text;
}

/** The file name an export is saved under: the account and the date (both safe characters). */
export function warrantFileName(answer: WarrantAnswer): string {
  const safe = answer.account.replace(/[^a-z0-9_-]/gi, '_');
  return `warrant-answer-${safe}-${new Date(answer.generatedAt).toISOString().slice(0, 10)}.html`;
}
