-- Action items: what the user promised in a meeting ("send the intro to Raj"), on the
-- contact's timeline until done. AUTOINCREMENT so an id printed by `rapport todo` is
-- never reused for another item after a contact (and its items) is removed.

CREATE TABLE todos (
    id         INTEGER PRIMARY KEY AUTOINCREMENT,
    contact_id INTEGER NOT NULL REFERENCES contacts (id) ON DELETE CASCADE,
    text       TEXT    NOT NULL CHECK (text != ''),
    due        TEXT,                              -- YYYY-MM-DD in the user's zone; NULL: no date
    created_at TEXT    NOT NULL,                  -- RFC 3339, UTC
    done_at    TEXT                               -- NULL while open
) STRICT;
CREATE INDEX todos_contact ON todos (contact_id, done_at);
CREATE INDEX todos_open ON todos (done_at, due);
