// Wall-clock time and its text forms. Times are kept as Unix milliseconds in
// UTC; they are shown in a node's time zone (an IANA name such as
// "Europe/Moscow", looked up in the system's tzdata).
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>

namespace setevoe::util {

// The source of "now" in Unix milliseconds. Tests replace it to make the wall
// clock jump; everything else uses system_clock_ms.
using WallClock = std::function<std::int64_t()>;
std::int64_t system_clock_ms();

// "2026-11-28T19:46:18.123Z".
std::string iso_utc(std::int64_t unix_ms);

// A stored UTC time back as Unix milliseconds: "2026-11-28T19:46:18.123Z"
// (also without the fraction, the seconds or the Z, or with a space for the
// T, as SQLite's date functions take it); nothing when it is not one.
std::optional<std::int64_t> parse_iso_utc(std::string_view s);

// "28.11.2026 22:46" in the time zone `tz`; UTC when tz is unknown. Sets
// the process's TZ variable to the zone.
std::string local_datetime(std::int64_t unix_ms, const std::string& tz);

// The date in the time zone `tz`: "2026-11-28".
std::string local_date(std::int64_t unix_ms, const std::string& tz);

// True when the system knows the time zone name.
bool known_time_zone(const std::string& tz);

// A calendar date typed by a user, "YYYY-MM-DD" or "DD.MM.YYYY", as
// "YYYY-MM-DD"; nothing when it is not a real date.
std::optional<std::string> parse_date(std::string_view s);

// A date and time typed by a user in the time zone `tz`: "YYYY-MM-DD HH:MM"
// or "DD.MM.YYYY HH:MM" (also with a 'T' between, as ISO 8601 has it), as
// Unix milliseconds. Nothing when it is not a real date and time, or when
// the time does not exist there (a clock moved forward); a time that comes
// twice (a clock moved back) is the first. An unknown zone is UTC.
std::optional<std::int64_t> parse_local_datetime(std::string_view s, const std::string& tz);

// The local time in `tz` as iCalendar writes it: "20261210T140000".
std::string local_ical(std::int64_t unix_ms, const std::string& tz);

// What the zone `tz` says at an instant: the offset from UTC in seconds,
// whether it is summer time, and its abbreviation ("MSK", "+05").
struct ZoneState {
  long offset = 0;
  bool dst = false;
  std::string abbreviation;
  bool operator==(const ZoneState&) const = default;
};
ZoneState zone_state(std::int64_t unix_ms, const std::string& tz);

// A period of whole days, both ends included, as "YYYY-MM-DD".
struct DateRange {
  std::string from, to;
};
// A month typed by a user: "2026-12" or "12.2026".
std::optional<DateRange> parse_month(std::string_view s);
// A quarter: "2026Q4", "2026-Q4", "2026 Q4" (q in any case), or "4 кв. 2026".
std::optional<DateRange> parse_quarter(std::string_view s);
// A year: "2027".
std::optional<DateRange> parse_year(std::string_view s);
// The date `days` days after a "YYYY-MM-DD" date (before it when negative).
std::string add_days(const std::string& date, int days);

}  // namespace setevoe::util
