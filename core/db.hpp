// SQLite storage: RAII handles for a database connection (Db), a prepared
// statement (Stmt) and a transaction (Transaction). Every SQLite failure
// becomes an Error that quotes the statement's SQL; SQLITE_BUSY becomes a
// `busy` error (exit 75).
#pragma once

#include <sqlite3.h>

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <variant>

#include "core/error.hpp"

namespace setevoe::core {

// A field value as SQLite stores it: NULL, an integer or text.
using Value = std::variant<std::monostate, std::int64_t, std::string>;

class Db;

// A prepared statement. Owns the sqlite3_stmt and finalises it; remembers its
// SQL so an error can quote it. Move-only.
class Stmt {
 public:
  Stmt(Db& db, std::string sql);
  Stmt(Stmt&&) noexcept;
  Stmt& operator=(Stmt&&) = delete;
  Stmt(const Stmt&) = delete;
  ~Stmt();

  // Binds parameters, 1-based. A std::optional without value binds NULL.
  Stmt& bind(int index, std::int64_t value);
  Stmt& bind(int index, int value) { return bind(index, static_cast<std::int64_t>(value)); }
  Stmt& bind(int index, std::string_view value);
  Stmt& bind(int index, const char* value) { return bind(index, std::string_view(value)); }
  Stmt& bind(int index, const std::string& value) { return bind(index, std::string_view(value)); }
  Stmt& bind(int index, const Value& value);
  Stmt& bind_null(int index);
  // Binds text without copying it: `value` must stay alive and unchanged
  // until the statement is stepped to the end or reset (hot paths only).
  Stmt& bind_static(int index, std::string_view value);
  Stmt& bind_static(int index, const std::string& value) { return bind_static(index, std::string_view(value)); }
  Stmt& bind_static(int index, const char* value) { return bind_static(index, std::string_view(value)); }
  Stmt& bind_static(int index, const Value& value);
  Stmt& bind(int index, const std::optional<std::string>& value);

  // Steps once: true when a row is available, false when done. Throws on error.
  bool step();
  // Steps until done (for statements that return no rows).
  void run();
  // Resets for another execution and clears the bindings.
  void reset();
  // Resets for another execution, keeping the bindings (every parameter
  // will be bound again).
  void rewind();

  std::int64_t column_int(int index) const;
  std::string column_text(int index) const;
  // The text without copying it: valid until the next step or reset.
  std::string_view column_view(int index) const;
  bool column_is_null(int index) const;
  std::optional<std::string> column_optional(int index) const;
  Value column_value(int index) const;
  int column_count() const;
  // The largest parameter number the SQL uses (?7 gives 7).
  int parameter_count() const;
  std::string column_name(int index) const;

  const std::string& sql() const { return m_sql; }

 private:
  [[noreturn]] void fail(int rc) const;
  Db* m_db;
  sqlite3_stmt* m_stmt = nullptr;
  std::string m_sql;
};

// How Db::open treats the file.
enum class OpenMode {
  create,    // make a new database; refuse if the file exists
  existing,  // open a setevoe database that must exist, migrating it forward
};

// A connection to a setevoe database. Owns the sqlite3 handle.
class Db {
 public:
  // Opens `path` (":memory:" for an in-memory database, always created).
  // Sets WAL, busy_timeout and foreign keys; checks application_id and
  // user_version; applies pending migrations. Errors: not_found when an
  // existing database is missing, cannot_create when a new one cannot be made
  // or already exists, corrupt when the file is not a setevoe database, bad_data
  // when it comes from a newer setevoe.
  static Db open(const std::string& path, OpenMode mode);

  Db(Db&&) noexcept;
  Db& operator=(Db&&) = delete;
  ~Db();

  sqlite3* handle() const { return m_db; }
  const std::string& path() const { return m_path; }

  // Runs SQL with no results (may hold several statements).
  void exec(const std::string& sql);
  // A statement prepared once per connection and reset for each use: the
  // returned reference stays valid while the Db lives.
  Stmt& cached(const std::string& sql);
  // The first column of the first row of a query, or nothing.
  std::optional<std::string> query_text(const std::string& sql);
  std::int64_t query_int(const std::string& sql);

  // The schema version (PRAGMA user_version).
  int schema_version();

 private:
  explicit Db(sqlite3* db, std::string path);
  void migrate();
  sqlite3* m_db;
  std::string m_path;
  std::map<std::string, std::unique_ptr<Stmt>, std::less<>> m_cache;
};

// A transaction: BEGIN IMMEDIATE for writes (so a writer waits for the lock
// at the start, never midway), BEGIN DEFERRED for reads. Rolls back when
// destroyed without commit(), including while an exception unwinds.
class Transaction {
 public:
  enum class Kind { read, write };
  Transaction(Db& db, Kind kind);
  Transaction(const Transaction&) = delete;
  ~Transaction();
  void commit();
  Db& db() { return m_db; }

 private:
  Db& m_db;
  bool m_open = true;
};

// Turns an SQLite result code into an Error of the right kind.
[[noreturn]] void throw_sqlite(sqlite3* db, int rc, std::string_view context);

}  // namespace setevoe::core
