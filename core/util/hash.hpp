// SHA-256 (OpenSSL libcrypto, which uses the processor's SHA instructions)
// and hexadecimal encoding.
#pragma once

#include <string>
#include <string_view>

namespace setevoe::util {

// SHA-256 of `data`, as 64 lower-case hex digits.
std::string sha256_hex(std::string_view data);

// Hexadecimal encoding of bytes and back; from_hex returns false on bad input.
std::string to_hex(const unsigned char* data, std::size_t size);
bool from_hex(std::string_view hex, std::string& bytes);

}  // namespace setevoe::util
