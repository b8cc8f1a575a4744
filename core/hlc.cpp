// Hybrid logical clock.
#include "core/hlc.hpp"

#include <algorithm>
#include <charconv>

namespace setevoe::core {

std::uint64_t Hlc::tick(std::int64_t now_ms) {
  auto wall = pack(std::max<std::int64_t>(now_ms, 0), 0);
  m_last = wall > m_last ? wall : m_last + 1;  // a full counter carries into the milliseconds
  return m_last;
}

void Hlc::observe(std::uint64_t remote) {
  m_last = std::max(m_last, remote);
}

std::string version_string(std::uint64_t tick, std::string_view node_id) {
  static constexpr char k_digits[] = "0123456789abcdef";
  std::string out(17 + node_id.size(), '.');
  for (int i = 15; i >= 0; --i, tick >>= 4) out[static_cast<std::size_t>(i)] = k_digits[tick & 0xF];
  out.replace(17, node_id.size(), node_id);
  return out;
}

std::uint64_t version_tick(std::string_view version) {
  if (version.size() < 16 || (version.size() > 16 && version[16] != '.')) return 0;
  std::uint64_t tick = 0;
  auto [ptr, ec] = std::from_chars(version.data(), version.data() + 16, tick, 16);
  return ec == std::errc{} && ptr == version.data() + 16 ? tick : 0;
}

}  // namespace setevoe::core
