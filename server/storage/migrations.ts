/**
 * The database schema, as an ordered list of migrations. PRAGMA user_version
 * records how many have run; each runs once, in a transaction. Append new
 * migrations; never edit one that has shipped.
 *
 * (Migration 1 was revised before any release: no database with the old form exists.)
 *
 * Column comments here are the server's own account of what it stores: the
 * operator view (GET /api/operator/schema) reads the live schema and shows
 * these descriptions beside it (see schema-description.ts).
 */
export const MIGRATIONS: readonly string[] = [
  `
  CREATE TABLE accounts (
    username    TEXT PRIMARY KEY,
    created_at  INTEGER NOT NULL,
    age_band    TEXT
  ) STRICT;

  CREATE TABLE devices (
    username       TEXT NOT NULL REFERENCES accounts(username),
    device_id      INTEGER NOT NULL,
    identity_key   BLOB NOT NULL,
    registered_at  INTEGER NOT NULL,
    PRIMARY KEY (username, device_id)
  ) STRICT;

  CREATE TABLE signed_prekeys (
    username     TEXT NOT NULL,
    device_id    INTEGER NOT NULL,
    key_id       INTEGER NOT NULL,
    public_key   BLOB NOT NULL,
    signature    BLOB NOT NULL,
    uploaded_at  INTEGER NOT NULL,
    PRIMARY KEY (username, device_id),
    FOREIGN KEY (username, device_id) REFERENCES devices(username, device_id)
  ) STRICT;

  CREATE TABLE one_time_prekeys (
    username    TEXT NOT NULL,
    device_id   INTEGER NOT NULL,
    key_id      INTEGER NOT NULL,
    public_key  BLOB NOT NULL,
    PRIMARY KEY (username, device_id, key_id),
    FOREIGN KEY (username, device_id) REFERENCES devices(username, device_id)
  ) STRICT;

  CREATE TABLE kem_prekeys (
    username     TEXT NOT NULL,
    device_id    INTEGER NOT NULL,
    key_id       INTEGER NOT NULL,
    public_key   BLOB NOT NULL,
    signature    BLOB NOT NULL,
    last_resort  INTEGER NOT NULL,
    PRIMARY KEY (username, device_id, key_id),
    FOREIGN KEY (username, device_id) REFERENCES devices(username, device_id)
  ) STRICT;

  CREATE TABLE auth_tokens (
    token_hash  BLOB PRIMARY KEY,
    username    TEXT NOT NULL,
    device_id   INTEGER NOT NULL,
    expires_at  INTEGER NOT NULL,
    FOREIGN KEY (username, device_id) REFERENCES devices(username, device_id)
  ) STRICT;

  -- The two tables written for every envelope have no secondary index: rows are
  -- appended in rowid order and deleted by rowid, so a commit touches a few
  -- pages instead of one page per index per envelope (see mailbox-repo.ts).
  CREATE TABLE mailbox (
    seq               INTEGER PRIMARY KEY AUTOINCREMENT,
    message_id        TEXT NOT NULL,
    recipient         TEXT NOT NULL,
    recipient_device  INTEGER NOT NULL,
    sender            TEXT,
    sender_device     INTEGER,
    body              BLOB NOT NULL,
    stored_at         INTEGER NOT NULL
  ) STRICT;

  CREATE TABLE metadata_log (
    seq               INTEGER PRIMARY KEY AUTOINCREMENT,
    message_id        TEXT NOT NULL,
    sender            TEXT,
    sender_device     INTEGER,
    recipient         TEXT NOT NULL,
    recipient_device  INTEGER NOT NULL,
    sent_at           INTEGER NOT NULL,
    size              INTEGER NOT NULL,
    kind              TEXT NOT NULL
  ) STRICT;
  `,
  // 2: the X-ray's server row. A mailbox row now takes the seq of its metadata-log
  // row, so either is found from the other by rowid (the relay sets delivered_at in
  // the transaction that deletes the mailbox row, without an index). The log's
  // counter is first moved past the mailbox's so the two can never collide; the
  // tables were written in step, so in practice they are equal already.
  `
  ALTER TABLE metadata_log ADD COLUMN ciphertext_sha256 BLOB;
  ALTER TABLE metadata_log ADD COLUMN delivered_at INTEGER;
  UPDATE sqlite_sequence
     SET seq = max(seq, coalesce((SELECT seq FROM sqlite_sequence WHERE name = 'mailbox'), 0))
   WHERE name = 'metadata_log';
  `,
  // 3: verifiable user reports (message franking). The mailbox carries each
  // envelope's franking commitment and the server's stamp on it to the
  // recipient; a report filed with a valid opening is the one place message
  // text is ever stored, because a recipient chose to reveal it. One report per
  // reporter and envelope.
  `
  ALTER TABLE mailbox ADD COLUMN franking_commitment TEXT;
  ALTER TABLE mailbox ADD COLUMN franking_stamp TEXT;
  CREATE TABLE reports (
    id               INTEGER PRIMARY KEY AUTOINCREMENT,
    message_id       TEXT NOT NULL,
    sender           TEXT NOT NULL,
    sender_verified  INTEGER NOT NULL,
    reporter         TEXT NOT NULL,
    reason           TEXT NOT NULL,
    sent_at          INTEGER NOT NULL,
    reported_at      INTEGER NOT NULL,
    text             TEXT NOT NULL,
    log_seq          INTEGER,
    UNIQUE (reporter, message_id)
  ) STRICT;
  `,
  // 4: sealed-sender delivery credentials. Each account's unidentified access
  // key (shared/crypto-public/access-key.ts): a sealed envelope is stored only if it
  // carries this. Accounts made before have none and accept no sealed envelopes
  // until their client uploads one (it does so when it connects).
  `
  ALTER TABLE accounts ADD COLUMN unidentified_access_key BLOB;
  `,
  // 5: delivery receipts. A client marks an unsealed receipt as one on the wire
  // (as Signal's clients mark theirs not urgent); the log keeps the mark, so the
  // server's view and signals can tell receipts from conversation. 1: marked a
  // receipt; 0: not marked. A sealed envelope can carry no mark: 0 there means
  // "cannot tell". NOT NULL DEFAULT 0 makes the change instant on a large log.
  `
  ALTER TABLE metadata_log ADD COLUMN receipt INTEGER NOT NULL DEFAULT 0;
  `,
  // 6: network addresses, written only with STORE_ADDRESSES=on (domain/address-log.ts):
  // one row per sign-up, sign-in, relay connection and sealed send, never one per
  // envelope on the relay. Read by account (the warrant answer) and purged by age.
  `
  CREATE TABLE address_log (
    seq         INTEGER PRIMARY KEY AUTOINCREMENT,
    at          INTEGER NOT NULL,
    address     TEXT NOT NULL,
    event       TEXT NOT NULL,
    username    TEXT,
    device_id   INTEGER,
    message_id  TEXT
  ) STRICT;
  CREATE INDEX address_log_by_account ON address_log (username, at);
  CREATE INDEX address_log_by_address ON address_log (address);
  CREATE INDEX address_log_by_time ON address_log (at);
  `,
  // 7: the receipt mark travels with the envelope to the recipient's device
  // (the `message` frame's `receipt`), which drops a marked receipt it cannot
  // read instead of showing it (shared/client/incoming.ts). Kept in the mailbox
  // so an envelope pushed from the backlog on reconnect still carries it.
  // 1: marked; 0: not (always 0 for sealed envelopes). Envelopes waiting from
  // before get 0: unmarked, as they were sent. NOT NULL DEFAULT 0: instant.
  `
  ALTER TABLE mailbox ADD COLUMN receipt INTEGER NOT NULL DEFAULT 0;
  `,
  // 8: policy modes (docs/lawful-access.md). One server-wide mode at a time,
  // kept here so it survives a restart, with the history of changes (to say
  // which messages a mode exposed). Every envelope records the mode it was
  // encrypted under ('e2ee' for all before: DEFAULT makes the change instant).
  // The tables from content_log on belong to server/lawful-access/, the one
  // part of the server that may read what a mode makes readable:
  //   content_log          the text the server read in transport-only, kept for
  //                        the metadata log's retention; one row per envelope,
  //                        keyed by the metadata-log row's seq
  //   scanner_rules        the operator's content-scanner rules (words, patterns)
  //   intercept_warrants   the lawful-intercept console's targets: prospective
  //                        copying from `created_at` until `ended_at`
  //   intercept_queue      the agency's own copy of a target's messages (it outlives the content log's retention)
  //   intercept_audit      every console action; deleting a line is the insider demonstration
  `
  CREATE TABLE policy (
    id     INTEGER PRIMARY KEY CHECK (id = 1),
    mode   TEXT NOT NULL,
    since  INTEGER NOT NULL
  ) STRICT;
  CREATE TABLE policy_changes (
    seq   INTEGER PRIMARY KEY AUTOINCREMENT,
    at    INTEGER NOT NULL,
    mode  TEXT NOT NULL,
    via   TEXT NOT NULL
  ) STRICT;
  ALTER TABLE metadata_log ADD COLUMN mode TEXT NOT NULL DEFAULT 'e2ee';
  ALTER TABLE mailbox ADD COLUMN mode TEXT NOT NULL DEFAULT 'e2ee';

  CREATE TABLE content_log (
    seq            INTEGER PRIMARY KEY,
    message_id     TEXT NOT NULL,
    sender         TEXT,
    sender_source  TEXT NOT NULL,
    recipient      TEXT NOT NULL,
    stored_at      INTEGER NOT NULL,
    mode           TEXT NOT NULL,
    kind           TEXT NOT NULL,
    text           TEXT
  ) STRICT;
  CREATE INDEX content_log_by_sender ON content_log (sender, seq);
  CREATE INDEX content_log_by_recipient ON content_log (recipient, seq);
  CREATE INDEX content_log_by_time ON content_log (stored_at);

  CREATE TABLE scanner_rules (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    kind        TEXT NOT NULL,
    pattern     TEXT NOT NULL,
    label       TEXT NOT NULL,
    created_at  INTEGER NOT NULL
  ) STRICT;

  CREATE TABLE intercept_warrants (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    target      TEXT NOT NULL,
    reference   TEXT,
    requested_by TEXT NOT NULL,
    created_at  INTEGER NOT NULL,
    ended_at    INTEGER
  ) STRICT;
  CREATE TABLE intercept_queue (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,
    warrant_id   INTEGER NOT NULL REFERENCES intercept_warrants(id),
    content_seq  INTEGER NOT NULL,
    message_id   TEXT NOT NULL,
    sender       TEXT,
    recipient    TEXT NOT NULL,
    stored_at    INTEGER NOT NULL,
    text         TEXT,
    copied_at    INTEGER NOT NULL,
    UNIQUE (warrant_id, content_seq)
  ) STRICT;
  CREATE TABLE intercept_audit (
    seq     INTEGER PRIMARY KEY AUTOINCREMENT,
    at      INTEGER NOT NULL,
    actor   TEXT NOT NULL,
    action  TEXT NOT NULL,
    target  TEXT,
    detail  TEXT NOT NULL
  ) STRICT;
  `,
  // 9: key escrow (docs/lawful-access.md). The mailbox keeps each key-escrow
  // envelope's access field, so a backlog pushed on reconnect still carries it
  // (NULL for every other envelope: nullable, so the change is instant).
  // escrow_retained belongs to server/lawful-access/: the ciphertexts the
  // server must now keep after delivery, with their access fields, or escrow
  // opens nothing. One row per key-escrow envelope, keyed by the metadata-log
  // row's seq, written in the relay's commit transaction and purged with the
  // metadata log's retention (housekeeping in server/app.ts).
  `
  ALTER TABLE mailbox ADD COLUMN access TEXT;
  CREATE TABLE escrow_retained (
    seq         INTEGER PRIMARY KEY,
    message_id  TEXT NOT NULL,
    sender      TEXT,
    recipient   TEXT NOT NULL,
    stored_at   INTEGER NOT NULL,
    body        BLOB NOT NULL,
    access      BLOB NOT NULL
  ) STRICT;
  CREATE INDEX escrow_retained_by_sender ON escrow_retained (sender, seq);
  CREATE INDEX escrow_retained_by_recipient ON escrow_retained (recipient, seq);
  CREATE INDEX escrow_retained_by_time ON escrow_retained (stored_at);
  `,
];
