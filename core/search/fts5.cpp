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

#include <new>
#include <string_view>

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

}  // namespace

int install_tokenizer(sqlite3* db, bool* fts5_missing) noexcept {
  fts5_api* api = fts5_of(db);
  if (fts5_missing) *fts5_missing = api == nullptr;
  if (!api) return SQLITE_ERROR;
  return api->xCreateTokenizer(api, "setevoe", nullptr, &methods, nullptr);
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
