-- Indexes for the listings on a big database (10,000 contacts, 100,000 messages): the
-- digest's attention list, the goals' activity and "added since" read by kind, by the
-- `unsure` flag in the detail JSON, and by creation time; without these each is a scan
-- of the whole timeline (and a JSON parse of every row).
CREATE INDEX interactions_kind ON interactions (kind, at);
CREATE INDEX interactions_unsure ON interactions (json_extract(detail, '$.unsure'))
    WHERE json_extract(detail, '$.unsure') IS NOT NULL;
CREATE INDEX contacts_created ON contacts (created_at);
