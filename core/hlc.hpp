// Hybrid logical clock (HLC): wall-clock milliseconds plus a counter, packed
// into 64 bits (48 bits of milliseconds, 16 bits of counter). Every local
// write takes a tick that is greater than every tick before it, even when the
// wall clock stands still or jumps back; merging a remote version moves the
// clock past it. A field version is the tick with the writing node's id
// (see version_string), which orders concurrent writes the same on every node.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace setevoe::core {

class Hlc {
 public:
  explicit Hlc(std::uint64_t last = 0) : m_last(last) {}

  // The next tick for a local event at wall time `now_ms`: strictly greater
  // than the last one.
  std::uint64_t tick(std::int64_t now_ms);
  // Moves the clock past a tick seen in a remote change.
  void observe(std::uint64_t remote);

  std::uint64_t last() const { return m_last; }

  static std::uint64_t pack(std::int64_t ms, std::uint16_t counter) {
    return (static_cast<std::uint64_t>(ms) << 16) | counter;
  }
  static std::int64_t millis(std::uint64_t tick) { return static_cast<std::int64_t>(tick >> 16); }
  static std::uint16_t counter(std::uint64_t tick) { return static_cast<std::uint16_t>(tick & 0xFFFF); }

 private:
  std::uint64_t m_last;
};

// "0000018c3f2a0001.<node id>": fixed-width hex tick, a dot and the node's id,
// so that versions order as strings: first by tick, then by node.
std::string version_string(std::uint64_t tick, std::string_view node_id);
// The tick of a version string (or of bare ticks); 0 when it is malformed.
std::uint64_t version_tick(std::string_view version);

// The version of rows seeded identically on every node.
inline constexpr const char* k_seed_version = "0000000000000000.00000000-0000-0000-0000-000000000000";

}  // namespace setevoe::core
