// The plan of events as an iCalendar file (RFC 5545), for calendar programs
// and phones: one VEVENT per event with a stable UID, a SEQUENCE that grows
// with every edit, STATUS:CANCELLED for cancelled events, times in the
// node's zone with its VTIMEZONE, text escaped and lines folded.
#pragma once

#include <cstdint>
#include <map>
#include <ostream>
#include <string>
#include <string_view>
#include <vector>

#include "core/event.hpp"

namespace setevoe::core {

// The calendar of `events`, times in the zone `tz` (an IANA name), named
// `name` (X-WR-CALNAME). Lines end with CRLF.
std::string events_icalendar(const std::vector<Event>& events, const std::string& tz, const std::string& name);

// The same, written one event at a time: a year's calendar from each_event
// without holding the events.
class CalendarWriter {
 public:
  CalendarWriter(std::string tz, std::string name);
  void add(const Event& e);
  // The whole calendar, into `out` or as a string.
  void write(std::ostream& out) const;
  std::string finish() const;

 private:
  const std::string& type_label(const std::string& type);
  std::string head() const;
  std::string m_tz, m_name, m_dtstart, m_dtend;
  // The text: pieces of about a megabyte (a year's calendar is tens of
  // megabytes; one string would be copied as it grows).
  std::vector<std::string> m_body;
  std::string m_line, m_description, m_directions_text;
  // Translated once: the lines of each event's description ("Form: {}"),
  // as the text before and after the value.
  struct Line {
    std::string before, after;
    explicit Line(const char* msgid);
  };
  Line m_form, m_organiser, m_directions, m_link, m_cancelled;
  std::int64_t m_from = 0, m_to = 0;
  std::size_t m_count = 0;
  std::map<std::string, std::string, std::less<>> m_types;
};

namespace ical {
// TEXT escaped as RFC 5545 3.3.11 has it: backslash, semicolon, comma, and
// newlines as \n.
std::string escape(std::string_view text);
void escape_into(std::string& out, std::string_view text);
// A content line folded at 75 octets (never inside a UTF-8 character), with
// its CRLF.
std::string fold(std::string_view line);
void fold_into(std::string& out, std::string_view line);
// The VTIMEZONE of `tz` covering the instants from `from_ms` to `to_ms`:
// one observance for its state at `from_ms` and one per change of offset
// after it (found in the system's tzdata).
std::string vtimezone(const std::string& tz, std::int64_t from_ms, std::int64_t to_ms);
}  // namespace ical

}  // namespace setevoe::core
