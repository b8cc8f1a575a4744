// The FTS5 glue of the tokenizer "setevoe": FTS5's three callbacks around
// search::Tokenizer, and their registration on a connection.
#include "core/search/fts5.hpp"

#ifdef SETEVOE_FTS_EXTENSION
// In the loadable extension every sqlite3_* call goes through the routines
// of the connection that loaded it (sqlite3_api, set in ext/setevoe_fts.cpp).
#include <sqlite3ext.h>
SQLITE_EXTENSION_INIT3
#else
#include <sqlite3.h>

#include "core/error.hpp"
#include "core/i18n.hpp"
#endif

#include <cmath>
#include <cstdint>
#include <new>
#include <string_view>
#include <vector>

#include "core/search/tokenize.hpp"

namespace setevoe::core::search {
namespace {

Tokenizer* tokenizer_of(Fts5Tokenizer* p) {
  return reinterpret_cast<Tokenizer*>(p);
}

// xCreate: FTS5 makes one tokenizer per table and connection. It takes no
// arguments; any given are a mistake in the CREATE VIRTUAL TABLE.
int create(void*, const char**, int n_args, Fts5Tokenizer** out) {
  *out = nullptr;
  if (n_args > 0) return SQLITE_ERROR;
  try {
    *out = reinterpret_cast<Fts5Tokenizer*>(new Tokenizer);
  } catch (const std::bad_alloc&) {
    return SQLITE_NOMEM;
  }
  return SQLITE_OK;
}

void destroy(Fts5Tokenizer* p) {
  delete tokenizer_of(p);
}

using TokenCallback = int (*)(void* ctx, int flags, const char* token, int size, int start, int end);

// xTokenize. A query, also a prefix query ("урок*"), is tokenized as a
// query; rows being indexed or deleted, and the text that highlight() and
// snippet() read, as documents. No exception may cross into SQLite's C.
int tokenize(Fts5Tokenizer* p, void* ctx, int flags, const char* text, int size, TokenCallback token) {
  if (!text || size <= 0) return SQLITE_OK;
  const auto mode = (flags & FTS5_TOKENIZE_QUERY) ? TokenizeMode::query : TokenizeMode::document;
  try {
    return tokenizer_of(p)->tokenize(std::string_view(text, static_cast<std::size_t>(size)), mode, [&](const Token& t) {
      return token(ctx, t.colocated ? FTS5_TOKEN_COLOCATED : 0, t.text.data(), static_cast<int>(t.text.size()), t.start,
                   t.end);
    });
  } catch (const std::bad_alloc&) {
    return SQLITE_NOMEM;
  } catch (...) {
    return SQLITE_INTERNAL;
  }
}

// Not const: xCreateTokenizer takes a plain pointer (and copies the struct).
fts5_tokenizer methods{create, destroy, tokenize};

// The FTS5 API of the connection, or null when this SQLite has no FTS5. It
// is handed out only as a pointer bound to "SELECT fts5(?1)".
fts5_api* fts5_of(sqlite3* db) {
  fts5_api* api = nullptr;
  sqlite3_stmt* stmt = nullptr;
  if (sqlite3_prepare_v2(db, "SELECT fts5(?1)", -1, &stmt, nullptr) == SQLITE_OK) {
    sqlite3_bind_pointer(stmt, 1, &api, "fts5_api_ptr", nullptr);
    sqlite3_step(stmt);
  }
  sqlite3_finalize(stmt);
  // Version 2 (SQLite 3.20 and later) is the one whose tokenizer this is.
  return api && api->iVersion >= 2 ? api : nullptr;
}

// ---- The rank function "setevoe_rank(product_fts, w1, w2, …)": Okapi BM25
// over the columns, each with its weight wN (1 when not given) and its hits
// saturating on their own (BM25F), without normalising by a row's length:
// FTS5 keeps lengths in a table of their own, and reading it, a lookup per
// matching row, was four fifths of the time of bm25() on a common word. A
// title's one hit (weight 10) so outweighs any number in a file's text
// (weight 1), as a title should. Lower is better, as with bm25().
//   score = −Σ_phrase idf(phrase) · Σ_column w · tf·(k1 + 1) / (tf + k1)
// with k1 = 1.2 and idf = ln((N − n + 0.5) / (n + 0.5)), floored at 1e-6
// (N rows, n of them with the phrase), the constants of FTS5's bm25().
struct RankData {
  std::vector<double> idf;      // per phrase
  std::vector<double> weights;  // per column
  std::vector<int> hits;        // per phrase and column, for the row being scored
};

void delete_rank_data(void* p) {
  delete static_cast<RankData*>(p);
}

// What a query needs once: the IDF of each phrase (FTS5 reads the phrase's
// rows once) and the weights. Kept as the cursor's aux data.
int make_rank_data(const Fts5ExtensionApi* api, Fts5Context* fts, int n_args, sqlite3_value** args, RankData** out) {
  sqlite3_int64 rows = 0;
  int rc = api->xRowCount(fts, &rows);
  if (rc != SQLITE_OK) return rc;
  auto* d = new (std::nothrow) RankData;
  if (!d) return SQLITE_NOMEM;
  const auto phrases = static_cast<std::size_t>(api->xPhraseCount(fts));
  const auto columns = static_cast<std::size_t>(api->xColumnCount(fts));
  try {
    d->idf.resize(phrases);
    d->weights.assign(columns, 1.0);
    d->hits.resize(phrases * columns);
  } catch (const std::bad_alloc&) {
    delete d;
    return SQLITE_NOMEM;
  }
  for (std::size_t c = 0; c < columns && c < static_cast<std::size_t>(n_args); ++c)
    d->weights[c] = sqlite3_value_double(args[c]);
  for (std::size_t i = 0; i < phrases && rc == SQLITE_OK; ++i) {
    sqlite3_int64 with = 0;
    rc = api->xQueryPhrase(fts, static_cast<int>(i), &with, [](const Fts5ExtensionApi*, Fts5Context*, void* n) {
      ++*static_cast<sqlite3_int64*>(n);
      return SQLITE_OK;
    });
    double idf = std::log((static_cast<double>(rows - with) + 0.5) / (static_cast<double>(with) + 0.5));
    d->idf[i] = idf <= 0.0 ? 1e-6 : idf;
  }
  if (rc == SQLITE_OK)
    rc = api->xSetAuxdata(fts, d, delete_rank_data);  // frees d itself when it fails
  else
    delete d;
  if (rc == SQLITE_OK) *out = d;
  return rc;
}

void rank_function(const Fts5ExtensionApi* api, Fts5Context* fts, sqlite3_context* ctx, int n_args,
                   sqlite3_value** args) {
  auto* d = static_cast<RankData*>(api->xGetAuxdata(fts, 0));
  int rc = d ? SQLITE_OK : make_rank_data(api, fts, n_args, args, &d);
  const auto columns = d ? d->weights.size() : 0;
  int instances = 0;
  if (rc == SQLITE_OK) {
    std::fill(d->hits.begin(), d->hits.end(), 0);
    rc = api->xInstCount(fts, &instances);
  }
  for (int i = 0; i < instances && rc == SQLITE_OK; ++i) {
    int phrase = 0, column = 0, offset = 0;
    rc = api->xInst(fts, i, &phrase, &column, &offset);
    if (rc == SQLITE_OK) ++d->hits[static_cast<std::size_t>(phrase) * columns + static_cast<std::size_t>(column)];
  }
  if (rc != SQLITE_OK) {
    sqlite3_result_error_code(ctx, rc);
    return;
  }
  constexpr double k1 = 1.2;
  double score = 0;
  for (std::size_t i = 0; i < d->idf.size(); ++i) {
    double sum = 0;
    for (std::size_t c = 0; c < columns; ++c)
      if (auto tf = static_cast<double>(d->hits[i * columns + c]); tf > 0)
        sum += d->weights[c] * tf * (k1 + 1) / (tf + k1);
    score += d->idf[i] * sum;
  }
  sqlite3_result_double(ctx, -score);
}

}  // namespace

int install_tokenizer(sqlite3* db, bool* fts5_missing) noexcept {
  fts5_api* api = fts5_of(db);
  if (fts5_missing) *fts5_missing = api == nullptr;
  if (!api) return SQLITE_ERROR;
  int rc = api->xCreateTokenizer(api, "setevoe", nullptr, &methods, nullptr);
  if (rc == SQLITE_OK) rc = api->xCreateFunction(api, "setevoe_rank", nullptr, rank_function, nullptr);
  return rc;
}

#ifndef SETEVOE_FTS_EXTENSION
void register_tokenizer(sqlite3* db) {
  bool missing = false;
  int rc = install_tokenizer(db, &missing);
  if (rc == SQLITE_OK) return;
  if (missing)
    throw Error(ErrorKind::internal, tr("this SQLite has no full-text search (FTS5), which setevoe needs. Use an "
                                        "SQLite built with FTS5, as Debian's libsqlite3 is."));
  throw Error(ErrorKind::internal, trf("SQLite refused setevoe's full-text tokenizer: {}.", sqlite3_errstr(rc)));
}
#endif

}  // namespace setevoe::core::search
