-- setevoe schema 8: the plan of educational events (regulation 1.6, 5.1):
-- seminars, webinars, web conferences, contests, master classes, workshops,
-- discussions and internet conferences, and who registered for them.
--
-- An event is owned by the node that put it in the plan (the organiser's);
-- times are UTC (ISO 8601) and shown in the node's time zone. References to
-- other replicated rows are not foreign keys (DESIGN.md, "Any order").
CREATE TABLE event (
  id            TEXT PRIMARY KEY,  -- UUIDv7
  owner         TEXT NOT NULL,
  type          TEXT NOT NULL,     -- seminar | webinar | web-conference | contest | master-class | workshop
                                   -- | discussion | internet-conference (core/event.cpp)
  title         TEXT NOT NULL,
  description   TEXT NOT NULL DEFAULT '',
  starts_at     TEXT NOT NULL,     -- ISO 8601 UTC
  ends_at       TEXT,              -- ISO 8601 UTC; NULL: not given
  place         TEXT NOT NULL DEFAULT '',
  url           TEXT NOT NULL DEFAULT '',
  organiser     TEXT,              -- the org that holds it
  directions    TEXT NOT NULL DEFAULT '[]',  -- JSON [direction id]
  products      TEXT NOT NULL DEFAULT '[]',  -- JSON [product id]: products shown or discussed at it
  status        TEXT NOT NULL DEFAULT 'planned',  -- planned | cancelled
  cancel_reason TEXT,
  cancelled_at  TEXT,
  deleted       INTEGER NOT NULL DEFAULT 0,
  _v            TEXT NOT NULL
);
CREATE INDEX event_starts ON event(starts_at);
CREATE INDEX event_organiser ON event(organiser);

-- A person registered for an event, with a role. Owned by the node that
-- registered the person; the id is derived from the event, the person and
-- that node (schema 9 and later: two nodes registering the same person make
-- two rows, and readers take the earlier).
CREATE TABLE registration (
  id            TEXT PRIMARY KEY,
  owner         TEXT NOT NULL,
  event         TEXT NOT NULL,
  person        TEXT NOT NULL,
  role          TEXT NOT NULL DEFAULT 'participant',  -- participant | speaker | jury | organiser
  registered_at TEXT NOT NULL,                        -- ISO 8601 UTC
  deleted       INTEGER NOT NULL DEFAULT 0,
  _v            TEXT NOT NULL
);
CREATE INDEX registration_event ON registration(event);
CREATE INDEX registration_person ON registration(person);
