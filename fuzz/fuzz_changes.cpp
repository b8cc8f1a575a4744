// libFuzzer target: the input is the changes database (changes.sqlite). A
// mutated zip cannot get changes past the manifest's hash and signature, so
// this target builds the bundle itself: a manifest signed with a fixed key
// that lists the input with its true size and hash. Each input is read twice:
// as plain changes, and sealed to the fixed key (the encrypted path). The
// manifest's counts are 0, so an input with changes is refused at the last
// check, after it was read whole.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include <fmt/format.h>

#include "fuzz_common.hpp"

namespace {

using namespace setevoe;

std::string bundle(const fuzz::FixedKey& key, const std::string& changes, bool encrypted) {
  auto manifest = fmt::format(
      "format = \"setevoe-bundle\"\nformat_version = 1\nschema_version = 1\n"
      "sender = \"01900000-0000-7000-8000-000000000001\"\nsender_name = \"fuzz\"\nsender_key = \"{}\"\n"
      "recipient = \"\"\ncreated = \"2026-01-01T00:00:00Z\"\n{}"
      "[counts]\nchanges = 0\nfields = 0\n\n"
      "[[entry]]\nname = \"changes.sqlite\"\nsize = {}\nsha256 = \"{}\"\n",
      key.public_hex, encrypted ? "encrypted = true\n" : "", changes.size(), util::sha256_hex(changes));
  return fuzz::make_zip(
      {{"manifest.toml", manifest}, {"manifest.sig", key.sign(manifest)}, {"changes.sqlite", changes}});
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static const fuzz::FixedKey key;
  static fuzz::InputFile file;
  std::string changes(reinterpret_cast<const char*>(data), size);
  auto plain = bundle(key, changes, false);
  fuzz::save_if_asked(plain);
  fuzz::read_expecting_errors(file.write(plain));
  fuzz::read_expecting_errors(file.write(bundle(key, key.seal(changes), true)), key.secret_hex);
  return 0;
}
