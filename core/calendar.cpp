// The plan of events as an iCalendar file.
#include "core/calendar.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <cstdint>
#include <cstring>
#include <ctime>

#include "core/i18n.hpp"
#include "core/util/time.hpp"

namespace setevoe::core {
namespace ical {

namespace {
// The characters TEXT escapes.
constexpr auto k_special = [] {
  std::array<bool, 256> t{};
  for (unsigned char c : std::string_view("\\;,\r\n")) t[c] = true;
  return t;
}();
}  // namespace

std::string escape(std::string_view text) {
  std::string out;
  escape_into(out, text);
  return out;
}

void escape_into(std::string& out, std::string_view text) {
  out.reserve(out.size() + text.size() + 8);
  // Plain runs copied whole: most text has nothing to escape. Eight bytes
  // at a time are tested for any of the five (a year's calendar escapes
  // megabytes).
  constexpr std::uint64_t ones = 0x0101010101010101ULL, highs = 0x8080808080808080ULL;
  auto has = [](std::uint64_t x, unsigned char c) {
    auto v = x ^ (ones * c);
    return (v - ones) & ~v & highs;
  };
  const char* run = text.data();
  const char* const end = run + text.size();
  const char* p = run;
  while (p != end) {
    if (end - p >= 8) {
      std::uint64_t x;
      std::memcpy(&x, p, 8);
      if (!(has(x, '\\') | has(x, ';') | has(x, ',') | has(x, '\r') | has(x, '\n'))) {
        p += 8;
        continue;
      }
    }
    // Somewhere in the next eight bytes (or the last few): byte by byte.
    for (const char* stop = end - p >= 8 ? p + 8 : end; p != stop; ++p) {
      if (!k_special[static_cast<unsigned char>(*p)]) continue;
      out.append(run, static_cast<std::size_t>(p - run));
      run = p + 1;
      if (*p == '\r' && run != end && *run == '\n') continue;  // CRLF is one line break
      if (*p == '\r' || *p == '\n') {
        out += "\\n";
      } else {
        out += '\\';
        out += *p;
      }
    }
  }
  out.append(run, static_cast<std::size_t>(end - run));
}

std::string fold(std::string_view line) {
  std::string out;
  fold_into(out, line);
  return out;
}

void fold_into(std::string& out, std::string_view line) {
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
void utc_basic_into(std::string& out, std::string_view iso) {
  if (iso.size() < 19) {
    out += "19700101T000000Z";
    return;
  }
  const char basic[16] = {iso[0], iso[1],  iso[2],  iso[3],  iso[5],  iso[6],  iso[8],  iso[9],
                          'T',    iso[11], iso[12], iso[14], iso[15], iso[17], iso[18], 'Z'};
  out.append(basic, sizeof basic);
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

CalendarWriter::Line::Line(const char* msgid) {
  std::string_view text = tr(msgid);
  auto at = text.find("{}");
  before = text.substr(0, at);
  if (at != std::string_view::npos) after = text.substr(at + 2);
}

CalendarWriter::CalendarWriter(std::string tz, std::string name)
    : m_tz(std::move(tz)),
      m_name(std::move(name)),
      m_dtstart("DTSTART;TZID=" + m_tz + ":"),
      m_dtend("DTEND;TZID=" + m_tz + ":"),
      m_form(N_("Form: {}")),
      m_organiser(N_("Organiser: {}")),
      m_directions(N_("Directions: {}")),
      m_link(N_("Link: {}")),
      m_cancelled(N_("Cancelled: {}")) {}

const std::string& CalendarWriter::type_label(const std::string& type) {
  auto it = m_types.find(type);
  if (it == m_types.end()) it = m_types.emplace(type, term_label(event_types(), type)).first;
  return it->second;
}

void CalendarWriter::add(const Event& e) {
  auto end = e.ends_ms ? *e.ends_ms : e.starts_ms;
  m_from = m_count == 0 ? e.starts_ms : std::min(m_from, e.starts_ms);
  m_to = m_count == 0 ? end : std::max(m_to, end);
  ++m_count;
  constexpr std::size_t piece = 1 << 20;
  if (m_body.empty() || m_body.back().size() > piece - 4096) {
    m_body.emplace_back();
    m_body.back().reserve(piece);
  }
  // Each line built in m_line, then folded into the text: no temporaries
  // for the tens of thousands of events of a year.
  auto& l = m_line;
  auto put = [&] { ical::fold_into(m_body.back(), l); };
  m_body.back() += "BEGIN:VEVENT\r\n";
  l.assign("UID:").append(e.id).append("@setevoe");
  put();
  l.assign("DTSTAMP:");
  ical::utc_basic_into(l, e.updated_at);
  put();
  l.assign("CREATED:");
  ical::utc_basic_into(l, e.created_at);
  put();
  l.assign("LAST-MODIFIED:");
  ical::utc_basic_into(l, e.updated_at);
  put();
  l.assign("SEQUENCE:").append(std::to_string(e.revision));
  put();
  l.assign(m_dtstart).append(util::local_ical(e.starts_ms, m_tz));
  put();
  if (e.ends_ms) {
    l.assign(m_dtend).append(util::local_ical(*e.ends_ms, m_tz));
    put();
  }
  l.assign("SUMMARY:");
  ical::escape_into(l, e.title);
  put();
  auto& description = m_description;
  description = e.description;
  auto line = [&](const Line& format, std::string_view value) {
    if (!description.empty()) description += '\n';
    description += format.before;
    description += value;
    description += format.after;
  };
  if (!e.description.empty()) description += '\n';
  const auto& type = type_label(e.type);
  line(m_form, type);
  if (!e.organiser_name.empty()) line(m_organiser, e.organiser_name);
  if (!e.directions.empty()) {
    m_directions_text.clear();
    for (const auto& d : e.directions) {
      if (!m_directions_text.empty()) m_directions_text += "; ";
      m_directions_text += d.name;
    }
    line(m_directions, m_directions_text);
  }
  if (!e.url.empty()) line(m_link, e.url);
  if (e.cancel_reason) line(m_cancelled, *e.cancel_reason);
  l.assign("DESCRIPTION:");
  ical::escape_into(l, description);
  put();
  if (!e.place.empty() || !e.url.empty()) {
    l.assign("LOCATION:");
    ical::escape_into(l, e.place.empty() ? e.url : e.place);
    put();
  }
  if (!e.url.empty()) {
    l.assign("URL:").append(e.url);
    put();
  }
  l.assign("CATEGORIES:");
  ical::escape_into(l, type);
  put();
  m_body.back() +=
      e.status == "cancelled" ? "STATUS:CANCELLED\r\nEND:VEVENT\r\n" : "STATUS:CONFIRMED\r\nEND:VEVENT\r\n";
}

std::string CalendarWriter::head() const {
  using ical::escape;
  using ical::fold;
  std::string out = "BEGIN:VCALENDAR\r\nVERSION:2.0\r\n";
  out += fold(fmt::format("PRODID:-//setevoe//setevoe {}//RU", SETEVOE_VERSION));
  out += "CALSCALE:GREGORIAN\r\n";
  out += fold("X-WR-CALNAME:" + escape(m_name));
  out += fold("X-WR-TIMEZONE:" + m_tz);
  auto from = m_from, to = m_to;
  if (m_count == 0) from = to = util::system_clock_ms();
  out += ical::vtimezone(m_tz, from, to);
  return out;
}

void CalendarWriter::write(std::ostream& out) const {
  out << head();
  for (const auto& piece : m_body) out << piece;
  out << "END:VCALENDAR\r\n";
}

std::string CalendarWriter::finish() const {
  std::string out = head();
  for (const auto& piece : m_body) out += piece;
  out += "END:VCALENDAR\r\n";
  return out;
}

std::string events_icalendar(const std::vector<Event>& events, const std::string& tz, const std::string& name) {
  CalendarWriter w(tz, name);
  for (const auto& e : events) w.add(e);
  return w.finish();
}

}  // namespace setevoe::core
