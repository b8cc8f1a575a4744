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

// The cells of a table for people, kept in one buffer: a year's plan is a
// hundred thousand cells.
class Table {
 public:
  explicit Table(std::vector<std::string> header) : m_header(std::move(header)) {}
  // The next cell, row after row (a line break shows as a space).
  Table& add(std::string_view cell) {
    auto begin = m_text.size();
    m_text += cell;
    for (auto i = m_text.find('\n', begin); i != std::string::npos; i = m_text.find('\n', i + 1)) m_text[i] = ' ';
    m_ends.push_back(m_text.size());
    return *this;
  }
  void reserve(std::size_t rows) { m_ends.reserve(rows * m_header.size()); }
  const std::vector<std::string>& header() const { return m_header; }
  std::size_t rows() const { return m_header.empty() ? 0 : m_ends.size() / m_header.size(); }
  // Row r's column c: empty past the cells added.
  std::string_view cell(std::size_t r, std::size_t c) const {
    auto i = r * m_header.size() + c;
    if (i >= m_ends.size()) return {};
    auto begin = i == 0 ? 0 : m_ends[i - 1];
    return std::string_view(m_text).substr(begin, m_ends[i] - begin);
  }

 private:
  std::vector<std::string> m_header;
  std::string m_text;
  std::vector<std::size_t> m_ends;
};

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
