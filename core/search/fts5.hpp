// The tokenizer "setevoe" (core/search/tokenize.hpp) registered with
// SQLite's FTS5, so that a table made with
//   CREATE VIRTUAL TABLE t USING fts5(..., tokenize='setevoe')
// indexes and queries Russian, Chechen and English text by stems; and the
// rank function setevoe_rank(table, weight…) with it (core/search/fts5.cpp).
//
// The same source is compiled twice: into setevoe_core, which calls SQLite
// directly, and with SETEVOE_FTS_EXTENSION into the loadable extension
// setevoe_fts.so (ext/setevoe_fts.cpp), which reaches SQLite through the
// routines the loading connection hands it. One implementation for both, so
// a database indexed by setevoe is searched the same from the sqlite3 shell.
#pragma once

struct sqlite3;

namespace setevoe::core::search {

// Registers the tokenizer and the rank function on the connection (each connection needs it before
// it touches a table that uses it). Throws Error(internal) when this SQLite
// has no FTS5.
void register_tokenizer(sqlite3* db);

// The same without exceptions, for the extension's entry point: an SQLite
// result code. *fts5_missing, when given, tells whether FTS5 was not there
// at all (otherwise it refused the tokenizer).
int install_tokenizer(sqlite3* db, bool* fts5_missing = nullptr) noexcept;

}  // namespace setevoe::core::search
