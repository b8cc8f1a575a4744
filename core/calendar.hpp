// The plan of events as an iCalendar file (RFC 5545), for calendar programs
// and phones: one VEVENT per event with a stable UID, a SEQUENCE that grows
// with every edit, STATUS:CANCELLED for cancelled events, times in the
// node's zone with its VTIMEZONE, text escaped and lines folded.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "core/event.hpp"

namespace setevoe::core {

// The calendar of `events`, times in the zone `tz` (an IANA name), named
// `name` (X-WR-CALNAME). Lines end with CRLF.
std::string events_icalendar(const std::vector<Event>& events, const std::string& tz, const std::string& name);

namespace ical {
// TEXT escaped as RFC 5545 3.3.11 has it: backslash, semicolon, comma, and
// newlines as \n.
std::string escape(std::string_view text);
// A content line folded at 75 octets (never inside a UTF-8 character), with
// its CRLF.
std::string fold(std::string_view line);
// The VTIMEZONE of `tz` covering the instants from `from_ms` to `to_ms`:
// one observance for its state at `from_ms` and one per change of offset
// after it (found in the system's tzdata).
std::string vtimezone(const std::string& tz, std::int64_t from_ms, std::int64_t to_ms);
}  // namespace ical

}  // namespace setevoe::core
