// Unit tests of bundle files: a round trip, and refusals of damaged, forged
// and hostile files.
#include <fmt/format.h>
#include <sodium.h>
#include <sqlite3.h>
#include <zip.h>
#include <catch2/catch.hpp>

#include <fstream>
#include <functional>

#include "bundle_support.hpp"
#include "core/bundle.hpp"
#include "core/replica.hpp"
#include "core/util/hash.hpp"
#include "support.hpp"

using namespace setevoe;
using namespace setevoe::core;
using test::kind_of;

namespace {

struct Pair {
  test::TempDir dir;
  Db hub = Db::open(":memory:", OpenMode::create);
  Db school = Db::open(":memory:", OpenMode::create);
  NodeInfo hub_info, school_info;
  std::string school_secret;
  Pair() {
    InitOptions h;
    h.name = "УО";
    h.role = Role::hub;
    hub_info = init_node_in(hub, h, nullptr);
    InitOptions s;
    s.name = "СОШ № 1";
    school_info = init_node_in(school, s, &school_secret);
    remember_node(hub, {school_info.id, school_info.name, "school", school_info.public_key});
    remember_node(school, {hub_info.id, hub_info.name, "hub", hub_info.public_key});
    Writer w(school);
    w.create(tables::org, {{"kind", "school"}, {"name", "СОШ № 1"}, {"status", "active"}});
    w.commit();
  }
  std::string pack(const std::string& name) {
    auto path = dir.file(name);
    write_bundle(collect_changes(school, hub_info.id), school_info, school_secret, path);
    return path;
  }
};

// Copies a bundle's entries into a new zip, letting `edit` change them.
std::string rewrite(const std::string& from, const std::string& to,
                    const std::function<void(std::vector<std::pair<std::string, std::string>>&)>& edit) {
  auto entries = test::zip_entries(from);
  edit(entries);
  return test::write_zip(to, entries);
}

std::string& entry(std::vector<std::pair<std::string, std::string>>& e, const std::string& name) {
  for (auto& [n, d] : e)
    if (n == name) return d;
  FAIL("no entry " << name);
  static std::string none;
  return none;
}

}  // namespace

TEST_CASE("a bundle carries its change set intact and merges") {
  Pair p;
  auto set = collect_changes(p.school, p.hub_info.id);
  auto path = p.pack("b.zip");
  auto b = read_bundle(path);
  CHECK(b.set == set);
  CHECK(b.manifest.sender == p.school_info.id);
  CHECK(b.manifest.recipient == p.hub_info.id);
  CHECK(b.manifest.changes == 1);
  CHECK(b.sha256.size() == 64);
  CHECK(merge_changes(p.hub, b.set).applied == 1);
  CHECK(canonical_dump(p.hub) == canonical_dump(p.school));
  CHECK(kind_of([&] { p.pack("b.zip"); }) == ErrorKind::cannot_create);  // never overwrites
  int files = 0;
  for (auto& f : std::filesystem::directory_iterator(p.dir.path())) files += f.is_regular_file() ? 1 : 0;
  CHECK(files == 1);  // no temporary file left
}

TEST_CASE("damaged, forged and hostile bundles are refused with the reason") {
  Pair p;
  auto good = p.pack("good.zip");
  struct Case {
    const char* what;
    std::function<void(std::vector<std::pair<std::string, std::string>>&)> edit;
    ErrorKind kind;
    const char* says;
  };
  std::vector<Case> cases = {
      {"altered manifest", [](auto& e) { entry(e, "manifest.toml") += "# more\n"; }, ErrorKind::not_permitted,
       "signature"},
      {"altered changes", [](auto& e) { entry(e, "changes.sqlite")[200] ^= 1; }, ErrorKind::bad_data, "hash"},
      {"zip-slip name", [](auto& e) { e.emplace_back("../evil", "x"); }, ErrorKind::bad_data, "forbidden name"},
      {"absolute name", [](auto& e) { e.emplace_back("/etc/passwd", "x"); }, ErrorKind::bad_data, "forbidden name"},
      {"backslash name", [](auto& e) { e.emplace_back("objects\\x", "x"); }, ErrorKind::bad_data, "forbidden name"},
      {"missing signature", [](auto& e) { e.erase(e.begin() + 1); }, ErrorKind::bad_data, "manifest.sig"},
      {"extra entry", [](auto& e) { e.emplace_back("objects/" + std::string(64, 'a'), "x"); }, ErrorKind::bad_data,
       "does not list"},
      {"garbage signature", [](auto& e) { entry(e, "manifest.sig") = "zz"; }, ErrorKind::not_permitted, "signature"},
  };
  for (const auto& c : cases) {
    SECTION(c.what) {
      auto path = rewrite(good, p.dir.file("bad.zip"), c.edit);
      auto [kind, msg] = test::outcome_of([&] { read_bundle(path); });
      INFO(msg);
      CHECK(kind == c.kind);
      CHECK(msg.find(c.says) != std::string::npos);
    }
  }
  SECTION("not a zip at all") {
    std::ofstream(p.dir.file("text.zip")) << "hello";
    CHECK(kind_of([&] { read_bundle(p.dir.file("text.zip")); }) == ErrorKind::bad_data);
  }
  SECTION("truncated") {
    std::ifstream in(good, std::ios::binary);
    std::string data((std::istreambuf_iterator<char>(in)), {});
    std::ofstream(p.dir.file("cut.zip"), std::ios::binary) << data.substr(0, data.size() / 2);
    CHECK(kind_of([&] { read_bundle(p.dir.file("cut.zip")); }) == ErrorKind::bad_data);
  }
  SECTION("missing file") {
    CHECK(kind_of([&] { read_bundle(p.dir.file("none.zip")); }) == ErrorKind::not_found);
  }
}

// ---- A catalogue of signed but hostile bundles: the manifest is re-signed
// with the sender's real key, so every refusal below comes from a check past
// the signature.

namespace {

// A changes database made by hand with `sql`.
std::string changes_db(const std::string& sql) {
  sqlite3* db = nullptr;
  sqlite3_open(":memory:", &db);
  char* err = nullptr;
  sqlite3_exec(db, sql.c_str(), nullptr, nullptr, &err);
  INFO((err ? err : ""));
  REQUIRE(err == nullptr);
  sqlite3_int64 size = 0;
  unsigned char* bytes = sqlite3_serialize(db, "main", &size, 0);
  std::string out(reinterpret_cast<char*>(bytes), static_cast<std::size_t>(size));
  sqlite3_free(bytes);
  sqlite3_close(db);
  return out;
}

const char* k_tables =
    "CREATE TABLE node (id TEXT PRIMARY KEY, name TEXT NOT NULL, role TEXT NOT NULL, public_key TEXT NOT NULL, "
    "state TEXT NOT NULL);"
    "CREATE TABLE stream (origin TEXT PRIMARY KEY, node TEXT NOT NULL, last_seq INTEGER NOT NULL, private INTEGER NOT "
    "NULL);"
    "CREATE TABLE change (origin TEXT NOT NULL, seq INTEGER NOT NULL, tbl TEXT NOT NULL, row_id TEXT NOT NULL, "
    "owner TEXT NOT NULL, hlc INTEGER NOT NULL, PRIMARY KEY (origin, seq));"
    "CREATE TABLE field (origin TEXT NOT NULL, seq INTEGER NOT NULL, name TEXT NOT NULL, value, "
    "PRIMARY KEY (origin, seq, name));";

struct Crafted {
  std::string manifest_extra;  // replaces keys: appended lines override nothing in TOML, so the
                               // manifest is built from parts
  std::string format = "setevoe-bundle";
  int format_version = 1, schema_version = 2;
  std::string changes = changes_db(k_tables);
  std::int64_t changes_count = 0, fields_count = 0;
  std::string size_override, hash_override;
  bool list_changes = true;
  std::vector<std::pair<std::string, std::string>> extra_entries;
  bool include_changes = true;
};

std::string write_crafted(Pair& p, const Crafted& c, const std::string& name) {
  auto size = c.size_override.empty() ? std::to_string(c.changes.size()) : c.size_override;
  auto hash = c.hash_override.empty() ? util::sha256_hex(c.changes) : c.hash_override;
  std::string manifest = fmt::format(
      "format = \"{}\"\nformat_version = {}\nschema_version = {}\nsender = \"{}\"\nsender_name = \"{}\"\n"
      "sender_key = \"{}\"\nrecipient = \"{}\"\ncreated = \"2026-11-28T20:00:00Z\"\n{}\n[counts]\nchanges = {}\n"
      "fields = {}\n",
      c.format, c.format_version, c.schema_version, p.school_info.id, p.school_info.name, p.school_info.public_key,
      p.hub_info.id, c.manifest_extra, c.changes_count, c.fields_count);
  if (c.list_changes)
    manifest += fmt::format("\n[[entry]]\nname = \"changes.sqlite\"\nsize = {}\nsha256 = \"{}\"\n", size, hash);
  auto signature = test::sign_manifest(manifest, p.school_secret);
  auto path = p.dir.file(name);
  int err = 0;
  zip_t* z = zip_open(path.c_str(), ZIP_CREATE | ZIP_TRUNCATE, &err);
  std::vector<std::pair<std::string, std::string>> entries = {{"manifest.toml", manifest}, {"manifest.sig", signature}};
  if (c.include_changes) entries.emplace_back("changes.sqlite", c.changes);
  for (const auto& e : c.extra_entries) entries.push_back(e);
  for (auto& [n, d] : entries) zip_file_add(z, n.c_str(), zip_source_buffer(z, d.data(), d.size(), 0), 0);
  REQUIRE(zip_close(z) == 0);
  return path;
}

}  // namespace

TEST_CASE("signed but hostile bundles are refused and change nothing") {
  Pair p;
  auto origin = collect_changes(p.school, p.hub_info.id).streams[0].origin;
  auto one_change = [&](const std::string& extra_sql) {
    return changes_db(
        std::string(k_tables) +
        fmt::format("INSERT INTO node VALUES ('{0}', 'СОШ № 1', 'school', '{1}', 'approved');"
                    "INSERT INTO stream VALUES ('{2}', '{0}', 1, 0);"
                    "INSERT INTO change VALUES ('{2}', 1, 'org', '01900000-0000-7000-8000-0000000000c1', '{0}', 1);"
                    "INSERT INTO field VALUES ('{2}', 1, 'name', 'x');{3}",
                    p.school_info.id, p.school_info.public_key, origin, extra_sql));
  };
  // A bundle of that one change, with the counts that match it.
  auto one_change_in = [&](Crafted& c, const std::string& extra_sql) {
    c.changes = one_change(extra_sql);
    c.changes_count = 1;
    c.fields_count = 1;
  };
  struct Case {
    const char* what;
    Crafted c;
    ErrorKind kind;
    const char* says;
  };
  std::vector<Case> cases;
  auto add = [&](const char* what, auto edit, ErrorKind kind, const char* says) {
    Crafted c;
    edit(c);
    cases.push_back({what, c, kind, says});
  };
  add(
      "another format", [](Crafted& c) { c.format = "zip-of-cats"; }, ErrorKind::bad_data, "format");
  add(
      "a newer format version", [](Crafted& c) { c.format_version = 99; }, ErrorKind::bad_data, "newer setevoe");
  add(
      "a newer schema", [](Crafted& c) { c.schema_version = 999; }, ErrorKind::bad_data, "newer setevoe");
  add(
      "a lying size", [](Crafted& c) { c.size_override = "12"; }, ErrorKind::bad_data, "changes.sqlite");
  add(
      "a huge declared size", [](Crafted& c) { c.size_override = "99999999999999"; }, ErrorKind::bad_data,
      "larger than");
  add(
      "a lying hash", [](Crafted& c) { c.hash_override = std::string(64, 'a'); }, ErrorKind::bad_data, "hash");
  add(
      "a malformed hash", [](Crafted& c) { c.hash_override = "abc"; }, ErrorKind::bad_data, "malformed");
  add(
      "changes not listed", [](Crafted& c) { c.list_changes = false; }, ErrorKind::bad_data, "lists no entries");
  add(
      "listed but missing", [](Crafted& c) { c.include_changes = false; }, ErrorKind::bad_data, "missing");
  add(
      "an unlisted extra entry",
      [](Crafted& c) { c.extra_entries.emplace_back("objects/" + std::string(64, 'b'), "data"); }, ErrorKind::bad_data,
      "does not list");
  add(
      "changes that are not SQLite", [](Crafted& c) { c.changes = std::string(4096, 'x'); }, ErrorKind::bad_data,
      "changes.sqlite");
  add(
      "empty changes", [](Crafted& c) { c.changes = ""; }, ErrorKind::bad_data, "changes.sqlite");
  add(
      "an extra table", [](Crafted& c) { c.changes = changes_db(std::string(k_tables) + "CREATE TABLE evil(x);"); },
      ErrorKind::bad_data, "tables of a bundle");
  add(
      "a trigger",
      [](Crafted& c) {
        c.changes =
            changes_db(std::string(k_tables) + "CREATE TRIGGER t AFTER INSERT ON node BEGIN DELETE FROM change; END;");
      },
      ErrorKind::bad_data, "tables of a bundle");
  add(
      "a view", [](Crafted& c) { c.changes = changes_db(std::string(k_tables) + "CREATE VIEW v AS SELECT 1;"); },
      ErrorKind::bad_data, "tables of a bundle");
  add(
      "missing tables", [](Crafted& c) { c.changes = changes_db("CREATE TABLE node (id TEXT PRIMARY KEY);"); },
      ErrorKind::bad_data, "tables of a bundle");
  add(
      "wrong counts",
      [&](Crafted& c) {
        c.changes = one_change("");
        c.changes_count = 5;
        c.fields_count = 1;
      },
      ErrorKind::bad_data, "counts");
  add(
      "a blob value", [&](Crafted& c) { one_change_in(c, "UPDATE field SET value = x'00ff';"); }, ErrorKind::bad_data,
      "type");
  add(
      "a huge value", [&](Crafted& c) { one_change_in(c, "UPDATE field SET value = printf('%.*c', 20000000, 'x');"); },
      ErrorKind::bad_data, "changes.sqlite");
  add(
      "a manifest that is not TOML", [](Crafted& c) { c.manifest_extra = "= broken"; }, ErrorKind::bad_data,
      "manifest.toml, line");
  auto before = canonical_dump(p.hub);
  for (const auto& c : cases) {
    SECTION(c.what) {
      auto path = write_crafted(p, c.c, "crafted.zip");
      auto [kind, msg] = test::outcome_of([&] { merge_changes(p.hub, read_bundle(path).set); });
      INFO(msg);
      CHECK(kind == c.kind);
      CHECK(msg.find(c.says) != std::string::npos);
      CHECK(canonical_dump(p.hub) == before);
    }
  }
  SECTION("a well-formed crafted bundle is accepted: the catalogue's refusals are real") {
    Crafted c;
    one_change_in(c, "");
    auto b = read_bundle(write_crafted(p, c, "fine.zip"));
    CHECK(b.set.changes.size() == 1);
  }
}

TEST_CASE("an encrypted bundle opens only with the recipient's key") {
  Pair p;
  std::string hub_secret;
  {
    // A second hub database whose secret key the test holds.
    Db other = Db::open(":memory:", OpenMode::create);
    InitOptions h;
    h.name = "УО";
    h.role = Role::hub;
    auto info = init_node_in(other, h, &hub_secret);
    auto path = p.dir.file("sealed.zip");
    auto set = collect_changes(p.school, p.hub_info.id);
    write_bundle(set, p.school_info, p.school_secret, path, info.public_key);
    auto closed = read_bundle(path);
    CHECK_FALSE(closed.opened);
    CHECK(closed.manifest.encrypted);
    CHECK(closed.manifest.changes == 1);
    auto opened = read_bundle(path, hub_secret);
    CHECK(opened.opened);
    CHECK(opened.set == set);
    CHECK(kind_of([&] { read_bundle(path, p.school_secret); }) == ErrorKind::not_permitted);
  }
}

TEST_CASE("fields stored in any order are read with their own change, in the order they were stored") {
  Pair p;
  auto origin = collect_changes(p.school, p.hub_info.id).streams[0].origin;
  Crafted c;
  c.changes = changes_db(
      std::string(k_tables) +
      fmt::format("INSERT INTO node VALUES ('{0}', 'СОШ № 1', 'school', '{1}', 'approved');"
                  "INSERT INTO stream VALUES ('{2}', '{0}', 3, 0);"
                  "INSERT INTO change VALUES ('{2}', 3, 'org', '01900000-0000-7000-8000-0000000000c3', '{0}', 3);"
                  "INSERT INTO change VALUES ('{2}', 1, 'org', '01900000-0000-7000-8000-0000000000c1', '{0}', 1);"
                  "INSERT INTO change VALUES ('{2}', 2, 'org', '01900000-0000-7000-8000-0000000000c2', '{0}', 2);"
                  "INSERT INTO field VALUES ('{2}', 2, 'status', 'left');"
                  "INSERT INTO field VALUES ('{2}', 1, 'name', 'один');"
                  "INSERT INTO field VALUES ('{2}', 2, 'name', 'два');"
                  "INSERT INTO field VALUES ('{2}', 9, 'name', 'ничей');"  // a field of no change: not read
                  "INSERT INTO field VALUES ('{2}', 1, 'kind', 'school');",
                  p.school_info.id, p.school_info.public_key, origin));
  c.changes_count = 3;
  c.fields_count = 4;
  auto b = read_bundle(write_crafted(p, c, "order.zip"));
  REQUIRE(b.set.changes.size() == 3);
  std::vector<std::int64_t> seqs;
  for (const auto& ch : b.set.changes) seqs.push_back(ch.seq);
  CHECK(seqs == std::vector<std::int64_t>{1, 2, 3});
  using F = std::vector<FieldValue>;
  CHECK(b.set.changes[0].fields == F{{"name", std::string("один")}, {"kind", std::string("school")}});
  CHECK(b.set.changes[1].fields == F{{"status", std::string("left")}, {"name", std::string("два")}});
  CHECK(b.set.changes[2].fields.empty());
  CHECK(b.set.changes[0].row == "01900000-0000-7000-8000-0000000000c1");
}
