-- Calendars as a source of meetings (issue 25), in two changes:
--
-- 1. `interactions.source` admits 'calendar:NAME', so a meeting read from a calendar
--    says which one (`meeting list --json`). A CHECK cannot be altered in place: this is
--    the table rebuild of 0010/0017 (foreign keys off, checked before commit); ids and
--    every column are copied unchanged, and the indexes and the planner's triggers on
--    the table are made again as 0002, 0011 and 0016 made them.
-- 2. `calendar_state`: per calendar, what the server said last (ETag, ctag, sync
--    token), when it was last read and the last error; `calendar_events`: which
--    meetings (contact, key) the calendar gave at its last reading, so that one gone
--    from it is cancelled. Never the feed address: it may hold a secret.

CREATE TABLE interactions_new (
    id          INTEGER PRIMARY KEY,
    contact_id  INTEGER NOT NULL REFERENCES contacts (id) ON DELETE CASCADE,
    at          TEXT    NOT NULL,
    kind        TEXT    NOT NULL,
    summary     TEXT    NOT NULL DEFAULT '',
    message_key TEXT    NOT NULL DEFAULT '',
    draft_id    INTEGER REFERENCES drafts (id) ON DELETE SET NULL,
    detail      TEXT    NOT NULL DEFAULT '{}',
    source      TEXT    NOT NULL DEFAULT 'user'
                CHECK (source IN ('user', 'send', 'sync')
                       OR (source LIKE 'calendar:%' AND length(source) > 9))
) STRICT;
INSERT INTO interactions_new (id, contact_id, at, kind, summary, message_key, draft_id, detail, source)
    SELECT id, contact_id, at, kind, summary, message_key, draft_id, detail, source FROM interactions;
DROP TABLE interactions;
ALTER TABLE interactions_new RENAME TO interactions;

CREATE INDEX interactions_contact ON interactions (contact_id, at);
CREATE UNIQUE INDEX interactions_once ON interactions (contact_id, kind, message_key)
    WHERE message_key != '';
CREATE INDEX interactions_message ON interactions (message_key);
CREATE INDEX interactions_kind ON interactions (kind, at);
CREATE INDEX interactions_unsure ON interactions (json_extract(detail, '$.unsure'))
    WHERE json_extract(detail, '$.unsure') IS NOT NULL;

CREATE TRIGGER plan_marks_interaction_new AFTER INSERT ON interactions BEGIN
    INSERT INTO plan_marks (contact, dirty, planned_at) VALUES (NEW.contact_id, 1, 0)
        ON CONFLICT (contact) DO UPDATE SET dirty = dirty + 1;
END;
CREATE TRIGGER plan_marks_interaction_edit AFTER UPDATE ON interactions BEGIN
    INSERT INTO plan_marks (contact, dirty, planned_at) VALUES (OLD.contact_id, 1, 0)
        ON CONFLICT (contact) DO UPDATE SET dirty = dirty + 1;
    INSERT INTO plan_marks (contact, dirty, planned_at) SELECT NEW.contact_id, 1, 0
        WHERE NEW.contact_id != OLD.contact_id
        ON CONFLICT (contact) DO UPDATE SET dirty = dirty + 1;
END;
CREATE TRIGGER plan_marks_interaction_gone AFTER DELETE ON interactions BEGIN
    INSERT INTO plan_marks (contact, dirty, planned_at) VALUES (OLD.contact_id, 1, 0)
        ON CONFLICT (contact) DO UPDATE SET dirty = dirty + 1;
END;

CREATE TABLE calendar_state (
    name        TEXT    PRIMARY KEY,
    etag        TEXT    NOT NULL DEFAULT '',
    ctag        TEXT    NOT NULL DEFAULT '',
    sync_token  TEXT    NOT NULL DEFAULT '',
    last_read   TEXT    NOT NULL DEFAULT '',   -- RFC 3339, UTC; '' before the first
    last_full   TEXT    NOT NULL DEFAULT '',   -- the last read of the whole content
    last_tried  TEXT    NOT NULL DEFAULT '',
    last_error  TEXT    NOT NULL DEFAULT '',   -- '' after a good read
    events      INTEGER NOT NULL DEFAULT 0     -- occurrences with a contact, last read
) STRICT;

CREATE TABLE calendar_events (
    calendar    TEXT    NOT NULL,
    contact_id  INTEGER NOT NULL REFERENCES contacts (id) ON DELETE CASCADE,
    key         TEXT    NOT NULL,
    start_at    TEXT    NOT NULL,
    end_at      TEXT    NOT NULL,
    PRIMARY KEY (calendar, contact_id, key)
) STRICT;
