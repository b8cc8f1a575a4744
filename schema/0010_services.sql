-- setevoe schema 10: the network's services (regulation 3.2.1, 5.1): the
-- «Консультация» service (questions and experts' answers), discussion
-- threads of events and products (the «Интернет-конференция»), and the
-- agreements on joint activity and creative cooperation.

-- A question to the experts. Owned by the asking node; seen by it, the hubs
-- and the nodes of the experts assigned to it, and by every node once the
-- asker has accepted an answer and allowed it to be published (the FAQ).
CREATE TABLE question (
  id          TEXT PRIMARY KEY,            -- UUIDv7
  owner       TEXT NOT NULL,
  person      TEXT NOT NULL,               -- who asks
  direction   TEXT NOT NULL,               -- the priority direction it concerns
  title       TEXT NOT NULL,
  text        TEXT NOT NULL,
  asked_at    TEXT NOT NULL,               -- ISO 8601 UTC
  due_on      TEXT NOT NULL,               -- YYYY-MM-DD: the last working day for a first answer
  publish     INTEGER NOT NULL DEFAULT 0,  -- 1: the asker allows the accepted answer into the FAQ
  experts     TEXT NOT NULL DEFAULT '[]',  -- JSON [person id]: assigned by a hub
  assigned_at TEXT,                        -- ISO 8601 UTC, by a hub
  accepted    TEXT,                        -- the answer that solved it (by the asker)
  accepted_at TEXT,
  closed_at   TEXT,                        -- NULL: open
  deleted     INTEGER NOT NULL DEFAULT 0,
  _v          TEXT NOT NULL
);
CREATE INDEX question_direction ON question(direction);
CREATE INDEX question_due ON question(due_on) WHERE closed_at IS NULL;

-- An expert's answer, owned by the node it was written on (the hub's,
-- usually); it travels to the asker's node.
CREATE TABLE answer (
  id          TEXT PRIMARY KEY,
  owner       TEXT NOT NULL,
  question    TEXT NOT NULL,
  person      TEXT NOT NULL,               -- the expert
  text        TEXT NOT NULL,
  answered_at TEXT NOT NULL,
  deleted     INTEGER NOT NULL DEFAULT 0,
  _v          TEXT NOT NULL
);
-- Whether a question has an answer, and when the first came, from the index
-- alone: the overdue questions are found among thousands of open ones.
CREATE INDEX answer_question ON answer(question, deleted, answered_at);

-- A message in the discussion thread of an event or a product; at an
-- internet conference, in a section, and possibly presenting a paper (a
-- product). Owned by the node it was written on (the author edits it
-- there); a hub may hide it, with a reason.
CREATE TABLE post (
  id          TEXT PRIMARY KEY,            -- UUIDv7
  owner       TEXT NOT NULL,
  entity      TEXT NOT NULL,               -- event | product
  entity_id   TEXT NOT NULL,
  section     TEXT NOT NULL DEFAULT '',
  reply_to    TEXT,                        -- the post it answers
  paper       TEXT,                        -- a product presented as a paper
  person      TEXT NOT NULL,               -- the author
  text        TEXT NOT NULL DEFAULT '',
  posted_at   TEXT NOT NULL,
  edited_at   TEXT,
  hidden      INTEGER NOT NULL DEFAULT 0,  -- by a hub
  hide_reason TEXT,
  hidden_at   TEXT,
  deleted     INTEGER NOT NULL DEFAULT 0,
  _v          TEXT NOT NULL
);
CREATE INDEX post_entity ON post(entity_id, posted_at);

-- An agreement on joint activity or creative cooperation between two or
-- more orgs (regulation 3.2.1). Owned by the node that registered it; every
-- node receives it. Its status is computed from the dates and termination.
CREATE TABLE agreement (
  id             TEXT PRIMARY KEY,         -- UUIDv7
  owner          TEXT NOT NULL,
  number         TEXT NOT NULL,            -- «12/2026»
  signed_on      TEXT,                     -- YYYY-MM-DD; NULL: not signed yet (a draft)
  kind           TEXT NOT NULL,            -- joint-activity | creative-cooperation
  title          TEXT NOT NULL,
  subject        TEXT NOT NULL DEFAULT '',
  parties        TEXT NOT NULL DEFAULT '[]',  -- JSON [org id], two or more, distinct
  valid_from     TEXT,                     -- YYYY-MM-DD
  valid_to       TEXT,                     -- YYYY-MM-DD; NULL: open-ended
  interaction    TEXT NOT NULL DEFAULT '', -- the regulation of interaction
  responsibility TEXT NOT NULL DEFAULT '', -- the responsibility of the parties
  terminated_on  TEXT,                     -- YYYY-MM-DD
  terminate_reason TEXT,
  deleted        INTEGER NOT NULL DEFAULT 0,
  _v             TEXT NOT NULL
);
CREATE INDEX agreement_valid_to ON agreement(valid_to);

-- What one party undertakes under an agreement; written by the agreement's
-- node.
CREATE TABLE obligation (
  id          TEXT PRIMARY KEY,            -- UUIDv7
  owner       TEXT NOT NULL,
  agreement   TEXT NOT NULL,
  party       TEXT NOT NULL,               -- an org among the agreement's parties
  text        TEXT NOT NULL,
  deleted     INTEGER NOT NULL DEFAULT 0,
  _v          TEXT NOT NULL
);
CREATE INDEX obligation_agreement ON obligation(agreement);

-- The activity report (regulation 6.1) counts the catalogue's products made,
-- submitted and published in a period, by type, org and direction: read
-- from this index alone, not from the rows, which carry texts and versions
-- ten times its size. Products are written seldom; the report reads them all.
-- `deleted` is in it too, though always 0: SQLite reads a column of the
-- partial index's WHERE from the row unless the index holds it.
CREATE INDEX product_report ON product(org, type, id, submitted_at, published_at, directions, deleted)
  WHERE deleted = 0;
