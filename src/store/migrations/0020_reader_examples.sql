-- What the user taught the learned reader: every correction (`rapport mark`, a correction
-- in `rapport review`) keeps the corrected message's fresh-text snippet (already stored
-- in `messages`) with the class it was corrected to (yes, no, later, other, thanks,
-- request). The reader built at each sync adds these to its shipped counts. One example
-- per message: a second correction replaces the first; `rapport mark --forget` deletes it.
CREATE TABLE reader_examples (
    id         INTEGER PRIMARY KEY,
    message_id TEXT NOT NULL UNIQUE,
    text       TEXT NOT NULL,
    label      TEXT NOT NULL CHECK (label IN ('yes', 'no', 'later', 'other', 'thanks', 'request')),
    created    TEXT NOT NULL
) STRICT;
