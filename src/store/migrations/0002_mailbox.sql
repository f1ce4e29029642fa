-- What sync saw: envelopes, classifications, and where each message lives.

CREATE TABLE messages (
    id             INTEGER PRIMARY KEY,
    message_id     TEXT    NOT NULL UNIQUE,      -- without <>; synthesized when missing
    in_reply_to    TEXT    NOT NULL DEFAULT '',
    refs           TEXT    NOT NULL DEFAULT '',  -- space-separated
    direction      TEXT    NOT NULL CHECK (direction IN ('in', 'out')),
    from_addr      TEXT    NOT NULL DEFAULT '',
    from_name      TEXT    NOT NULL DEFAULT '',
    to_addrs       TEXT    NOT NULL DEFAULT '[]', -- JSON array, lowercased
    date           TEXT    NOT NULL,              -- RFC 3339 UTC (the internal date when none)
    subject        TEXT    NOT NULL DEFAULT '',
    snippet        TEXT    NOT NULL DEFAULT '',
    label          TEXT    NOT NULL,
    classification TEXT    NOT NULL DEFAULT '{}', -- JSON of the full classification
    label_override TEXT,                          -- set by `rapport mark`
    parse_error    TEXT    NOT NULL DEFAULT '',
    seen_at        TEXT    NOT NULL
) STRICT;
CREATE INDEX messages_date ON messages (date);
CREATE INDEX messages_from ON messages (from_addr);

-- A message may live in several folders (INBOX and a label, Sent and All Mail).
CREATE TABLE message_locations (
    account     TEXT    NOT NULL,
    folder      TEXT    NOT NULL,
    uidvalidity INTEGER NOT NULL,
    uid         INTEGER NOT NULL,
    message     INTEGER NOT NULL REFERENCES messages (id) ON DELETE CASCADE,
    PRIMARY KEY (account, folder, uidvalidity, uid)
) STRICT;

-- Message-IDs that a server rewrote: alias → the id rapport sent.
CREATE TABLE message_aliases (
    alias      TEXT NOT NULL PRIMARY KEY,
    message_id TEXT NOT NULL
) STRICT;

CREATE TABLE sync_cursors (
    account      TEXT    NOT NULL,
    folder       TEXT    NOT NULL,
    uidvalidity  INTEGER NOT NULL DEFAULT 0,
    next_uid     INTEGER NOT NULL DEFAULT 1,
    last_sync_at TEXT,
    last_error   TEXT    NOT NULL DEFAULT '',
    PRIMARY KEY (account, folder)
) STRICT;

-- Small daemon state for `rapport status`: last error, last loop, next wake-up.
CREATE TABLE state (
    key        TEXT NOT NULL PRIMARY KEY,
    value      TEXT NOT NULL DEFAULT '',
    updated_at TEXT NOT NULL
) STRICT;

-- Re-deriving a message's timeline entries looks them up by Message-ID; without this
-- every synced message scanned the whole timeline.
CREATE INDEX interactions_message ON interactions (message_key);
