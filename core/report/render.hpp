// A Document written in one of the formats offices and scripts read: text
// for the terminal, CSV, JSON, Markdown, one self-contained HTML file, and
// the office formats DOCX, ODT and XLSX (written here with libzip; no office
// suite is needed to make them). Headings and labels are translated with
// tr(): the caller chooses the language before rendering.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

#include "core/report/document.hpp"

namespace setevoe::core::report {

enum class Format { table, csv, json, md, html, docx, odt, xlsx };

// "docx" → Format::docx; nothing for a name that is not a format.
std::optional<Format> parse_format(std::string_view name);
std::string_view format_name(Format f);
// DOCX, ODT and XLSX are zip archives, not text for a terminal.
bool is_binary(Format f);

struct RenderOptions {
  std::size_t width = 0;  // table: the terminal's width to fit; 0: no limit
};

// The whole file. Errors: internal (libzip failed in memory).
std::string render(const Document& doc, Format format, const RenderOptions& options = {});

// Each format (render calls them).
std::string render_text(const Document& doc, std::size_t width);
std::string render_csv(const Document& doc);
std::string render_json(const Document& doc);
std::string render_markdown(const Document& doc);
std::string render_html(const Document& doc);
std::string render_docx(const Document& doc);
std::string render_odt(const Document& doc);
std::string render_xlsx(const Document& doc);

// Shared by the renderers.
// "2026-10-05" → "05.10.2026"; anything else as it is.
std::string date_text(std::string_view ymd);
// The period as people read it: "01.10.2026 – 31.10.2026", "с 01.10.2026",
// "по 31.10.2026", or empty.
std::string period_text(const Document& doc);
// The same for the heading: nothing when the subtitle already says it ("for
// 03.10.2026 – 17.10.2026").
std::string period_line(const Document& doc);
// A cell as text for people: integers with a thin space between thousands
// ("12 345", a no-break space), numbers with one decimal and a comma, percents "25 %", dates
// DD.MM.YYYY; empty for an empty cell.
std::string cell_text(const Value& v, CellType type);
// "Generated: 05.10.2026" (the local date the report was made), or nothing.
std::string generated_line(const Document& doc);

}  // namespace setevoe::core::report
