// The office formats of a report: DOCX (WordprocessingML), ODT (OpenDocument
// text 1.2) and XLSX (SpreadsheetML), each a zip archive built in memory with
// libzip. Officials of a district's education department open and print
// them, so they look like a Russian official document (ГОСТ Р 7.0.97): A4,
// margins of 20 mm top and bottom, 30 mm left and 15 mm right, Times New
// Roman 14 pt, table header rows repeated on every page, the page number in
// the footer. Nothing random goes into a file: one Document, the same bytes.
#include <utf8proc.h>
#include <zip.h>

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdint>
#include <ctime>
#include <deque>
#include <numeric>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "core/error.hpp"
#include "core/i18n.hpp"
#include "core/report/render.hpp"
#include "core/util/text.hpp"
#include "core/util/time.hpp"

namespace setevoe::core::report {

namespace {

constexpr std::string_view k_xml_declaration = "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n";

// ---- The archive

// Zip entries are dated when the report was generated, so that an archive's
// bytes depend on its Document alone; a Document without a readable time
// (or one before 1980, which zip cannot store) gets 2020-01-01.
constexpr std::time_t k_fallback_mtime = 1577836800;
constexpr std::time_t k_earliest_mtime = 315619200;  // 1980-01-02: any time zone is still in 1980

std::time_t archive_time(const Document& doc) {
  auto ms = util::parse_iso_utc(doc.generated_at);
  if (!ms || *ms / 1000 < k_earliest_mtime) return k_fallback_mtime;
  return static_cast<std::time_t>(*ms / 1000);
}

// A zip archive built in memory. It keeps the parts' bytes until finish():
// libzip reads its sources only while closing.
class ZipWriter {
 public:
  // Errors: internal, naming `format` ("DOCX").
  ZipWriter(std::string_view format, std::time_t mtime);
  ~ZipWriter();
  ZipWriter(const ZipWriter&) = delete;
  ZipWriter& operator=(const ZipWriter&) = delete;

  // Adds a part: deflated, or stored as it is when `store`. Errors: internal.
  void add(const char* name, std::string data, bool store = false);
  // The archive's bytes; the writer is spent. Errors: internal.
  std::string finish();

 private:
  [[noreturn]] void fail(const std::string& why) const {
    throw Error(ErrorKind::internal, trf("cannot build the {} file in memory: {}.", m_format, why));
  }

  std::string m_format;
  std::time_t m_mtime;
  std::deque<std::string> m_parts;  // a deque: adding a part moves none of the others
  zip_source_t* m_source = nullptr;
  zip_t* m_zip = nullptr;
};

ZipWriter::ZipWriter(std::string_view format, std::time_t mtime) : m_format(format), m_mtime(mtime) {
  zip_error_t error;
  zip_error_init(&error);
  m_source = zip_source_buffer_create(nullptr, 0, 0, &error);
  if (m_source) {
    m_zip = zip_open_from_source(m_source, ZIP_TRUNCATE, &error);
    if (!m_zip) {
      zip_source_free(m_source);
      m_source = nullptr;
    }
  }
  if (!m_zip) {
    std::string why = zip_error_strerror(&error);
    zip_error_fini(&error);
    fail(why);
  }
  zip_error_fini(&error);
  // The archive is read back from the source after zip_close, which would
  // otherwise free it.
  zip_source_keep(m_source);
}

ZipWriter::~ZipWriter() {
  if (m_zip) zip_discard(m_zip);
  if (m_source) zip_source_free(m_source);
}

void ZipWriter::add(const char* name, std::string data, bool store) {
  const auto& part = m_parts.emplace_back(std::move(data));
  zip_source_t* src = zip_source_buffer(m_zip, part.data(), part.size(), 0);
  if (!src) fail(zip_strerror(m_zip));
  zip_int64_t added = zip_file_add(m_zip, name, src, ZIP_FL_ENC_UTF_8);
  if (added < 0) {
    zip_source_free(src);
    fail(zip_strerror(m_zip));
  }
  auto index = static_cast<zip_uint64_t>(added);
  // Deflate's level 3, of the fast ones: the year's report of a region is
  // 40 MB of XML, which the default level 6 packed in 0.6 s and level 3
  // packs in a third of that, to an archive about half again as large
  // (1.4 MB instead of 0.9 MB; repeated tags pack well at any level).
  if (zip_set_file_compression(m_zip, index, store ? ZIP_CM_STORE : ZIP_CM_DEFLATE, store ? 0 : 3) != 0 ||
      zip_file_set_mtime(m_zip, index, m_mtime, 0) != 0)
    fail(zip_strerror(m_zip));
}

std::string ZipWriter::finish() {
  if (zip_close(m_zip) != 0) fail(zip_strerror(m_zip));
  m_zip = nullptr;
  if (zip_source_open(m_source) != 0) fail(zip_error_strerror(zip_source_error(m_source)));
  std::string out;
  std::array<char, 16384> buf;
  zip_int64_t n;
  while ((n = zip_source_read(m_source, buf.data(), buf.size())) > 0)
    out.append(buf.data(), static_cast<std::size_t>(n));
  std::string why = n < 0 ? zip_error_strerror(zip_source_error(m_source)) : "";
  zip_source_close(m_source);
  if (n < 0) fail(why);
  return out;
}

// ---- Text

// Calls piece(p) for each piece of s between separators and between() at
// each separator. With sep '\n' a line break is any of CR LF, CR and LF.
template <typename Piece, typename Between>
void split_each(std::string_view s, char sep, Piece&& piece, Between&& between) {
  std::size_t start = 0;
  for (std::size_t i = 0; i < s.size(); ++i) {
    bool newline = sep == '\n' && (s[i] == '\n' || s[i] == '\r');
    if (!newline && s[i] != sep) continue;
    piece(s.substr(start, i - start));
    between();
    if (s[i] == '\r' && i + 1 < s.size() && s[i + 1] == '\n') ++i;
    start = i + 1;
  }
  piece(s.substr(start));
}

// The number of characters (code points) of UTF-8 text.
std::size_t length(std::string_view s) {
  return static_cast<std::size_t>(
      std::count_if(s.begin(), s.end(), [](char c) { return (static_cast<unsigned char>(c) & 0xC0) != 0x80; }));
}

std::size_t longest_line(std::string_view s) {
  std::size_t longest = 0;
  split_each(
      s, '\n', [&](std::string_view line) { longest = std::max(longest, length(line)); }, [] {});
  return longest;
}

std::size_t longest_word(std::string_view s) {
  std::size_t longest = 0;
  split_each(
      s, '\n',
      [&](std::string_view line) {
        split_each(
            line, ' ', [&](std::string_view word) { longest = std::max(longest, length(word)); }, [] {});
      },
      [] {});
  return longest;
}

// The longest prefix of s, cut between characters, that takes at most
// `units` UTF-16 code units (what Excel counts).
std::string_view cut_utf16(std::string_view s, std::size_t units) {
  std::size_t used = 0, i = 0;
  while (i < s.size()) {
    auto c = static_cast<unsigned char>(s[i]);
    std::size_t bytes = c < 0x80 ? 1 : c < 0xE0 ? 2 : c < 0xF0 ? 3 : 4;
    std::size_t need = bytes == 4 ? 2 : 1;
    if (used + need > units) break;
    used += need;
    i = std::min(s.size(), i + bytes);
  }
  return s.substr(0, i);
}

// The value of a cell of the column, empty when the row is short.
const Value& value_at(const std::vector<Value>& row, std::size_t column) {
  static const Value k_empty;
  return column < row.size() ? row[column] : k_empty;
}

// Numbers, percents and dates are right-aligned: people compare them digit
// by digit down a column.
bool right_aligned(CellType type) {
  return type != CellType::text;
}

// How a table's columns share the width of the text.
struct TableMetrics {
  std::int64_t total;            // the width of the text
  std::int64_t landscape_total;  // the same on a landscape page
  std::int64_t padding;          // what each cell loses to its padding
  std::int64_t per_character;    // a character of 12 pt text, a little generously
};

// <name>text</name>, escaped; nothing for empty text (the documents'
// properties, in DOCX and ODT alike).
void xml_element(std::string& out, const char* name, std::string_view text) {
  if (text.empty()) return;
  out += fmt::format("<{}>", name);
  util::xml_escape_into(out, text);
  out += fmt::format("</{}>", name);
}

// How a table is laid out: its columns' widths, adding up to the text's
// width; whether its cells are set in the smaller type (10 pt); whether it
// is on landscape pages.
struct TableLayout {
  std::vector<int> widths;
  bool compact = false, landscape = false;
  std::int64_t total = 0;  // the widths' sum
};

// The text's size of a table too wide for 12 pt: 10 pt.
constexpr std::int64_t k_compact_points = 10, k_table_points = 12;

// Lays a table out as a browser lays out an HTML table. Each column would
// like a line of its own (its longest value up to 40 characters, or its
// heading) and must have its longest word (a word cut in two is misread;
// numbers and dates never wrap, so they must have all of theirs). When
// every column fits whole, the text columns share what is left over; else
// each column gets its word and the rest goes where lines are longest.
// When even the words do not fit in 12 pt, the table is set in 10 pt; when
// not in 10 pt either, it goes on landscape pages, in 12 pt and then 10 pt
// (a table of seven or eight columns: the events held, the questions past
// due). In the last resort the text columns give up characters in
// proportion while numbers and dates keep theirs. A table too wide for even
// a character a column gets equal columns.
TableLayout column_widths(const Table& t, const TableMetrics& m) {
  auto n = t.columns.size();
  std::vector<std::int64_t> line(n), word(n);  // in characters, a space of padding each
  for (std::size_t c = 0; c < n; ++c) {
    const auto& col = t.columns[c];
    // The heading is bold, a tenth wider than the text.
    auto heading = longest_word(col.title);
    heading += (heading + 9) / 10;
    std::size_t longest = std::max<std::size_t>({3, heading, std::min<std::size_t>(length(col.title), 12)});
    std::size_t widest_word = std::max<std::size_t>(3, heading);
    for (const auto& row : t.rows) {
      auto text = cell_text(value_at(row, c), col.type);
      longest = std::max(longest, std::min<std::size_t>(longest_line(text), 40));
      if (!right_aligned(col.type)) widest_word = std::max(widest_word, std::min<std::size_t>(longest_word(text), 24));
    }
    line[c] = static_cast<std::int64_t>(longest) + 1;
    word[c] = right_aligned(col.type) ? line[c] : std::min(line[c], static_cast<std::int64_t>(widest_word) + 1);
  }
  auto columns = static_cast<std::int64_t>(n);
  auto sum = [](const std::vector<std::int64_t>& v) { return std::accumulate(v.begin(), v.end(), std::int64_t{0}); };
  std::int64_t lines = sum(line), words = sum(word), text_lines = 0, text_words = 0, fixed = 0;
  for (std::size_t c = 0; c < n; ++c)
    if (right_aligned(t.columns[c].type))
      fixed += line[c];
    else {
      text_lines += line[c];
      text_words += word[c];
    }
  // What the text columns need at least in the last resort: a short word.
  auto text_floor = [&](std::int64_t per_character) {
    std::int64_t floor = 0;
    for (std::size_t c = 0; c < n; ++c)
      if (!right_aligned(t.columns[c].type)) floor += std::min<std::int64_t>(word[c], 8) * per_character;
    return floor;
  };
  TableLayout out;
  std::int64_t per_character = m.per_character, total = m.total, room = 0;
  for (auto [landscape, compact] : {std::pair{false, false}, {false, true}, {true, false}, {true, true}}) {
    out.landscape = landscape;
    out.compact = compact;
    total = landscape ? m.landscape_total : m.total;
    per_character = compact ? m.per_character * k_compact_points / k_table_points : m.per_character;
    room = total - columns * m.padding;
    if (words * per_character <= room) break;
  }
  out.total = total;
  std::vector<std::int64_t> w(n);
  if (room < columns * per_character) {
    for (auto& x : w) x = total / columns - m.padding;
  } else if (lines * per_character <= room) {
    std::int64_t spare = room - lines * per_character;
    for (std::size_t c = 0; c < n; ++c)
      w[c] = line[c] * per_character + (text_lines > 0
                                            ? (right_aligned(t.columns[c].type) ? 0 : spare * line[c] / text_lines)
                                            : spare * line[c] / lines);
  } else if (words * per_character <= room) {
    std::int64_t spare = room - words * per_character, want = lines - words;
    for (std::size_t c = 0; c < n; ++c) w[c] = word[c] * per_character + spare * (line[c] - word[c]) / want;
  } else if (std::int64_t left = room - fixed * per_character; text_words > 0 && left >= text_floor(per_character)) {
    for (std::size_t c = 0; c < n; ++c)
      w[c] = right_aligned(t.columns[c].type) ? line[c] * per_character : left * word[c] / text_words;
  } else {
    for (std::size_t c = 0; c < n; ++c) w[c] = room * word[c] / words;
  }
  std::int64_t given = 0;
  for (std::size_t c = 0; c < n; ++c) {
    auto width = c + 1 == n ? total - given : w[c] + m.padding;
    out.widths.push_back(static_cast<int>(width));
    given += width;
  }
  return out;
}

// "2026-11-28T19:46:18Z" (W3CDTF, as the documents' properties want it) for
// the generation time; nothing when it is not a time.
std::optional<std::string> w3cdtf(const Document& doc) {
  auto ms = util::parse_iso_utc(doc.generated_at);
  if (!ms) return std::nullopt;
  return util::iso_utc(*ms).substr(0, 19) + "Z";
}

// The language and country of the document's text ("ru" → ru, RU).
std::pair<std::string, std::string> locale_of(const Document& doc) {
  if (doc.language == "en") return {"en", "US"};
  if (doc.language.empty() || doc.language == "ru") return {"ru", "RU"};
  return {doc.language, ""};
}

std::string language_tag(const Document& doc) {
  auto [language, country] = locale_of(doc);
  return country.empty() ? language : language + "-" + country;
}

// The line under the title: "за октябрь 2026 года (01.10.2026 – 31.10.2026)".
std::string subtitle_line(const Document& doc) {
  auto period = period_line(doc);
  if (doc.subtitle.empty()) return period;
  if (period.empty()) return doc.subtitle;
  return fmt::format("{} ({})", doc.subtitle, period);
}

// ---- What DOCX and XLSX share: the package's properties

std::string core_properties(const Document& doc) {
  std::string out(k_xml_declaration);
  out +=
      "<cp:coreProperties"
      " xmlns:cp=\"http://schemas.openxmlformats.org/package/2006/metadata/core-properties\""
      " xmlns:dc=\"http://purl.org/dc/elements/1.1/\" xmlns:dcterms=\"http://purl.org/dc/terms/\""
      " xmlns:dcmitype=\"http://purl.org/dc/dcmitype/\" xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\">";
  auto element = [&](const char* name, std::string_view text) { xml_element(out, name, text); };
  element("dc:title", doc.title);
  element("dc:subject", doc.subtitle);
  element("dc:creator", doc.organisation);
  element("dc:language", doc.language);
  if (auto created = w3cdtf(doc)) {
    out += "<dcterms:created xsi:type=\"dcterms:W3CDTF\">" + *created + "</dcterms:created>";
    out += "<dcterms:modified xsi:type=\"dcterms:W3CDTF\">" + *created + "</dcterms:modified>";
  }
  out += "</cp:coreProperties>";
  return out;
}

std::string app_properties() {
  return std::string(k_xml_declaration) +
         "<Properties xmlns=\"http://schemas.openxmlformats.org/officeDocument/2006/extended-properties\">"
         "<Application>setevoe</Application></Properties>";
}

constexpr std::string_view k_package_rels =
    R"x(<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">)x"
    R"x(<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="{}"/>)x"
    R"x(<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties" Target="docProps/core.xml"/>)x"
    R"x(<Relationship Id="rId3" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/extended-properties" Target="docProps/app.xml"/>)x"
    R"x(</Relationships>)x";

std::string package_rels(std::string_view main_part) {
  return std::string(k_xml_declaration) + fmt::format(fmt::runtime(k_package_rels), main_part);
}

constexpr std::string_view k_property_types =
    R"x(<Override PartName="/docProps/core.xml" ContentType="application/vnd.openxmlformats-package.core-properties+xml"/>)x"
    R"x(<Override PartName="/docProps/app.xml" ContentType="application/vnd.openxmlformats-officedocument.extended-properties+xml"/>)x";

// ---- DOCX

// Page and text sizes in twentieths of a point: A4; margins of 20, 20, 30
// and 15 mm; 1.25 cm of first-line indent.
constexpr int k_docx_page_width = 11906, k_docx_page_height = 16838;
constexpr int k_docx_margin_top = 1134, k_docx_margin_bottom = 1134, k_docx_margin_left = 1701,
              k_docx_margin_right = 850;
constexpr int k_docx_text_width = k_docx_page_width - k_docx_margin_left - k_docx_margin_right;
// A cell's padding of 108 twips each side (TableNormal), and 6.5 pt for a
// character of Times New Roman 12 pt.
constexpr int k_docx_landscape_text_width = k_docx_page_height - k_docx_margin_left - k_docx_margin_right;
constexpr TableMetrics k_docx_table{k_docx_text_width, k_docx_landscape_text_width, 2 * 108, 130};

constexpr std::string_view k_docx_main_ns = "http://schemas.openxmlformats.org/wordprocessingml/2006/main";

std::string docx_content_types() {
  return std::string(k_xml_declaration) +
         R"x(<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">)x"
         R"x(<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>)x"
         R"x(<Default Extension="xml" ContentType="application/xml"/>)x"
         R"x(<Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/>)x"
         R"x(<Override PartName="/word/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.styles+xml"/>)x"
         R"x(<Override PartName="/word/settings.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.settings+xml"/>)x"
         R"x(<Override PartName="/word/footer1.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.footer+xml"/>)x" +
         std::string(k_property_types) + "</Types>";
}

std::string docx_document_rels() {
  return std::string(k_xml_declaration) +
         R"x(<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">)x"
         R"x(<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/>)x"
         R"x(<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/settings" Target="settings.xml"/>)x"
         R"x(<Relationship Id="rId3" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/footer" Target="footer1.xml"/>)x"
         R"x(</Relationships>)x";
}

// The styles, by their built-in names where Word has one ("heading 1",
// "Body Text", "caption"), so that Word's navigation pane, table of contents
// and style gallery know them. Word checks the order of the elements.
constexpr std::string_view k_docx_styles =
    R"x(<w:styles xmlns:w="{ns}">)x"
    R"x(<w:docDefaults><w:rPrDefault><w:rPr>)x"
    R"x(<w:rFonts w:ascii="Times New Roman" w:eastAsia="Times New Roman" w:hAnsi="Times New Roman" w:cs="Times New Roman"/>)x"
    R"x(<w:sz w:val="28"/><w:szCs w:val="28"/><w:lang w:val="{lang}" w:eastAsia="{lang}" w:bidi="ar-SA"/>)x"
    R"x(</w:rPr></w:rPrDefault>)x"
    R"x(<w:pPrDefault><w:pPr><w:widowControl/><w:spacing w:after="0" w:line="264" w:lineRule="auto"/></w:pPr></w:pPrDefault>)x"
    R"x(</w:docDefaults>)x"
    R"x(<w:style w:type="paragraph" w:default="1" w:styleId="Normal"><w:name w:val="Normal"/><w:qFormat/></w:style>)x"
    R"x(<w:style w:type="character" w:default="1" w:styleId="DefaultParagraphFont"><w:name w:val="Default Paragraph Font"/>)x"
    R"x(<w:uiPriority w:val="1"/><w:semiHidden/><w:unhideWhenUsed/></w:style>)x"
    R"x(<w:style w:type="paragraph" w:styleId="Title"><w:name w:val="Title"/><w:basedOn w:val="Normal"/>)x"
    R"x(<w:next w:val="Normal"/><w:qFormat/><w:pPr><w:keepNext/><w:spacing w:before="240"/><w:jc w:val="center"/></w:pPr>)x"
    R"x(<w:rPr><w:b/><w:bCs/></w:rPr></w:style>)x"
    R"x(<w:style w:type="paragraph" w:styleId="Subtitle"><w:name w:val="Subtitle"/><w:basedOn w:val="Normal"/>)x"
    R"x(<w:next w:val="Normal"/><w:qFormat/><w:pPr><w:keepNext/><w:jc w:val="center"/></w:pPr></w:style>)x"
    R"x(<w:style w:type="paragraph" w:styleId="Heading1"><w:name w:val="heading 1"/><w:basedOn w:val="Normal"/>)x"
    R"x(<w:next w:val="BodyText"/><w:qFormat/><w:pPr><w:keepNext/><w:keepLines/><w:spacing w:before="360" w:after="120"/>)x"
    R"x(<w:jc w:val="center"/><w:outlineLvl w:val="0"/></w:pPr><w:rPr><w:b/><w:bCs/></w:rPr></w:style>)x"
    R"x(<w:style w:type="paragraph" w:styleId="BodyText"><w:name w:val="Body Text"/><w:basedOn w:val="Normal"/>)x"
    R"x(<w:qFormat/><w:pPr><w:ind w:firstLine="709"/><w:jc w:val="both"/></w:pPr></w:style>)x"
    R"x(<w:style w:type="paragraph" w:styleId="Caption"><w:name w:val="caption"/><w:basedOn w:val="Normal"/>)x"
    R"x(<w:next w:val="Normal"/><w:qFormat/><w:pPr><w:keepNext/><w:spacing w:before="240" w:after="120"/></w:pPr></w:style>)x"
    R"x(<w:style w:type="paragraph" w:customStyle="1" w:styleId="TableText"><w:name w:val="Table Text"/>)x"
    R"x(<w:basedOn w:val="Normal"/><w:qFormat/><w:pPr><w:spacing w:line="240" w:lineRule="auto"/></w:pPr>)x"
    R"x(<w:rPr><w:sz w:val="24"/><w:szCs w:val="24"/></w:rPr></w:style>)x"
    R"x(<w:style w:type="paragraph" w:customStyle="1" w:styleId="TableNumber"><w:name w:val="Table Number"/>)x"
    R"x(<w:basedOn w:val="TableText"/><w:qFormat/><w:pPr><w:jc w:val="right"/></w:pPr></w:style>)x"
    R"x(<w:style w:type="paragraph" w:customStyle="1" w:styleId="TableTextSmall"><w:name w:val="Table Text Small"/>)x"
    R"x(<w:basedOn w:val="TableText"/><w:qFormat/><w:rPr><w:sz w:val="20"/><w:szCs w:val="20"/></w:rPr></w:style>)x"
    R"x(<w:style w:type="paragraph" w:customStyle="1" w:styleId="TableNumberSmall"><w:name w:val="Table Number Small"/>)x"
    R"x(<w:basedOn w:val="TableNumber"/><w:qFormat/><w:rPr><w:sz w:val="20"/><w:szCs w:val="20"/></w:rPr></w:style>)x"
    R"x(<w:style w:type="paragraph" w:styleId="Footer"><w:name w:val="footer"/><w:basedOn w:val="Normal"/>)x"
    R"x(<w:pPr><w:jc w:val="center"/></w:pPr><w:rPr><w:sz w:val="24"/><w:szCs w:val="24"/></w:rPr></w:style>)x"
    R"x(<w:style w:type="table" w:default="1" w:styleId="TableNormal"><w:name w:val="Normal Table"/>)x"
    R"x(<w:uiPriority w:val="99"/><w:semiHidden/><w:unhideWhenUsed/><w:tblPr><w:tblInd w:w="0" w:type="dxa"/>)x"
    R"x(<w:tblCellMar><w:top w:w="0" w:type="dxa"/><w:left w:w="108" w:type="dxa"/><w:bottom w:w="0" w:type="dxa"/>)x"
    R"x(<w:right w:w="108" w:type="dxa"/></w:tblCellMar></w:tblPr></w:style>)x"
    R"x(<w:style w:type="table" w:styleId="TableGrid"><w:name w:val="Table Grid"/><w:basedOn w:val="TableNormal"/>)x"
    R"x(<w:uiPriority w:val="39"/><w:tblPr>{borders}</w:tblPr></w:style>)x"
    R"x(</w:styles>)x";

constexpr std::string_view k_docx_borders =
    R"x(<w:tblBorders><w:top w:val="single" w:sz="4" w:space="0" w:color="000000"/>)x"
    R"x(<w:left w:val="single" w:sz="4" w:space="0" w:color="000000"/>)x"
    R"x(<w:bottom w:val="single" w:sz="4" w:space="0" w:color="000000"/>)x"
    R"x(<w:right w:val="single" w:sz="4" w:space="0" w:color="000000"/>)x"
    R"x(<w:insideH w:val="single" w:sz="4" w:space="0" w:color="000000"/>)x"
    R"x(<w:insideV w:val="single" w:sz="4" w:space="0" w:color="000000"/></w:tblBorders>)x";

std::string docx_styles(const Document& doc) {
  return std::string(k_xml_declaration) + fmt::format(fmt::runtime(k_docx_styles), fmt::arg("ns", k_docx_main_ns),
                                                      fmt::arg("lang", util::xml_escape(language_tag(doc))),
                                                      fmt::arg("borders", k_docx_borders));
}

std::string docx_settings() {
  return std::string(k_xml_declaration) + "<w:settings xmlns:w=\"" + std::string(k_docx_main_ns) +
         "\"><w:zoom w:percent=\"100\"/><w:defaultTabStop w:val=\"709\"/>"
         "<w:characterSpacingControl w:val=\"doNotCompress\"/><w:compat>"
         "<w:compatSetting w:name=\"compatibilityMode\" w:uri=\"http://schemas.microsoft.com/office/word\" "
         "w:val=\"15\"/>"
         "</w:compat></w:settings>";
}

// The page number, centred: a PAGE field whose last result is "1".
std::string docx_footer() {
  return std::string(k_xml_declaration) + "<w:ftr xmlns:w=\"" + std::string(k_docx_main_ns) +
         "\"><w:p><w:pPr><w:pStyle w:val=\"Footer\"/></w:pPr>"
         "<w:r><w:fldChar w:fldCharType=\"begin\"/></w:r>"
         "<w:r><w:instrText xml:space=\"preserve\"> PAGE </w:instrText></w:r>"
         "<w:r><w:fldChar w:fldCharType=\"separate\"/></w:r><w:r><w:t>1</w:t></w:r>"
         "<w:r><w:fldChar w:fldCharType=\"end\"/></w:r></w:p></w:ftr>";
}

// A run of text with the run properties `rpr` ("<w:b/>"): a line break
// becomes <w:br/>, a tab <w:tab/>.
void docx_run(std::string& out, std::string_view text, std::string_view rpr) {
  if (text.empty()) return;
  out += "<w:r>";
  if (!rpr.empty()) {
    out += "<w:rPr>";
    out += rpr;
    out += "</w:rPr>";
  }
  split_each(
      text, '\n',
      [&](std::string_view line) {
        split_each(
            line, '\t',
            [&](std::string_view piece) {
              if (piece.empty()) return;
              // Only spaces at an end or doubled need keeping: saying so on
              // every run made a tenth of a long report.
              bool keep = piece.front() == ' ' || piece.back() == ' ' || piece.find("  ") != piece.npos;
              out += keep ? "<w:t xml:space=\"preserve\">" : "<w:t>";
              util::xml_escape_into(out, piece);
              out += "</w:t>";
            },
            [&] { out += "<w:tab/>"; });
      },
      [&] { out += "<w:br/>"; });
  out += "</w:r>";
}

// A paragraph with the paragraph properties `ppr`; none for empty text.
void docx_paragraph(std::string& out, std::string_view ppr, std::string_view text, std::string_view rpr = {}) {
  if (text.empty()) return;
  out += "<w:p><w:pPr>";
  out += ppr;
  out += "</w:pPr>";
  docx_run(out, text, rpr);
  out += "</w:p>";
}

constexpr std::string_view k_docx_bold = "<w:b/><w:bCs/>";

// A cell of the paragraph style `style` (TableText, TableNumber) and the
// paragraph properties `ppr`. The header row's cells say their width and
// are centred vertically; the other rows' take theirs from the table's
// grid (its layout is fixed), which keeps a long table's XML short.
void docx_cell(std::string& out, std::string_view style, std::string_view ppr, std::string_view text,
               std::string_view rpr, int header_width = 0) {
  out += "<w:tc>";
  if (header_width > 0)
    out += fmt::format("<w:tcPr><w:tcW w:w=\"{}\" w:type=\"dxa\"/><w:vAlign w:val=\"center\"/></w:tcPr>", header_width);
  out += "<w:p><w:pPr><w:pStyle w:val=\"";
  out += style;
  out += "\"/>";
  out += ppr;
  out += "</w:pPr>";
  docx_run(out, text, rpr);
  out += "</w:p></w:tc>";
}

// A table with all borders under its caption; the header row repeats on
// every page. An empty paragraph follows it: Word joins two tables that
// touch, and the next heading needs the space anyway.
void docx_table(std::string& out, const Table& t, const TableLayout& layout) {
  if (t.columns.empty()) return;
  docx_paragraph(out, "<w:pStyle w:val=\"Caption\"/>", t.title);
  const auto& [widths, compact, landscape, width] = layout;
  std::string_view text_style = compact ? "TableTextSmall" : "TableText",
                   number_style = compact ? "TableNumberSmall" : "TableNumber";
  out += fmt::format(
      "<w:tbl><w:tblPr><w:tblStyle w:val=\"TableGrid\"/><w:tblW w:w=\"{}\" w:type=\"dxa\"/>{}"
      "<w:tblLayout w:type=\"fixed\"/></w:tblPr><w:tblGrid>",
      width, k_docx_borders);
  for (int w : widths) out += fmt::format("<w:gridCol w:w=\"{}\"/>", w);
  out += "</w:tblGrid><w:tr><w:trPr><w:cantSplit/><w:tblHeader/></w:trPr>";
  for (std::size_t c = 0; c < t.columns.size(); ++c)
    docx_cell(out, text_style, "<w:jc w:val=\"center\"/>", t.columns[c].title, k_docx_bold, widths[c]);
  out += "</w:tr>";
  for (std::size_t r = 0; r < t.rows.size(); ++r) {
    bool total = t.total && r + 1 == t.rows.size();
    out += "<w:tr>";
    for (std::size_t c = 0; c < t.columns.size(); ++c) {
      auto type = t.columns[c].type;
      docx_cell(out, right_aligned(type) ? number_style : text_style, "", cell_text(value_at(t.rows[r], c), type),
                total ? k_docx_bold : "");
    }
    out += "</w:tr>";
  }
  out += "</w:tbl><w:p/>";
}

// The layouts of a document's tables, section by section.
std::vector<std::vector<TableLayout>> table_layouts(const Document& doc, const TableMetrics& m) {
  std::vector<std::vector<TableLayout>> out;
  for (const auto& section : doc.sections) {
    auto& layouts = out.emplace_back();
    for (const auto& t : section.tables) layouts.push_back(column_widths(t, m));
  }
  return out;
}

// Whether a section's heading and text go on landscape pages: with its
// first table. The document's first page goes with its first section (a
// plan that is all wide tables is all landscape, its title too).
bool starts_landscape(const std::vector<TableLayout>& section) {
  return !section.empty() && section.front().landscape;
}

// The properties of a section of the document: an A4 page, portrait or
// landscape (the margins stay where they are on the sheet as it is read),
// and the footer with the page number.
std::string docx_section(bool landscape) {
  auto [width, height] =
      landscape ? std::pair{k_docx_page_height, k_docx_page_width} : std::pair{k_docx_page_width, k_docx_page_height};
  return fmt::format(
      "<w:sectPr><w:footerReference w:type=\"default\" r:id=\"rId3\"/><w:pgSz w:w=\"{}\" w:h=\"{}\"{}/>"
      "<w:pgMar w:top=\"{}\" w:right=\"{}\" w:bottom=\"{}\" w:left=\"{}\" w:header=\"709\" w:footer=\"567\" "
      "w:gutter=\"0\"/><w:cols w:space=\"708\"/><w:docGrid w:linePitch=\"360\"/></w:sectPr>",
      width, height, landscape ? " w:orient=\"landscape\"" : "", k_docx_margin_top, k_docx_margin_right,
      k_docx_margin_bottom, k_docx_margin_left);
}

std::string docx_document(const Document& doc) {
  std::string out(k_xml_declaration);
  out += "<w:document xmlns:w=\"" + std::string(k_docx_main_ns) +
         "\" xmlns:r=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships\"><w:body>";
  auto layouts = table_layouts(doc, k_docx_table);
  bool landscape = !layouts.empty() && starts_landscape(layouts.front());
  docx_paragraph(out, "<w:jc w:val=\"center\"/>", doc.organisation);
  docx_paragraph(out, "<w:pStyle w:val=\"Title\"/>", doc.title);
  docx_paragraph(out, "<w:pStyle w:val=\"Subtitle\"/>", doc.subtitle);
  docx_paragraph(out, "<w:pStyle w:val=\"Subtitle\"/>", period_line(doc));
  // A section ends in a paragraph that holds its properties; a tiny empty
  // one, where the pages turn between portrait and landscape.
  auto turn = [&](bool to) {
    if (to == landscape) return;
    out += "<w:p><w:pPr><w:spacing w:before=\"0\" w:after=\"0\" w:line=\"240\" w:lineRule=\"auto\"/>" +
           docx_section(landscape) + "<w:rPr><w:sz w:val=\"2\"/><w:szCs w:val=\"2\"/></w:rPr></w:pPr></w:p>";
    landscape = to;
  };
  for (std::size_t n = 0; n < doc.sections.size(); ++n) {
    const auto& section = doc.sections[n];
    turn(starts_landscape(layouts[n]));
    docx_paragraph(out, "<w:pStyle w:val=\"Heading1\"/>", section.title);
    // A line break in a paragraph starts another: Word and LibreOffice
    // stretch a justified line that ends in a break across the page.
    for (const auto& p : section.paragraphs)
      split_each(
          p, '\n', [&](std::string_view line) { docx_paragraph(out, "<w:pStyle w:val=\"BodyText\"/>", line); }, [] {});
    for (std::size_t i = 0; i < section.tables.size(); ++i) {
      turn(layouts[n][i].landscape);
      docx_table(out, section.tables[i], layouts[n][i]);
    }
  }
  docx_paragraph(out, "<w:spacing w:before=\"480\"/>", generated_line(doc),
                 "<w:sz w:val=\"24\"/><w:szCs w:val=\"24\"/>");
  out += docx_section(landscape) + "</w:body></w:document>";
  return out;
}

// ---- ODT

constexpr std::string_view k_odt_mimetype = "application/vnd.oasis.opendocument.text";

constexpr std::string_view k_odf_namespaces =
    R"x( xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0")x"
    R"x( xmlns:style="urn:oasis:names:tc:opendocument:xmlns:style:1.0")x"
    R"x( xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0")x"
    R"x( xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0")x"
    R"x( xmlns:fo="urn:oasis:names:tc:opendocument:xmlns:xsl-fo-compatible:1.0")x"
    R"x( xmlns:svg="urn:oasis:names:tc:opendocument:xmlns:svg-compatible:1.0")x"
    R"x( xmlns:meta="urn:oasis:names:tc:opendocument:xmlns:meta:1.0")x"
    R"x( xmlns:dc="http://purl.org/dc/elements/1.1/" office:version="1.2")x";

std::string odt_manifest() {
  return std::string(k_xml_declaration) +
         R"x(<manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" manifest:version="1.2">)x"
         R"x(<manifest:file-entry manifest:full-path="/" manifest:version="1.2" manifest:media-type=")x" +
         std::string(k_odt_mimetype) +
         R"x("/>)x"
         R"x(<manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/>)x"
         R"x(<manifest:file-entry manifest:full-path="styles.xml" manifest:media-type="text/xml"/>)x"
         R"x(<manifest:file-entry manifest:full-path="meta.xml" manifest:media-type="text/xml"/>)x"
         R"x(</manifest:manifest>)x";
}

// The common styles under the names LibreOffice gives its own ("Heading 1",
// "Text body", "Table Contents"), and the page: A4, the text 20 mm from the
// top and the bottom (the footer with the page number sits in the bottom
// margin, as in the DOCX), 30 mm from the left, 15 mm from the right.
constexpr std::string_view k_odt_styles =
    R"x(<office:document-styles{ns}>)x"
    R"x(<office:font-face-decls><style:font-face style:name="Times New Roman" svg:font-family="&apos;Times New Roman&apos;")x"
    R"x( style:font-family-generic="roman" style:font-pitch="variable"/></office:font-face-decls>)x"
    R"x(<office:styles>)x"
    R"x(<style:default-style style:family="paragraph"><style:paragraph-properties fo:line-height="110%")x"
    R"x( fo:orphans="2" fo:widows="2" style:tab-stop-distance="1.25cm"/><style:text-properties)x"
    R"x( style:font-name="Times New Roman" fo:font-size="14pt" fo:language="{language}" fo:country="{country}")x"
    R"x( style:font-name-asian="Times New Roman" style:font-size-asian="14pt")x"
    R"x( style:font-name-complex="Times New Roman" style:font-size-complex="14pt"/></style:default-style>)x"
    R"x(<style:default-style style:family="table"><style:table-properties table:border-model="collapsing"/>)x"
    R"x(</style:default-style>)x"
    R"x(<style:style style:name="Standard" style:family="paragraph" style:class="text"/>)x"
    R"x(<style:style style:name="Text_20_body" style:display-name="Text body" style:family="paragraph")x"
    R"x( style:parent-style-name="Standard" style:class="text"><style:paragraph-properties fo:text-align="justify")x"
    R"x( fo:text-indent="1.25cm"/></style:style>)x"
    R"x(<style:style style:name="Title" style:family="paragraph" style:parent-style-name="Standard")x"
    R"x( style:next-style-name="Standard" style:class="chapter"><style:paragraph-properties fo:margin-top="0.42cm")x"
    R"x( fo:text-align="center" fo:keep-with-next="always"/><style:text-properties fo:font-weight="bold")x"
    R"x( style:font-weight-asian="bold" style:font-weight-complex="bold"/></style:style>)x"
    R"x(<style:style style:name="Subtitle" style:family="paragraph" style:parent-style-name="Standard")x"
    R"x( style:next-style-name="Standard" style:class="chapter"><style:paragraph-properties fo:text-align="center")x"
    R"x( fo:keep-with-next="always"/></style:style>)x"
    R"x(<style:style style:name="Heading_20_1" style:display-name="Heading 1" style:family="paragraph")x"
    R"x( style:parent-style-name="Standard" style:next-style-name="Text_20_body" style:default-outline-level="1")x"
    R"x( style:class="text"><style:paragraph-properties fo:margin-top="0.63cm" fo:margin-bottom="0.21cm")x"
    R"x( fo:text-align="center" fo:keep-with-next="always"/><style:text-properties fo:font-weight="bold")x"
    R"x( style:font-weight-asian="bold" style:font-weight-complex="bold"/></style:style>)x"
    R"x(<style:style style:name="Caption" style:family="paragraph" style:parent-style-name="Standard")x"
    R"x( style:class="extra"><style:paragraph-properties fo:margin-top="0.42cm" fo:margin-bottom="0.21cm")x"
    R"x( fo:keep-with-next="always"/></style:style>)x"
    R"x(<style:style style:name="Table_20_Contents" style:display-name="Table Contents" style:family="paragraph")x"
    R"x( style:parent-style-name="Standard" style:class="extra"><style:paragraph-properties fo:line-height="100%"/>)x"
    R"x(<style:text-properties fo:font-size="12pt" style:font-size-asian="12pt" style:font-size-complex="12pt"/>)x"
    R"x(</style:style>)x"
    R"x(<style:style style:name="Table_20_Heading" style:display-name="Table Heading" style:family="paragraph")x"
    R"x( style:parent-style-name="Table_20_Contents" style:class="extra"><style:paragraph-properties)x"
    R"x( fo:text-align="center"/><style:text-properties fo:font-weight="bold" style:font-weight-asian="bold")x"
    R"x( style:font-weight-complex="bold"/></style:style>)x"
    R"x(<style:style style:name="Footer" style:family="paragraph" style:parent-style-name="Standard")x"
    R"x( style:class="extra"><style:paragraph-properties fo:text-align="center"/><style:text-properties)x"
    R"x( fo:font-size="12pt" style:font-size-asian="12pt" style:font-size-complex="12pt"/></style:style>)x"
    R"x(<text:outline-style style:name="Outline"><text:outline-level-style text:level="1" style:num-format=""/>)x"
    R"x(</text:outline-style>)x"
    R"x(</office:styles>)x"
    R"x(<office:automatic-styles><style:page-layout style:name="Page"><style:page-layout-properties)x"
    R"x( fo:page-width="21cm" fo:page-height="29.7cm" style:print-orientation="portrait" fo:margin-top="2cm")x"
    R"x( fo:margin-bottom="1cm" fo:margin-left="3cm" fo:margin-right="1.5cm"/><style:footer-style>)x"
    R"x(<style:header-footer-properties fo:min-height="0.6cm" fo:margin-top="0.4cm"/></style:footer-style>)x"
    R"x(</style:page-layout>)x"
    R"x(<style:page-layout style:name="LandscapePage"><style:page-layout-properties)x"
    R"x( fo:page-width="29.7cm" fo:page-height="21cm" style:print-orientation="landscape" fo:margin-top="2cm")x"
    R"x( fo:margin-bottom="1cm" fo:margin-left="3cm" fo:margin-right="1.5cm"/><style:footer-style>)x"
    R"x(<style:header-footer-properties fo:min-height="0.6cm" fo:margin-top="0.4cm"/></style:footer-style>)x"
    R"x(</style:page-layout></office:automatic-styles>)x"
    R"x(<office:master-styles><style:master-page style:name="Standard" style:page-layout-name="Page">)x"
    R"x(<style:footer><text:p text:style-name="Footer"><text:page-number text:select-page="current">1</text:page-number>)x"
    R"x(</text:p></style:footer></style:master-page>)x"
    R"x(<style:master-page style:name="Landscape" style:page-layout-name="LandscapePage">)x"
    R"x(<style:footer><text:p text:style-name="Footer"><text:page-number text:select-page="current">1</text:page-number>)x"
    R"x(</text:p></style:footer></style:master-page></office:master-styles>)x"
    R"x(</office:document-styles>)x";

std::string odt_styles(const Document& doc) {
  auto [language, country] = locale_of(doc);
  return std::string(k_xml_declaration) +
         fmt::format(fmt::runtime(k_odt_styles), fmt::arg("ns", k_odf_namespaces),
                     fmt::arg("language", util::xml_escape(language)),
                     fmt::arg("country", util::xml_escape(country.empty() ? "none" : country)));
}

std::string odt_meta(const Document& doc) {
  std::string out(k_xml_declaration);
  out += "<office:document-meta" + std::string(k_odf_namespaces) + "><office:meta>";
  out += "<meta:generator>setevoe/" SETEVOE_VERSION "</meta:generator>";
  auto element = [&](const char* name, std::string_view text) { xml_element(out, name, text); };
  element("dc:title", doc.title);
  element("dc:subject", doc.subtitle);
  element("dc:language", doc.language);
  if (auto created = w3cdtf(doc)) {
    element("meta:creation-date", *created);
    element("dc:date", *created);
  }
  out += "</office:meta></office:document-meta>";
  return out;
}

// Text inside <text:p> or <text:h>. ODF collapses white space as HTML does:
// a line break becomes <text:line-break/>, a tab <text:tab/>, and spaces
// that would be lost (more than one, or at the start of a line) <text:s/>.
void odt_text(std::string& out, std::string_view text) {
  split_each(
      text, '\n',
      [&](std::string_view line) {
        split_each(
            line, '\t',
            [&](std::string_view piece) {
              std::size_t i = 0;
              while (i < piece.size()) {
                if (piece[i] != ' ') {
                  auto next = piece.find(' ', i);
                  if (next == std::string_view::npos) next = piece.size();
                  util::xml_escape_into(out, piece.substr(i, next - i));
                  i = next;
                  continue;
                }
                std::size_t n = 0;
                bool at_start = i == 0;
                while (i < piece.size() && piece[i] == ' ') ++i, ++n;
                if (!at_start) {
                  out += ' ';
                  --n;
                }
                if (n == 1) out += "<text:s/>";
                if (n > 1) out += fmt::format("<text:s text:c=\"{}\"/>", n);
              }
            },
            [&] { out += "<text:tab/>"; });
      },
      [&] { out += "<text:line-break/>"; });
}

// A paragraph of the style; none for empty text.
void odt_paragraph(std::string& out, std::string_view style, std::string_view text) {
  if (text.empty()) return;
  out += "<text:p text:style-name=\"";
  out += style;
  out += "\">";
  odt_text(out, text);
  out += "</text:p>";
}

// The automatic styles of content.xml that are not a table's own: cells
// with all borders, right-aligned numbers, bold totals.
constexpr std::string_view k_odt_content_styles =
    R"x(<style:style style:name="Cell" style:family="table-cell"><style:table-cell-properties)x"
    R"x( style:vertical-align="top" fo:padding-top="0.05cm" fo:padding-bottom="0.05cm" fo:padding-left="0.19cm")x"
    R"x( fo:padding-right="0.19cm" fo:border="0.5pt solid #000000"/></style:style>)x"
    R"x(<style:style style:name="HeadCell" style:family="table-cell"><style:table-cell-properties)x"
    R"x( style:vertical-align="middle" fo:padding-top="0.05cm" fo:padding-bottom="0.05cm" fo:padding-left="0.19cm")x"
    R"x( fo:padding-right="0.19cm" fo:border="0.5pt solid #000000"/></style:style>)x"
    R"x(<style:style style:name="Number" style:family="paragraph" style:parent-style-name="Table_20_Contents">)x"
    R"x(<style:paragraph-properties fo:text-align="end"/></style:style>)x"
    R"x(<style:style style:name="Total" style:family="paragraph" style:parent-style-name="Table_20_Contents">)x"
    R"x(<style:text-properties fo:font-weight="bold" style:font-weight-asian="bold" style:font-weight-complex="bold"/>)x"
    R"x(</style:style>)x"
    R"x(<style:style style:name="TotalNumber" style:family="paragraph" style:parent-style-name="Table_20_Contents">)x"
    R"x(<style:paragraph-properties fo:text-align="end"/><style:text-properties fo:font-weight="bold")x"
    R"x( style:font-weight-asian="bold" style:font-weight-complex="bold"/></style:style>)x"
    // The same in 10 pt, for a table too wide for 12.
    R"x(<style:style style:name="SmallContents" style:family="paragraph" style:parent-style-name="Table_20_Contents">)x"
    R"x(<style:text-properties fo:font-size="10pt" style:font-size-asian="10pt" style:font-size-complex="10pt"/>)x"
    R"x(</style:style>)x"
    R"x(<style:style style:name="SmallHeading" style:family="paragraph" style:parent-style-name="Table_20_Heading">)x"
    R"x(<style:text-properties fo:font-size="10pt" style:font-size-asian="10pt" style:font-size-complex="10pt"/>)x"
    R"x(</style:style>)x"
    // (An automatic style's parent is a common style.)
    R"x(<style:style style:name="SmallNumber" style:family="paragraph" style:parent-style-name="Table_20_Contents">)x"
    R"x(<style:paragraph-properties fo:text-align="end"/><style:text-properties fo:font-size="10pt")x"
    R"x( style:font-size-asian="10pt" style:font-size-complex="10pt"/></style:style>)x"
    R"x(<style:style style:name="SmallTotal" style:family="paragraph" style:parent-style-name="Table_20_Contents">)x"
    R"x(<style:text-properties fo:font-size="10pt" style:font-size-asian="10pt" style:font-size-complex="10pt")x"
    R"x( fo:font-weight="bold" style:font-weight-asian="bold" style:font-weight-complex="bold"/></style:style>)x"
    R"x(<style:style style:name="SmallTotalNumber" style:family="paragraph" style:parent-style-name="Table_20_Contents">)x"
    R"x(<style:paragraph-properties fo:text-align="end"/><style:text-properties fo:font-size="10pt")x"
    R"x( style:font-size-asian="10pt" style:font-size-complex="10pt" fo:font-weight="bold")x"
    R"x( style:font-weight-asian="bold" style:font-weight-complex="bold"/></style:style>)x"
    // An empty paragraph of these turns the pages from it on to landscape
    // or back to portrait.
    R"x(<style:style style:name="ToLandscape" style:family="paragraph" style:parent-style-name="Standard")x"
    R"x( style:master-page-name="Landscape"><style:paragraph-properties fo:margin-top="0cm" fo:margin-bottom="0cm")x"
    R"x( fo:line-height="100%"/><style:text-properties fo:font-size="1pt" style:font-size-asian="1pt")x"
    R"x( style:font-size-complex="1pt"/></style:style>)x"
    R"x(<style:style style:name="ToPortrait" style:family="paragraph" style:parent-style-name="Standard")x"
    R"x( style:master-page-name="Standard"><style:paragraph-properties fo:margin-top="0cm" fo:margin-bottom="0cm")x"
    R"x( fo:line-height="100%"/><style:text-properties fo:font-size="1pt" style:font-size-asian="1pt")x"
    R"x( style:font-size-complex="1pt"/></style:style>)x"
    R"x(<style:style style:name="Organisation" style:family="paragraph" style:parent-style-name="Standard">)x"
    R"x(<style:paragraph-properties fo:text-align="center"/></style:style>)x"
    R"x(<style:style style:name="Generated" style:family="paragraph" style:parent-style-name="Standard">)x"
    R"x(<style:paragraph-properties fo:margin-top="0.85cm"/><style:text-properties fo:font-size="12pt")x"
    R"x( style:font-size-asian="12pt" style:font-size-complex="12pt"/></style:style>)x";

// The width of the text, 165 mm, in hundredths of a millimetre; a cell's
// padding of 1.9 mm each side; 6.5 pt for a character of 12 pt text.
constexpr int k_odt_text_width = 16500;
constexpr int k_odt_landscape_text_width = 25200;
constexpr TableMetrics k_odt_table{k_odt_text_width, k_odt_landscape_text_width, 2 * 190, 229};

std::string odt_length(int hundredths_mm) {
  return fmt::format("{}.{:02}mm", hundredths_mm / 100, hundredths_mm % 100);
}

// A table (the n-th of the document) into the body, its own styles (its
// width and its columns') into `styles`.
void odt_table(std::string& body, std::string& styles, const Table& t, const TableLayout& layout, int n) {
  if (t.columns.empty()) return;
  odt_paragraph(body, "Caption", t.title);
  auto name = fmt::format("Table{}", n);
  const auto& [widths, compact, landscape, width] = layout;
  styles += fmt::format(
      "<style:style style:name=\"{}\" style:family=\"table\"><style:table-properties style:width=\"{}\" "
      "table:align=\"margins\" table:border-model=\"collapsing\"/></style:style>",
      name, odt_length(static_cast<int>(width)));
  body += fmt::format("<table:table table:name=\"{}\" table:style-name=\"{}\">", name, name);
  for (std::size_t c = 0; c < widths.size(); ++c) {
    styles += fmt::format(
        "<style:style style:name=\"{}.C{}\" style:family=\"table-column\"><style:table-column-properties "
        "style:column-width=\"{}\" style:rel-column-width=\"{}*\"/></style:style>",
        name, c + 1, odt_length(widths[c]), widths[c]);
    body += fmt::format("<table:table-column table:style-name=\"{}.C{}\"/>", name, c + 1);
  }
  body += "<table:table-header-rows><table:table-row>";
  for (const auto& col : t.columns) {
    body += "<table:table-cell table:style-name=\"HeadCell\" office:value-type=\"string\">";
    odt_paragraph(body, compact ? "SmallHeading" : "Table_20_Heading", col.title);
    body += "</table:table-cell>";
  }
  body += "</table:table-row></table:table-header-rows>";
  for (std::size_t r = 0; r < t.rows.size(); ++r) {
    bool total = t.total && r + 1 == t.rows.size();
    body += "<table:table-row>";
    for (std::size_t c = 0; c < t.columns.size(); ++c) {
      auto type = t.columns[c].type;
      std::string_view style = compact ? (right_aligned(type) ? (total ? "SmallTotalNumber" : "SmallNumber")
                                                              : (total ? "SmallTotal" : "SmallContents"))
                                       : (right_aligned(type) ? (total ? "TotalNumber" : "Number")
                                                              : (total ? "Total" : "Table_20_Contents"));
      // No office:value-type: a cell of paragraphs is text, and saying so
      // in each cell made a sixth of a long report.
      body += "<table:table-cell table:style-name=\"Cell\">";
      auto text = cell_text(value_at(t.rows[r], c), type);
      if (text.empty())  // a cell holds at least one paragraph, or Word adds one and moves on
        body += fmt::format("<text:p text:style-name=\"{}\"/>", style);
      else
        odt_paragraph(body, style, text);
      body += "</table:table-cell>";
    }
    body += "</table:table-row>";
  }
  body += "</table:table>";
  body += "<text:p text:style-name=\"Standard\"/>";
}

std::string odt_content(const Document& doc) {
  std::string body, styles(k_odt_content_styles);
  auto layouts = table_layouts(doc, k_odt_table);
  bool landscape = false;
  auto turn = [&](bool to) {
    if (to == landscape) return;
    body += to ? "<text:p text:style-name=\"ToLandscape\"/>" : "<text:p text:style-name=\"ToPortrait\"/>";
    landscape = to;
  };
  if (!layouts.empty()) turn(starts_landscape(layouts.front()));  // as in the DOCX
  odt_paragraph(body, "Organisation", doc.organisation);
  odt_paragraph(body, "Title", doc.title);
  odt_paragraph(body, "Subtitle", doc.subtitle);
  odt_paragraph(body, "Subtitle", period_line(doc));
  int tables = 0;
  for (std::size_t n = 0; n < doc.sections.size(); ++n) {
    const auto& section = doc.sections[n];
    turn(starts_landscape(layouts[n]));
    if (!section.title.empty()) {
      body += "<text:h text:style-name=\"Heading_20_1\" text:outline-level=\"1\">";
      odt_text(body, section.title);
      body += "</text:h>";
    }
    // A line break in a paragraph starts another, as in the DOCX.
    for (const auto& p : section.paragraphs)
      split_each(
          p, '\n', [&](std::string_view line) { odt_paragraph(body, "Text_20_body", line); }, [] {});
    for (std::size_t i = 0; i < section.tables.size(); ++i) {
      turn(layouts[n][i].landscape);
      odt_table(body, styles, section.tables[i], layouts[n][i], ++tables);
    }
  }
  odt_paragraph(body, "Generated", generated_line(doc));
  return std::string(k_xml_declaration) + "<office:document-content" + std::string(k_odf_namespaces) +
         "><office:automatic-styles>" + styles + "</office:automatic-styles><office:body><office:text>" + body +
         "</office:text></office:body></office:document-content>";
}

// ---- XLSX

// Number formats: the built-in ones a spreadsheet localises (#,##0 shows
// "12 345" in a Russian Excel; 0%) and two of ours.
constexpr int k_xlsx_general = 0, k_xlsx_integer = 3, k_xlsx_percent = 9, k_xlsx_date = 164, k_xlsx_number = 165;
// Excel's limits: a sheet name's length, a cell's text.
constexpr std::size_t k_xlsx_sheet_name = 31, k_xlsx_cell_text = 32767;
// Column widths in characters.
constexpr std::size_t k_xlsx_min_width = 8, k_xlsx_max_width = 60;

// How a cell looks: one entry of cellXfs.
struct XlsxFormat {
  int num_fmt = k_xlsx_general;
  bool bold = false;
  bool header = false;  // a table's header cell: grey, centred
  bool boxed = false;   // a table's cell: thin borders all round
  bool wrap = false;
  bool operator==(const XlsxFormat&) const = default;
};

// The cell formats a workbook uses, numbered in the order the sheets first
// ask for them; 0 is the default.
class XlsxFormats {
 public:
  int index(const XlsxFormat& f) {
    auto it = std::find(m_formats.begin(), m_formats.end(), f);
    if (it == m_formats.end()) it = m_formats.insert(m_formats.end(), f);
    return static_cast<int>(it - m_formats.begin());
  }
  std::string styles_xml() const;

 private:
  std::vector<XlsxFormat> m_formats{XlsxFormat{}};
};

std::string XlsxFormats::styles_xml() const {
  std::string out(k_xml_declaration);
  out +=
      R"x(<styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">)x"
      R"x(<numFmts count="2"><numFmt numFmtId="164" formatCode="DD.MM.YYYY"/><numFmt numFmtId="165" formatCode="0.0"/>)x"
      R"x(</numFmts><fonts count="2"><font><sz val="12"/><name val="Times New Roman"/><family val="1"/><charset val="204"/>)x"
      R"x(</font><font><b/><sz val="12"/><name val="Times New Roman"/><family val="1"/><charset val="204"/></font></fonts>)x"
      R"x(<fills count="3"><fill><patternFill patternType="none"/></fill><fill><patternFill patternType="gray125"/></fill>)x"
      R"x(<fill><patternFill patternType="solid"><fgColor rgb="FFD9D9D9"/><bgColor indexed="64"/></patternFill></fill>)x"
      R"x(</fills><borders count="2"><border><left/><right/><top/><bottom/><diagonal/></border><border>)x"
      R"x(<left style="thin"><color indexed="64"/></left><right style="thin"><color indexed="64"/></right>)x"
      R"x(<top style="thin"><color indexed="64"/></top><bottom style="thin"><color indexed="64"/></bottom><diagonal/>)x"
      R"x(</border></borders><cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>)x";
  out += fmt::format("<cellXfs count=\"{}\">", m_formats.size());
  for (const auto& f : m_formats) {
    out += fmt::format(R"x(<xf numFmtId="{}" fontId="{}" fillId="{}" borderId="{}" xfId="0")x", f.num_fmt,
                       f.bold ? 1 : 0, f.header ? 2 : 0, f.boxed ? 1 : 0);
    if (f.num_fmt != k_xlsx_general) out += R"x( applyNumberFormat="1")x";
    if (f.bold) out += R"x( applyFont="1")x";
    if (f.header) out += R"x( applyFill="1")x";
    if (f.boxed) out += R"x( applyBorder="1")x";
    std::string alignment;
    if (f.header)
      alignment += R"x( horizontal="center" vertical="center")x";
    else if (f.boxed)
      alignment += R"x( vertical="top")x";
    if (f.wrap) alignment += R"x( wrapText="1")x";
    if (alignment.empty())
      out += "/>";
    else
      out += R"x( applyAlignment="1"><alignment)x" + alignment + "/></xf>";
  }
  out += R"x(</cellXfs><cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles>)x"
         R"x(</styleSheet>)x";
  return out;
}

// Days from 1970-01-01 to a date of the proleptic Gregorian calendar
// (Howard Hinnant's days_from_civil).
std::int64_t days_from_civil(std::int64_t y, unsigned m, unsigned d) {
  y -= m <= 2;
  const std::int64_t era = (y >= 0 ? y : y - 399) / 400;
  const auto yoe = static_cast<unsigned>(y - era * 400);
  const unsigned doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
  const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + static_cast<std::int64_t>(doe) - 719468;
}

// A spreadsheet's serial of a "YYYY-MM-DD" date: days since 1899-12-30
// (which makes 1900-03-01 day 61, as Excel counts); nothing for anything else.
std::optional<std::int64_t> date_serial(std::string_view ymd) {
  if (ymd.size() != 10 || ymd[4] != '-' || ymd[7] != '-') return std::nullopt;
  auto number = [&](std::size_t from, std::size_t n) -> std::optional<unsigned> {
    unsigned v = 0;
    for (std::size_t i = from; i < from + n; ++i) {
      if (ymd[i] < '0' || ymd[i] > '9') return std::nullopt;
      v = v * 10 + static_cast<unsigned>(ymd[i] - '0');
    }
    return v;
  };
  auto y = number(0, 4), m = number(5, 2), d = number(8, 2);
  if (!y || !m || !d || *y < 1900 || *m < 1 || *m > 12 || *d < 1) return std::nullopt;
  constexpr std::array<unsigned, 12> k_days{31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  bool leap = (*y % 4 == 0 && *y % 100 != 0) || *y % 400 == 0;
  if (*d > k_days[*m - 1] + (*m == 2 && leap ? 1 : 0)) return std::nullopt;
  auto serial = days_from_civil(*y, *m, *d) - days_from_civil(1899, 12, 30);
  // Before 1900-03-01 Excel counts a 29 February 1900 that never was.
  if (serial < 61) return std::nullopt;
  return serial;
}

// "A", …, "Z", "AA", … for a column counted from 0.
std::string column_name(std::size_t column) {
  std::string name;
  for (std::size_t n = column + 1; n > 0; n = (n - 1) / 26)
    name.insert(name.begin(), static_cast<char>('A' + (n - 1) % 26));
  return name;
}

// Text rows are at least as wide as a page at 100 %, 80 characters: a sheet
// with a narrow table does not wrap its title into a column.
constexpr std::size_t k_xlsx_text_width = 80;
// The height of a line of 12 pt text, and the width of a character in
// hundredths of a digit (the unit of column widths): Times New Roman's
// Cyrillic letters are about as wide as its digits, bold ones a little
// wider.
constexpr double k_xlsx_line_height = 15.75;
constexpr std::size_t k_xlsx_character = 100, k_xlsx_bold_character = 105;

// One worksheet as it is written: rows from the top, cells from the left.
// The width of each column is known before the first row: the text above
// the tables is wrapped across them.
class XlsxSheet {
 public:
  XlsxSheet(XlsxFormats& formats, std::vector<std::size_t> widths);

  // Starts the next row (the first call starts row 1).
  void next_row() {
    flush();
    ++m_row;
  }
  // A row of text above or between the tables (a heading, a paragraph, a
  // caption): merged across the tables' columns and wrapped there. Text left
  // to overflow instead would widen what is printed, and the page would be
  // shrunk to fit it.
  void text_row(std::string_view s, bool bold);
  // A table's text cell.
  void text(std::size_t column, std::string_view s, const XlsxFormat& f) {
    put_text(column, s, f);
    if (f.wrap) fit(s, column < m_widths.size() ? m_widths[column] : k_xlsx_min_width, f.bold);
  }
  // A table's numeric cell.
  void number(std::size_t column, std::string_view value, const XlsxFormat& f) {
    open(column, f, "");
    m_cells += "<v>";
    m_cells += value;
    m_cells += "</v></c>";
  }
  // A table's cell with no value: it has a format for the borders.
  void empty(std::size_t column, const XlsxFormat& f) {
    m_cells += fmt::format("<c r=\"{}{}\" s=\"{}\"/>", column_name(column), m_row, m_formats.index(f));
  }

  std::string xml(bool selected);

 private:
  void open(std::size_t column, const XlsxFormat& f, std::string_view type) {
    m_cells += fmt::format("<c r=\"{}{}\"", column_name(column), m_row);
    if (int s = m_formats.index(f); s != 0) m_cells += fmt::format(" s=\"{}\"", s);
    m_cells += type;
    m_cells += '>';
  }
  void put_text(std::size_t column, std::string_view s, const XlsxFormat& f);
  // Makes the row tall enough for wrapped text `width` characters wide.
  // LibreOffice does not fit the height of a row to wrapped text when it
  // opens a file, nor either program that of a merged row: the lines are
  // estimated from the text's length.
  void fit(std::string_view s, std::size_t width, bool bold);
  void flush() {
    if (m_cells.empty()) return;
    m_rows += fmt::format("<row r=\"{}\"", m_row);
    if (m_lines > 1)
      m_rows += fmt::format(" ht=\"{}\" customHeight=\"1\"", static_cast<double>(m_lines) * k_xlsx_line_height);
    m_rows += '>' + m_cells + "</row>";
    m_cells.clear();
    m_lines = 1;
  }

  XlsxFormats& m_formats;
  std::vector<std::size_t> m_widths;  // in characters
  std::size_t m_span = 0;             // the columns text rows are merged across
  std::size_t m_span_width = 0;       // their width in characters
  std::size_t m_row = 0;
  std::size_t m_lines = 1;  // of text in the current row
  std::string m_cells;      // of the current row
  std::string m_rows;       // the rows before it
  std::string m_merged;
};

XlsxSheet::XlsxSheet(XlsxFormats& formats, std::vector<std::size_t> widths)
    : m_formats(formats), m_widths(std::move(widths)) {
  // The tables' columns, then more of the narrowest width until a page.
  for (m_span = 0; m_span < m_widths.size() || m_span_width < k_xlsx_text_width; ++m_span) {
    if (m_span == m_widths.size()) m_widths.push_back(k_xlsx_min_width);
    m_span_width += m_widths[m_span];
  }
}

void XlsxSheet::text_row(std::string_view s, bool bold) {
  if (s.empty()) return;
  next_row();
  put_text(0, s, {.bold = bold, .wrap = true});
  fit(s, m_span_width, bold);
  if (m_span > 1) m_merged += fmt::format("<mergeCell ref=\"A{0}:{1}{0}\"/>", m_row, column_name(m_span - 1));
}

void XlsxSheet::fit(std::string_view s, std::size_t width, bool bold) {
  std::size_t per = bold ? k_xlsx_bold_character : k_xlsx_character;
  std::size_t room = std::max<std::size_t>(width, 2) - 1;  // a cell's padding takes about a character
  std::size_t lines = 0;
  split_each(
      s, '\n',
      [&](std::string_view line) { lines += std::max<std::size_t>(1, (length(line) * per / 100 + room - 1) / room); },
      [] {});
  m_lines = std::max(m_lines, lines);
}

void XlsxSheet::put_text(std::size_t column, std::string_view s, const XlsxFormat& f) {
  auto cut = cut_utf16(s, k_xlsx_cell_text);
  if (cut.empty()) return empty(column, f);
  open(column, f, " t=\"inlineStr\"");
  m_cells += "<is><t xml:space=\"preserve\">";
  // Every line break becomes LF: a CR would come back from the XML parser
  // as LF anyway.
  split_each(
      cut, '\n', [&](std::string_view line) { util::xml_escape_into(m_cells, line); }, [&] { m_cells += '\n'; });
  m_cells += "</t></is></c>";
}

std::string XlsxSheet::xml(bool selected) {
  flush();
  std::string out(k_xml_declaration);
  out += R"x(<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main")x"
         R"x( xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">)x"
         R"x(<sheetPr><pageSetUpPr fitToPage="1"/></sheetPr><sheetViews><sheetView)x";
  if (selected) out += R"x( tabSelected="1")x";
  out += R"x( workbookViewId="0"/></sheetViews><sheetFormatPr defaultRowHeight="15.75"/><cols>)x";
  for (std::size_t c = 0; c < m_widths.size(); ++c)
    out += fmt::format(R"x(<col min="{0}" max="{0}" width="{1}" customWidth="1"/>)x", c + 1, m_widths[c]);
  out += "</cols>";
  out += m_rows.empty() ? "<sheetData/>" : "<sheetData>" + m_rows + "</sheetData>";
  if (!m_merged.empty()) out += "<mergeCells>" + m_merged + "</mergeCells>";
  // The margins of the documents (30, 15, 20 and 20 mm, in inches); as wide
  // as the page, as many pages down as it takes; the page number below.
  out += R"x(<pageMargins left="1.1811" right="0.5906" top="0.7874" bottom="0.7874" header="0.3" footer="0.3"/>)x"
         R"x(<pageSetup paperSize="9" orientation="portrait" fitToWidth="1" fitToHeight="0"/>)x"
         R"x(<headerFooter><oddFooter>&amp;C&amp;P</oddFooter></headerFooter></worksheet>)x";
  return out;
}

// The widths of a section's columns in characters: the longest line of each
// column's heading and values (as people read them), within limits; text
// longer than the limit wraps.
std::vector<std::size_t> xlsx_widths(const Section& section) {
  std::vector<std::size_t> widths;
  for (const auto& t : section.tables) {
    if (widths.size() < t.columns.size()) widths.resize(t.columns.size(), 0);
    for (std::size_t c = 0; c < t.columns.size(); ++c) {
      const auto& col = t.columns[c];
      widths[c] = std::max(widths[c], longest_line(col.title));
      for (const auto& row : t.rows) {
        const auto& v = value_at(row, c);
        auto s = std::get_if<std::string>(&v);
        auto shown =
            col.type == CellType::date && s && date_serial(*s) ? std::size_t{10} : longest_line(cell_text(v, col.type));
        widths[c] = std::max(widths[c], shown);
      }
    }
  }
  for (auto& w : widths) w = std::clamp(w + 2, k_xlsx_min_width, k_xlsx_max_width);
  return widths;
}

// A table's cell: numbers, percents (the fraction) and dates (the serial) as
// numbers a spreadsheet computes with, text as text.
void xlsx_value(XlsxSheet& sheet, std::size_t column, const Value& v, CellType type, bool bold) {
  XlsxFormat f{.bold = bold, .boxed = true};
  if (auto s = std::get_if<std::string>(&v)) {
    if (type == CellType::date) {
      if (auto serial = date_serial(*s)) {
        f.num_fmt = k_xlsx_date;
        return sheet.number(column, fmt::format("{}", *serial), f);
      }
    }
    f.wrap = true;
    return sheet.text(column, cell_text(v, type), f);
  }
  std::string value;
  if (auto n = std::get_if<std::int64_t>(&v)) value = fmt::format("{}", *n);
  if (auto d = std::get_if<double>(&v); d && std::isfinite(*d)) value = fmt::format("{}", *d);
  if (value.empty()) return sheet.empty(column, f);
  switch (type) {
    case CellType::integer:
      f.num_fmt = k_xlsx_integer;
      break;
    case CellType::number:  // a whole number in a column of numbers is shown whole
      f.num_fmt = std::holds_alternative<std::int64_t>(v) ? k_xlsx_integer : k_xlsx_number;
      break;
    case CellType::percent:
      f.num_fmt = k_xlsx_percent;
      break;
    case CellType::date:
    case CellType::text:
      break;
  }
  sheet.number(column, value, f);
}

// The names of the sheets, one for each section, as Excel wants them: at
// most 31 characters, none of []:*?/\, no apostrophe first or last, unique
// whatever their case ("History" is Excel's own).
std::vector<std::string> sheet_names(const std::vector<std::string>& titles) {
  std::set<std::string> taken{util::fold("History")};
  std::vector<std::string> names;
  for (std::size_t i = 0; i < titles.size(); ++i) {
    std::string clean;
    for (char c : titles[i]) {
      if (static_cast<unsigned char>(c) < 0x20) continue;
      clean += std::string_view("[]:*?/\\").find(c) == std::string_view::npos ? c : '_';
    }
    auto trimmed = util::trim(clean);
    std::string base = trimmed.empty() ? trf("Sheet {}", i + 1) : std::string(trimmed);
    auto fit = [](std::string_view s, std::size_t units) {
      std::string name(util::trim(cut_utf16(s, units)));
      if (!name.empty() && name.front() == '\'') name.front() = '_';
      if (!name.empty() && name.back() == '\'') name.back() = '_';
      return name;
    };
    std::string name = fit(base, k_xlsx_sheet_name);
    for (int n = 2; name.empty() || !taken.insert(util::fold(name)).second; ++n) {
      auto suffix = fmt::format(" ({})", n);
      name = fit(base, k_xlsx_sheet_name - suffix.size()) + suffix;
    }
    names.push_back(std::move(name));
  }
  return names;
}

// A section's sheet: the document's heading (organisation, title, subtitle
// and period) in rows 1–3, the section's heading and paragraphs, then its
// tables, each after an empty row and under its caption.
std::string xlsx_sheet(const Document& doc, const Section* section, XlsxFormats& formats, bool first) {
  XlsxSheet sheet(formats, section ? xlsx_widths(*section) : std::vector<std::size_t>{});
  const std::pair<std::string, bool> heading[] = {
      {doc.organisation, false}, {doc.title, true}, {subtitle_line(doc), false}};
  for (const auto& [text, bold] : heading) {
    if (text.empty())
      sheet.next_row();
    else
      sheet.text_row(text, bold);
  }
  if (section) {
    sheet.next_row();
    sheet.text_row(section->title, true);
    for (const auto& p : section->paragraphs) sheet.text_row(p, false);
    for (const auto& t : section->tables) {
      if (t.columns.empty()) continue;
      sheet.next_row();
      sheet.text_row(t.title, true);
      sheet.next_row();
      for (std::size_t c = 0; c < t.columns.size(); ++c)
        sheet.text(c, t.columns[c].title, {.bold = true, .header = true, .boxed = true, .wrap = true});
      for (std::size_t r = 0; r < t.rows.size(); ++r) {
        bool total = t.total && r + 1 == t.rows.size();
        sheet.next_row();
        for (std::size_t c = 0; c < t.columns.size(); ++c)
          xlsx_value(sheet, c, value_at(t.rows[r], c), t.columns[c].type, total);
      }
    }
  }
  return sheet.xml(first);
}

}  // namespace

std::string render_docx(const Document& doc) {
  ZipWriter zip("DOCX", archive_time(doc));
  zip.add("[Content_Types].xml", docx_content_types());
  zip.add("_rels/.rels", package_rels("word/document.xml"));
  zip.add("word/document.xml", docx_document(doc));
  zip.add("word/styles.xml", docx_styles(doc));
  zip.add("word/settings.xml", docx_settings());
  zip.add("word/footer1.xml", docx_footer());
  zip.add("word/_rels/document.xml.rels", docx_document_rels());
  zip.add("docProps/core.xml", core_properties(doc));
  zip.add("docProps/app.xml", app_properties());
  return zip.finish();
}

std::string render_odt(const Document& doc) {
  ZipWriter zip("ODT", archive_time(doc));
  // First and stored: a program knows the file by its first bytes.
  zip.add("mimetype", std::string(k_odt_mimetype), true);
  zip.add("META-INF/manifest.xml", odt_manifest());
  zip.add("content.xml", odt_content(doc));
  zip.add("styles.xml", odt_styles(doc));
  zip.add("meta.xml", odt_meta(doc));
  return zip.finish();
}

std::string render_xlsx(const Document& doc) {
  // A workbook has at least one sheet: a report without sections gets one
  // with its heading.
  std::vector<const Section*> sections;
  std::vector<std::string> titles;
  for (const auto& s : doc.sections) {
    sections.push_back(&s);
    titles.push_back(s.title);
  }
  if (sections.empty()) {
    sections.push_back(nullptr);
    titles.push_back(doc.title);
  }
  auto names = sheet_names(titles);

  XlsxFormats formats;
  std::vector<std::string> sheets;
  for (std::size_t i = 0; i < sections.size(); ++i) sheets.push_back(xlsx_sheet(doc, sections[i], formats, i == 0));

  std::string types(k_xml_declaration), workbook(k_xml_declaration), rels(k_xml_declaration);
  types +=
      R"x(<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">)x"
      R"x(<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>)x"
      R"x(<Default Extension="xml" ContentType="application/xml"/>)x"
      R"x(<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>)x"
      R"x(<Override PartName="/xl/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/>)x";
  workbook += R"x(<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main")x"
              R"x( xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">)x"
              R"x(<bookViews><workbookView/></bookViews><sheets>)x";
  rels += R"x(<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">)x";
  for (std::size_t i = 1; i <= sheets.size(); ++i) {
    types += fmt::format(
        R"x(<Override PartName="/xl/worksheets/sheet{}.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>)x",
        i);
    workbook += fmt::format(R"x(<sheet name="{}" sheetId="{}" r:id="rId{}"/>)x", util::xml_escape(names[i - 1]), i, i);
    rels += fmt::format(
        R"x(<Relationship Id="rId{0}" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet{0}.xml"/>)x",
        i);
  }
  types += std::string(k_property_types) + "</Types>";
  workbook += "</sheets></workbook>";
  rels += fmt::format(
      R"x(<Relationship Id="rId{}" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/>)x"
      R"x(</Relationships>)x",
      sheets.size() + 1);

  ZipWriter zip("XLSX", archive_time(doc));
  zip.add("[Content_Types].xml", std::move(types));
  zip.add("_rels/.rels", package_rels("xl/workbook.xml"));
  zip.add("xl/workbook.xml", std::move(workbook));
  zip.add("xl/_rels/workbook.xml.rels", std::move(rels));
  zip.add("xl/styles.xml", formats.styles_xml());
  for (std::size_t i = 0; i < sheets.size(); ++i)
    zip.add(fmt::format("xl/worksheets/sheet{}.xml", i + 1).c_str(), std::move(sheets[i]));
  zip.add("docProps/core.xml", core_properties(doc));
  zip.add("docProps/app.xml", app_properties());
  return zip.finish();
}

}  // namespace setevoe::core::report
