// Checks and forms of field values that the kinds of records share
// (products, events, …).
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace setevoe::core {

// Text typed by a user for a field, trimmed: valid UTF-8, at most `max`
// bytes, no control characters but newlines and tabs. Usage error naming
// `what` ("title") otherwise.
std::string checked_text(std::string_view text, std::string_view what, std::size_t max);

// ["a","b"]: the JSON array of the strings, as multi-valued fields keep them.
std::string json_array(const std::vector<std::string>& items);

}  // namespace setevoe::core
