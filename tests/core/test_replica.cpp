// Unit tests of the replicated write path: sequence numbers, field versions,
// tombstones, the clock, authority.
#include <catch2/catch.hpp>

#include "core/hlc.hpp"
#include "core/maintenance.hpp"
#include "core/replica.hpp"
#include "support.hpp"

using namespace setevoe;
using namespace setevoe::core;

namespace {

std::vector<std::int64_t> own_seqs(Db& db) {
  Stmt s(db,
         "SELECT c.seq FROM change c JOIN origin o ON o.num = c.origin "
         "JOIN setting st ON st.key = 'self_origin' AND st.value = o.id ORDER BY c.seq");
  std::vector<std::int64_t> out;
  while (s.step()) out.push_back(s.column_int(0));
  return out;
}

std::string versions(Db& db, const std::string& table, const std::string& id) {
  Stmt s(db, "SELECT _v FROM " + table + " WHERE id = ?");
  s.bind(1, id);
  REQUIRE(s.step());
  return s.column_text(0);
}

// The version of a field of a row owned by this node.
std::string field_version(const std::string& versions_json, std::string_view field) {
  return core::field_version(versions_json, field, "01900000-0000-7000-8000-0000000000ff");
}

// A wall clock the test moves by hand.
struct ManualClock {
  std::shared_ptr<std::int64_t> now = std::make_shared<std::int64_t>(1'800'000'000'000);
  util::WallClock fn() const {
    auto p = now;
    return [p] { return *p; };
  }
};

}  // namespace

TEST_CASE("every write appends to the change log with a strictly increasing sequence") {
  auto db = test::memory_node();
  std::string id;
  {
    Writer w(db);
    id = w.create(tables::org, {{"kind", "school"}, {"name", "СОШ № 1"}, {"status", "active"}});
    w.update(tables::org, id, {{"name", "СОШ № 1 г. Гудермес"}});
    w.commit();
  }
  {
    Writer w(db);
    w.update(tables::org, id, {{"status", "left"}});
    w.remove(tables::org, id);
    w.commit();
  }
  CHECK(own_seqs(db) == std::vector<std::int64_t>{1, 2, 3, 4});
}

TEST_CASE("a sequence number is never reused, even after a rolled back write") {
  auto db = test::memory_node();
  {
    Writer w(db);
    w.create(tables::org, {{"kind", "school"}, {"name", "А"}, {"status", "active"}});
    w.commit();
  }
  {
    Writer w(db);  // rolled back: never committed
    w.create(tables::org, {{"kind", "school"}, {"name", "Б"}, {"status", "active"}});
  }
  {
    Writer w(db);
    w.create(tables::org, {{"kind", "school"}, {"name", "В"}, {"status", "active"}});
    w.commit();
  }
  auto seqs = own_seqs(db);
  CHECK(seqs == std::vector<std::int64_t>{1, 2});
  CHECK(db.query_int("SELECT last_seq FROM origin") == 2);
  CHECK(db.query_int("SELECT count(*) FROM org WHERE name = 'Б'") == 0);
  // The stream's counter is the record of what was issued: a later writer continues from it.
  db.exec("DELETE FROM change");
  {
    Writer w(db);
    w.create(tables::org, {{"kind", "school"}, {"name", "Г"}, {"status", "active"}});
    w.commit();
  }
  CHECK(own_seqs(db) == std::vector<std::int64_t>{3});
}

TEST_CASE("each field's version grows on every local edit and others stay") {
  auto db = test::memory_node();
  ManualClock clock;
  std::string id;
  {
    Writer w(db, clock.fn());
    id = w.create(tables::org, {{"kind", "school"}, {"name", "СОШ"}, {"status", "active"}});
    w.commit();
  }
  auto v0 = versions(db, "org", id);
  auto name0 = field_version(v0, "name"), status0 = field_version(v0, "status");
  CHECK(name0 == status0);
  for (int i = 0; i < 3; ++i) {
    Writer w(db, clock.fn());
    w.update(tables::org, id, {{"name", "СОШ " + std::to_string(i)}});
    w.commit();
    auto v = versions(db, "org", id);
    CHECK(field_version(v, "name") > name0);
    CHECK(field_version(v, "status") == status0);
    CHECK(field_version(v, "kind") == status0);
    name0 = field_version(v, "name");
  }
  // The change log entry's version is the version on the field it wrote.
  Stmt last(db, "SELECT hlc FROM change ORDER BY seq DESC LIMIT 1");
  REQUIRE(last.step());
  CHECK(version_string(static_cast<std::uint64_t>(last.column_int(0)), self_node(db).id) ==
        core::field_version(versions(db, "org", id), "name", self_node(db).id));
}

TEST_CASE("writing a field with its current value changes nothing and logs nothing") {
  auto db = test::memory_node();
  Writer w(db);
  auto id = w.create(tables::org, {{"kind", "school"}, {"name", "СОШ"}, {"status", "active"}});
  auto before = versions(db, "org", id);
  CHECK_FALSE(w.update(tables::org, id, {{"name", "СОШ"}}));
  CHECK(versions(db, "org", id) == before);
  CHECK(db.query_int("SELECT count(*) FROM change") == 1);
}

TEST_CASE("removal writes a versioned tombstone, never a DELETE") {
  auto db = test::memory_node();
  Writer w(db);
  auto id = w.create(tables::org, {{"kind", "school"}, {"name", "СОШ"}, {"status", "active"}});
  w.remove(tables::org, id);
  w.commit();
  Stmt s(db, "SELECT deleted, name, _v FROM org WHERE id = ?");
  s.bind(1, id);
  REQUIRE(s.step());
  CHECK(s.column_int(0) == 1);
  CHECK(s.column_text(1) == "СОШ");
  auto owner = self_node(db).id;
  CHECK(core::field_version(s.column_text(2), "deleted", owner) > core::field_version(s.column_text(2), "name", owner));
  Writer again(db);
  CHECK_THROWS_AS(again.remove(tables::org, id), Error);
  CHECK_THROWS_AS(again.update(tables::org, id, {{"name", "x"}}), Error);
}

TEST_CASE("the clock stays monotonic when the wall clock jumps back") {
  auto db = test::memory_node();
  ManualClock clock;
  std::vector<std::string> seen;
  std::string id;
  {
    Writer w(db, clock.fn());
    id = w.create(tables::org, {{"kind", "school"}, {"name", "0"}, {"status", "active"}});
    w.commit();
  }
  seen.push_back(field_version(versions(db, "org", id), "name"));
  for (std::int64_t jump : {-3'600'000, 0, -86'400'000, 5, -1}) {
    *clock.now += jump;
    Writer w(db, clock.fn());  // a new writer reads the clock back from the database
    w.update(tables::org, id, {{"name", std::to_string(jump)}});
    w.commit();
    seen.push_back(field_version(versions(db, "org", id), "name"));
  }
  for (std::size_t i = 1; i < seen.size(); ++i) CHECK(seen[i - 1] < seen[i]);
}

TEST_CASE("a school may not change rows owned by another node") {
  auto db = test::memory_node(Role::school);
  db.exec(
      "INSERT INTO node (id, name, role, public_key, created_at) VALUES "
      "('01900000-0000-7000-8000-00000000aaaa', 'Районный узел', 'hub', '00', '2026-01-01T00:00:00Z')");
  db.exec(
      "INSERT INTO org (id, owner, kind, name, status, _v) VALUES ('01900000-0000-7000-8000-000000000001', "
      "'01900000-0000-7000-8000-00000000aaaa', 'methodological-association', 'РМО', 'active', "
      "'{\"*\":\"0000018000000000.01900000-0000-7000-8000-00000000aaaa\"}')");
  Writer w(db);
  try {
    w.update(tables::org, "01900000-0000-7000-8000-000000000001", {{"name", "РМО учителей"}});
    FAIL("a school changed the hub's row");
  } catch (const Error& e) {
    CHECK(e.kind() == ErrorKind::not_permitted);
    CHECK(std::string(e.what()).find("Районный узел") != std::string::npos);
  }
  CHECK_THROWS_AS(w.remove(tables::org, "01900000-0000-7000-8000-000000000001"), Error);
  // Hub-only tables: appointments and directions.
  CHECK_THROWS_AS(w.create(tables::expertise, {{"person", "p"}, {"direction", "d"}}), Error);
  CHECK_THROWS_AS(w.create(tables::direction, {{"code", "x"}, {"name", "X"}}), Error);
  CHECK(db.query_int("SELECT count(*) FROM change") == 0);
}

TEST_CASE("the hub may change any row, and rows it creates for others keep their owner") {
  auto db = test::memory_node(Role::hub);
  db.exec(
      "INSERT INTO org (id, owner, kind, name, status, _v) VALUES ('01900000-0000-7000-8000-000000000001', "
      "'01900000-0000-7000-8000-00000000bbbb', 'school', 'СОШ', 'active', "
      "'{\"*\":\"0000018000000000.01900000-0000-7000-8000-00000000bbbb\"}')");
  Writer w(db);
  CHECK(w.update(tables::org, "01900000-0000-7000-8000-000000000001", {{"status", "left"}}));
  w.create(tables::expertise, {{"person", "p"}, {"direction", "d"}});
  w.create_with_id(tables::contact, "01900000-0000-7000-8000-000000000002", {{"email", "a@b.ru"}},
                   "01900000-0000-7000-8000-00000000bbbb");
  w.commit();
  CHECK(db.query_text("SELECT owner FROM org") == std::optional<std::string>("01900000-0000-7000-8000-00000000bbbb"));
  CHECK(db.query_text("SELECT owner FROM contact") ==
        std::optional<std::string>("01900000-0000-7000-8000-00000000bbbb"));
  // The hub wrote the contacts: their version names the hub, not the owner.
  auto contact_v = versions(db, "contact", "01900000-0000-7000-8000-000000000002");
  auto hub = self_node(db).id;
  CHECK(core::field_version(contact_v, "email", "01900000-0000-7000-8000-00000000bbbb").substr(17) == hub);
  // A row the hub owns stores bare ticks for its creation, read back with the owner.
  auto expertise_v = *db.query_text("SELECT _v FROM expertise");
  CHECK(expertise_v.size() == std::string(R"({"*":"0123456789abcdef"})").size());
  CHECK(core::field_version(expertise_v, "person", hub).substr(17) == hub);
}

TEST_CASE("a failed write inside a writer leaves the database as it was") {
  auto db = test::memory_node();
  {
    Writer w(db);
    w.create(tables::org, {{"kind", "school"}, {"name", "А"}, {"status", "active"}});
    CHECK_THROWS(w.update(tables::org, "01900000-0000-7000-8000-00000000ffff", {{"name", "x"}}));
  }
  CHECK(db.query_int("SELECT count(*) FROM org") == 0);
  CHECK(db.query_int("SELECT count(*) FROM change") == 0);
  CHECK(db.query_int("SELECT last_seq FROM origin") == 0);
}

TEST_CASE("a database copied elsewhere or put back from a backup continues under a new incarnation") {
  test::TempDir dir;
  auto path = dir.file("school.db");
  InitOptions o;
  o.name = "СОШ № 1";
  init_node(path, o);
  auto write_one = [](const std::string& p) {
    auto db = Db::open(p, OpenMode::existing);
    Writer w(db);
    w.create(tables::org, {{"kind", "school"}, {"name", "Школа"}, {"status", "active"}});
    w.commit();
    return *db.query_text("SELECT value FROM setting WHERE key = 'self_origin'");
  };
  auto first = write_one(path);
  CHECK(write_one(path) == first);  // the same file: the same stream
  {
    auto db = Db::open(path, OpenMode::existing);
    db.exec("PRAGMA wal_checkpoint(TRUNCATE)");
  }
  std::filesystem::copy_file(path, dir.file("copy.db"));
  auto copied = write_one(dir.file("copy.db"));
  CHECK(copied != first);
  {
    auto db = Db::open(path, OpenMode::existing);
    backup_database(db, dir.file("backup.db"), false);
  }
  auto restored = write_one(dir.file("backup.db"));
  CHECK(restored != first);
  CHECK(write_one(dir.file("backup.db")) == restored);  // once, not at every write
  auto db = Db::open(dir.file("backup.db"), OpenMode::existing);
  Stmt s(db, "SELECT seq FROM change c JOIN origin o ON o.num = c.origin WHERE o.id = ? ORDER BY seq");
  s.bind(1, restored);
  std::vector<std::int64_t> seqs;
  while (s.step()) seqs.push_back(s.column_int(0));
  CHECK(seqs == std::vector<std::int64_t>{1, 2});  // a new stream starts at 1
}
