// The plan of events as an iCalendar file.
#include "core/calendar.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <ctime>

#include "core/i18n.hpp"
#include "core/util/time.hpp"

namespace setevoe::core {
namespace ical {

std::string escape(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (std::size_t i = 0; i < text.size(); ++i) {
    char c = text[i];
    if (c == '\\' || c == ';' || c == ',') {
      out += '\\';
      out += c;
    } else if (c == '\r') {
      if (i + 1 < text.size() && text[i + 1] == '\n') continue;
      out += "\\n";
    } else if (c == '\n') {
      out += "\\n";
    } else {
      out += c;
    }
  }
  return out;
}

std::string fold(std::string_view line) {
  std::string out;
  std::size_t limit = 75;  // octets of the first line; continuations begin with a space
  while (line.size() > limit) {
    std::size_t cut = limit;
    // Not inside a UTF-8 character: back up over continuation bytes.
    while (cut > 0 && (static_cast<unsigned char>(line[cut]) & 0xC0) == 0x80) --cut;
    out.append(line.substr(0, cut));
    out += "\r\n ";
    line.remove_prefix(cut);
    limit = 74;
  }
  out.append(line);
  out += "\r\n";
  return out;
}

namespace {

// "+0300", "-0330", "+053045".
std::string offset_text(long seconds) {
  char sign = seconds < 0 ? '-' : '+';
  long a = seconds < 0 ? -seconds : seconds;
  auto out = fmt::format("{}{:02}{:02}", sign, a / 3600, a / 60 % 60);
  if (a % 60) out += fmt::format("{:02}", a % 60);
  return out;
}

// The wall clock of an offset at an instant, as iCalendar writes local times.
std::string wall_clock(std::int64_t unix_s, long offset) {
  std::time_t t = static_cast<std::time_t>(unix_s + offset);
  std::tm tm{};
  gmtime_r(&t, &tm);
  return fmt::format("{:04}{:02}{:02}T{:02}{:02}{:02}", tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday, tm.tm_hour,
                     tm.tm_min, tm.tm_sec);
}

std::string observance(const util::ZoneState& from, const util::ZoneState& to, std::int64_t at_s) {
  const char* kind = to.dst ? "DAYLIGHT" : "STANDARD";
  std::string out = fmt::format("BEGIN:{}\r\n", kind);
  out += fold("DTSTART:" + wall_clock(at_s, from.offset));
  out += fold("TZOFFSETFROM:" + offset_text(from.offset));
  out += fold("TZOFFSETTO:" + offset_text(to.offset));
  if (!to.abbreviation.empty()) out += fold("TZNAME:" + escape(to.abbreviation));
  out += fmt::format("END:{}\r\n", kind);
  return out;
}

// "20261210T110000Z" from ISO 8601 UTC ("2026-12-10T11:00:00.000Z").
std::string utc_basic(const std::string& iso) {
  if (iso.size() < 19) return "19700101T000000Z";
  return iso.substr(0, 4) + iso.substr(5, 2) + iso.substr(8, 2) + "T" + iso.substr(11, 2) + iso.substr(14, 2) +
         iso.substr(17, 2) + "Z";
}

}  // namespace

std::string vtimezone(const std::string& tz, std::int64_t from_ms, std::int64_t to_ms) {
  std::string out = "BEGIN:VTIMEZONE\r\n" + fold("TZID:" + tz);
  std::int64_t from = from_ms / 1000, to = std::max(to_ms / 1000, from);
  auto state = [&](std::int64_t s) { return util::zone_state(s * 1000, tz); };
  auto first = state(from);
  out += observance(first, first, from);
  // Offsets change at most a few times a year and never twice in a day:
  // look day by day, then find the second by halving.
  auto current = first;
  constexpr std::int64_t day = 86400;
  for (std::int64_t t = from; t < to + day; t += day) {
    auto next = state(t + day);
    if (next == current) continue;
    std::int64_t lo = t, hi = t + day;  // state(lo) == current, state(hi) != current
    while (hi - lo > 1) {
      auto mid = lo + (hi - lo) / 2;
      (state(mid) == current ? lo : hi) = mid;
    }
    auto after = state(hi);
    out += observance(current, after, hi);
    current = after;
  }
  out += "END:VTIMEZONE\r\n";
  return out;
}

}  // namespace ical

std::string events_icalendar(const std::vector<Event>& events, const std::string& tz, const std::string& name) {
  using ical::escape;
  using ical::fold;
  std::string out = "BEGIN:VCALENDAR\r\nVERSION:2.0\r\n";
  out += fold(fmt::format("PRODID:-//setevoe//setevoe {}//RU", SETEVOE_VERSION));
  out += "CALSCALE:GREGORIAN\r\n";
  out += fold("X-WR-CALNAME:" + escape(name));
  out += fold("X-WR-TIMEZONE:" + tz);
  std::int64_t from = 0, to = 0;
  for (const auto& e : events) {
    auto end = e.ends_ms ? *e.ends_ms : e.starts_ms;
    from = &e == &events.front() ? e.starts_ms : std::min(from, e.starts_ms);
    to = &e == &events.front() ? end : std::max(to, end);
  }
  if (events.empty()) from = to = util::system_clock_ms();
  out += ical::vtimezone(tz, from, to);
  for (const auto& e : events) {
    out += "BEGIN:VEVENT\r\n";
    out += fold("UID:" + e.id + "@setevoe");
    out += fold("DTSTAMP:" + ical::utc_basic(e.updated_at));
    out += fold("CREATED:" + ical::utc_basic(e.created_at));
    out += fold("LAST-MODIFIED:" + ical::utc_basic(e.updated_at));
    out += fold(fmt::format("SEQUENCE:{}", e.revision));
    out += fold(fmt::format("DTSTART;TZID={}:{}", tz, util::local_ical(e.starts_ms, tz)));
    if (e.ends_ms) out += fold(fmt::format("DTEND;TZID={}:{}", tz, util::local_ical(*e.ends_ms, tz)));
    out += fold("SUMMARY:" + escape(e.title));
    std::string description = e.description;
    auto line = [&](const std::string& text) {
      if (!description.empty()) description += '\n';
      description += text;
    };
    if (!e.description.empty()) description += '\n';
    line(trf("Form: {}", term_label(event_types(), e.type)));
    if (!e.organiser_name.empty()) line(trf("Organiser: {}", e.organiser_name));
    if (!e.directions.empty()) {
      std::string dirs;
      for (const auto& d : e.directions) dirs += (dirs.empty() ? "" : "; ") + d.name;
      line(trf("Directions: {}", dirs));
    }
    if (!e.url.empty()) line(trf("Link: {}", e.url));
    if (e.cancel_reason) line(trf("Cancelled: {}", *e.cancel_reason));
    out += fold("DESCRIPTION:" + escape(description));
    if (!e.place.empty() || !e.url.empty()) out += fold("LOCATION:" + escape(e.place.empty() ? e.url : e.place));
    if (!e.url.empty()) out += fold("URL:" + e.url);
    out += fold("CATEGORIES:" + escape(term_label(event_types(), e.type)));
    out += e.status == "cancelled" ? "STATUS:CANCELLED\r\n" : "STATUS:CONFIRMED\r\n";
    out += "END:VEVENT\r\n";
  }
  out += "END:VCALENDAR\r\n";
  return out;
}

}  // namespace setevoe::core
