// Output of records in the three formats: a table (or label: value lines)
// for people, JSON and CSV for scripts. Records are JSON objects; columns
// pick what tables and CSV show.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <initializer_list>
#include <ostream>
#include <string>
#include <string_view>
#include <vector>

#include "cli/app.hpp"
#include "core/util/json.hpp"
#include "core/util/text_table.hpp"

namespace setevoe::cli {

struct Column {
  std::string key;     // the record's key; also the CSV header
  std::string header;  // the table's header (translated)
};

// Columns for scripts (CSV): the keys themselves, no headers for people.
std::vector<Column> key_columns(std::initializer_list<const char*> keys);

// A list: a table fitted to the terminal's width, a JSON array of the whole
// records, or CSV with the columns' keys as header.
void print_list(Context& ctx, const std::vector<util::Json>& records, const std::vector<Column>& columns,
                Format format);

// A period as typed: --month, --quarter, --year, or --from and --to; for
// reports also --previous-month (what cron asks for on the 1st).
struct PeriodOptions {
  std::string month, quarter, year, from, to;
  bool previous_month = false;
  CLI::Option *m = nullptr, *pm = nullptr, *q = nullptr, *y = nullptr, *f = nullptr, *t = nullptr;

  void add_to(CLI::App& cmd, bool with_previous_month = false);
  // The dates: both ends of a month, quarter or year, or what --from and
  // --to gave ("YYYY-MM-DD" or as typed); nothing when no period was given.
  // `today` ("YYYY-MM-DD") places the previous month. Error: usage (two
  // periods, one that does not parse).
  struct Dates {
    std::optional<std::string> from, to;
  };
  std::optional<Dates> dates(const std::string& today) const;
  // Sets a filter's from and to; false when no period was given.
  template <typename Filter>
  bool apply(Filter& filter, const std::string& today) const {
    auto d = dates(today);
    if (!d) return false;
    filter.from = d->from;
    filter.to = d->to;
    return true;
  }
};

// The cells of a table for people.
using Table = util::TextTable;

// A table fitted to the terminal's width as print_list does.
void print_table(Context& ctx, const Table& table);

// One record: "label: value" lines for people (empty values left out), the
// whole record as JSON, or a one-row CSV of the columns.
void print_record(Context& ctx, const util::Json& record, const std::vector<Column>& columns, Format format);

// An ISO 8601 UTC time ("2026-11-28T19:46:18.123Z") as people read it in
// the time zone `tz`: "28.11.2026 22:46"; empty stays empty.
std::string local_time(const std::string& iso, const std::string& tz);

// Today in the node's time zone: "2026-11-28" (what statuses and due dates
// are computed for).
std::string today(Context& ctx);
// A date as people read it: "2026-11-28" → "28.11.2026"; anything else as it is.
std::string date_text(const std::string& ymd);

// Writes `content` to `path` all or nothing (temporary name, then rename);
// "-" writes to stdout.
void write_output(Context& ctx, const std::string& path, const std::string& content);
// The same, the content written by `write` (a long output need not be one string).
void write_output(Context& ctx, const std::string& path, const std::function<void(std::ostream&)>& write);

// Progress of a long operation on stderr, when stderr is a terminal and not
// --quiet: "Упаковка: 45 % (450 из 1000 МиБ)", redrawn at most ten times a
// second, for totals of 8 MiB and more; erased when done or destroyed.
class ProgressLine {
 public:
  ProgressLine(Context& ctx, std::string label);
  ~ProgressLine();
  ProgressLine(const ProgressLine&) = delete;
  ProgressLine& operator=(const ProgressLine&) = delete;
  void operator()(std::uint64_t done, std::uint64_t total);
  void finish();

 private:
  Context& m_ctx;
  std::string m_label;
  bool m_enabled = false, m_shown = false;
  std::chrono::steady_clock::time_point m_last{};
};

// A size typed by people: "20M", "512K", "1G", "20MB", "20 МБ", or bytes.
// Multiples are binary (M = MiB). Usage error when it is none of these.
std::uint64_t parse_size(const std::string& text, const std::string& option);

// A size for people: "1,5 МиБ", "820 КиБ", "12 Б".
std::string human_size(std::uint64_t bytes);

}  // namespace setevoe::cli
