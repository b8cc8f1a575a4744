-- setevoe schema 3: attached files, and bundles that carry them.

-- A file attached to a row of another replicated table (a person's photo or
-- document now; products, events and agreements later). The contents live in
-- the object store beside the database (<db>.objects/ab/cdef…), addressed by
-- their SHA-256; this row only describes them. A node whose store lacks the
-- contents wants them: its bundles name them, and a later bundle brings them.
CREATE TABLE attachment (
  id         TEXT PRIMARY KEY,  -- UUIDv7
  owner      TEXT NOT NULL,     -- owning node: the node that attached the file
  entity     TEXT NOT NULL,     -- the table of the row the file belongs to: person, org, ...
  entity_id  TEXT NOT NULL,     -- that row's id
  role       TEXT NOT NULL DEFAULT 'document',  -- photo | document (later: file, scan, ...)
  name       TEXT NOT NULL,     -- the file's name as attached, without folders
  media_type TEXT NOT NULL,     -- IANA media type: image/jpeg, application/pdf, ...
  size       INTEGER NOT NULL,  -- bytes
  sha256     TEXT NOT NULL,     -- SHA-256 of the contents, 64 hex digits: the object's name
  deleted    INTEGER NOT NULL DEFAULT 0,  -- tombstone: the file was detached
  _v         TEXT NOT NULL      -- field versions
);
CREATE INDEX attachment_entity ON attachment(entity_id);
CREATE INDEX attachment_sha256 ON attachment(sha256);

-- The objects each peer said, in its last bundle, that it still wants.
CREATE TABLE peer_wants (
  peer   TEXT NOT NULL,  -- the node that wants the object
  sha256 TEXT NOT NULL,  -- the object
  PRIMARY KEY (peer, sha256)
) WITHOUT ROWID;

ALTER TABLE bundle_log ADD COLUMN objects INTEGER NOT NULL DEFAULT 0;  -- files it carried
ALTER TABLE bundle_log ADD COLUMN part TEXT;  -- "SET K/N" for a part of a split bundle
