// A report as data, before it is rendered: what the query layer of each
// report (activity, plan, agreements, consultations, portfolio, org) builds
// and what every renderer (core/report/render.hpp) reads. The numbers of a
// report and of its JSON form are the same numbers because both are
// rendered from one Document.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <variant>
#include <vector>

namespace setevoe::core::report {

// What a column holds: how a cell is written in each format. A date is
// "YYYY-MM-DD" (shown DD.MM.YYYY, stored as a date in XLSX and ODS); a
// percent is a fraction (0.25 is shown 25 %).
enum class CellType { text, integer, number, date, percent };

// One value; an empty cell is std::monostate.
using Value = std::variant<std::monostate, std::int64_t, double, std::string>;

struct Column {
  std::string key;    // the JSON and CSV name: "published", "title"
  std::string title;  // the heading people read (translated)
  CellType type = CellType::text;
};

// A table with a header row (repeated on every page in DOCX and ODT).
struct Table {
  std::string key;    // the JSON name of the table: "by_type"
  std::string title;  // a caption above it; may be empty
  std::vector<Column> columns;
  std::vector<std::vector<Value>> rows{};  // each row has one value per column
  bool total = false;                      // the last row is a total (bold)
};

// A bar chart of one table's column: HTML draws it as inline SVG; other
// formats show the table alone.
struct Chart {
  std::string title;
  std::string table;  // the key of a table of the same section
  std::string label;  // the key of the column that names the bars
  std::string value;  // the key of the column of numbers
};

struct Section {
  std::string key;                        // the JSON name: "products", "events"
  std::string title;                      // its heading
  std::vector<std::string> paragraphs{};  // text before the tables
  std::vector<Table> tables{};
  std::vector<Chart> charts{};
};

struct Document {
  std::string kind;          // activity | plan | agreements | consultations | portfolio | org
  std::string organisation;  // the heading: who reports ("Управление образования …")
  std::string title;         // "Отчёт о деятельности сетевого взаимодействия"
  std::string subtitle;      // what and when: "за октябрь 2026 года", a person's name
  std::optional<std::string> from, to;  // the period, "YYYY-MM-DD", both ends included
  std::string generated_at;             // ISO 8601 UTC
  std::string generated_on;             // "YYYY-MM-DD": that day where the report was made
  std::string language;                 // "ru" or "en": the language of the text
  std::vector<Section> sections;
};

}  // namespace setevoe::core::report
