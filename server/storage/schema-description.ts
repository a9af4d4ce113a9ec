/**
 * "Everything the server stores", for the operator view: the tables and
 * columns are read from the live database (sqlite_schema and PRAGMA
 * table_info), so the list cannot drift from the code. Descriptions are
 * annotations; a column without one is listed anyway, marked undescribed, and a
 * test fails until it is described.
 */
import type { Db } from './database.js';

export const TABLE_DESCRIPTIONS: Record<string, { about: string; columns: Record<string, string> }> = {
  accounts: {
    about: 'One row per username.',
    columns: {
      username: 'The name people chose; unique.',
      created_at: 'When the account was registered (server clock, ms).',
      age_band: 'Age band the person declared at sign-up, if any (not verified).',
      unidentified_access_key:
        "The key a sealed envelope to this account must carry (16 bytes, derived from the account's profile key, which only the people it writes to receive). It lets the server refuse strangers' anonymous envelopes; it names no sender.",
    },
  },
  devices: {
    about: "Each account's devices and their public identity keys (what safety numbers are computed from).",
    columns: {
      username: 'The account the device belongs to.',
      device_id: 'Device number within the account.',
      identity_key: 'Public Ed25519 identity key of the device. Public: it cannot decrypt anything.',
      registered_at: 'When the device registered (ms).',
    },
  },
  signed_prekeys: {
    about: "Each device's current signed prekey (public half), handed to people who start a conversation.",
    columns: {
      username: 'Owner.',
      device_id: 'Owner device.',
      key_id: 'The id the device gave the key.',
      public_key: 'Public X25519 key.',
      signature: "The device's signature over the key.",
      uploaded_at: 'When it was uploaded (ms).',
    },
  },
  one_time_prekeys: {
    about: 'Public one-time prekeys; each is handed out once and then deleted.',
    columns: { username: 'Owner.', device_id: 'Owner device.', key_id: 'Key id.', public_key: 'Public X25519 key.' },
  },
  kem_prekeys: {
    about: 'Public post-quantum (ML-KEM-768) prekeys: one-time ones, deleted when handed out, and one last-resort key.',
    columns: {
      username: 'Owner.',
      device_id: 'Owner device.',
      key_id: 'Key id.',
      public_key: 'Public ML-KEM-768 key.',
      signature: "The device's signature over the key.",
      last_resort: '1 for the reusable last-resort key.',
    },
  },
  auth_tokens: {
    about: 'Login sessions. Only a hash of each token is kept.',
    columns: {
      token_hash: 'SHA-256 of the bearer token.',
      username: 'Who logged in.',
      device_id: 'From which device.',
      expires_at: 'When the login expires (ms).',
    },
  },
  mailbox: {
    about: 'Envelopes waiting for their recipient. Deleted as soon as the recipient confirms receipt.',
    columns: {
      seq: 'Arrival order (the same number as the envelope\'s metadata-log row).',
      message_id: 'Random id chosen by the sender, to drop duplicates.',
      recipient: 'Who it is for.',
      recipient_device: 'Which of their devices.',
      sender: 'Who sent it (empty when sealed sender hid it).',
      sender_device: "Sender's device (empty when sealed).",
      body: 'The ciphertext bytes. The server has no key that opens them, except for envelopes sent in transport-only mode (see mode): for those it holds the opened message, readable, until delivery.',
      stored_at: 'When the server stored it (ms).',
      franking_commitment:
        "The sender's commitment to the message text (an HMAC under a key only the two people have), passed on to the recipient. It reveals nothing of the text; it lets the recipient prove the text later, if they report it.",
      franking_stamp: "The server's own seal on the commitment, the sender, the recipient and the time, so a report can be checked against what the server relayed.",
      receipt:
        "1 when the sender's app marked the envelope a delivery receipt, 0 otherwise (always 0 when sealed). Passed on to the recipient's app, which quietly drops a marked receipt it cannot read.",
      mode: 'The policy mode the sender\'s app encrypted it under: "e2ee" (the server cannot open it), "transport-only" (the server opened it; body holds the message) or "key-escrow" (end-to-end encrypted, with an access field: see access).',
      access: 'key-escrow only: the access field the sender attached (the message key sealed to the escrow key, and a checkword), passed on to the recipient, whose app checks it. Empty for every other mode.',
    },
  },
  metadata_log: {
    about: 'A record of every envelope the server relayed: the metadata, never the content. Kept for the retention period.',
    columns: {
      seq: 'Arrival order.',
      message_id: 'The envelope id.',
      sender: 'Who sent it (empty when sealed sender hid it).',
      sender_device: "Sender's device.",
      recipient: 'Who it was for.',
      recipient_device: "Recipient's device.",
      sent_at: 'When it arrived at the server (ms).',
      size: 'Ciphertext size in bytes (padding blurs the true length).',
      kind:
        '"session-start" for the first messages of a new conversation, "message" otherwise, "sealed" when sealed sender hides both the sender and which of the two it is: visible from the envelope format.',
      ciphertext_sha256:
        'SHA-256 of the ciphertext bytes, kept after the ciphertext is deleted so a sender can check the server stored exactly what was sent. A fingerprint of unreadable bytes: it reveals nothing of the content.',
      delivered_at: "When the recipient's device confirmed it took the envelope and the ciphertext was deleted (ms); empty while it waits. The sender's app says \"Delivered\" only when the recipient's app sends an encrypted receipt.",
      receipt:
        "1 when the sender's app marked the envelope a delivery receipt (an encrypted \"I have your message\" sent back automatically), 0 otherwise. Sealed envelopes carry no mark: for them 0 means the server cannot tell a receipt from a message.",
      mode: 'The policy mode the sender\'s app encrypted the envelope under: "e2ee", or "transport-only", where the server read the message (its text is in content_log).',
    },
  },
  address_log: {
    about:
      'The network addresses people connected from. Empty unless the server is started with STORE_ADDRESSES=on; then kept for ADDRESS_RETENTION_DAYS. Every server sees these addresses while a connection is open.',
    columns: {
      seq: 'Order of events.',
      at: 'When (ms).',
      address: 'The IP address the request or connection came from.',
      event: '"registered", "signed-in", "connected" (the relay connection messages travel on) or "sealed-send" (a sealed-sender envelope, whose sender is otherwise unknown).',
      username: 'The account, when the event names one (empty for a sealed send).',
      device_id: 'The device, when the event names one.',
      message_id: 'For a sealed send: the envelope it carried (its row in the metadata log).',
    },
  },
  reports: {
    about:
      'Messages their recipients reported, checked against the sender\'s commitment and the server\'s stamp. The only message text the server ever holds, and only because a recipient chose to reveal it.',
    columns: {
      id: 'Report number.',
      message_id: 'The reported envelope.',
      sender: 'Who sent it. Verified by the server\'s stamp, unless sealed sender hid the sender (see sender_verified).',
      sender_verified: '1 if the stamp proves the sender; 0 for a sealed-sender message, where the sender is only the reporter\'s word.',
      reporter: 'The recipient who reported it.',
      reason: 'The reason the reporter chose.',
      sent_at: 'When the server relayed the message (ms), as its stamp records.',
      reported_at: 'When the report was filed (ms).',
      text: 'The reported message text, as the reporter revealed it and the commitment proved it.',
      log_seq: "The reported envelope's row in the metadata log, to find it on the timeline (empty if the log no longer has it).",
    },
  },
  policy: {
    about: 'The policy mode the server runs in now (one row): what it can read of the messages sent from then on.',
    columns: { id: 'Always 1.', mode: '"e2ee" (the default) or "transport-only".', since: 'When the mode took effect (ms).' },
  },
  policy_changes: {
    about: 'Every change of policy mode, kept so the server can say which messages each mode exposed.',
    columns: { seq: 'Order of changes.', at: 'When (ms).', mode: 'The mode switched to.', via: '"operator" (the operator page or API) or "start" (POLICY_MODE= at start).' },
  },
  content_log: {
    about:
      'The text of every message the server could read because it was sent in transport-only mode: what a content-access design adds to the metadata log, and what a thief, an insider or any court order can take. Empty while everyone uses end-to-end encryption. Kept as long as the metadata log.',
    columns: {
      seq: "The envelope's row in the metadata log.",
      message_id: 'The envelope.',
      sender: 'Who sent it: from the signed-in connection, or read from the sender certificate inside a "sealed" envelope.',
      sender_source: '"signed-in", or "certificate": sealed sender hid the sender from the metadata log, but the server read the certificate inside.',
      recipient: 'Who it was for.',
      stored_at: 'When the server received it (ms).',
      mode: 'The mode it was sent under ("transport-only").',
      kind: '"text", "receipt" or "session-reset": what the message was.',
      text: 'The message text, readable (empty for receipts and other control messages).',
    },
  },
  escrow_retained: {
    about:
      'The cost of key escrow, kept on disk: every message sent under key-escrow, its ciphertext and its access field, KEPT AFTER DELIVERY for as long as the metadata log (the mailbox forgets a message once delivered; this table does not). The server alone cannot read them: it holds only the escrow public key. But anyone with two of the three key shares (court, agency, provider), or a thief who gets them, opens every row, however old: for these messages the forward secrecy of end-to-end encryption is gone. Empty outside key-escrow.',
    columns: {
      seq: "The envelope's row in the metadata log.",
      message_id: 'The envelope.',
      sender: 'Who sent it (key escrow sends signed in, never sealed).',
      recipient: 'Who it was for.',
      stored_at: 'When the server received it (ms).',
      body: 'The ciphertext, exactly as delivered: encrypted end to end, and still here after delivery.',
      access: "The access field: the message's key sealed to the escrow key, the conversation and message number, and a checkword. Two shares of the escrow key open it, and with it the body.",
    },
  },
  scanner_rules: {
    about: "The content scanner's rules: words and patterns the operator chose. Messages the server can read are checked against them.",
    columns: { id: 'Rule number.', kind: '"word" or "pattern" (a regular expression).', pattern: 'What the rule looks for.', label: 'What a match is called on screen.', created_at: 'When the rule was added (ms).' },
  },
  intercept_warrants: {
    about: 'The lawful-intercept console\'s targets: from when a warrant is entered, the target\'s readable messages are copied to the agency.',
    columns: {
      id: 'Warrant number.',
      target: 'The account named.',
      reference: 'The warrant\'s reference as entered; empty when someone added the target without one.',
      requested_by: 'Who entered it at the console.',
      created_at: 'When copying started (ms).',
      ended_at: 'When it stopped (ms); empty while active.',
    },
  },
  intercept_queue: {
    about: "The agency's own copy of a target's messages, made as each one arrives: it stays when the content log's retention deletes the original.",
    columns: {
      id: 'Order.',
      warrant_id: 'The warrant.',
      content_seq: 'The message (its row in content_log, while that lasts).',
      message_id: 'The envelope.',
      sender: 'Who sent it.',
      recipient: 'Who it was for.',
      stored_at: 'When the server received it (ms).',
      text: 'The message text.',
      copied_at: 'When it was copied (ms).',
    },
  },
  intercept_audit: {
    about: 'Every action at the lawful-intercept console. A line deleted here leaves no other trace: the insider demonstration.',
    columns: { seq: 'Order.', at: 'When (ms).', actor: 'Who acted.', action: 'What they did.', target: 'The account concerned, if any.', detail: 'Particulars.' },
  },
};

export interface SchemaColumn {
  readonly name: string;
  readonly type: string;
  readonly description: string | null;
}

export interface SchemaTable {
  readonly name: string;
  readonly about: string | null;
  readonly columns: readonly SchemaColumn[];
}

/** How long each kind of stored row lives (the server's settings), said in the tables' descriptions. */
export interface Retention {
  readonly mailboxDays: number;
  readonly metadataDays: number;
}

/** The settings' part of a table's description: how long its rows are kept. */
function retentionNote(table: string, retention: Retention | undefined): string {
  if (!retention) return '';
  if (table === 'mailbox') {
    return ` Envelopes nobody collects are deleted unread after ${retention.mailboxDays} days (MAILBOX_RETENTION_DAYS); their senders are not told.`;
  }
  if (table === 'metadata_log') return ` This server keeps it ${retention.metadataDays} days (METADATA_RETENTION_DAYS).`;
  return '';
}

export function describeStoredSchema(db: Db, retention?: Retention): SchemaTable[] {
  const tables = db
    .prepare<[], { name: string }>("SELECT name FROM sqlite_schema WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY rowid")
    .all();
  return tables.map(({ name }) => {
    const described = TABLE_DESCRIPTIONS[name];
    const columns = db.prepare<[], { name: string; type: string }>(`SELECT name, type FROM pragma_table_info('${name.replace(/'/g, "''")}')`).all();
    return {
      name,
      about: described ? described.about + retentionNote(name, retention) : null,
      columns: columns.map((c) => ({ name: c.name, type: c.type, description: described?.columns[c.name] ?? null })),
    };
  });
}
