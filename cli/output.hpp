// Output of records in the three formats: a table (or label: value lines)
// for people, JSON and CSV for scripts. Records are JSON objects; columns
// pick what tables and CSV show.
#pragma once

#include <initializer_list>
#include <string>
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

// One record: "label: value" lines for people (empty values left out), the
// whole record as JSON, or a one-row CSV of the columns.
void print_record(Context& ctx, const util::Json& record, const std::vector<Column>& columns, Format format);

// An ISO 8601 UTC time ("2026-11-28T19:46:18.123Z") as people read it in
// the time zone `tz`: "28.11.2026 22:46"; empty stays empty.
std::string local_time(const std::string& iso, const std::string& tz);

// Writes `content` to `path` all or nothing (temporary name, then rename);
// "-" writes to stdout.
void write_output(Context& ctx, const std::string& path, const std::string& content);

}  // namespace setevoe::cli
