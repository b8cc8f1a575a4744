// CSV as spreadsheets write it (RFC 4180 and Russian Excel): UTF-8 with or
// without a byte order mark, comma or semicolon separated (the header line
// decides), fields in double quotes may hold separators, doubled quotes and
// line breaks; CRLF or LF line ends.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace setevoe::util {

struct CsvRow {
  std::size_t line = 0;  // line number where the row starts, from 1
  std::vector<std::string> fields;
};

struct CsvError {
  std::size_t line = 0;
  std::string reason;  // English msgid; translate with tr()
};

// Parses `text`. Returns the rows (blank lines skipped), or sets `error` and
// returns nothing on a malformed quote. `separator` receives ',' or ';'.
std::optional<std::vector<CsvRow>> parse_csv(std::string_view text, char& separator, CsvError& error);

// One field quoted as needed for writing with `separator`.
std::string csv_field(std::string_view value, char separator = ',');
// A whole line, fields joined with the separator, ending with "\r\n".
std::string csv_line(const std::vector<std::string>& fields, char separator = ',');

}  // namespace setevoe::util
