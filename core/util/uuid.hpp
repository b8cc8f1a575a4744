// UUID version 7 (RFC 9562): 48 bits of Unix milliseconds, then random bits.
// Ids are kept in their canonical text form (8-4-4-4-12, lower-case hex).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace setevoe::util {

// A new UUIDv7 for the given Unix time in milliseconds; the random part comes
// from the system's cryptographic generator (libsodium).
std::string uuid7(std::int64_t unix_ms);

// A UUID (version 8, RFC 9562) derived from a name by SHA-256: the same name
// gives the same id on every node. For rows that must not duplicate when two
// nodes create them (one review per person and product).
std::string uuid_for_name(std::string_view name);

// The smallest UUIDv7 of the given millisecond: ids made since then sort at
// or after it.
std::string uuid7_floor(std::int64_t unix_ms);

// The Unix milliseconds at the head of a UUIDv7 (when the row was made); 0
// when `id` is too short or not hexadecimal there.
std::int64_t uuid7_millis(std::string_view id);

// True when s is a canonical lower-case UUID.
bool is_uuid(std::string_view s);

// Turns what a user typed as an id prefix ("0193AB", "0193ab12-4c") into the
// canonical prefix ("0193ab", "0193ab12-4c"): hyphens may be left out or put
// in, case does not matter. Returns nothing when s is not hexadecimal or is
// longer than a UUID.
std::optional<std::string> canonical_id_prefix(std::string_view s);

}  // namespace setevoe::util
