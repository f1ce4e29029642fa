-- Whether each sent draft has its copy in the user's Sent folder, so rapport never
-- appends one twice. `found`: the server (or an earlier append whose record was lost)
-- filed it; `appended`: rapport appended it; `predates`: sent before rapport kept
-- copies, left alone.
CREATE TABLE sent_copies (
    draft_id INTEGER PRIMARY KEY REFERENCES drafts (id) ON DELETE CASCADE,
    state    TEXT    NOT NULL CHECK (state IN ('found', 'appended', 'predates')),
    folder   TEXT    NOT NULL DEFAULT '',
    at       TEXT    NOT NULL
) STRICT;

INSERT INTO sent_copies (draft_id, state, at)
    SELECT id, 'predates', COALESCE(sent_at, updated_at) FROM drafts WHERE status = 'sent';
