-- setevoe schema 7: searching a large catalogue in tens of milliseconds.
--
-- Ranking: setevoe_rank (core/search/fts5.cpp; registered by setevoe on every
-- connection and by the extension setevoe_fts in the sqlite3 shell) instead
-- of bm25. The same weights; each column's hits saturate on their own and a
-- row's length is not read. Reading it (FTS5's docsize table, a lookup per
-- matching row) was four fifths of the time of ranking a common word.
INSERT INTO product_fts (product_fts, rank) VALUES ('rank', 'setevoe_rank(10.0, 6.0, 3.0, 4.0, 2.0, 1.0)');

-- Filters: the product's columns that the filters of a search read, one
-- small row per indexed product, under the row id of its full-text entry
-- (authors are in search_person). A search checks the filters of every
-- matching row before it takes the best: in product itself (rows of
-- kilobytes, found through search_doc) that was a page read per matching row.
CREATE TABLE search_filter (
  rowid      INTEGER PRIMARY KEY,   -- = search_doc.rowid = product_fts.rowid
  id         TEXT NOT NULL UNIQUE,  -- the product's id
  deleted    INTEGER NOT NULL DEFAULT 0,
  status     TEXT NOT NULL,
  type       TEXT NOT NULL,
  subject    TEXT NOT NULL,
  org        TEXT,
  grade_from INTEGER,
  grade_to   INTEGER,
  directions TEXT NOT NULL
);
INSERT INTO search_filter (rowid, id, status, type, subject, org, grade_from, grade_to, directions)
SELECT d.rowid, p.id, p.status, p.type, p.subject, p.org, p.grade_from, p.grade_to, p.directions
FROM search_doc d JOIN product p ON p.id = d.product;

-- A change of status or grades now changes what the index holds.
DROP TRIGGER search_product_update;
CREATE TRIGGER search_product_update
AFTER UPDATE OF type, title, annotation, authors, org, directions, subject, levels, language, keywords, deleted,
  status, grade_from, grade_to
ON product BEGIN
  INSERT OR IGNORE INTO search_dirty VALUES (NEW.id);
END;
