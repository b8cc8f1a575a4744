// The inputs of fuzz/: what the fuzz targets once failed on
// (fuzz/regressions/) and the seed corpus of whole bundles
// (fuzz/corpus/bundle/). read_bundle answers each with a bundle or an Error,
// never a crash or another exception; this runs in the ordinary build.
#include <fmt/format.h>
#include <sodium.h>
#include <zip.h>
#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "core/bundle.hpp"
#include "core/error.hpp"
#include "core/util/hash.hpp"
#include "support.hpp"

using namespace setevoe;
using namespace setevoe::core;
namespace fs = std::filesystem;

namespace {

const fs::path k_fuzz = SETEVOE_FUZZ_DIR;

// The key fuzz_bundle reads with: the seed corpus's hub (fuzz/recipient.key).
std::string recipient_key() {
  std::ifstream in(k_fuzz / "recipient.key");
  std::string header, hex;
  in >> header >> hex;
  return hex;
}

std::vector<fs::path> inputs(const fs::path& dir) {
  std::vector<fs::path> out;
  for (const auto& e : fs::directory_iterator(dir))
    if (e.is_regular_file() && e.path().extension() != ".md") out.push_back(e.path());
  return out;
}

// Reads `path` as fuzz_bundle does: without a key and with the hub's.
void read_as_the_fuzzer(const fs::path& path, const std::string& key) {
  for (const auto& k : {std::string(), key}) {
    try {
      read_bundle(path.string(), k);
    } catch (const Error& e) {
      INFO(e.what());
      CHECK(e.kind() != ErrorKind::internal);
    }
  }
}

}  // namespace

TEST_CASE("inputs found by fuzzing are refused without a crash") {
  auto key = recipient_key();
  REQUIRE(key.size() == 128);
  for (const auto& path : inputs(k_fuzz / "regressions")) {
    INFO(path.string());
    read_as_the_fuzzer(path, key);
  }
}

TEST_CASE("changes databases that make up more data than they hold are refused") {
  // 20 rows of a generated 16 MiB value in a 36 KiB file; a table page used twice.
  for (const auto& [file, says] : {std::pair{"changes-generated-column.zip", "does not have the tables of a bundle"},
                                   std::pair{"changes-shared-page.zip", "changes.sqlite is damaged"}}) {
    INFO(file);
    auto path = (k_fuzz / "regressions" / file).string();
    auto outcome = test::outcome_of([&] { read_bundle(path); });
    INFO(outcome.message);
    CHECK(outcome.kind == ErrorKind::bad_data);
    CHECK(outcome.message.find(says) != std::string::npos);
  }
}

TEST_CASE("the fuzzing seed corpus is read as the fuzzer reads it") {
  auto key = recipient_key();
  auto seeds = inputs(k_fuzz / "corpus" / "bundle");
  CHECK(seeds.size() >= 5);
  for (const auto& path : seeds) {
    INFO(path.string());
    read_as_the_fuzzer(path, key);
  }
  // The real bundles are still valid, so the fuzzer starts past the signature.
  auto sealed = read_bundle((k_fuzz / "corpus" / "bundle" / "school-to-hub-encrypted.zip").string(), key);
  CHECK(sealed.opened);
  CHECK_FALSE(sealed.set.changes.empty());
  CHECK(read_bundle((k_fuzz / "corpus" / "bundle" / "school-to-hub.zip").string()).set.changes.size() ==
        sealed.set.changes.size());
}

// ---- The manifest reaches toml++ as ASCII only (core/bundle.cpp, toml_ascii).

namespace {

// A zip with this manifest.toml and placeholders for the other entries: the
// manifest is parsed before the signature is checked.
std::string unsigned_bundle(const fs::path& path, const std::string& manifest) {
  int err = 0;
  zip_t* z = zip_open(path.c_str(), ZIP_CREATE | ZIP_TRUNCATE, &err);
  REQUIRE(z);
  const std::vector<std::pair<std::string, std::string>> entries = {
      {"manifest.toml", manifest}, {"manifest.sig", "00\n"}, {"changes.sqlite", "x"}};
  for (const auto& [name, data] : entries)
    zip_file_add(z, name.c_str(), zip_source_buffer(z, data.data(), data.size(), 0), 0);
  REQUIRE(zip_close(z) == 0);
  return path.string();
}

}  // namespace

TEST_CASE("non-ASCII text in a manifest reads back exactly") {
  test::TempDir dir;
  REQUIRE(sodium_init() >= 0);
  unsigned char pk[crypto_sign_PUBLICKEYBYTES], sk[crypto_sign_SECRETKEYBYTES];
  crypto_sign_keypair(pk, sk);
  NodeInfo sender;
  sender.id = "01900000-0000-7000-8000-000000000001";
  sender.public_key = util::to_hex(pk, sizeof pk);
  for (std::string name : {"МБОУ «СОШ № 1» ~D0~ 'x' \"y\" \\ ~7E", "Школа\nна две строки\t~", "~", "~~41~"}) {
    INFO(name);
    sender.name = name;
    auto path = dir.file(std::to_string(std::hash<std::string>{}(name)) + ".zip");
    write_bundle(ChangeSet{}, sender, util::to_hex(sk, sizeof sk), path);
    CHECK(read_bundle(path).manifest.sender_name == name);
  }
}

TEST_CASE("a manifest that is not UTF-8, or escapes '~', is refused") {
  test::TempDir dir;
  auto message = [&](const std::string& manifest) {
    auto [kind, msg] = test::outcome_of([&] { read_bundle(unsigned_bundle(dir.file("m.zip"), manifest)); });
    CHECK(kind == ErrorKind::bad_data);
    return msg;
  };
  CHECK(message("format = 'setevoe-bundle'\nsender_name = '\xd0'\n").find("line 2: invalid UTF-8") !=
        std::string::npos);
  CHECK(message("format = 'setevoe-bundle'\n\nsender_name = \"\\u007E\"\n").find("line 3: an escaped '~'") !=
        std::string::npos);
  CHECK(message("sender_name = \"\\U0000007e\"\n").find("line 1: an escaped '~'") != std::string::npos);
  // Not valid TOML before, not valid now: the same refusal, whatever toml++ saw.
  CHECK(message("format = 'setevoe-bundle' М\n").find("manifest.toml, line 1:") != std::string::npos);
}

TEST_CASE("numbers in a manifest are TOML integers, never floats") {
  // toml++ 3.3 would convert 1.0 to 1, and 1e300 to an integer by undefined behaviour.
  test::TempDir dir;
  for (const char* number : {"1.0", "1e300", "-9.3e18", "nan"}) {
    INFO(number);
    auto [kind, msg] = test::outcome_of([&] {
      read_bundle(
          unsigned_bundle(dir.file("f.zip"), fmt::format("format = 'setevoe-bundle'\nformat_version = {}\n", number)));
    });
    CHECK(kind == ErrorKind::bad_data);
    CHECK(msg.find("has no «format_version»") != std::string::npos);
  }
}
