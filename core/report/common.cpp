// What the reports share: periods, scopes, names, headings.
#include "core/report/common.hpp"
#include "core/report/render.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <chrono>

#include "core/error.hpp"
#include "core/i18n.hpp"
#include "core/member.hpp"
#include "core/util/text.hpp"
#include "core/util/time.hpp"
#include "core/util/uuid.hpp"

namespace setevoe::core::report {

namespace {

// Whole months: the first day of a month to the last day of a month.
std::optional<int> whole_months(const std::string& from, const std::string& to) {
  using namespace std::chrono;
  auto ymd = [](const std::string& d) {
    return year_month_day{year{std::stoi(d.substr(0, 4))}, month{static_cast<unsigned>(std::stoi(d.substr(5, 2)))},
                          day{static_cast<unsigned>(std::stoi(d.substr(8, 2)))}};
  };
  auto a = ymd(from), b = ymd(to);
  if (a.day() != day{1} || year_month_day_last{b.year(), month_day_last{b.month()}}.day() != b.day())
    return std::nullopt;
  return (static_cast<int>(b.year()) - static_cast<int>(a.year())) * 12 +
         static_cast<int>(static_cast<unsigned>(b.month())) - static_cast<int>(static_cast<unsigned>(a.month())) + 1;
}

}  // namespace

std::pair<std::string, std::string> previous_period(const std::string& from, const std::string& to) {
  using namespace std::chrono;
  if (auto months = whole_months(from, to)) {
    year_month first{year{std::stoi(from.substr(0, 4))}, month{static_cast<unsigned>(std::stoi(from.substr(5, 2)))}};
    auto start = first - std::chrono::months{*months};
    auto last = first - std::chrono::months{1};
    year_month_day_last end{last.year(), month_day_last{last.month()}};
    return {fmt::format("{:04}-{:02}-01", static_cast<int>(start.year()), static_cast<unsigned>(start.month())),
            fmt::format("{:04}-{:02}-{:02}", static_cast<int>(end.year()), static_cast<unsigned>(end.month()),
                        static_cast<unsigned>(end.day()))};
  }
  auto days_from = sys_days{year_month_day{year{std::stoi(from.substr(0, 4))},
                                           month{static_cast<unsigned>(std::stoi(from.substr(5, 2)))},
                                           day{static_cast<unsigned>(std::stoi(from.substr(8, 2)))}}};
  auto days_to = sys_days{year_month_day{year{std::stoi(to.substr(0, 4))},
                                         month{static_cast<unsigned>(std::stoi(to.substr(5, 2)))},
                                         day{static_cast<unsigned>(std::stoi(to.substr(8, 2)))}}};
  auto length = static_cast<int>((days_to - days_from).count()) + 1;
  return {util::add_days(from, -length), util::add_days(from, -1)};
}

namespace detail {

namespace {

std::int64_t day_start_ms(const std::string& date, const std::string& tz) {
  auto ms = util::parse_local_datetime(date + " 00:00", tz);
  if (!ms) ms = util::parse_local_datetime(date + " 01:00", tz);  // a day that begins with a clock's jump
  if (!ms) throw Error(ErrorKind::usage, trf("{} is not a date in the time zone {}.", date, tz));
  return *ms;
}

}  // namespace

Span make_span(const std::string& from, const std::string& to, const std::string& tz, std::int64_t now_ms) {
  Span s;
  s.from = from;
  s.to = to;
  auto a = day_start_ms(from, tz), b = day_start_ms(util::add_days(to, 1), tz);
  s.from_utc = util::iso_utc(a);
  s.to_utc = util::iso_utc(b);
  s.from_id = util::uuid7_floor(a);
  s.to_id = util::uuid7_floor(b);
  s.held_to = util::iso_utc(std::min(b, now_ms));
  return s;
}

std::optional<std::pair<std::string, std::string>> request_period(const Request& r, bool required) {
  auto date = [](const std::optional<std::string>& typed, std::string_view option) -> std::optional<std::string> {
    if (!typed) return std::nullopt;
    auto d = util::parse_date(util::trim(*typed));
    if (!d)
      throw Error(
          ErrorKind::usage,
          trf("{} «{}» is not a date; write YYYY-MM-DD or DD.MM.YYYY (for example 01.12.2026).", option, *typed));
    return d;
  };
  auto from = date(r.from, "--from"), to = date(r.to, "--to");
  if (!from && !to) {
    if (required)
      throw Error(ErrorKind::usage,
                  tr("say which period: --month 2026-10, --previous-month, --quarter 2026Q3, --year 2026, or --from "
                     "and --to."));
    return std::nullopt;
  }
  if (!from || !to)
    throw Error(ErrorKind::usage, tr("a report's period needs both ends: give --from and --to (or --month, --quarter, "
                                     "--year)."));
  if (*to < *from) throw Error(ErrorKind::usage, trf("--to {} is before --from {}.", *to, *from));
  return std::pair{*from, *to};
}

Scope make_scope(Db& db, const Request& r) {
  Scope s;
  if (r.org) {
    s.org = resolve_member(db, *r.org, "org");
    Stmt q(db, "SELECT coalesce(nullif(short_name, ''), name) FROM org WHERE id = ?");
    q.bind(1, *s.org);
    if (q.step()) s.org_name = q.column_text(0);
  }
  if (r.direction) {
    s.direction = resolve_direction(db, *r.direction);
    Stmt q(db, "SELECT name FROM direction WHERE id = ?");
    q.bind(1, *s.direction);
    if (q.step()) s.direction_name = q.column_text(0);
  }
  return s;
}

Document new_document(const Request& r, std::string kind, std::string title, std::string subtitle) {
  Document d;
  d.kind = std::move(kind);
  d.organisation = r.organisation;
  d.title = std::move(title);
  d.subtitle = std::move(subtitle);
  d.generated_at = util::iso_utc(r.now_ms);
  d.generated_on = r.today;
  d.language = r.language;
  return d;
}

Names::Names(Db& db) {
  Stmt d(db, "SELECT id, name FROM direction WHERE deleted = 0");
  while (d.step()) directions.emplace(d.column_text(0), d.column_text(1));
  Stmt o(db, "SELECT id, coalesce(nullif(short_name, ''), name) FROM org WHERE deleted = 0");
  while (o.step()) orgs.emplace(o.column_text(0), o.column_text(1));
  Stmt p(db, "SELECT id, name FROM person WHERE deleted = 0");
  while (p.step()) people.emplace(p.column_text(0), p.column_text(1));
}

namespace {
const std::string& find_or_id(const std::map<std::string, std::string, std::less<>>& m, const std::string& id) {
  auto it = m.find(id);
  return it == m.end() ? id : it->second;
}
}  // namespace

const std::string& Names::direction(const std::string& id) const {
  return find_or_id(directions, id);
}
const std::string& Names::org(const std::string& id) const {
  return find_or_id(orgs, id);
}
const std::string& Names::person(const std::string& id) const {
  return find_or_id(people, id);
}

std::string local_date_of(const std::string& iso, const std::string& tz) {
  auto ms = util::parse_iso_utc(iso);
  return ms ? util::local_date(*ms, tz) : std::string();
}

std::string month_name(unsigned m) {
  static const char* names[] = {N_("January"),   N_("February"), N_("March"),    N_("April"),
                                N_("May"),       N_("June"),     N_("July"),     N_("August"),
                                N_("September"), N_("October"),  N_("November"), N_("December")};
  return m >= 1 && m <= 12 ? tr(names[m - 1]) : std::string();
}

// "for October 2026", "for 2026", "for quarter 3 of 2026", or the dates.
std::string period_words(const std::string& from, const std::string& to) {
  auto year = from.substr(0, 4);
  auto month = static_cast<unsigned>(std::stoi(from.substr(5, 2)));
  auto months =
      from.substr(8) == "01" && util::add_days(to, 1).substr(8) == "01" && from.substr(0, 4) == to.substr(0, 4)
          ? static_cast<unsigned>(std::stoi(to.substr(5, 2))) - month + 1
          : 0;
  if (months == 12) return trf("for {}", year);
  if (months == 3 && (month - 1) % 3 == 0) return trf("for quarter {} of {}", (month - 1) / 3 + 1, year);
  if (months == 1) return trf("for {} {}", month_name(month), year);
  return trf("for {} – {}", date_text(from), date_text(to));
}

Column text_column(std::string key, std::string title) {
  return {std::move(key), std::move(title), CellType::text};
}
Column integer_column(std::string key, std::string title) {
  return {std::move(key), std::move(title), CellType::integer};
}
Column number_column(std::string key, std::string title) {
  return {std::move(key), std::move(title), CellType::number};
}
Column date_column(std::string key, std::string title) {
  return {std::move(key), std::move(title), CellType::date};
}

std::optional<double> median(std::vector<double> values) {
  if (values.empty()) return std::nullopt;
  auto mid = values.begin() + static_cast<std::ptrdiff_t>(values.size() / 2);
  std::nth_element(values.begin(), mid, values.end());
  if (values.size() % 2) return *mid;
  auto below = *std::max_element(values.begin(), mid);
  return (below + *mid) / 2;
}

}  // namespace detail
}  // namespace setevoe::core::report
