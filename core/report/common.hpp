// What the reports share: the period as the queries use it, the scope (an
// org, a direction), and small builders of tables. Internal to
// core/report/.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "core/db.hpp"
#include "core/report/document.hpp"
#include "core/report/reports.hpp"

namespace setevoe::core::report::detail {

// A period of local dates as the queries see it.
struct Span {
  std::string from, to;          // local dates, both included
  std::string from_utc, to_utc;  // its first moment and the first moment after it, ISO 8601 UTC
  std::string from_id, to_id;    // the UUIDv7 ids of rows created in it lie in [from_id, to_id)
  std::string held_to;           // min(to_utc, now): events before it have been held
};
Span make_span(const std::string& from, const std::string& to, const std::string& tz, std::int64_t now_ms);

// The period of a request: both ends checked. Errors: usage (no period
// when `required`, a date that does not parse, an end before the start).
std::optional<std::pair<std::string, std::string>> request_period(const Request& r, bool required);

// The scope of a request: ids resolved. Errors: not_found, usage.
struct Scope {
  std::optional<std::string> org, direction;
  std::string org_name, direction_name;
};
Scope make_scope(Db& db, const Request& r);

// A Document with the request's heading filled in.
Document new_document(const Request& r, std::string kind, std::string title, std::string subtitle);

// Names by id, read once: directions, orgs (short name when it has one).
struct Names {
  std::map<std::string, std::string, std::less<>> directions, orgs, people;
  explicit Names(Db& db);
  const std::string& direction(const std::string& id) const;
  const std::string& org(const std::string& id) const;
  const std::string& person(const std::string& id) const;
};

// The local date of an ISO 8601 UTC time in the zone, "YYYY-MM-DD"; empty
// for an empty or broken time.
std::string local_date_of(const std::string& iso, const std::string& tz);

// A month's name ("October"), translated; 1 to 12.
std::string month_name(unsigned m);
// The period as people say it: "for October 2026", "for 2026", "for
// quarter 3 of 2026", or "for 01.10.2026 – 15.10.2026".
std::string period_words(const std::string& from, const std::string& to);

// Column builders.
Column text_column(std::string key, std::string title);
Column integer_column(std::string key, std::string title);
Column number_column(std::string key, std::string title);
Column date_column(std::string key, std::string title);

// The median of values; nothing for none.
std::optional<double> median(std::vector<double> values);

// A count as a Value.
inline Value count(std::int64_t n) {
  return Value(n);
}
inline Value optional_number(const std::optional<double>& d) {
  return d ? Value(*d) : Value();
}

}  // namespace setevoe::core::report::detail
