// UUID version 7 generation and id prefixes.
#include "core/util/uuid.hpp"

#include "core/util/hash.hpp"

#include <sodium.h>

#include <array>
#include <cstring>

namespace setevoe::util {

namespace {
// Random bytes from the system's generator, fetched a page at a time: one
// system call per uuid7() would cost more than the rest of a write.
void random_bytes(unsigned char* out, std::size_t n) {
  thread_local std::array<unsigned char, 4096> pool;
  thread_local std::size_t used = pool.size();
  if (used + n > pool.size()) {
    randombytes_buf(pool.data(), pool.size());
    used = 0;
  }
  std::memcpy(out, pool.data() + used, n);
  sodium_memzero(pool.data() + used, n);
  used += n;
}
}  // namespace

std::string uuid7(std::int64_t unix_ms) {
  std::array<unsigned char, 16> b{};
  random_bytes(b.data() + 6, 10);
  auto ms = static_cast<std::uint64_t>(unix_ms);
  for (int i = 0; i < 6; ++i) b[static_cast<std::size_t>(i)] = static_cast<unsigned char>(ms >> (40 - 8 * i));
  b[6] = static_cast<unsigned char>(0x70 | (b[6] & 0x0F));
  b[8] = static_cast<unsigned char>(0x80 | (b[8] & 0x3F));
  static constexpr char k_digits[] = "0123456789abcdef";
  std::string hex(36, '-');
  std::size_t pos = 0;
  for (std::size_t i = 0; i < b.size(); ++i) {
    if (i == 4 || i == 6 || i == 8 || i == 10) ++pos;
    hex[pos++] = k_digits[b[i] >> 4];
    hex[pos++] = k_digits[b[i] & 0xF];
  }
  return hex;
}

std::string uuid_for_name(std::string_view name) {
  auto h = sha256_hex(name);
  h[12] = '8';
  h[16] = "89ab"[(h[16] <= '9' ? h[16] - '0' : h[16] - 'a' + 10) & 3];
  return h.substr(0, 8) + '-' + h.substr(8, 4) + '-' + h.substr(12, 4) + '-' + h.substr(16, 4) + '-' + h.substr(20, 12);
}

std::string uuid7_floor(std::int64_t unix_ms) {
  auto id = uuid7(unix_ms);
  return id.substr(0, 13) + "-7000-8000-000000000000";
}

namespace {
bool is_hex(char c) {
  return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f');
}
}  // namespace

bool is_uuid(std::string_view s) {
  if (s.size() != 36) return false;
  for (std::size_t i = 0; i < s.size(); ++i) {
    bool hyphen = i == 8 || i == 13 || i == 18 || i == 23;
    if (hyphen ? s[i] != '-' : !is_hex(s[i])) return false;
  }
  return true;
}

std::optional<std::string> canonical_id_prefix(std::string_view s) {
  std::string digits;
  for (char c : s) {
    if (c == '-') continue;
    if (c >= 'A' && c <= 'F') c = static_cast<char>(c - 'A' + 'a');
    if (!is_hex(c)) return std::nullopt;
    digits.push_back(c);
  }
  if (digits.empty() || digits.size() > 32) return std::nullopt;
  std::string out;
  for (std::size_t i = 0; i < digits.size(); ++i) {
    if (i == 8 || i == 12 || i == 16 || i == 20) out.push_back('-');
    out.push_back(digits[i]);
  }
  return out;
}

std::int64_t uuid7_millis(std::string_view id) {
  if (id.size() < 13 || id[8] != '-') return 0;
  std::int64_t ms = 0;
  for (std::size_t i = 0; i < 13; ++i) {
    if (i == 8) continue;
    char c = id[i];
    int digit = c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
    if (digit < 0) return 0;
    ms = ms * 16 + digit;
  }
  return ms;
}

}  // namespace setevoe::util
