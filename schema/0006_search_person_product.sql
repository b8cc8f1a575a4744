-- setevoe schema 6: who authored what, by product. Reindexing a product
-- first deletes its rows of search_person (core/search/index.cpp); keyed by
-- (person, product) alone that delete read the whole table, once for every
-- product: a reindex of 200,000 products grew with the square of their number.
CREATE INDEX search_person_product ON search_person(product);
