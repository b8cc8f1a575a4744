// libFuzzer target: the input is a whole bundle file. read_bundle reads it
// twice, without a key (only the manifest of an encrypted bundle) and with
// the secret key of the hub of the seed corpus (fuzz/recipient.key), so that
// the encrypted bundles of the corpus are opened and their changes read.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "fuzz_common.hpp"

#ifndef SETEVOE_FUZZ_RECIPIENT_KEY
#error "SETEVOE_FUZZ_RECIPIENT_KEY (hex, from fuzz/recipient.key) is set by CMakeLists.txt"
#endif

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static setevoe::fuzz::InputFile file;
  const auto& path = file.write(std::string_view(reinterpret_cast<const char*>(data), size));
  setevoe::fuzz::read_expecting_errors(path);
  setevoe::fuzz::read_expecting_errors(path, SETEVOE_FUZZ_RECIPIENT_KEY);
  return 0;
}
