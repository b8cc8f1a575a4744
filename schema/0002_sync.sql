-- setevoe schema 2: merging other nodes' changes.

-- Personal data (contact details, later drafts) is written to a node's second,
-- private change stream, which travels only between that node and the hub;
-- everything else goes to the public stream, which every node relays.
ALTER TABLE origin ADD COLUMN private INTEGER NOT NULL DEFAULT 0;  -- 1: a private stream

-- Trust in the other nodes: a hub approves each school's key (enrolment);
-- a school pins the hub's key when it merges the hub's first bundle.
ALTER TABLE node ADD COLUMN state TEXT NOT NULL DEFAULT 'approved'
  CHECK (state IN ('pending', 'approved', 'revoked'));  -- pending: asked to join, not yet approved
ALTER TABLE node ADD COLUMN last_exchange TEXT;  -- last bundle sent to or merged from it, ISO 8601 UTC

CREATE TABLE bundle_log (
  id        INTEGER PRIMARY KEY,  -- local number
  direction TEXT NOT NULL CHECK (direction IN ('sent', 'received')),
  at        TEXT NOT NULL,        -- when, ISO 8601 UTC
  peer      TEXT NOT NULL,        -- the other node (empty: an enrolment request to a hub not yet known)
  sha256    TEXT NOT NULL,        -- hash of the bundle file
  file      TEXT NOT NULL,        -- its path as given
  changes   INTEGER NOT NULL,     -- changes it carried
  applied   INTEGER,              -- received: changes new to this node (0: already merged)
  conflicts INTEGER             -- received: concurrent writes logged
);

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
