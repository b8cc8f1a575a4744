// Unit tests of bundle files: a round trip, and refusals of damaged, forged
// and hostile files.
#include <catch2/catch.hpp>
#include <zip.h>

#include <fstream>
#include <functional>

#include "core/bundle.hpp"
#include "core/replica.hpp"
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
  int err = 0;
  zip_t* in = zip_open(from.c_str(), ZIP_RDONLY, &err);
  REQUIRE(in);
  std::vector<std::pair<std::string, std::string>> entries;
  for (zip_int64_t i = 0; i < zip_get_num_entries(in, 0); ++i) {
    zip_stat_t st;
    zip_stat_index(in, static_cast<zip_uint64_t>(i), 0, &st);
    std::string data(st.size, '\0');
    zip_file_t* f = zip_fopen_index(in, static_cast<zip_uint64_t>(i), 0);
    zip_fread(f, data.data(), st.size);
    zip_fclose(f);
    entries.emplace_back(st.name, data);
  }
  zip_discard(in);
  edit(entries);
  zip_t* out = zip_open(to.c_str(), ZIP_CREATE | ZIP_TRUNCATE, &err);
  for (auto& [name, data] : entries) zip_file_add(out, name.c_str(), zip_source_buffer(out, data.data(), data.size(), 0), 0);
  REQUIRE(zip_close(out) == 0);
  return to;
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
      std::string msg;
      ErrorKind kind = ErrorKind::internal;
      try {
        read_bundle(path);
      } catch (const Error& e) {
        msg = e.what();
        kind = e.kind();
      }
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
  SECTION("missing file") { CHECK(kind_of([&] { read_bundle(p.dir.file("none.zip")); }) == ErrorKind::not_found); }
}
