-- setevoe schema 5: the full-text index of the catalogue. Local to each node
-- (never replicated): every node indexes what it holds.
--
-- The FTS5 table uses setevoe's tokenizer (Russian and English stemming, ё→е,
-- the Chechen palochka, hyphenated words whole and by parts): setevoe
-- registers it on every connection; the sqlite3 shell loads it with
-- `.load setevoe_fts`. The text is kept once, in search_doc (an external
-- content table), so that snippets can be cut from it.

CREATE TABLE search_doc (
  rowid      INTEGER PRIMARY KEY,
  product    TEXT NOT NULL UNIQUE,      -- the product's id
  title      TEXT NOT NULL,
  keywords   TEXT NOT NULL,
  annotation TEXT NOT NULL,
  people     TEXT NOT NULL,             -- authors' names, the org's names
  meta       TEXT NOT NULL,             -- type, subject, levels, directions, language, in Russian
  files      TEXT NOT NULL,             -- names and text of the attached documents
  file_shas  TEXT NOT NULL DEFAULT ''   -- the files the text was read from (reused while they stay)
);

-- Columns in order of weight: title above keywords above annotation above
-- file text; authors and meta in between.
CREATE VIRTUAL TABLE product_fts USING fts5(
  title, keywords, annotation, people, meta, files,
  content = 'search_doc', content_rowid = 'rowid', tokenize = 'setevoe');
INSERT INTO product_fts (product_fts, rank) VALUES ('rank', 'bm25(10.0, 6.0, 3.0, 4.0, 2.0, 1.0)');

-- Products whose index entry is out of date. Triggers mark them on any
-- write (setevoe's own, a merged bundle, even the sqlite3 shell); setevoe
-- reindexes them before it commits, and before it searches.
CREATE TABLE search_dirty (product TEXT PRIMARY KEY) WITHOUT ROWID;

-- Who authored what, as last indexed: a renamed person's products are found
-- without reading every product.
CREATE TABLE search_person (
  person  TEXT NOT NULL,
  product TEXT NOT NULL,
  PRIMARY KEY (person, product)
) WITHOUT ROWID;

CREATE TRIGGER search_product_insert AFTER INSERT ON product BEGIN
  INSERT OR IGNORE INTO search_dirty VALUES (NEW.id);
END;
CREATE TRIGGER search_product_update
AFTER UPDATE OF type, title, annotation, authors, org, directions, subject, levels, language, keywords, deleted
ON product BEGIN
  INSERT OR IGNORE INTO search_dirty VALUES (NEW.id);
END;
CREATE TRIGGER search_attachment_insert AFTER INSERT ON attachment WHEN NEW.entity = 'product' BEGIN
  INSERT OR IGNORE INTO search_dirty VALUES (NEW.entity_id);
END;
CREATE TRIGGER search_attachment_update AFTER UPDATE OF name, sha256, deleted, entity_id ON attachment
WHEN NEW.entity = 'product' BEGIN
  INSERT OR IGNORE INTO search_dirty VALUES (NEW.entity_id);
END;
CREATE TRIGGER search_person_insert AFTER INSERT ON person BEGIN
  INSERT OR IGNORE INTO search_dirty SELECT product FROM search_person WHERE person = NEW.id;
END;
CREATE TRIGGER search_person_update AFTER UPDATE OF name, deleted ON person BEGIN
  INSERT OR IGNORE INTO search_dirty SELECT product FROM search_person WHERE person = NEW.id;
END;
CREATE TRIGGER search_org_insert AFTER INSERT ON org BEGIN
  INSERT OR IGNORE INTO search_dirty SELECT id FROM product WHERE org = NEW.id;
END;
CREATE TRIGGER search_org_update AFTER UPDATE OF name, short_name, deleted ON org BEGIN
  INSERT OR IGNORE INTO search_dirty SELECT id FROM product WHERE org = NEW.id;
END;

INSERT INTO search_dirty SELECT id FROM product;
