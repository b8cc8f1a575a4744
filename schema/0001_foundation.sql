-- setevoe schema 1: the node, its change log and the member registry.
--
-- Two kinds of tables. Local tables (setting, node, origin, change, ack)
-- describe this installation and are never sent. Replicated tables (direction,
-- org, person, contact, membership, expertise) hold the network's data; every
-- row of them is written through core/replica.cpp, which stamps a version on
-- each field and appends to `change`. Their common columns:
--   id      UUIDv7 made on the node that created the row (RFC 9562)
--   owner   id of the node that created the row and may change it
--   deleted 1 when the row is removed (a tombstone; rows are never DELETEd)
--   _v      JSON object: field name -> version "HLC.NODE" of its last write;
--           key "*" is the version of every field not listed (the creation)
-- References between replicated rows are plain TEXT ids, not foreign keys:
-- a row may arrive before the row it refers to.

CREATE TABLE setting (
  key   TEXT PRIMARY KEY,  -- setting name: self_node, self_origin, hlc
  value TEXT NOT NULL      -- its value, as text
) WITHOUT ROWID;

CREATE TABLE node (
  id         TEXT PRIMARY KEY,  -- the node's UUIDv7
  name       TEXT NOT NULL,     -- the organisation the installation serves
  role       TEXT NOT NULL CHECK (role IN ('school', 'hub')),  -- hub: the district office
  public_key TEXT NOT NULL,     -- Ed25519 public key, hexadecimal
  time_zone  TEXT NOT NULL DEFAULT 'Europe/Moscow',  -- IANA zone for showing times
  created_at TEXT NOT NULL,     -- when the node was initialised, ISO 8601 UTC
  is_self    INTEGER NOT NULL DEFAULT 0 CHECK (is_self IN (0, 1))  -- 1 for this installation
);
CREATE UNIQUE INDEX node_self ON node(is_self) WHERE is_self = 1;

CREATE TABLE origin (
  num      INTEGER PRIMARY KEY,   -- local short number of the change stream
  id       TEXT NOT NULL UNIQUE,  -- UUIDv7 of the stream (a node's incarnation)
  node     TEXT NOT NULL,         -- the node that writes the stream
  last_seq INTEGER NOT NULL DEFAULT 0  -- own stream: last sequence issued; others: last applied
);

CREATE TABLE change (
  origin  INTEGER NOT NULL REFERENCES origin(num),  -- the stream the change belongs to
  seq     INTEGER NOT NULL,  -- its sequence number in that stream, from 1, never reused
  tbl     TEXT NOT NULL,     -- the replicated table changed
  row_id  TEXT NOT NULL,     -- the row changed
  hlc     INTEGER NOT NULL,  -- clock tick of the write; with the origin's node it is
                             -- the version stamped on the fields written: the fields
                             -- of row_id whose _v entry equals it carry the change
  PRIMARY KEY (origin, seq)
) WITHOUT ROWID;

CREATE TABLE ack (
  peer   TEXT NOT NULL,     -- a node this one exchanges bundles with
  origin INTEGER NOT NULL REFERENCES origin(num),  -- a change stream
  seq    INTEGER NOT NULL,  -- the highest sequence of it the peer has acknowledged
  PRIMARY KEY (peer, origin)
) WITHOUT ROWID;

CREATE TABLE direction (
  id      TEXT PRIMARY KEY,   -- UUIDv7; the eight of regulation 2.3 have fixed ids
  owner   TEXT NOT NULL,      -- owning node; all-zero id for the seeded directions
  code    TEXT NOT NULL,      -- short Latin name for the command line: gifted, distance, ...
  name    TEXT NOT NULL,      -- the direction's name in Russian
  deleted INTEGER NOT NULL DEFAULT 0,  -- tombstone
  _v      TEXT NOT NULL       -- field versions
);
CREATE INDEX direction_code ON direction(code);

CREATE TABLE org (
  id         TEXT PRIMARY KEY,  -- UUIDv7
  owner      TEXT NOT NULL,     -- owning node
  kind       TEXT NOT NULL,     -- school, kindergarten, additional-education,
                                -- methodological-association, methodological-service,
                                -- creative-group, expert-council, education-department
  name       TEXT NOT NULL,     -- full name, as in the charter
  short_name TEXT,              -- short name for tables and lists
  status     TEXT NOT NULL DEFAULT 'active',  -- potential | active | left (regulation 5.1)
  deleted    INTEGER NOT NULL DEFAULT 0,      -- tombstone
  _v         TEXT NOT NULL      -- field versions
);
CREATE INDEX org_name ON org(name);

CREATE TABLE person (
  id       TEXT PRIMARY KEY,  -- UUIDv7
  owner    TEXT NOT NULL,     -- owning node
  name     TEXT NOT NULL,     -- "Фамилия Имя Отчество"
  org      TEXT,              -- id of the org the person works in
  position TEXT,              -- position held there: "учитель математики"
  status   TEXT NOT NULL DEFAULT 'active',  -- potential | active | left
  deleted  INTEGER NOT NULL DEFAULT 0,      -- tombstone
  _v       TEXT NOT NULL      -- field versions
);
CREATE INDEX person_org ON person(org);
CREATE INDEX person_name ON person(name);

CREATE TABLE contact (
  id      TEXT PRIMARY KEY,  -- the person's id: contacts are personal data (152-ФЗ),
                             -- kept apart from the public card and sent only
                             -- between the owner and the hub
  owner   TEXT NOT NULL,     -- owning node
  email   TEXT,              -- e-mail address
  phone   TEXT,              -- telephone number, as typed
  deleted INTEGER NOT NULL DEFAULT 0,  -- tombstone
  _v      TEXT NOT NULL      -- field versions
);

CREATE TABLE membership (
  id      TEXT PRIMARY KEY,  -- UUIDv7
  owner   TEXT NOT NULL,     -- owning node
  person  TEXT NOT NULL,     -- the person's id
  grp     TEXT NOT NULL,     -- id of the org (association, creative group, ...) joined
  role    TEXT NOT NULL DEFAULT 'member',  -- member | head | secretary
  deleted INTEGER NOT NULL DEFAULT 0,      -- tombstone
  _v      TEXT NOT NULL      -- field versions
);
CREATE INDEX membership_person ON membership(person);
CREATE INDEX membership_grp ON membership(grp);

CREATE TABLE expertise (
  id        TEXT PRIMARY KEY,  -- UUIDv7; written by the hub only (appointment)
  owner     TEXT NOT NULL,     -- owning node (a hub)
  person    TEXT NOT NULL,     -- the expert's id
  direction TEXT NOT NULL,     -- the direction's id
  deleted   INTEGER NOT NULL DEFAULT 0,  -- tombstone: the appointment was revoked
  _v        TEXT NOT NULL      -- field versions
);
CREATE INDEX expertise_person ON expertise(person);
CREATE INDEX expertise_direction ON expertise(direction);

-- The eight priority directions of regulation 2.3, with the same ids and
-- versions on every node, so that they never duplicate on merge.
INSERT INTO direction (id, owner, code, name, _v) VALUES
  ('00000000-0000-7000-8000-000000000201', '00000000-0000-0000-0000-000000000000', 'quality',
   'Система оценки качества образования', '{"*":"0000000000000000.00000000-0000-0000-0000-000000000000"}'),
  ('00000000-0000-7000-8000-000000000202', '00000000-0000-0000-0000-000000000000', 'gifted',
   'Модель эффективного управления одарённым ребёнком', '{"*":"0000000000000000.00000000-0000-0000-0000-000000000000"}'),
  ('00000000-0000-7000-8000-000000000203', '00000000-0000-0000-0000-000000000000', 'communication',
   'Развитие среды профессионального общения педагогических работников в условиях внедрения и реализации профессиональных стандартов', '{"*":"0000000000000000.00000000-0000-0000-0000-000000000000"}'),
  ('00000000-0000-7000-8000-000000000204', '00000000-0000-0000-0000-000000000000', 'developmental',
   'Образовательные системы развивающего обучения', '{"*":"0000000000000000.00000000-0000-0000-0000-000000000000"}'),
  ('00000000-0000-7000-8000-000000000205', '00000000-0000-0000-0000-000000000000', 'profile',
   'Профильное обучение', '{"*":"0000000000000000.00000000-0000-0000-0000-000000000000"}'),
  ('00000000-0000-7000-8000-000000000206', '00000000-0000-0000-0000-000000000000', 'distance',
   'Дистанционное образование', '{"*":"0000000000000000.00000000-0000-0000-0000-000000000000"}'),
  ('00000000-0000-7000-8000-000000000207', '00000000-0000-0000-0000-000000000000', 'technology',
   'Новые образовательные технологии', '{"*":"0000000000000000.00000000-0000-0000-0000-000000000000"}'),
  ('00000000-0000-7000-8000-000000000208', '00000000-0000-0000-0000-000000000000', 'special-needs',
   'Образование детей с особыми образовательными потребностями', '{"*":"0000000000000000.00000000-0000-0000-0000-000000000000"}');
