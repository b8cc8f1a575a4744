// Rendering a report: the formats for people on a terminal and for scripts
// (text, CSV, JSON, Markdown) and the self-contained HTML page with its
// charts. The office formats are in core/report/office.cpp.
#include "core/report/render.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <sstream>

#include "core/error.hpp"
#include "core/i18n.hpp"
#include "core/util/csv.hpp"
#include "core/util/json.hpp"
#include "core/util/text.hpp"
#include "core/util/text_table.hpp"

namespace setevoe::core::report {

namespace {

constexpr std::string_view k_names[] = {"table", "csv", "json", "md", "html", "docx", "odt", "xlsx"};

bool numeric(CellType t) {
  return t == CellType::integer || t == CellType::number || t == CellType::percent;
}

// Digits grouped by three with a no-break space: "12 345" (reports are
// Russian documents; an English one keeps the same figures).
std::string grouped(std::int64_t n) {
  auto digits = std::to_string(n < 0 ? -n : n);
  std::string out;
  for (std::size_t i = 0; i < digits.size(); ++i) {
    if (i > 0 && (digits.size() - i) % 3 == 0) out += "\u00A0";
    out += digits[i];
  }
  return n < 0 ? "-" + out : out;
}

// A number as Russian documents write it: a decimal comma.
// Rounded half away from zero, as a spreadsheet shows the same cell.
std::string decimal(double d, int places) {
  auto scale = std::pow(10.0, places);
  auto s = fmt::format("{:.{}f}", std::round(d * scale) / scale, places);
  std::replace(s.begin(), s.end(), '.', ',');
  return s;
}

const Table* find_table(const Section& s, const std::string& key) {
  for (const auto& t : s.tables)
    if (t.key == key) return &t;
  return nullptr;
}

std::size_t column_index(const Table& t, const std::string& key) {
  for (std::size_t c = 0; c < t.columns.size(); ++c)
    if (t.columns[c].key == key) return c;
  return t.columns.size();
}

double as_double(const Value& v) {
  if (auto i = std::get_if<std::int64_t>(&v)) return static_cast<double>(*i);
  if (auto d = std::get_if<double>(&v)) return *d;
  return 0;
}

std::string heading_lines(const Document& doc) {
  std::string out;
  if (!doc.organisation.empty()) out += doc.organisation + "\n";
  out += doc.title + "\n";
  if (!doc.subtitle.empty()) out += doc.subtitle + "\n";
  if (auto p = period_line(doc); !p.empty()) out += p + "\n";
  return out;
}

util::Json value_json(const Value& v) {
  if (auto i = std::get_if<std::int64_t>(&v)) return util::Json(*i);
  if (auto d = std::get_if<double>(&v)) return util::Json(*d);
  if (auto s = std::get_if<std::string>(&v)) return util::Json(*s);
  return util::Json();
}

std::string_view type_name(CellType t) {
  switch (t) {
    case CellType::integer:
      return "integer";
    case CellType::number:
      return "number";
    case CellType::percent:
      return "percent";
    case CellType::date:
      return "date";
    case CellType::text:
      break;
  }
  return "text";
}

}  // namespace

std::optional<Format> parse_format(std::string_view name) {
  for (std::size_t i = 0; i < std::size(k_names); ++i)
    if (k_names[i] == name) return static_cast<Format>(i);
  return std::nullopt;
}

std::string_view format_name(Format f) {
  return k_names[static_cast<std::size_t>(f)];
}

bool is_binary(Format f) {
  return f == Format::docx || f == Format::odt || f == Format::xlsx;
}

std::string date_text(std::string_view ymd) {
  if (ymd.size() != 10 || ymd[4] != '-' || ymd[7] != '-') return std::string(ymd);
  return fmt::format("{}.{}.{}", ymd.substr(8, 2), ymd.substr(5, 2), ymd.substr(0, 4));
}

std::string period_text(const Document& doc) {
  if (doc.from && doc.to) return date_text(*doc.from) + " – " + date_text(*doc.to);
  if (doc.from) return trf("from {}", date_text(*doc.from));
  if (doc.to) return trf("until {}", date_text(*doc.to));
  return {};
}

std::string period_line(const Document& doc) {
  auto p = period_text(doc);
  return doc.subtitle.find(p) == std::string::npos ? p : std::string();
}

std::string cell_text(const Value& v, CellType type) {
  if (std::holds_alternative<std::monostate>(v)) return {};
  if (auto s = std::get_if<std::string>(&v)) return type == CellType::date ? date_text(*s) : *s;
  if (type == CellType::percent) {
    auto pct = as_double(v) * 100;
    return (std::abs(pct - std::round(pct)) < 0.05 ? fmt::format("{:.0f}", pct) : decimal(pct, 1)) + "\u00A0%";
  }
  if (auto i = std::get_if<std::int64_t>(&v)) return grouped(*i);
  return decimal(std::get<double>(v), 1);
}

std::string generated_line(const Document& doc) {
  auto day = doc.generated_on.empty() ? std::string_view(doc.generated_at).substr(0, 10) : doc.generated_on;
  if (day.size() < 10) return {};
  return trf("Generated: {}", date_text(day));
}

std::string render(const Document& doc, Format format, const RenderOptions& options) {
  switch (format) {
    case Format::table:
      return render_text(doc, options.width);
    case Format::csv:
      return render_csv(doc);
    case Format::json:
      return render_json(doc);
    case Format::md:
      return render_markdown(doc);
    case Format::html:
      return render_html(doc);
    case Format::docx:
      return render_docx(doc);
    case Format::odt:
      return render_odt(doc);
    case Format::xlsx:
      return render_xlsx(doc);
  }
  throw Error(ErrorKind::internal, "unknown report format");
}

// ---- Text for the terminal

std::string render_text(const Document& doc, std::size_t width) {
  std::ostringstream out;
  out << heading_lines(doc);
  for (const auto& s : doc.sections) {
    out << "\n" << s.title << "\n" << std::string(std::min<std::size_t>(util::display_width(s.title), 80), '=') << "\n";
    for (const auto& p : s.paragraphs) out << p << "\n";
    for (const auto& t : s.tables) {
      out << "\n";
      if (!t.title.empty()) out << t.title << "\n";
      std::vector<std::string> header;
      for (const auto& c : t.columns) header.push_back(c.title);
      util::TextTable table(std::move(header));
      for (std::size_t c = 0; c < t.columns.size(); ++c)
        if (numeric(t.columns[c].type)) table.align_right(c);
      for (const auto& row : t.rows)
        for (std::size_t c = 0; c < t.columns.size(); ++c)
          table.add(c < row.size() ? cell_text(row[c], t.columns[c].type) : std::string());
      if (t.rows.empty())
        out << tr("(nothing)") << "\n";
      else
        table.write(out, width);
    }
  }
  out << "\n" << generated_line(doc) << "\n";
  return out.str();
}

// ---- CSV: each table under its section's and its own title, an empty line
// between tables; numbers and dates as scripts read them (1234.5,
// 2026-10-05).

std::string render_csv(const Document& doc) {
  std::string out;
  auto raw = [](const Value& v) -> std::string {
    if (auto i = std::get_if<std::int64_t>(&v)) return std::to_string(*i);
    if (auto d = std::get_if<double>(&v)) return fmt::format("{}", *d);
    if (auto s = std::get_if<std::string>(&v)) return *s;
    return {};
  };
  bool first = true;
  for (const auto& s : doc.sections)
    for (const auto& t : s.tables) {
      if (!first) out += "\r\n";
      first = false;
      out += util::csv_line({t.title.empty() ? s.title : s.title + ": " + t.title});
      std::vector<std::string> header;
      for (const auto& c : t.columns) header.push_back(c.key);
      out += util::csv_line(header);
      for (const auto& row : t.rows) {
        std::vector<std::string> fields;
        for (std::size_t c = 0; c < t.columns.size(); ++c) fields.push_back(c < row.size() ? raw(row[c]) : "");
        out += util::csv_line(fields);
      }
    }
  return out;
}

// ---- JSON: the figures themselves, for scripts. Sections and tables by
// key; each row an object by column key; numbers as numbers, dates as
// "YYYY-MM-DD", empty cells as null.

std::string render_json(const Document& doc) {
  auto j = util::Json::object();
  j.set("report", doc.kind).set("organisation", doc.organisation).set("title", doc.title);
  j.set("subtitle", doc.subtitle);
  j.set("period", util::Json::object().set("from", doc.from).set("to", doc.to));
  j.set("generated_at", doc.generated_at).set("language", doc.language);
  auto sections = util::Json::object();
  for (const auto& s : doc.sections) {
    auto section = util::Json::object();
    section.set("title", s.title);
    if (!s.paragraphs.empty()) {
      auto paragraphs = util::Json::array();
      for (const auto& p : s.paragraphs) paragraphs.push(p);
      section.set("paragraphs", std::move(paragraphs));
    }
    auto tables = util::Json::object();
    for (const auto& t : s.tables) {
      auto columns = util::Json::array();
      for (const auto& c : t.columns)
        columns.push(util::Json::object().set("key", c.key).set("title", c.title).set("type", type_name(c.type)));
      auto rows = util::Json::array();
      for (const auto& row : t.rows) {
        auto r = util::Json::object();
        for (std::size_t c = 0; c < t.columns.size(); ++c)
          r.set(t.columns[c].key, c < row.size() ? value_json(row[c]) : util::Json());
        rows.push(std::move(r));
      }
      auto table =
          util::Json::object().set("title", t.title).set("columns", std::move(columns)).set("rows", std::move(rows));
      if (t.total) table.set("total_row", true);
      tables.set(t.key, std::move(table));
    }
    section.set("tables", std::move(tables));
    sections.set(s.key, std::move(section));
  }
  j.set("sections", std::move(sections));
  return j.dump() + "\n";
}

// ---- Markdown

namespace {
std::string md_cell(std::string text) {
  std::string out;
  for (char c : text) {
    if (c == '|')
      out += "\\|";
    else if (c == '\n')
      out += "<br>";
    else
      out += c;
  }
  return out;
}
}  // namespace

std::string render_markdown(const Document& doc) {
  std::string out;
  if (!doc.organisation.empty()) out += doc.organisation + "\n\n";
  out += "# " + doc.title + "\n\n";
  if (!doc.subtitle.empty()) out += doc.subtitle + "\n\n";
  if (auto p = period_line(doc); !p.empty()) out += p + "\n\n";
  for (const auto& s : doc.sections) {
    out += "## " + s.title + "\n\n";
    for (const auto& p : s.paragraphs) out += p + "\n\n";
    for (const auto& t : s.tables) {
      if (!t.title.empty()) out += "**" + t.title + "**\n\n";
      if (t.rows.empty()) {
        out += std::string(tr("(nothing)")) + "\n\n";
        continue;
      }
      out += "|";
      for (const auto& c : t.columns) out += " " + md_cell(c.title) + " |";
      out += "\n|";
      for (const auto& c : t.columns) out += numeric(c.type) ? " ---: |" : " --- |";
      out += "\n";
      for (std::size_t r = 0; r < t.rows.size(); ++r) {
        bool bold = t.total && r + 1 == t.rows.size();
        out += "|";
        for (std::size_t c = 0; c < t.columns.size(); ++c) {
          auto text = md_cell(c < t.rows[r].size() ? cell_text(t.rows[r][c], t.columns[c].type) : "");
          out += " " + (bold && !text.empty() ? "**" + text + "**" : text) + " |";
        }
        out += "\n";
      }
      out += "\n";
    }
  }
  out += "_" + generated_line(doc) + "_\n";
  return out;
}

// ---- HTML: one file, no outside resources; charts as inline SVG; printable
// on A4.

namespace {

// XML-escaped, line breaks as <br>.
std::string html_escape(std::string_view s) {
  std::string out;
  for (std::size_t start = 0;;) {
    auto end = s.find('\n', start);
    util::xml_escape_into(out, s.substr(start, end - start));
    if (end == std::string_view::npos) break;
    out += "<br>";
    start = end + 1;
  }
  return out;
}

// Horizontal bars, one per row of the table (a total row left out), longest
// first as the table orders them.
std::string svg_chart(const Chart& chart, const Table& t) {
  auto label = column_index(t, chart.label), value = column_index(t, chart.value);
  if (label >= t.columns.size() || value >= t.columns.size()) return {};
  auto rows = t.rows.size() - (t.total && !t.rows.empty() ? 1 : 0);
  if (rows == 0) return {};
  double top = 0;
  for (std::size_t r = 0; r < rows; ++r) top = std::max(top, as_double(t.rows[r][value]));
  constexpr int bar = 22, gap = 6, label_width = 260, plot = 360, right = 80;
  int height = static_cast<int>(rows) * (bar + gap) + gap;
  std::string out = fmt::format(
      "<figure><figcaption>{}</figcaption>\n<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{}\" height=\"{}\" "
      "viewBox=\"0 0 {} {}\" role=\"img\" aria-label=\"{}\">\n",
      html_escape(chart.title), label_width + plot + right, height, label_width + plot + right, height,
      html_escape(chart.title));
  for (std::size_t r = 0; r < rows; ++r) {
    auto v = as_double(t.rows[r][value]);
    int y = gap + static_cast<int>(r) * (bar + gap);
    int w = top > 0 ? static_cast<int>(std::lround(v / top * plot)) : 0;
    auto name = util::fit_width(cell_text(t.rows[r][label], t.columns[label].type), 40);
    out += fmt::format(
        "<text x=\"{}\" y=\"{}\" text-anchor=\"end\" class=\"l\">{}</text>"
        "<rect x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\" class=\"b\"/>"
        "<text x=\"{}\" y=\"{}\" class=\"v\">{}</text>\n",
        label_width - 8, y + bar * 0.72, html_escape(name), label_width, y, std::max(w, 1), bar, label_width + w + 6,
        y + bar * 0.72, html_escape(cell_text(t.rows[r][value], t.columns[value].type)));
  }
  out += "</svg></figure>\n";
  return out;
}

}  // namespace

std::string render_html(const Document& doc) {
  std::string out = fmt::format(
      "<!DOCTYPE html>\n<html lang=\"{}\">\n<head>\n<meta charset=\"utf-8\">\n<title>{}</title>\n<style>\n"
      "@page {{ size: A4; margin: 20mm 15mm 20mm 30mm; }}\n"
      "body {{ font-family: 'Times New Roman', 'Liberation Serif', serif; font-size: 14pt; max-width: 60em; "
      "margin: 2em auto; padding: 0 1em; color: #000; }}\n"
      ".head {{ text-align: center; }}\n"
      "h1 {{ font-size: 14pt; font-weight: bold; margin: 0.5em 0; }}\n"
      "h2 {{ font-size: 14pt; margin-top: 1.5em; }}\n"
      "p {{ text-align: justify; text-indent: 1.25cm; margin: 0.3em 0; }}\n"
      "table {{ border-collapse: collapse; font-size: 12pt; margin: 0.5em 0 1em; }}\n"
      "caption {{ text-align: left; font-weight: bold; padding: 0.3em 0; }}\n"
      "th, td {{ border: 1px solid #000; padding: 0.15em 0.4em; vertical-align: top; }}\n"
      "th {{ background: #eee; }}\n"
      "thead {{ display: table-header-group; }}\n"
      "td.n {{ text-align: right; white-space: nowrap; }}\n"
      "tr.total td {{ font-weight: bold; }}\n"
      "figure {{ margin: 0.5em 0 1em; }} figcaption {{ font-weight: bold; }}\n"
      "svg .b {{ fill: #4a6fa5; }} svg text {{ font: 11pt 'Liberation Serif', serif; }}\n"
      ".gen {{ font-size: 10pt; color: #444; margin-top: 2em; }}\n"
      "</style>\n</head>\n<body>\n<div class=\"head\">\n",
      doc.language.empty() ? "ru" : doc.language, html_escape(doc.title));
  if (!doc.organisation.empty()) out += "<div>" + html_escape(doc.organisation) + "</div>\n";
  out += "<h1>" + html_escape(doc.title) + "</h1>\n";
  if (!doc.subtitle.empty()) out += "<div>" + html_escape(doc.subtitle) + "</div>\n";
  if (auto p = period_line(doc); !p.empty()) out += "<div>" + html_escape(p) + "</div>\n";
  out += "</div>\n";
  for (const auto& s : doc.sections) {
    out += "<section id=\"" + html_escape(s.key) + "\">\n<h2>" + html_escape(s.title) + "</h2>\n";
    for (const auto& p : s.paragraphs) out += "<p>" + html_escape(p) + "</p>\n";
    for (const auto& c : s.charts)
      if (const auto* t = find_table(s, c.table)) out += svg_chart(c, *t);
    for (const auto& t : s.tables) {
      out += "<table>\n";
      if (!t.title.empty()) out += "<caption>" + html_escape(t.title) + "</caption>\n";
      out += "<thead><tr>";
      for (const auto& c : t.columns) out += "<th>" + html_escape(c.title) + "</th>";
      out += "</tr></thead>\n<tbody>\n";
      if (t.rows.empty())
        out += fmt::format("<tr><td colspan=\"{}\">{}</td></tr>\n", t.columns.size(), html_escape(tr("(nothing)")));
      for (std::size_t r = 0; r < t.rows.size(); ++r) {
        out += t.total && r + 1 == t.rows.size() ? "<tr class=\"total\">" : "<tr>";
        for (std::size_t c = 0; c < t.columns.size(); ++c) {
          auto text = c < t.rows[r].size() ? cell_text(t.rows[r][c], t.columns[c].type) : std::string();
          out += (numeric(t.columns[c].type) || t.columns[c].type == CellType::date ? "<td class=\"n\">" : "<td>") +
                 html_escape(text) + "</td>";
        }
        out += "</tr>\n";
      }
      out += "</tbody>\n</table>\n";
    }
    out += "</section>\n";
  }
  out += "<div class=\"gen\">" + html_escape(generated_line(doc)) + "</div>\n</body>\n</html>\n";
  return out;
}

}  // namespace setevoe::core::report
