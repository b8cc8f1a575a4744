// SQLite storage: connection, statements, transactions, migrations.
#include "core/db.hpp"

#include <fmt/format.h>

#include <filesystem>

#include "core/i18n.hpp"
#include "core/schema.hpp"
#include "core/search/fts5.hpp"

namespace setevoe::core {

void throw_sqlite(sqlite3* db, int rc, std::string_view context) {
  int primary = rc & 0xFF;
  std::string detail = db ? sqlite3_errmsg(db) : sqlite3_errstr(rc);
  if (primary == SQLITE_BUSY || primary == SQLITE_LOCKED)
    throw Error(ErrorKind::busy, trf("the database is busy: another setevoe is writing to it ({}). Try again in a "
                                     "minute.",
                                     detail));
  if (primary == SQLITE_NOTADB || primary == SQLITE_CORRUPT)
    throw Error(ErrorKind::corrupt, trf("the database file is damaged or is not an SQLite database ({}). Restore it "
                                        "from a backup (setevoe db backup makes one).",
                                        detail));
  if (primary == SQLITE_FULL || primary == SQLITE_IOERR || primary == SQLITE_CANTOPEN || primary == SQLITE_READONLY)
    throw Error(ErrorKind::io, trf("cannot read or write the database: {}. Check the disk space and the file's "
                                   "permissions.",
                                   detail));
  throw Error(ErrorKind::internal, fmt::format("SQLite: {} (in: {})", detail, context));
}

// ---- Stmt

Stmt::Stmt(Db& db, std::string sql) : m_db(&db), m_sql(std::move(sql)) {
  int rc = sqlite3_prepare_v3(db.handle(), m_sql.c_str(), static_cast<int>(m_sql.size()), SQLITE_PREPARE_PERSISTENT,
                              &m_stmt, nullptr);
  if (rc != SQLITE_OK) throw_sqlite(db.handle(), rc, m_sql);
}

Stmt::Stmt(Stmt&& other) noexcept : m_db(other.m_db), m_stmt(other.m_stmt), m_sql(std::move(other.m_sql)) {
  other.m_stmt = nullptr;
}

Stmt::~Stmt() {
  sqlite3_finalize(m_stmt);
}

void Stmt::fail(int rc) const {
  throw_sqlite(m_db->handle(), rc, m_sql);
}

Stmt& Stmt::bind(int index, std::int64_t value) {
  if (int rc = sqlite3_bind_int64(m_stmt, index, value); rc != SQLITE_OK) fail(rc);
  return *this;
}

Stmt& Stmt::bind(int index, std::string_view value) {
  if (int rc = sqlite3_bind_text64(m_stmt, index, value.data(), value.size(), SQLITE_TRANSIENT, SQLITE_UTF8);
      rc != SQLITE_OK)
    fail(rc);
  return *this;
}

Stmt& Stmt::bind_static(int index, std::string_view value) {
  if (int rc = sqlite3_bind_text64(m_stmt, index, value.data(), value.size(), SQLITE_STATIC, SQLITE_UTF8);
      rc != SQLITE_OK)
    fail(rc);
  return *this;
}

Stmt& Stmt::bind_static(int index, const Value& value) {
  if (auto s = std::get_if<std::string>(&value)) return bind_static(index, std::string_view(*s));
  return bind(index, value);
}

Stmt& Stmt::bind_null(int index) {
  if (int rc = sqlite3_bind_null(m_stmt, index); rc != SQLITE_OK) fail(rc);
  return *this;
}

Stmt& Stmt::bind(int index, const std::optional<std::string>& value) {
  return value ? bind(index, std::string_view(*value)) : bind_null(index);
}

Stmt& Stmt::bind(int index, const Value& value) {
  if (auto i = std::get_if<std::int64_t>(&value)) return bind(index, *i);
  if (auto s = std::get_if<std::string>(&value)) return bind(index, std::string_view(*s));
  return bind_null(index);
}

bool Stmt::step() {
  int rc = sqlite3_step(m_stmt);
  if (rc == SQLITE_ROW) return true;
  if (rc == SQLITE_DONE) return false;
  sqlite3_reset(m_stmt);
  fail(rc);
}

void Stmt::run() {
  while (step()) {
  }
}

void Stmt::reset() {
  sqlite3_reset(m_stmt);
  sqlite3_clear_bindings(m_stmt);
}

void Stmt::rewind() {
  sqlite3_reset(m_stmt);
}

std::int64_t Stmt::column_int(int index) const {
  return sqlite3_column_int64(m_stmt, index);
}

std::string Stmt::column_text(int index) const {
  auto p = sqlite3_column_text(m_stmt, index);
  return p ? std::string(reinterpret_cast<const char*>(p),
                         static_cast<std::size_t>(sqlite3_column_bytes(m_stmt, index)))
           : std::string();
}

int Stmt::parameter_count() const {
  return sqlite3_bind_parameter_count(m_stmt);
}

std::string_view Stmt::column_view(int index) const {
  auto p = sqlite3_column_text(m_stmt, index);
  return p ? std::string_view(reinterpret_cast<const char*>(p),
                              static_cast<std::size_t>(sqlite3_column_bytes(m_stmt, index)))
           : std::string_view();
}

bool Stmt::column_is_null(int index) const {
  return sqlite3_column_type(m_stmt, index) == SQLITE_NULL;
}

std::optional<std::string> Stmt::column_optional(int index) const {
  if (column_is_null(index)) return std::nullopt;
  return column_text(index);
}

Value Stmt::column_value(int index) const {
  switch (sqlite3_column_type(m_stmt, index)) {
    case SQLITE_NULL:
      return std::monostate{};
    case SQLITE_INTEGER:
      return column_int(index);
    default:
      return column_text(index);
  }
}

int Stmt::column_count() const {
  return sqlite3_column_count(m_stmt);
}
std::string Stmt::column_name(int index) const {
  return sqlite3_column_name(m_stmt, index);
}

// ---- Db

Db::Db(sqlite3* db, std::string path) : m_db(db), m_path(std::move(path)) {}
Db::Db(Db&& other) noexcept : m_db(other.m_db), m_path(std::move(other.m_path)), m_cache(std::move(other.m_cache)) {
  other.m_db = nullptr;
}
Db::~Db() {
  m_cache.clear();
  if (m_db) sqlite3_close_v2(m_db);
}

Db Db::open(const std::string& path, OpenMode mode) {
  namespace fs = std::filesystem;
  bool memory = path == ":memory:";
  std::error_code ec;
  bool exists = !memory && fs::exists(path, ec);
  if (mode == OpenMode::existing && !memory && !exists)
    throw Error(ErrorKind::not_found, trf("no database at {}. Create one with 'setevoe --db {} init --name NAME', or "
                                          "give the right path with --db or SETEVOE_DB.",
                                          path, path));
  if (mode == OpenMode::create && exists)
    throw Error(ErrorKind::cannot_create, trf("{} already exists; setevoe init never overwrites a database. Choose "
                                              "another path, or move the old file away first.",
                                              path));
  if (!memory && fs::is_directory(path, ec))
    throw Error(ErrorKind::usage,
                trf("{} is a folder, not a database file. Give the path of the database file.", path));
  if (mode == OpenMode::create && !memory) {
    auto parent = fs::path(path).parent_path();
    if (!parent.empty() && !fs::is_directory(parent, ec))
      throw Error(ErrorKind::cannot_create,
                  trf("cannot create {}: the folder {} does not exist. Create it first.", path, parent.string()));
  }

  sqlite3* raw = nullptr;
  int flags =
      SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX | (mode == OpenMode::create || memory ? SQLITE_OPEN_CREATE : 0);
  int rc = sqlite3_open_v2(path.c_str(), &raw, flags, nullptr);
  Db db(raw, path);
  if (rc != SQLITE_OK) {
    if (mode == OpenMode::create)
      throw Error(ErrorKind::cannot_create, trf("cannot create the database {}: {}. Check that the folder is "
                                                "writable.",
                                                path, sqlite3_errmsg(raw)));
    throw Error(ErrorKind::io,
                trf("cannot open the database {}: {}. Check the file's permissions.", path, sqlite3_errmsg(raw)));
  }
  sqlite3_extended_result_codes(raw, 1);
  sqlite3_busy_timeout(raw, 5000);
  // Before anything reads the schema: migrations create, and queries read,
  // full-text tables that name the tokenizer, which is per connection.
  search::register_tokenizer(raw);

  int app_id = 0;
  try {
    app_id = static_cast<int>(db.query_int("PRAGMA application_id"));
  } catch (const Error& e) {
    if (e.kind() != ErrorKind::corrupt) throw;
    throw Error(ErrorKind::corrupt, trf("{} is not a setevoe database (it is not an SQLite file at all). Check the "
                                        "path given with --db or SETEVOE_DB.",
                                        path));
  }
  int version = db.schema_version();
  bool empty = db.query_int("SELECT count(*) FROM sqlite_schema") == 0;
  if (!(app_id == 0 && version == 0 && empty) && app_id != k_application_id)
    throw Error(ErrorKind::corrupt, trf("{} is an SQLite database, but not a setevoe database. Check the path given "
                                        "with --db or SETEVOE_DB.",
                                        path));
  if (mode == OpenMode::existing && empty && !memory)
    throw Error(ErrorKind::corrupt, trf("{} is an empty file, not a setevoe database. Remove it and run 'setevoe "
                                        "init', or give the right path.",
                                        path));
  int latest = k_migrations.empty() ? 0 : k_migrations.back().number;
  if (version > latest)
    throw Error(ErrorKind::bad_data, trf("{} was made by a newer setevoe (schema version {}; this one knows up to {}). "
                                         "Update setevoe on this machine.",
                                         path, version, latest));

  if (!memory) db.query_text("PRAGMA journal_mode=WAL");
  // The page cache stays SQLite's 2 MB until a write (Transaction).
  db.exec("PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;");
  db.migrate();
  return db;
}

void Db::exec(const std::string& sql) {
  char* err = nullptr;
  int rc = sqlite3_exec(m_db, sql.c_str(), nullptr, nullptr, &err);
  if (err) sqlite3_free(err);
  if (rc != SQLITE_OK) throw_sqlite(m_db, rc, sql);
}

Stmt& Db::cached(const std::string& sql) {
  auto it = m_cache.find(sql);
  if (it == m_cache.end()) it = m_cache.emplace(sql, std::make_unique<Stmt>(*this, sql)).first;
  it->second->reset();
  return *it->second;
}

std::optional<std::string> Db::query_text(const std::string& sql) {
  Stmt s(*this, sql);
  if (!s.step() || s.column_is_null(0)) return std::nullopt;
  return s.column_text(0);
}

std::int64_t Db::query_int(const std::string& sql) {
  Stmt s(*this, sql);
  return s.step() ? s.column_int(0) : 0;
}

int Db::schema_version() {
  return static_cast<int>(query_int("PRAGMA user_version"));
}

void Db::migrate() {
  int version = schema_version();
  if (version >= (k_migrations.empty() ? 0 : k_migrations.back().number)) return;
  Transaction tx(*this, Transaction::Kind::write);
  for (const auto& m : k_migrations) {
    if (m.number <= version) continue;
    exec(m.sql);
    exec(fmt::format("PRAGMA user_version={}", m.number));
  }
  exec(fmt::format("PRAGMA application_id={}", k_application_id));
  tx.commit();
}

// ---- Transaction

Transaction::Transaction(Db& db, Kind kind) : m_db(db) {
  // Writes get a 32 MB page cache: bulk imports into a registry of thousands
  // of people stay in memory until commit instead of spilling pages to the
  // WAL midway. A command that only reads keeps the 2 MB, which it recycles:
  // with 32 MB every page it reads took a fresh buffer (a page fault), a few
  // milliseconds of each search that the sqlite3 shell does not pay.
  m_db.exec(kind == Kind::write ? "PRAGMA cache_size=-32000; BEGIN IMMEDIATE" : "BEGIN DEFERRED");
}

Transaction::~Transaction() {
  if (m_open) sqlite3_exec(m_db.handle(), "ROLLBACK", nullptr, nullptr, nullptr);
}

void Transaction::commit() {
  m_db.exec("COMMIT");
  m_open = false;
}

}  // namespace setevoe::core
