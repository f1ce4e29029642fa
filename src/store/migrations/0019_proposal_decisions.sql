-- Meeting proposals ("Tuesday at 3pm works for me"): what the user decided about each.
-- A proposal itself is its reply's timeline entry (the entry's detail has `proposed`);
-- confirming one also records the meeting on the timeline (key `proposal:ID`), so
-- only the decision is kept here. A reply's entry removed takes its decision with it.
CREATE TABLE proposal_decisions (
    interaction_id INTEGER PRIMARY KEY REFERENCES interactions (id) ON DELETE CASCADE,
    decision       TEXT    NOT NULL CHECK (decision IN ('confirmed', 'ignored')),
    decided_at     TEXT    NOT NULL          -- RFC 3339, UTC
) STRICT;
