// SHA-256 (OpenSSL libcrypto, which uses the processor's SHA instructions)
// and hexadecimal encoding.
#pragma once

#include <string>
#include <string_view>

namespace setevoe::util {

// SHA-256 of `data`, as 64 lower-case hex digits.
std::string sha256_hex(std::string_view data);

// SHA-256 over data given piece by piece (files of any size in bounded
// memory).
class Sha256 {
 public:
  Sha256();
  ~Sha256();
  Sha256(const Sha256&) = delete;
  Sha256& operator=(const Sha256&) = delete;
  void update(const void* data, std::size_t size);
  // The digest as 64 lower-case hex digits; the hasher is then spent.
  std::string hex();

 private:
  void* m_ctx;  // EVP_MD_CTX
};

// Hexadecimal encoding of bytes and back; from_hex returns false on bad input.
std::string to_hex(const unsigned char* data, std::size_t size);
bool from_hex(std::string_view hex, std::string& bytes);

}  // namespace setevoe::util
