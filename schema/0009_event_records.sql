-- setevoe schema 9: what happens at an event. Attendance and contest
-- results, and numbered certificates of participation, are written by the
-- node that organises the event (its owner) or by a hub; a calendar needs
-- to know how often an event was changed (iCalendar SEQUENCE); an internet
-- conference has sections.
ALTER TABLE event ADD COLUMN revision INTEGER NOT NULL DEFAULT 0;  -- grows by one with every edit and the cancellation
ALTER TABLE event ADD COLUMN sections TEXT NOT NULL DEFAULT '[]';  -- JSON [section name]

-- The number registered for each event of a list, counted from the index
-- alone (a year's plan counts them for thousands of events).
DROP INDEX registration_event;
CREATE INDEX registration_event ON registration(event, deleted, person);

-- A plan or a calendar is read in the order events happen, ties by id (the
-- same order on every node): the index gives that order without sorting.
-- Which events of a period were held, and by whom organised (the activity
-- report asks it of every period, twice), is read from the index alone.
DROP INDEX event_starts;
CREATE INDEX event_starts ON event(starts_at, id, deleted, status, organiser, directions);

-- One row per person and event (the id is derived from both): came or not,
-- and for a contest the place (1, 2, 3) or an award.
CREATE TABLE attendance (
  id        TEXT PRIMARY KEY,
  owner     TEXT NOT NULL,               -- the event's owner, or a hub
  event     TEXT NOT NULL,
  person    TEXT NOT NULL,
  attended  INTEGER NOT NULL DEFAULT 0,  -- 1: came (took part)
  place     INTEGER,                     -- a contest's place: 1, 2 or 3
  award     TEXT NOT NULL DEFAULT '',    -- a contest's award in words («Гран-при», «Лауреат»)
  marked_at TEXT NOT NULL,               -- ISO 8601 UTC
  deleted   INTEGER NOT NULL DEFAULT 0,
  _v        TEXT NOT NULL
);
-- By event, with what the activity report counts of each (came; placed or
-- awarded; written by the event's node), so the counts of thousands of
-- events are read from the index alone.
CREATE INDEX attendance_event ON attendance(event, deleted, owner, attended, place, award);
CREATE INDEX attendance_person ON attendance(person);

-- A certificate of participation: what it certifies is kept as it was
-- printed, signed with the Ed25519 key of the node that issued it. The
-- code is derived from the signature; any node checks it offline.
CREATE TABLE certificate (
  id          TEXT PRIMARY KEY,  -- one per person and event
  owner       TEXT NOT NULL,     -- the issuing node: the event's owner, or a hub
  event       TEXT NOT NULL,
  person      TEXT NOT NULL,
  number      TEXT NOT NULL,     -- printed: "<8 hex digits of the event>-<NNN>"
  code        TEXT NOT NULL,     -- printed: 16 characters of Crockford base32
  person_name TEXT NOT NULL,
  event_title TEXT NOT NULL,
  event_start TEXT NOT NULL,     -- ISO 8601 UTC
  place       INTEGER,           -- a contest's place (1, 2, 3), as printed
  award       TEXT NOT NULL DEFAULT '',  -- a contest's award, as printed
  issued_at   TEXT NOT NULL,     -- ISO 8601 UTC
  signature   TEXT NOT NULL,     -- hex Ed25519 signature of the fields above (core/event.cpp)
  deleted     INTEGER NOT NULL DEFAULT 0,
  _v          TEXT NOT NULL
);
CREATE INDEX certificate_event ON certificate(event);
CREATE INDEX certificate_code ON certificate(code);
