// CSV reading and writing.
#include "core/util/csv.hpp"

#include <algorithm>

// Marks messages for extraction; core/i18n.hpp translates them (util/ does not depend on it).
#define N_(msgid) msgid

namespace setevoe::util {

namespace {
char detect_separator(std::string_view text) {
  std::size_t commas = 0, semicolons = 0;
  bool quoted = false;
  for (char c : text) {
    if (c == '"')
      quoted = !quoted;
    else if (!quoted && (c == '\n' || c == '\r'))
      break;
    else if (!quoted && c == ',')
      ++commas;
    else if (!quoted && c == ';')
      ++semicolons;
  }
  return semicolons > commas ? ';' : ',';
}
}  // namespace

std::optional<std::vector<CsvRow>> parse_csv(std::string_view text, char& separator, CsvError& error) {
  if (text.substr(0, 3) == "\xEF\xBB\xBF") text.remove_prefix(3);
  separator = detect_separator(text);
  std::vector<CsvRow> rows;
  CsvRow row;
  std::string field;
  std::size_t line = 1;
  row.line = 1;
  bool quoted = false, was_quoted = false, row_has_content = false;
  auto end_field = [&] {
    row.fields.push_back(std::move(field));
    field.clear();
    was_quoted = false;
  };
  auto end_row = [&] {
    end_field();
    if (row_has_content) rows.push_back(std::move(row));
    row = CsvRow{};
    row_has_content = false;
  };
  for (std::size_t i = 0; i < text.size(); ++i) {
    char c = text[i];
    if (quoted) {
      if (c == '"') {
        if (i + 1 < text.size() && text[i + 1] == '"') {
          field.push_back('"');
          ++i;
        } else {
          quoted = false;
        }
      } else {
        if (c == '\n') ++line;
        field.push_back(c);
      }
      continue;
    }
    if (c == '"') {
      if (!field.empty() || was_quoted) {
        error = {line,
                 N_("a quote inside an unquoted field; put the whole field in quotes and double the quotes inside")};
        return std::nullopt;
      }
      quoted = was_quoted = row_has_content = true;
    } else if (c == separator) {
      end_field();  // a row of separators only is a blank row, as spreadsheets export it
    } else if (c == '\r' || c == '\n') {
      if (c == '\r' && i + 1 < text.size() && text[i + 1] == '\n') ++i;
      end_row();
      ++line;
      row.line = line;
    } else {
      if (was_quoted) {
        error = {line, N_("text after a closing quote; put the whole field in quotes")};
        return std::nullopt;
      }
      field.push_back(c);
      if (c != ' ' && c != '\t') row_has_content = true;
    }
  }
  if (quoted) {
    error = {row.line, N_("a quoted field is not closed before the end of the file")};
    return std::nullopt;
  }
  end_row();
  return rows;
}

std::string csv_field(std::string_view value, char separator) {
  // Both separators are quoted whichever is in use, so that a reader that
  // guesses the separator from the first line cannot guess wrong; so is a
  // leading byte order mark, which a reader would strip.
  bool needs =
      value.find_first_of("\"\r\n,;") != std::string_view::npos || value.find(separator) != std::string_view::npos ||
      (!value.empty() && (value.front() == ' ' || value.back() == ' ')) || value.substr(0, 3) == "\xEF\xBB\xBF";
  if (!needs) return std::string(value);
  std::string out = "\"";
  for (char c : value) {
    if (c == '"') out.push_back('"');
    out.push_back(c);
  }
  out.push_back('"');
  return out;
}

std::string csv_line(const std::vector<std::string>& fields, char separator) {
  std::string out;
  // A line of empty fields reads as a blank line, which readers skip: a
  // quoted empty field keeps such a row a row.
  if (std::all_of(fields.begin(), fields.end(), [](const std::string& f) { return f.empty(); })) out = "\"\"";
  for (std::size_t i = 0; i < fields.size(); ++i) {
    if (i) out.push_back(separator);
    out += csv_field(fields[i], separator);
  }
  out += "\r\n";
  return out;
}

}  // namespace setevoe::util
