-- setevoe schema 2: merging other nodes' changes.

-- Personal data (contact details, later drafts) is written to a node's second,
-- private change stream, which travels only between that node and the hub;
-- everything else goes to the public stream, which every node relays.
ALTER TABLE origin ADD COLUMN private INTEGER NOT NULL DEFAULT 0;  -- 1: a private stream

CREATE TABLE conflict (
  id             INTEGER PRIMARY KEY,  -- local number of the conflict
  tbl            TEXT NOT NULL,  -- the replicated table
  row_id         TEXT NOT NULL,  -- the row whose field two nodes wrote concurrently
  field          TEXT NOT NULL,  -- the field
  winner_value,                  -- the value kept (the greater version), as stored
  winner_version TEXT NOT NULL,  -- its version "TICK.NODE"
  loser_value,                   -- the value that lost, kept here so nothing is lost
  loser_version  TEXT NOT NULL,  -- its version
  seen_at        TEXT NOT NULL   -- when this node merged it, ISO 8601 UTC
);
CREATE INDEX conflict_row ON conflict(tbl, row_id);
