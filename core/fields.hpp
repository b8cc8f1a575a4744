// Checks and forms of field values that the kinds of records share
// (products, events, …).
#pragma once

#include <cstddef>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "core/db.hpp"

namespace setevoe::core {

// Text typed by a user for a field, trimmed: valid UTF-8, at most `max`
// bytes, no control characters but newlines and tabs. Usage error naming
// `what` ("title") otherwise.
std::string checked_text(std::string_view text, std::string_view what, std::size_t max);

// ["a","b"]: the JSON array of the strings, as multi-valued fields keep them.
std::string json_array(const std::vector<std::string>& items);

// The JSON array of the ids that `resolve` gives for references as typed
// (a direction's code, a product's title, …), each once, in the order typed.
// resolve's errors pass through.
std::string resolved_json_array(const std::vector<std::string>& refs,
                                const std::function<std::string(std::string_view)>& resolve);

// How a kind of record with a title is named in the messages of
// resolve_record; each text is translated, with {} for what is filled in.
struct RecordKind {
  const char* table;    // "product"
  std::string empty;    // no reference was given
  std::string several;  // {ref} matches {count} records:{list of ids and titles}
  std::string other;    // {ref} is the id of a record of the kind {label}
  std::string none;     // no record {ref}
};

// A record by a unique id prefix (4+ hex digits) or its exact title (any
// case). Errors: usage (empty, ambiguous, an id too short), not_found
// (naming another kind of record when the id is one).
std::string resolve_record(Db& db, std::string_view ref, const RecordKind& kind);

}  // namespace setevoe::core
