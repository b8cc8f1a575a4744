// Wall-clock time and its text forms.
#include "core/util/time.hpp"

#include <fmt/format.h>

#include <chrono>
#include <cstdlib>
#include <ctime>
#include <filesystem>

namespace setevoe::util {

std::int64_t system_clock_ms() {
  using namespace std::chrono;
  return duration_cast<milliseconds>(system_clock::now().time_since_epoch()).count();
}

std::string iso_utc(std::int64_t unix_ms) {
  std::time_t secs = static_cast<std::time_t>(unix_ms / 1000);
  std::tm tm{};
  gmtime_r(&secs, &tm);
  return fmt::format("{:04}-{:02}-{:02}T{:02}:{:02}:{:02}.{:03}Z", tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday,
                     tm.tm_hour, tm.tm_min, tm.tm_sec, unix_ms % 1000);
}

bool known_time_zone(const std::string& tz) {
  if (tz == "UTC") return true;
  if (tz.empty() || tz.find("..") != std::string::npos || tz.front() == '/') return false;
  std::error_code ec;
  return std::filesystem::is_regular_file(std::filesystem::path("/usr/share/zoneinfo") / tz, ec);
}

namespace {

// localtime_r and mktime follow TZ: a process shows the times of one node,
// so TZ is set once (tzset reads the zone file) and changed only for
// another zone.
void use_time_zone(const std::string& tz) {
  static std::string current;
  auto zone = known_time_zone(tz) ? tz : std::string("UTC");
  if (zone != current) {
    setenv("TZ", zone.c_str(), 1);
    tzset();
    current = zone;
  }
}

}  // namespace

std::string local_datetime(std::int64_t unix_ms, const std::string& tz) {
  use_time_zone(tz);
  std::time_t secs = static_cast<std::time_t>(unix_ms / 1000);
  std::tm tm{};
  localtime_r(&secs, &tm);
  return fmt::format("{:02}.{:02}.{:04} {:02}:{:02}", tm.tm_mday, tm.tm_mon + 1, tm.tm_year + 1900, tm.tm_hour,
                     tm.tm_min);
}

std::optional<std::string> parse_date(std::string_view s) {
  int y = 0, m = 0, d = 0;
  auto digits = [&](std::string_view part, int& out) {
    if (part.empty()) return false;
    out = 0;
    for (char c : part) {
      if (c < '0' || c > '9') return false;
      out = out * 10 + (c - '0');
    }
    return true;
  };
  if (s.size() == 10 && s[4] == '-' && s[7] == '-') {
    if (!digits(s.substr(0, 4), y) || !digits(s.substr(5, 2), m) || !digits(s.substr(8, 2), d)) return std::nullopt;
  } else if (s.size() == 10 && s[2] == '.' && s[5] == '.') {
    if (!digits(s.substr(0, 2), d) || !digits(s.substr(3, 2), m) || !digits(s.substr(6, 4), y)) return std::nullopt;
  } else {
    return std::nullopt;
  }
  using namespace std::chrono;
  year_month_day ymd{year{y}, month{static_cast<unsigned>(m)}, day{static_cast<unsigned>(d)}};
  if (!ymd.ok() || y < 1900) return std::nullopt;
  return fmt::format("{:04}-{:02}-{:02}", y, m, d);
}

}  // namespace setevoe::util

namespace setevoe::util {

std::optional<std::int64_t> parse_local_datetime(std::string_view s, const std::string& tz) {
  // The date, then one space or 'T', then HH:MM.
  if (s.size() != 16 || (s[10] != ' ' && s[10] != 'T') || s[13] != ':') return std::nullopt;
  auto date = parse_date(s.substr(0, 10));
  if (!date) return std::nullopt;
  int hour = 0, minute = 0;
  for (std::size_t i : {11u, 12u, 14u, 15u})
    if (s[i] < '0' || s[i] > '9') return std::nullopt;
  hour = (s[11] - '0') * 10 + (s[12] - '0');
  minute = (s[14] - '0') * 10 + (s[15] - '0');
  if (hour > 23 || minute > 59) return std::nullopt;
  use_time_zone(tz);
  std::tm tm{};
  tm.tm_year = std::stoi(date->substr(0, 4)) - 1900;
  tm.tm_mon = std::stoi(date->substr(5, 2)) - 1;
  tm.tm_mday = std::stoi(date->substr(8, 2));
  tm.tm_hour = hour;
  tm.tm_min = minute;
  tm.tm_isdst = -1;
  const std::tm wanted = tm;
  std::time_t secs = std::mktime(&tm);
  if (secs == static_cast<std::time_t>(-1)) return std::nullopt;
  // mktime moves a time that does not exist (in a clock's jump forward) to
  // one that does: then the fields differ from those typed.
  if (tm.tm_hour != wanted.tm_hour || tm.tm_min != wanted.tm_min || tm.tm_mday != wanted.tm_mday) return std::nullopt;
  // A time that comes twice: the earlier of the two.
  std::tm other = wanted;
  other.tm_isdst = tm.tm_isdst > 0 ? 0 : 1;
  std::time_t again = std::mktime(&other);
  if (again != static_cast<std::time_t>(-1) && other.tm_hour == wanted.tm_hour && other.tm_min == wanted.tm_min &&
      other.tm_mday == wanted.tm_mday && again < secs)
    secs = again;
  return static_cast<std::int64_t>(secs) * 1000;
}

}  // namespace setevoe::util
