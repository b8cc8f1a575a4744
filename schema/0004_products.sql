-- setevoe schema 4: methodological products (regulation 1.5), their reviews
-- (1.3), and the schools' subscriptions to parts of the catalogue.

-- A methodological product. Multi-valued fields are JSON arrays, readable
-- from the sqlite3 shell with json_each. References to other replicated rows
-- (org, authors, directions) are not foreign keys: a product may arrive
-- before its org (DESIGN.md, "Any order").
CREATE TABLE product (
  id           TEXT PRIMARY KEY,  -- UUIDv7
  owner        TEXT NOT NULL,     -- owning node: the node that registered it
  type         TEXT NOT NULL,     -- recommendations | project | lesson-video | ... (core/product.cpp)
  title        TEXT NOT NULL,
  annotation   TEXT NOT NULL DEFAULT '',
  authors      TEXT NOT NULL DEFAULT '[]',  -- JSON [{"person": ID, "role": "author" | "co-author"}]
  org          TEXT,                        -- the org it comes from
  directions   TEXT NOT NULL DEFAULT '[]',  -- JSON [direction id]
  subject      TEXT NOT NULL DEFAULT '',    -- "математика", ...
  levels       TEXT NOT NULL DEFAULT '[]',  -- JSON [level code]: do, noo, ooo, soo, dop
  grade_from   INTEGER,                     -- grades 1..11, both ends included; NULL: none
  grade_to     INTEGER,
  language     TEXT NOT NULL DEFAULT 'ru',  -- ISO 639-1 code: ru, ce, en, ...
  keywords     TEXT NOT NULL DEFAULT '',
  licence      TEXT NOT NULL DEFAULT 'network-only',
  pupils       INTEGER NOT NULL DEFAULT 0,  -- 1: pupils appear in it (a recording)
  consent      TEXT NOT NULL DEFAULT '',    -- then: where the parents' consent is kept
  status       TEXT NOT NULL DEFAULT 'draft',  -- draft | submitted | published | rejected | archived
  submitted_at TEXT,                        -- ISO 8601 UTC, written by the owner on submit
  moderator    TEXT,                        -- moderation (the hub's): the person who decided, if named
  moderated_at TEXT,                        --   when the last decision was taken
  reason       TEXT,                        --   why it was rejected
  published_at TEXT,                        --   when it was first published: from then on every node gets it
  deleted      INTEGER NOT NULL DEFAULT 0,
  _v           TEXT NOT NULL
);
CREATE INDEX product_org ON product(org);
CREATE INDEX product_status ON product(status);
CREATE INDEX product_subject ON product(subject);

-- A review of a published product by a person: one per person and product
-- (the id is derived from both, so a second review replaces the first on
-- every node). Owned by the node of the reviewer's card.
CREATE TABLE review (
  id          TEXT PRIMARY KEY,
  owner       TEXT NOT NULL,
  product     TEXT NOT NULL,
  person      TEXT NOT NULL,
  score       INTEGER NOT NULL,            -- 1..5
  criteria    TEXT NOT NULL DEFAULT '{}',  -- JSON {"criterion": score, ...}
  comment     TEXT NOT NULL DEFAULT '',
  reviewed_at TEXT NOT NULL,               -- ISO 8601 UTC
  deleted     INTEGER NOT NULL DEFAULT 0,
  _v          TEXT NOT NULL
);
CREATE INDEX review_product ON review(product);

-- What a school wants of the catalogue's files (DESIGN.md, "Scope"): the
-- files of products in these directions or from these orgs. A school without
-- subscriptions receives every file. The hub honours them when it packs.
CREATE TABLE subscription (
  id      TEXT PRIMARY KEY,  -- derived from node, kind and ref: the same on every node
  owner   TEXT NOT NULL,     -- the subscribing node
  node    TEXT NOT NULL,
  kind    TEXT NOT NULL,     -- direction | org
  ref     TEXT NOT NULL,     -- the direction's or org's id
  deleted INTEGER NOT NULL DEFAULT 0,
  _v      TEXT NOT NULL
);
CREATE INDEX subscription_node ON subscription(node);

-- Files outside this node's subscriptions that a user asked for ('product
-- get' of a file not received): this node's bundles ask for them anyway.
CREATE TABLE requested_object (
  sha256 TEXT PRIMARY KEY
) WITHOUT ROWID;
