// The loadable SQLite extension setevoe_fts.so: the tokenizer "setevoe" for
// any program on SQLite, so that the sqlite3 shell reads and writes
// setevoe's full-text tables as setevoe does:
//   sqlite3 school.db '.load /path/to/setevoe_fts' "SELECT … MATCH 'уроки'"
// The glue is core/search/fts5.cpp, compiled here with SETEVOE_FTS_EXTENSION;
// the module does not link setevoe_core, whose direct calls to SQLite would
// bypass the routines of the connection that loads it.
#include <sqlite3ext.h>
SQLITE_EXTENSION_INIT1

#include "core/search/fts5.hpp"

// SQLite names the entry point after the file: "setevoe_fts" without what
// is not a letter.
extern "C" int sqlite3_setevoefts_init(sqlite3* db, char** error, const sqlite3_api_routines* api) {
  SQLITE_EXTENSION_INIT2(api);
  bool fts5_missing = false;
  int rc = setevoe::core::search::install_tokenizer(db, &fts5_missing);
  if (rc != SQLITE_OK && error) {
    if (fts5_missing)
      *error = sqlite3_mprintf("setevoe_fts: this SQLite has no full-text search (FTS5)");
    else
      *error = sqlite3_mprintf("setevoe_fts: FTS5 refused the tokenizer: %s", sqlite3_errstr(rc));
  }
  return rc;
}
