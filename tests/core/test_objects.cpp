// Unit tests of the object store and of attached files travelling in
// bundles: content addressing, checked copies, damaged objects, staging
// under temporary names, lying and oversized object entries.
#include <fmt/format.h>
#include <sodium.h>
#include <zip.h>
#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>

#include "bundle_support.hpp"
#include "core/attachment.hpp"
#include "core/bundle.hpp"
#include "core/objects.hpp"
#include "core/util/hash.hpp"
#include "support.hpp"

using namespace setevoe;
using namespace setevoe::core;
using test::kind_of;
using test::read_file;
using test::write_file;
namespace fs = std::filesystem;

namespace {

std::string bytes(std::size_t n, unsigned seed) {
  std::string s(n, '\0');
  for (std::size_t i = 0; i < n; ++i) s[i] = static_cast<char>((i * 2654435761u + seed) >> 13);
  return s;
}

// Temporaries a store or a copy left behind.
int leftovers(const fs::path& dir) {
  int n = 0;
  std::error_code ec;
  for (const auto& e : fs::recursive_directory_iterator(dir, ec))
    if (e.path().filename().string().rfind(".tmp-", 0) == 0) ++n;
  return n;
}

}  // namespace

TEST_CASE("the object store keeps files by their SHA-256, once") {
  test::TempDir dir;
  ObjectStore store(dir.file("school.db"));
  auto data = bytes(3 * k_copy_buffer + 17, 1);  // more than one buffer
  write_file(dir.file("урок.mp4"), data);
  auto a = store.add_file(dir.file("урок.mp4"));
  CHECK(a.sha256 == util::sha256_hex(data));
  CHECK(a.size == data.size());
  CHECK(a.added);
  CHECK(store.path_of(a.sha256) ==
        dir.file("school.db") + ".objects/" + a.sha256.substr(0, 2) + "/" + a.sha256.substr(2));
  CHECK(read_file(store.path_of(a.sha256)) == data);
  CHECK(store.size_of(a.sha256) == data.size());

  SECTION("the same contents again are not stored twice") {
    write_file(dir.file("копия.mp4"), data);
    auto b = store.add_file(dir.file("копия.mp4"));
    CHECK(b.sha256 == a.sha256);
    CHECK_FALSE(b.added);
    int files = 0;
    for (const auto& e : fs::recursive_directory_iterator(store.root()))
      if (e.is_regular_file()) ++files;
    CHECK(files == 1);
  }
  SECTION("a copy out is checked, complete, and never overwrites") {
    std::uint64_t last = 0;
    store.copy_out(a.sha256, dir.file("out.mp4"), [&](std::uint64_t done) { last = done; });
    CHECK(read_file(dir.file("out.mp4")) == data);
    CHECK(last == data.size());
    CHECK(kind_of([&] { store.copy_out(a.sha256, dir.file("out.mp4")); }) == ErrorKind::cannot_create);
    CHECK(kind_of([&] { store.copy_out(a.sha256, dir.file("missing/out.mp4")); }) == ErrorKind::cannot_create);
    CHECK(kind_of([&] { store.copy_out(std::string(64, 'a'), dir.file("x")); }) == ErrorKind::not_found);
  }
  SECTION("a damaged object is refused and nothing is written") {
    {
      std::fstream f(store.path_of(a.sha256), std::ios::in | std::ios::out | std::ios::binary);
      f.seekp(1000);
      f.put('!');
    }
    CHECK_FALSE(store.verify(a.sha256));
    auto msg = test::message_of([&] { store.copy_out(a.sha256, dir.file("out.mp4")); });
    CHECK(msg.find("damaged") != std::string::npos);
    CHECK_FALSE(fs::exists(dir.file("out.mp4")));
    CHECK(leftovers(dir.path()) == 0);
  }
  SECTION("missing and odd inputs") {
    CHECK(kind_of([&] { store.add_file(dir.file("нет.pdf")); }) == ErrorKind::not_found);
    CHECK(kind_of([&] { store.add_file(dir.path().string()); }) == ErrorKind::usage);
    CHECK_FALSE(store.has("not-a-hash"));
    CHECK(store.verify(a.sha256));
  }
}

TEST_CASE("objects enter the store only whole and checked") {
  test::TempDir dir;
  ObjectStore store(dir.file("hub.db"));
  auto data = bytes(100000, 2);
  SECTION("a writer dropped before commit leaves nothing") {
    {
      ObjectStore::Writer w(store, util::sha256_hex(data));
      w.write(data.data(), data.size());
      w.finish();
      CHECK(leftovers(store.root()) == 1);
    }
    CHECK(leftovers(store.root()) == 0);
    CHECK_FALSE(store.has(util::sha256_hex(data)));
  }
  SECTION("contents that are not the expected ones are refused") {
    ObjectStore::Writer w(store, util::sha256_hex(data));
    w.write(data.data(), data.size() - 1);
    CHECK(kind_of([&] { w.finish(); }) == ErrorKind::bad_data);
  }
  SECTION("committed, it is in place") {
    ObjectStore::Writer w(store);
    w.write(data.data(), data.size());
    auto sha = w.finish();
    w.commit();
    CHECK(store.has(sha));
    CHECK(leftovers(store.root()) == 0);
  }
  SECTION("temporaries of a dead process are removed, a live one's kept") {
    fs::create_directories(store.root());
    write_file(store.root() + "/.tmp-999999999-1", "dead");  // no such pid
    write_file(store.root() + "/.tmp-" + std::to_string(::getpid()) + "-77", "mine");
    store.remove_stale();
    CHECK_FALSE(fs::exists(store.root() + "/.tmp-999999999-1"));
    CHECK(fs::exists(store.root() + "/.tmp-" + std::to_string(::getpid()) + "-77"));
  }
}

TEST_CASE("media types come from the file name") {
  CHECK(media_type_for("Урок.MP4") == "video/mp4");
  CHECK(media_type_for("отчёт.docx") == "application/vnd.openxmlformats-officedocument.wordprocessingml.document");
  CHECK(media_type_for("scan.PDF") == "application/pdf");
  CHECK(media_type_for("без расширения") == "application/octet-stream");
}

// ---- Objects in bundles

namespace {

struct Sender {
  test::TempDir dir;
  Db db = Db::open(":memory:", OpenMode::create);
  NodeInfo info;
  std::string secret;
  Sender() {
    InitOptions o;
    o.name = "СОШ № 2";
    info = init_node_in(db, o, &secret);
  }
  // A bundle with the given files, read back.
  std::string pack(const std::vector<std::pair<std::string, std::string>>& files, const std::string& name) {
    ObjectStore store(dir.file("school.db"));
    BundleExtras extras;
    for (const auto& [fname, data] : files) {
      write_file(dir.file(fname), data);
      auto s = store.add_file(dir.file(fname));
      extras.objects.push_back({s.sha256, s.size, store.path_of(s.sha256)});
    }
    auto path = dir.file(name);
    ChangeSet set;
    set.sender = info.id;
    set.recipient = "01900000-0000-7000-8000-000000000001";
    set.wanted = {std::string(64, 'c')};
    write_bundle(set, info, secret, path, {}, extras);
    return path;
  }
};

// Rewrites a bundle: `edit_manifest` changes the manifest's text (which is
// signed again), `edit` the other entries.
std::string rewrite(Sender& s, const std::string& from, const std::string& to,
                    const std::function<void(std::string&)>& edit_manifest,
                    const std::function<void(std::vector<std::pair<std::string, std::string>>&)>& edit) {
  auto entries = test::zip_entries(from);
  for (auto& [name, data] : entries)
    if (name == "manifest.toml") edit_manifest(data);
  for (auto& [name, data] : entries)
    if (name == "manifest.sig")
      for (auto& [n2, m] : entries)
        if (n2 == "manifest.toml") data = test::sign_manifest(m, s.secret);
  edit(entries);
  return test::write_zip(s.dir.file(to), entries);
}

void replace_all(std::string& s, const std::string& from, const std::string& to) {
  for (auto pos = s.find(from); pos != std::string::npos; pos = s.find(from, pos + to.size()))
    s.replace(pos, from.size(), to);
}

}  // namespace

TEST_CASE("attached files travel in bundles, checked as they stream") {
  Sender s;
  auto photo = "\xFF\xD8\xFF" + bytes(300000, 3), text = std::string(200000, 'a');
  auto path = s.pack({{"фото.jpg", photo}, {"план.txt", text}}, "b.zip");
  auto b = read_bundle(path);
  CHECK(b.manifest.objects == 2);
  CHECK(b.set.wanted == std::vector<std::string>{std::string(64, 'c')});
  {
    // JPEG is stored as it is, text deflated.
    int err = 0;
    zip_t* z = zip_open(path.c_str(), ZIP_RDONLY, &err);
    zip_stat_t st;
    REQUIRE(zip_stat(z, ("objects/" + util::sha256_hex(photo)).c_str(), 0, &st) == 0);
    CHECK(st.comp_method == ZIP_CM_STORE);
    REQUIRE(zip_stat(z, ("objects/" + util::sha256_hex(text)).c_str(), 0, &st) == 0);
    CHECK(st.comp_method == ZIP_CM_DEFLATE);
    zip_discard(z);
  }
  test::TempDir there;
  ObjectStore store(there.file("hub.db"));
  SECTION("read into a store: staged, then committed") {
    std::uint64_t last = 0;
    auto staged = read_objects(b, &store, [&](std::uint64_t done) { last = done; });
    CHECK(last == photo.size() + text.size());
    REQUIRE(staged.size() == 2);
    CHECK_FALSE(store.has(util::sha256_hex(photo)));  // not before the commit
    for (auto& o : staged) o->commit();
    CHECK(read_file(store.path_of(util::sha256_hex(photo))) == photo);
    CHECK(read_file(store.path_of(util::sha256_hex(text))) == text);
    // Again: the store has them, nothing is read.
    CHECK(read_objects(b, &store).empty());
  }
  SECTION("staged and dropped: nothing stays") {
    { auto staged = read_objects(b, &store); }
    CHECK_FALSE(store.has(util::sha256_hex(photo)));
    CHECK(leftovers(there.path()) == 0);
  }
  SECTION("checked without a store") {
    CHECK(read_objects(b, nullptr).empty());
  }

  auto sha = util::sha256_hex(text);
  auto name = "objects/" + sha;
  auto no_edit = [](std::string&) {};
  SECTION("an object whose contents are not its hash is refused, and nothing is stored") {
    auto bad = rewrite(s, path, "lie.zip", no_edit, [&](auto& entries) {
      for (auto& [n, d] : entries)
        if (n == name) d[100] = 'b';
    });
    auto lied = read_bundle(bad);  // the manifest and changes are fine
    auto msg = test::message_of([&] { read_objects(lied, &store); });
    CHECK(msg.find("does not match its hash") != std::string::npos);
    CHECK_FALSE(store.has(sha));
    CHECK(leftovers(there.path()) == 0);
    CHECK(kind_of([&] { read_objects(lied, nullptr); }) == ErrorKind::bad_data);
  }
  SECTION("an object larger than the manifest says is refused before it is read") {
    auto bad = rewrite(
        s, path, "big.zip", [&](std::string& m) { replace_all(m, fmt::format("size = {}", text.size()), "size = 10"); },
        [](auto&) {});
    auto msg = test::message_of([&] { read_bundle(bad); });
    CHECK(msg.find("not the size manifest.toml says") != std::string::npos);
  }
  SECTION("a zip whose entry expands beyond what it declares is stopped while reading") {
    // A zip bomb that lies in its own headers: the declared size matches the
    // manifest, the deflated data expands to far more.
    auto bomb = std::string(1 << 20, 'a');
    auto bomb_sha = util::sha256_hex(bomb.substr(0, 1000));
    auto bad = rewrite(
        s, path, "bomb.zip",
        [&](std::string& m) {
          replace_all(m, sha, bomb_sha);
          replace_all(m, fmt::format("size = {}", text.size()), "size = 1000");
        },
        [&](auto& entries) {
          for (auto& [n, d] : entries)
            if (n == name) {
              n = "objects/" + bomb_sha;
              d = bomb;
            }
        });
    // Patch the sizes in the zip's local header and central directory to 1000.
    auto z = read_file(bad);
    auto patch = [&](std::size_t at) {
      z[at] = static_cast<char>(1000 & 0xFF);
      z[at + 1] = static_cast<char>(1000 >> 8);
      z[at + 2] = 0;
      z[at + 3] = 0;
    };
    auto entry_name = "objects/" + bomb_sha;
    for (auto pos = z.find(entry_name); pos != std::string::npos; pos = z.find(entry_name, pos + 1)) {
      if (pos >= 30 && z.compare(pos - 30, 4, "PK\x03\x04") == 0) patch(pos - 30 + 22);  // local header
      if (pos >= 46 && z.compare(pos - 46, 4, "PK\x01\x02") == 0) patch(pos - 46 + 24);  // central directory
    }
    write_file(bad, z);
    auto opened = read_bundle(bad);
    CHECK(kind_of([&] { read_objects(opened, &store); }) == ErrorKind::bad_data);
    CHECK(leftovers(there.path()) == 0);
    CHECK_FALSE(store.has(bomb_sha));
  }
  SECTION("an object entry the manifest does not list is refused") {
    auto other = bytes(10, 9);
    auto bad = rewrite(s, path, "extra.zip", no_edit,
                       [&](auto& entries) { entries.emplace_back("objects/" + util::sha256_hex(other), other); });
    CHECK(test::message_of([&] { read_bundle(bad); }).find("does not list") != std::string::npos);
  }
  SECTION("a listed object missing from the zip is refused") {
    auto bad = rewrite(s, path, "missing.zip", no_edit, [&](auto& entries) {
      entries.erase(std::remove_if(entries.begin(), entries.end(), [&](auto& e) { return e.first == name; }),
                    entries.end());
    });
    CHECK(test::message_of([&] { read_bundle(bad); }).find("does not hold") != std::string::npos);
  }
  SECTION("an object named by another hash than the manifest gives is refused") {
    auto bad = rewrite(
        s, path, "rename.zip",
        [&](std::string& m) { replace_all(m, "sha256 = '" + sha + "'", "sha256 = '" + std::string(64, 'd') + "'"); },
        [](auto&) {});
    CHECK(kind_of([&] { read_bundle(bad); }) == ErrorKind::bad_data);
  }
  SECTION("counts that do not match the files are refused") {
    auto bad = rewrite(
        s, path, "count.zip", [&](std::string& m) { replace_all(m, "objects = 2", "objects = 3"); }, [](auto&) {});
    CHECK(kind_of([&] { read_bundle(bad); }) == ErrorKind::bad_data);
  }
  SECTION("a wanted list with a malformed name is refused") {
    // The wanted list lives in changes.sqlite; a bad name there is hostile.
    ChangeSet set;
    set.sender = s.info.id;
    set.wanted = {"../../etc/passwd"};
    auto p = s.dir.file("wanted.zip");
    write_bundle(set, s.info, s.secret, p);
    CHECK(kind_of([&] { read_bundle(p); }) == ErrorKind::bad_data);
  }
}

TEST_CASE("a damaged object in the sender's store fails the pack, leaving no file") {
  Sender s;
  ObjectStore store(s.dir.file("school.db"));
  auto data = bytes(50000, 4);
  write_file(s.dir.file("a.bin"), data);
  auto st = store.add_file(s.dir.file("a.bin"));
  {
    std::fstream f(store.path_of(st.sha256), std::ios::in | std::ios::out | std::ios::binary);
    f.put('X');
  }
  BundleExtras extras;
  extras.objects.push_back({st.sha256, st.size, store.path_of(st.sha256)});
  ChangeSet set;
  set.sender = s.info.id;
  auto path = s.dir.file("out.zip");
  auto [kind, msg] = test::outcome_of([&] { write_bundle(set, s.info, s.secret, path, {}, extras); });
  CHECK(kind == ErrorKind::corrupt);
  CHECK(msg.find("damaged") != std::string::npos);
  CHECK_FALSE(fs::exists(path));
  for (const auto& e : fs::directory_iterator(s.dir.path()))
    CHECK(e.path().filename().string().find("setevoe-part") == std::string::npos);
}

TEST_CASE("with --encrypt the attached files are sealed too, in chunks, and checked as they open") {
  Sender s;
  // The recipient: a key pair of its own.
  InitOptions o;
  o.name = "УО";
  o.role = Role::hub;
  std::string hub_secret;
  Db hub = Db::open(":memory:", OpenMode::create);
  auto hub_info = init_node_in(hub, o, &hub_secret);
  ObjectStore store(s.dir.file("school.db"));
  // Sizes around the 64 KiB chunk: none, one byte, one chunk exactly, one
  // byte more, several chunks.
  std::vector<std::string> files = {"", "x", bytes(65536, 5), bytes(65537, 6), bytes(300001, 7)};
  BundleExtras extras;
  for (std::size_t i = 0; i < files.size(); ++i) {
    // Written through the store's writer: attaching refuses empty files, but
    // a bundle still carries an empty object (from a node that had one).
    ObjectStore::Writer w(store);
    w.write(files[i].data(), files[i].size());
    auto sha = w.finish();
    auto size = w.size();
    w.commit();
    extras.objects.push_back({sha, size, store.path_of(sha)});
  }
  ChangeSet set;
  set.sender = s.info.id;
  set.recipient = hub_info.id;
  auto path = s.dir.file("sealed.zip");
  write_bundle(set, s.info, s.secret, path, hub_info.public_key, extras);
  {
    // No contents in clear: every entry is stored and larger by its tags.
    int err = 0;
    zip_t* z = zip_open(path.c_str(), ZIP_RDONLY, &err);
    for (const auto& f : files) {
      zip_stat_t st;
      REQUIRE(zip_stat(z, ("objects/" + util::sha256_hex(f)).c_str(), 0, &st) == 0);
      CHECK(st.size == stored_object_size(f.size(), true));
      CHECK(st.size > f.size());
      CHECK(st.comp_method == ZIP_CM_STORE);
    }
    zip_discard(z);
    auto raw = read_file(path);
    CHECK(raw.find(bytes(300001, 7).substr(1000, 64)) == std::string::npos);
  }
  test::TempDir there;
  ObjectStore theirs(there.file("hub.db"));
  SECTION("the recipient opens them") {
    auto b = read_bundle(path, hub_secret);
    auto staged = read_objects(b, &theirs);
    REQUIRE(staged.size() == files.size());
    for (auto& st : staged) st->commit();
    for (const auto& f : files) CHECK(read_file(theirs.path_of(util::sha256_hex(f))) == f);
  }
  SECTION("without the key only sizes are checked; with the wrong key nothing opens") {
    auto b = read_bundle(path);
    CHECK(b.object_key.empty());
    CHECK(read_objects(b, nullptr).empty());
    CHECK(kind_of([&] { read_bundle(path, s.secret); }) == ErrorKind::not_permitted);
  }
  SECTION("a changed byte of the sealed contents is refused") {
    auto name = "objects/" + util::sha256_hex(files[4]);
    auto bad = rewrite(
        s, path, "tampered.zip", [](std::string&) {},
        [&](auto& entries) {
          for (auto& [n, d] : entries)
            if (n == name) d[100000] = static_cast<char>(d[100000] ^ 1);
        });
    auto b = read_bundle(bad, hub_secret);
    CHECK(kind_of([&] { read_objects(b, &theirs); }) == ErrorKind::bad_data);
    CHECK(leftovers(there.path()) == 0);
  }
  SECTION("a sealed file cut after a whole chunk is refused") {
    auto name = "objects/" + util::sha256_hex(files[3]);
    auto bad = rewrite(
        s, path, "cut.zip",
        [&](std::string& m) {
          // The manifest claims one chunk; the entry holds one chunk without its end.
          replace_all(m, "size = 65537", "size = 65536");
          replace_all(m, util::sha256_hex(files[3]), util::sha256_hex(files[3].substr(0, 65536)));
        },
        [&](auto& entries) {
          for (auto& [n, d] : entries)
            if (n == name) {
              n = "objects/" + util::sha256_hex(files[3].substr(0, 65536));
              d.resize(stored_object_size(65536, true));
            }
        });
    auto b = read_bundle(bad, hub_secret);
    CHECK(kind_of([&] { read_objects(b, &theirs); }) == ErrorKind::bad_data);
  }
}
