// Unit tests of the storage layer and node initialisation.
#include <catch2/catch.hpp>

#include <sys/stat.h>
#include <fstream>

#include "core/db.hpp"
#include "core/maintenance.hpp"
#include "core/node.hpp"
#include "core/schema.hpp"
#include "support.hpp"

using namespace setevoe;
using namespace setevoe::core;
using test::kind_of;
using test::message_of;

namespace {
InitOptions school() {
  InitOptions o;
  o.name = "МБОУ «СОШ № 3»";
  return o;
}
}  // namespace

TEST_CASE("migrations are numbered from 1 without gaps") {
  REQUIRE_FALSE(k_migrations.empty());
  for (std::size_t i = 0; i < k_migrations.size(); ++i) CHECK(k_migrations[i].number == static_cast<int>(i) + 1);
}

TEST_CASE("init makes a WAL database with our application id, schema version and a 0600 key") {
  test::TempDir dir;
  auto path = dir.file("school.db");
  auto node = init_node(path, school());
  CHECK(node.role == Role::school);
  struct stat st {};
  REQUIRE(::stat(key_path_for(path).c_str(), &st) == 0);
  CHECK((st.st_mode & 0777) == 0600);
  // Nothing temporary is left behind.
  int files = 0;
  for (auto& e : std::filesystem::directory_iterator(dir.path())) {
    (void)e;
    ++files;
  }
  CHECK(files == 2);
  auto db = Db::open(path, OpenMode::existing);
  CHECK(db.query_int("PRAGMA application_id") == k_application_id);
  CHECK(db.schema_version() == k_migrations.back().number);
  CHECK(db.query_text("PRAGMA journal_mode") == std::optional<std::string>("wal"));
  CHECK(db.query_int("PRAGMA busy_timeout") > 0);
  CHECK(self_node(db).id == node.id);
  CHECK(db.query_int("SELECT count(*) FROM direction") == 8);
  // The secret key is not in the database.
  std::ifstream key(key_path_for(path));
  std::string header, secret;
  key >> header >> secret;
  CHECK(header == "setevoe-ed25519-secret-key-1");
  CHECK(secret.size() == 128);
  CHECK(db.query_int("SELECT count(*) FROM node WHERE public_key = '" + secret.substr(64) + "'") == 1);
  CHECK(db.query_int("SELECT count(*) FROM setting WHERE value LIKE '%" + secret.substr(0, 32) + "%'") == 0);
}

TEST_CASE("init refuses to overwrite a database or a stray key") {
  test::TempDir dir;
  auto path = dir.file("school.db");
  init_node(path, school());
  CHECK(kind_of([&] { init_node(path, school()); }) == ErrorKind::cannot_create);
  auto other = dir.file("other.db");
  std::ofstream(key_path_for(other)) << "secret";
  CHECK(kind_of([&] { init_node(other, school()); }) == ErrorKind::cannot_create);
  CHECK_FALSE(std::filesystem::exists(other));
}

TEST_CASE("init with bad input leaves nothing behind") {
  test::TempDir dir;
  auto path = dir.file("x.db");
  InitOptions o = school();
  o.time_zone = "Mars/Olympus";
  CHECK(kind_of([&] { init_node(path, o); }) == ErrorKind::usage);
  o = school();
  o.name = "  ";
  CHECK(kind_of([&] { init_node(path, o); }) == ErrorKind::usage);
  CHECK(std::filesystem::is_empty(dir.path()));
  CHECK(kind_of([&] { init_node(dir.file("missing/x.db"), school()); }) == ErrorKind::cannot_create);
}

TEST_CASE("opening what is not a setevoe database is a clear error") {
  test::TempDir dir;
  CHECK(kind_of([&] { Db::open(dir.file("none.db"), OpenMode::existing); }) == ErrorKind::not_found);
  std::ofstream(dir.file("text.db")) << "this is not SQLite at all, just some text that is long enough to matter";
  CHECK(kind_of([&] { Db::open(dir.file("text.db"), OpenMode::existing); }) == ErrorKind::corrupt);
  std::ofstream(dir.file("empty.db")).close();
  CHECK(kind_of([&] { Db::open(dir.file("empty.db"), OpenMode::existing); }) == ErrorKind::corrupt);
  {
    sqlite3* raw = nullptr;
    sqlite3_open(dir.file("foreign.db").c_str(), &raw);
    sqlite3_exec(raw, "CREATE TABLE t(x)", nullptr, nullptr, nullptr);
    sqlite3_close(raw);
  }
  CHECK(kind_of([&] { Db::open(dir.file("foreign.db"), OpenMode::existing); }) == ErrorKind::corrupt);
  CHECK(kind_of([&] { Db::open(dir.path().string(), OpenMode::existing); }) == ErrorKind::usage);
}

TEST_CASE("a database from a newer setevoe is refused, not damaged") {
  test::TempDir dir;
  auto path = dir.file("new.db");
  init_node(path, school());
  {
    auto db = Db::open(path, OpenMode::existing);
    db.exec("PRAGMA user_version = 999");
  }
  CHECK(kind_of([&] { Db::open(path, OpenMode::existing); }) == ErrorKind::bad_data);
  sqlite3* raw = nullptr;
  sqlite3_open(path.c_str(), &raw);
  sqlite3_stmt* s = nullptr;
  sqlite3_prepare_v2(raw, "PRAGMA user_version", -1, &s, nullptr);
  sqlite3_step(s);
  CHECK(sqlite3_column_int(s, 0) == 999);
  sqlite3_finalize(s);
  sqlite3_close(raw);
}

TEST_CASE("a statement error quotes its SQL") {
  auto db = test::memory_node();
  try {
    Stmt s(db, "SELECT nonsense FROM nowhere");
    FAIL("prepared");
  } catch (const Error& e) {
    CHECK(std::string(e.what()).find("SELECT nonsense FROM nowhere") != std::string::npos);
  }
}

TEST_CASE("a second writer waits and then reports busy instead of corrupting") {
  test::TempDir dir;
  auto path = dir.file("busy.db");
  init_node(path, school());
  auto a = Db::open(path, OpenMode::existing);
  auto b = Db::open(path, OpenMode::existing);
  sqlite3_busy_timeout(b.handle(), 50);
  Transaction hold(a, Transaction::Kind::write);
  CHECK(kind_of([&] { Transaction t(b, Transaction::Kind::write); }) == ErrorKind::busy);
}

TEST_CASE("check finds nothing wrong in a fresh database and backup makes a usable copy") {
  test::TempDir dir;
  auto path = dir.file("school.db");
  init_node(path, school());
  auto db = Db::open(path, OpenMode::existing);
  CHECK(check_database(db).empty());
  backup_database(db, dir.file("copy.db"), false);
  auto copy = Db::open(dir.file("copy.db"), OpenMode::existing);
  CHECK(self_node(copy).id == self_node(db).id);
  CHECK(kind_of([&] { backup_database(db, dir.file("copy.db"), false); }) == ErrorKind::cannot_create);
  backup_database(db, dir.file("copy.db"), true);
  CHECK(kind_of([&] { backup_database(db, dir.file("missing/copy.db"), false); }) == ErrorKind::cannot_create);
  db.exec("INSERT INTO change (origin, seq, tbl, row_id, hlc) VALUES (1, 99, 'org', 'nope', 1)");
  CHECK_FALSE(check_database(db).empty());
}
