// The full-text index of the catalogue (schema/0005_search.sql) and the
// search over it. One update path: triggers mark products whose index entry
// is out of date (any write: setevoe's, a merged bundle's, the sqlite3
// shell's), and refresh() reindexes them; writers and merges call it before
// they commit, search before it reads.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/db.hpp"
#include "core/product.hpp"

namespace setevoe::core::search {

struct IndexStats {
  std::int64_t products = 0;  // entries written or removed
  std::int64_t files = 0;     // documents whose text was read
};

// Reindexes the products marked out of date, in the caller's transaction.
// File texts are read from the object store beside the database and kept
// while the product's files stay the same. Never fails for a bad file.
IndexStats refresh(Db& db);
// True when some product waits for reindexing.
bool stale(Db& db);
// Rebuilds the whole index, reading every file again (own transaction).
IndexStats reindex(Db& db);
// Marks the products whose attached files have these contents: the files
// arrived after their rows did.
void mark_files_arrived(Db& db, const std::vector<std::string>& sha256s);

// ---- Queries

// What a user typed, as FTS5 queries. Ordinary input is never FTS5 syntax:
// words are quoted, everything else is left out, so no input raises a syntax
// error. "5 класс", "7-9 классов" become a grade range.
struct ParsedQuery {
  std::string all;     // every word (implicit AND); empty: no words
  std::string any;     // any word (OR); empty when there is one word
  std::string phrase;  // the words side by side; empty for one word
  std::optional<std::pair<int, int>> grades;
  std::vector<std::string> words;  // the words searched for
};
ParsedQuery parse_query(std::string_view text);

struct Hit {
  std::string product_id;
  double score = 0;       // setevoe_rank (BM25 per column): lower is better
  bool all_words = true;  // matched every word (else some)
  std::string snippet;    // with `open`/`close` around the matched words
};

struct SearchOptions {
  std::size_t limit = 20;
  bool advanced = false;                // the text is FTS5 query syntax, passed through
  std::string open = "[", close = "]";  // snippet highlight marks
};

// The one SQL statement a search runs, complete with its values: the same
// text gives the same rows in the sqlite3 shell with the extension loaded.
// Errors: usage (no words and no filter; FTS5 syntax with --advanced),
// not_found and usage from the filter's references.
std::string search_sql(Db& db, std::string_view text, const ProductFilter& filter, const SearchOptions& options);
std::vector<Hit> search(Db& db, std::string_view text, const ProductFilter& filter, const SearchOptions& options);

}  // namespace setevoe::core::search
