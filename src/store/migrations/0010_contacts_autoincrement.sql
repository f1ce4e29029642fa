-- `contacts.id` becomes AUTOINCREMENT, so the id of a deleted contact is never handed to
-- a new one (an old log line, export or draft reference would otherwise name a stranger).
-- SQLite cannot change a primary key in place: this is its documented table rebuild. The
-- runner applies it with foreign keys off (set outside the transaction: the pragma is a
-- no-op inside one), so dropping the old table neither cascades into contact_emails,
-- contact_tags, interactions, drafts and todos nor fails; it runs `foreign_key_check`
-- before committing. The columns are exactly those of 0001; ids are copied unchanged.

CREATE TABLE contacts_new (
    id             INTEGER PRIMARY KEY AUTOINCREMENT,
    name           TEXT    NOT NULL DEFAULT '',
    company        TEXT    NOT NULL DEFAULT '',
    role           TEXT    NOT NULL DEFAULT '',
    tier           TEXT    NOT NULL DEFAULT 'regular'
                   CHECK (tier IN ('close', 'regular', 'acquaintance')),
    link           TEXT    NOT NULL DEFAULT '',
    do_not_contact INTEGER NOT NULL DEFAULT 0 CHECK (do_not_contact IN (0, 1)),
    source         TEXT    NOT NULL DEFAULT 'manual'
                   CHECK (source IN ('manual', 'import', 'detected')),
    created_at     TEXT    NOT NULL
) STRICT;

INSERT INTO contacts_new (id, name, company, role, tier, link, do_not_contact, source, created_at)
    SELECT id, name, company, role, tier, link, do_not_contact, source, created_at FROM contacts;

DROP TABLE contacts;
ALTER TABLE contacts_new RENAME TO contacts;

-- The indexes of 0008 went with the old table.
CREATE INDEX contacts_name ON contacts (name COLLATE NOCASE);
CREATE INDEX contacts_link ON contacts (lower(rtrim(trim(link), '/')));
