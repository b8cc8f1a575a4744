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

std::string local_datetime(std::int64_t unix_ms, const std::string& tz) {
  // localtime_r follows TZ: a process shows the times of one node, so TZ is
  // set once (tzset reads the zone file) and changed only for another zone.
  static std::string current;
  auto zone = known_time_zone(tz) ? tz : std::string("UTC");
  if (zone != current) {
    setenv("TZ", zone.c_str(), 1);
    tzset();
    current = zone;
  }
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
