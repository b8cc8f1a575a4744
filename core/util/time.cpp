// Wall-clock time and its text forms.
#include "core/util/time.hpp"

#include "core/util/text.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <ctime>
#include <filesystem>
#include <optional>
#include <unordered_map>

namespace setevoe::util {

std::int64_t system_clock_ms() {
  using namespace std::chrono;
  return duration_cast<milliseconds>(system_clock::now().time_since_epoch()).count();
}

namespace {

// Digits into a buffer: times are formatted for every row of long lists.
char* digits(char* p, long value, int width) {
  for (int i = width - 1; i >= 0; --i, value /= 10) p[i] = static_cast<char>('0' + value % 10);
  return p + width;
}

// The calendar fields of a count of seconds since the epoch, without the
// C library's time zone lock: lists format two or three times per row.
std::tm civil(std::int64_t secs) {
  using namespace std::chrono;
  sys_seconds t{seconds{secs}};
  auto day = floor<days>(t);
  year_month_day ymd{day};
  hh_mm_ss hms{t - day};
  std::tm tm{};
  tm.tm_year = static_cast<int>(ymd.year()) - 1900;
  tm.tm_mon = static_cast<int>(static_cast<unsigned>(ymd.month())) - 1;
  tm.tm_mday = static_cast<int>(static_cast<unsigned>(ymd.day()));
  tm.tm_hour = static_cast<int>(hms.hours().count());
  tm.tm_min = static_cast<int>(hms.minutes().count());
  tm.tm_sec = static_cast<int>(hms.seconds().count());
  return tm;
}

std::int64_t floor_div(std::int64_t a, std::int64_t b) {
  return a / b - (a % b != 0 && (a < 0) != (b < 0));
}

}  // namespace

std::string iso_utc(std::int64_t unix_ms) {
  auto tm = civil(floor_div(unix_ms, 1000));
  if (tm.tm_year + 1900 < 0 || tm.tm_year + 1900 > 9999)
    return fmt::format("{:04}-{:02}-{:02}T{:02}:{:02}:{:02}.{:03}Z", tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday,
                       tm.tm_hour, tm.tm_min, tm.tm_sec, unix_ms % 1000);
  char buf[24];
  char* p = digits(buf, tm.tm_year + 1900, 4);
  *p++ = '-';
  p = digits(p, tm.tm_mon + 1, 2);
  *p++ = '-';
  p = digits(p, tm.tm_mday, 2);
  *p++ = 'T';
  p = digits(p, tm.tm_hour, 2);
  *p++ = ':';
  p = digits(p, tm.tm_min, 2);
  *p++ = ':';
  p = digits(p, tm.tm_sec, 2);
  *p++ = '.';
  p = digits(p, static_cast<long>(((unix_ms % 1000) + 1000) % 1000), 3);
  *p++ = 'Z';
  return std::string(buf, p);
}

std::optional<std::int64_t> parse_iso_utc(std::string_view s) {
  std::size_t i = 0;
  auto number = [&](std::size_t width, int& out) {
    if (i + width > s.size()) return false;
    out = 0;
    for (std::size_t k = 0; k < width; ++k, ++i) {
      char c = s[i];
      if (c < '0' || c > '9') return false;
      out = out * 10 + (c - '0');
    }
    return true;
  };
  auto sep = [&](char c) { return i < s.size() && s[i] == c ? (++i, true) : false; };
  int y, mo, d, h, mi, sec = 0, ms = 0;
  if (!number(4, y) || !sep('-') || !number(2, mo) || !sep('-') || !number(2, d)) return std::nullopt;
  if (!sep('T') && !sep(' ')) return std::nullopt;
  if (!number(2, h) || !sep(':') || !number(2, mi)) return std::nullopt;
  if (sep(':')) {
    if (!number(2, sec)) return std::nullopt;
    if (sep('.')) {
      std::size_t digits_seen = 0;
      for (; i < s.size() && s[i] >= '0' && s[i] <= '9'; ++i, ++digits_seen)
        if (digits_seen < 3) ms = ms * 10 + (s[i] - '0');
      if (digits_seen == 0) return std::nullopt;
      for (; digits_seen < 3; ++digits_seen) ms *= 10;
    }
  }
  sep('Z');
  if (i != s.size() || h > 23 || mi > 59 || sec > 59) return std::nullopt;
  using namespace std::chrono;
  year_month_day ymd{year{y}, month{static_cast<unsigned>(mo)}, day{static_cast<unsigned>(d)}};
  if (!ymd.ok()) return std::nullopt;
  auto days_since = sys_days{ymd}.time_since_epoch().count();
  return ((static_cast<std::int64_t>(days_since) * 24 + h) * 60 + mi) * 60000 + sec * 1000 + ms;
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
  static std::string asked, current;
  // Listing thousands of times asks for the same zone each time: the zone
  // file is looked for once.
  if (tz == asked && !asked.empty()) return;
  asked = tz;
  auto zone = known_time_zone(tz) ? tz : std::string("UTC");
  if (zone != current) {
    setenv("TZ", zone.c_str(), 1);
    tzset();
    current = zone;
  }
}

// The local calendar fields. glibc computes a zone's rule afresh on every
// call for times after the zone file's last transition (all of today's
// times in Moscow), so the offset is kept per UTC day: a day whose first
// and last seconds have the same offset has it throughout (zones change at
// most once a day); a day with a change asks the C library for each time.
std::tm local_tm(std::int64_t secs, const std::string& tz) {
  use_time_zone(tz);
  static std::string zone;
  static std::unordered_map<std::int64_t, std::optional<long>> offsets;
  if (zone != tz) {
    offsets.clear();
    zone = tz;
  }
  auto ask = [](std::int64_t at) {
    std::time_t t = static_cast<std::time_t>(at);
    std::tm tm{};
    localtime_r(&t, &tm);
    return tm;
  };
  auto day = floor_div(secs, 86400);
  auto it = offsets.find(day);
  if (it == offsets.end()) {
    auto first = ask(day * 86400).tm_gmtoff, last = ask(day * 86400 + 86399).tm_gmtoff;
    it = offsets.emplace(day, first == last ? std::optional<long>(first) : std::nullopt).first;
  }
  if (!it->second) return ask(secs);
  return civil(secs + *it->second);
}

}  // namespace

std::string local_datetime(std::int64_t unix_ms, const std::string& tz) {
  auto tm = local_tm(floor_div(unix_ms, 1000), tz);
  if (tm.tm_year + 1900 < 0 || tm.tm_year + 1900 > 9999)
    return fmt::format("{:02}.{:02}.{:04} {:02}:{:02}", tm.tm_mday, tm.tm_mon + 1, tm.tm_year + 1900, tm.tm_hour,
                       tm.tm_min);
  char buf[16];
  char* p = digits(buf, tm.tm_mday, 2);
  *p++ = '.';
  p = digits(p, tm.tm_mon + 1, 2);
  *p++ = '.';
  p = digits(p, tm.tm_year + 1900, 4);
  *p++ = ' ';
  p = digits(p, tm.tm_hour, 2);
  *p++ = ':';
  p = digits(p, tm.tm_min, 2);
  return std::string(buf, p);
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

std::string local_date(std::int64_t unix_ms, const std::string& tz) {
  auto tm = local_tm(floor_div(unix_ms, 1000), tz);
  return fmt::format("{:04}-{:02}-{:02}", tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday);
}

std::string local_ical(std::int64_t unix_ms, const std::string& tz) {
  auto tm = local_tm(floor_div(unix_ms, 1000), tz);
  if (tm.tm_year + 1900 < 0 || tm.tm_year + 1900 > 9999)
    return fmt::format("{:04}{:02}{:02}T{:02}{:02}{:02}", tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday, tm.tm_hour,
                       tm.tm_min, tm.tm_sec);
  char buf[16];
  char* p = digits(buf, tm.tm_year + 1900, 4);
  p = digits(p, tm.tm_mon + 1, 2);
  p = digits(p, tm.tm_mday, 2);
  *p++ = 'T';
  p = digits(p, tm.tm_hour, 2);
  p = digits(p, tm.tm_min, 2);
  p = digits(p, tm.tm_sec, 2);
  return std::string(buf, p);
}

ZoneState zone_state(std::int64_t unix_ms, const std::string& tz) {
  use_time_zone(tz);
  std::time_t secs = static_cast<std::time_t>(unix_ms / 1000);
  std::tm tm{};
  localtime_r(&secs, &tm);
  return {tm.tm_gmtoff, tm.tm_isdst > 0, tm.tm_zone ? tm.tm_zone : ""};
}

namespace {

bool all_digits(std::string_view s) {
  return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

std::optional<int> year_of(std::string_view s) {
  if (s.size() != 4 || !all_digits(s)) return std::nullopt;
  int y = std::stoi(std::string(s));
  if (y < 1900 || y > 9999) return std::nullopt;
  return y;
}

std::string last_day(int y, unsigned m) {
  using namespace std::chrono;
  year_month_day_last l{year{y} / month{m} / last};
  return fmt::format("{:04}-{:02}-{:02}", y, m, static_cast<unsigned>(l.day()));
}

DateRange months(int y, unsigned first, unsigned last_month) {
  return {fmt::format("{:04}-{:02}-01", y, first), last_day(y, last_month)};
}

}  // namespace

std::optional<DateRange> parse_month(std::string_view s) {
  s = trim(s);
  std::string_view y, m;
  if (s.size() == 7 && s[4] == '-') {
    y = s.substr(0, 4);
    m = s.substr(5, 2);
  } else if (s.size() == 7 && s[2] == '.') {
    m = s.substr(0, 2);
    y = s.substr(3, 4);
  } else {
    return std::nullopt;
  }
  auto year = year_of(y);
  if (!year || !all_digits(m)) return std::nullopt;
  unsigned month = static_cast<unsigned>(std::stoi(std::string(m)));
  if (month < 1 || month > 12) return std::nullopt;
  return months(*year, month, month);
}

std::optional<DateRange> parse_quarter(std::string_view s) {
  s = trim(s);
  std::string_view y;
  char q = 0;
  if (s.size() >= 6 && (s[s.size() - 2] == 'Q' || s[s.size() - 2] == 'q')) {
    // 2026Q4, 2026-Q4, 2026 Q4
    y = s.substr(0, 4);
    auto between = s.substr(4, s.size() - 6);
    if (!(between.empty() || between == "-" || between == " ")) return std::nullopt;
    q = s.back();
  } else if (s.size() >= 6 && s[1] == ' ' && s.substr(s.size() - 5, 1) == " ") {
    // 4 кв. 2026, 4 кв 2026
    auto middle = s.substr(2, s.size() - 7);
    if (middle != "кв." && middle != "кв" && middle != "квартал") return std::nullopt;
    q = s[0];
    y = s.substr(s.size() - 4);
  } else {
    return std::nullopt;
  }
  auto year = year_of(y);
  if (!year || q < '1' || q > '4') return std::nullopt;
  unsigned first = static_cast<unsigned>(q - '1') * 3 + 1;
  return months(*year, first, first + 2);
}

std::optional<DateRange> parse_year(std::string_view s) {
  auto year = year_of(trim(s));
  if (!year) return std::nullopt;
  return months(*year, 1, 12);
}

std::string add_days(const std::string& date, int days) {
  using namespace std::chrono;
  year_month_day ymd{year{std::stoi(date.substr(0, 4))}, month{static_cast<unsigned>(std::stoi(date.substr(5, 2)))},
                     day{static_cast<unsigned>(std::stoi(date.substr(8, 2)))}};
  ymd = year_month_day{sys_days{ymd} + std::chrono::days{days}};
  return fmt::format("{:04}-{:02}-{:02}", static_cast<int>(ymd.year()), static_cast<unsigned>(ymd.month()),
                     static_cast<unsigned>(ymd.day()));
}

}  // namespace setevoe::util
