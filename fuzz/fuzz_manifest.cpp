// libFuzzer target: the input is the text of manifest.toml. A mutated zip
// rarely gets its manifest past the zip's CRC, so this target builds the zip
// itself: the text, signed with a fixed key, and a valid empty changes.sqlite.
// In the text, @KEY@ stands for that key, @SIZE@ and @SHA256@ for the size
// and hash of changes.sqlite, so that seeds (fuzz/corpus/manifest/) pass the
// signature and the entry checks and mutations reach every check after them.
#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <string>
#include <string_view>

#include "core/sync.hpp"
#include "fuzz_common.hpp"

namespace {

using namespace setevoe;

void replace_all(std::string& text, std::string_view what, const std::string& with) {
  for (auto at = text.find(what); at != std::string::npos; at = text.find(what, at + with.size()))
    text.replace(at, what.size(), with);
}

// changes.sqlite of an empty change set, as write_bundle makes it.
std::string empty_changes(const fuzz::FixedKey& key) {
  auto dir_template = (std::filesystem::temp_directory_path() / "setevoe-fuzz-XXXXXX").string();
  if (!::mkdtemp(dir_template.data())) fuzz::die("mkdtemp");
  std::string path = dir_template + "/empty.zip";
  core::NodeInfo sender;
  sender.id = "01900000-0000-7000-8000-000000000001";
  sender.name = "fuzz";
  sender.public_key = key.public_hex;
  core::write_bundle(core::ChangeSet{}, sender, key.secret_hex, path);
  int err = 0;
  zip_t* z = zip_open(path.c_str(), ZIP_RDONLY, &err);
  if (!z) fuzz::die("zip_open");
  zip_stat_t st;
  if (zip_stat(z, "changes.sqlite", 0, &st) != 0) fuzz::die("zip_stat");
  std::string data(st.size, '\0');
  zip_file_t* f = zip_fopen(z, "changes.sqlite", 0);
  if (!f || zip_fread(f, data.data(), st.size) != static_cast<zip_int64_t>(st.size)) fuzz::die("zip_fread");
  zip_fclose(f);
  zip_discard(z);
  std::filesystem::remove_all(dir_template);
  return data;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static const fuzz::FixedKey key;
  static const std::string changes = empty_changes(key);
  static const std::string changes_size = std::to_string(changes.size());
  static const std::string changes_sha256 = util::sha256_hex(changes);
  static fuzz::InputFile file;
  std::string manifest(reinterpret_cast<const char*>(data), size);
  replace_all(manifest, "@KEY@", key.public_hex);
  replace_all(manifest, "@SIZE@", changes_size);
  replace_all(manifest, "@SHA256@", changes_sha256);
  auto zip =
      fuzz::make_zip({{"manifest.toml", manifest}, {"manifest.sig", key.sign(manifest)}, {"changes.sqlite", changes}});
  fuzz::save_if_asked(zip);
  // With the key: a manifest that says "encrypted" gets as far as opening.
  fuzz::read_expecting_errors(file.write(zip), key.secret_hex);
  return 0;
}
