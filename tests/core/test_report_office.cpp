// Unit tests of the office renderers of reports (DOCX, ODT, XLSX): each file
// is opened again with libzip in memory and its parts are read: the parts a
// package needs, escaped text, header rows that repeat, ODT's stored
// mimetype first, XLSX's numbers, dates and percents as numbers with their
// formats, and Excel's rules for sheet names. Whether Word and LibreOffice
// open the files is for the interop tests.
#include <zip.h>

#include <catch2/catch.hpp>

#include <map>
#include <regex>
#include <string>
#include <vector>

#include "core/report/document.hpp"
#include "core/report/render.hpp"
#include "core/util/time.hpp"

using namespace setevoe;
using namespace setevoe::core::report;

namespace {

// A zip read back from memory: its entries in the archive's order.
struct Entry {
  std::string name;
  std::string data;
  zip_uint16_t method = 0;
  std::time_t mtime = 0;
};

std::vector<Entry> unzip(const std::string& bytes) {
  zip_error_t error;
  zip_error_init(&error);
  zip_source_t* src = zip_source_buffer_create(bytes.data(), bytes.size(), 0, &error);
  REQUIRE(src);
  zip_t* z = zip_open_from_source(src, ZIP_RDONLY | ZIP_CHECKCONS, &error);
  if (!z) zip_source_free(src);
  zip_error_fini(&error);
  REQUIRE(z);
  std::vector<Entry> entries;
  auto n = zip_get_num_entries(z, 0);
  for (zip_int64_t i = 0; i < n; ++i) {
    auto index = static_cast<zip_uint64_t>(i);
    zip_stat_t st;
    REQUIRE(zip_stat_index(z, index, 0, &st) == 0);
    Entry e{st.name, std::string(st.size, '\0'), st.comp_method, st.mtime};
    zip_file_t* f = zip_fopen_index(z, index, 0);
    REQUIRE(f);
    CHECK(zip_fread(f, e.data.data(), st.size) == static_cast<zip_int64_t>(st.size));
    zip_fclose(f);
    entries.push_back(std::move(e));
  }
  zip_discard(z);
  return entries;
}

// The part of that name; fails the test when there is none.
const std::string& part(const std::vector<Entry>& entries, const std::string& name) {
  for (const auto& e : entries)
    if (e.name == name) return e.data;
  FAIL("no part " << name);
  static const std::string none;
  return none;
}

bool contains(const std::string& haystack, const std::string& needle) {
  return haystack.find(needle) != std::string::npos;
}

// The title of the first section, long and with characters Excel refuses in
// sheet names; the second's is the same in its first 31 characters but for
// the case.
const char* k_long_title = "Продукты: итоги [октябрь] / 2026 года и планы на следующий год";
const char* k_same_title = "ПРОДУКТЫ: ИТОГИ [ОКТЯБРЬ] / 2026 года: другое";

Document sample() {
  Document d;
  d.kind = "activity";
  d.organisation = "Управление образования «Гудермесского» района";
  d.title = "Отчёт о деятельности сетевого взаимодействия";
  d.subtitle = "за октябрь 2026 года";
  d.from = "2026-10-01";
  d.to = "2026-10-31";
  d.generated_at = "2026-11-02T09:30:00.000Z";
  d.language = "ru";

  Section s1;
  s1.key = "products";
  s1.title = k_long_title;
  s1.paragraphs = {"Опубликовано «3» продукта: A & B < C > D, \"кавычки\" и 'апострофы'.\x01",
                   "Первая строка\nвторая  строка"};
  Table t;
  t.key = "by_school";
  t.title = "Продукты по школам";
  t.columns = {{"school", "Школа", CellType::text},
               {"count", "Количество", CellType::integer},
               {"hours", "Часы", CellType::number},
               {"share", "Доля", CellType::percent},
               {"date", "Дата", CellType::date}};
  t.rows = {{std::string("МБОУ «СОШ № 1» & <филиал>"), std::int64_t{12345}, 3.5, 0.25, std::string("2026-10-05")},
            {std::string("Школа\nс переносом"), std::int64_t{7}, 1.25, 0.125, std::monostate{}},
            {std::string("Итого"), std::int64_t{12352}, 4.75, 0.375, std::monostate{}}};
  t.total = true;
  s1.tables.push_back(t);

  Section s2;
  s2.key = "events";
  s2.title = k_same_title;
  Table e;
  e.key = "events";
  e.title = "Мероприятия";
  e.columns = {{"title", "Название", CellType::text}, {"starts", "Начало", CellType::date}};
  e.rows = {{std::string("Семинар"), std::string("2026-10-01")}};
  s2.tables.push_back(e);

  d.sections = {s1, s2};
  return d;
}

// The cellXfs entry `index` of an XLSX styles part.
std::string xf(const std::string& styles, int index) {
  auto at = styles.find("<cellXfs");
  REQUIRE(at != std::string::npos);
  for (int i = 0; i <= index; ++i) {
    at = styles.find("<xf ", at + 1);
    REQUIRE(at != std::string::npos);
  }
  return styles.substr(at, styles.find('>', at) - at);
}

// The format (numFmtId) of the cell that holds <v>value</v> in a sheet.
std::string number_format(const std::string& sheet, const std::string& styles, const std::string& value) {
  std::smatch m;
  REQUIRE(std::regex_search(sheet, m, std::regex("<c r=\"[A-Z]+[0-9]+\" s=\"([0-9]+)\"><v>" + value + "</v></c>")));
  std::smatch f;
  auto entry = xf(styles, std::stoi(m[1]));
  REQUIRE(std::regex_search(entry, f, std::regex("numFmtId=\"([0-9]+)\"")));
  return f[1];
}

}  // namespace

TEST_CASE("report office: DOCX has its parts, the page, escaped text and repeated header rows", "[report]") {
  auto doc = sample();
  auto entries = unzip(render_docx(doc));
  for (const char* name :
       {"[Content_Types].xml", "_rels/.rels", "word/document.xml", "word/styles.xml", "word/settings.xml",
        "word/footer1.xml", "word/_rels/document.xml.rels", "docProps/core.xml", "docProps/app.xml"})
    CHECK(contains(part(entries, name), "<?xml"));
  const auto& xml = part(entries, "word/document.xml");
  CHECK(contains(xml, "<w:pgSz w:w=\"11906\" w:h=\"16838\"/>"));
  CHECK(contains(xml, "w:top=\"1134\" w:right=\"850\" w:bottom=\"1134\" w:left=\"1701\""));
  CHECK(contains(xml, "Управление образования «Гудермесского» района"));
  CHECK(contains(xml, "<w:pStyle w:val=\"Heading1\"/></w:pPr><w:r><w:t>Продукты: итоги"));
  // Spaces are kept where XML would drop them: doubled, or at an end.
  CHECK(contains(xml, "<w:t xml:space=\"preserve\">вторая  строка</w:t>"));
  CHECK(contains(xml, "A &amp; B &lt; C &gt; D, &quot;кавычки&quot; и &apos;апострофы&apos;.</w:t>"));
  CHECK_FALSE(contains(xml, "\x01"));
  CHECK(contains(xml, "МБОУ «СОШ № 1» &amp; &lt;филиал&gt;"));
  CHECK(contains(xml, "Школа</w:t><w:br/><w:t>с переносом"));
  // A line break in a paragraph starts another (a justified line ending in
  // a break would be stretched).
  CHECK(contains(xml, "Первая строка</w:t></w:r></w:p><w:p><w:pPr><w:pStyle w:val=\"BodyText\"/></w:pPr>"));
  CHECK(contains(xml, "<w:tblHeader/>"));
  CHECK(contains(xml, period_text(doc)));
  // Numbers as people read them, right-aligned; the total row bold.
  CHECK(contains(xml, "<w:pStyle w:val=\"TableNumber\"/></w:pPr><w:r><w:t>" +
                          cell_text(std::int64_t{12345}, CellType::integer) + "</w:t>"));
  CHECK(contains(part(entries, "word/styles.xml"),
                 "w:styleId=\"TableNumber\"><w:name w:val=\"Table Number\"/><w:basedOn w:val=\"TableText\"/>"
                 "<w:qFormat/><w:pPr><w:jc w:val=\"right\"/></w:pPr>"));
  CHECK(contains(xml, "<w:rPr><w:b/><w:bCs/></w:rPr><w:t>Итого</w:t>"));
  // The header row's cells say their widths; the table's grid gives the
  // rest theirs.
  CHECK(contains(xml, "<w:tr><w:trPr><w:cantSplit/><w:tblHeader/></w:trPr><w:tc><w:tcPr><w:tcW w:w=\""));
  CHECK(contains(xml, "<w:gridCol w:w=\""));
  CHECK(contains(xml, date_text("2026-10-05")));
  CHECK(contains(xml, "02.11.2026"));  // generated
  CHECK(contains(part(entries, "word/footer1.xml"), " PAGE "));
  CHECK(contains(part(entries, "word/styles.xml"), "<w:sz w:val=\"28\"/>"));
  CHECK(contains(part(entries, "word/styles.xml"), "<w:name w:val=\"heading 1\"/>"));
  const auto& core = part(entries, "docProps/core.xml");
  CHECK(contains(core, "<dc:title>Отчёт о деятельности сетевого взаимодействия</dc:title>"));
  CHECK(contains(core, "<dcterms:created xsi:type=\"dcterms:W3CDTF\">2026-11-02T09:30:00Z</dcterms:created>"));
  CHECK(contains(core, "<dc:language>ru</dc:language>"));
}

TEST_CASE("report office: ODT begins with its mimetype, stored", "[report]") {
  auto doc = sample();
  auto entries = unzip(render_odt(doc));
  REQUIRE(!entries.empty());
  CHECK(entries[0].name == "mimetype");
  CHECK(entries[0].method == ZIP_CM_STORE);
  CHECK(entries[0].data == "application/vnd.oasis.opendocument.text");
  for (const char* name : {"META-INF/manifest.xml", "content.xml", "styles.xml", "meta.xml"})
    CHECK(contains(part(entries, name), "<?xml"));
  const auto& xml = part(entries, "content.xml");
  CHECK(contains(xml, "<text:h text:style-name=\"Heading_20_1\" text:outline-level=\"1\">Продукты: итоги"));
  CHECK(contains(xml, "A &amp; B &lt; C &gt; D, &quot;кавычки&quot; и &apos;апострофы&apos;."));
  CHECK_FALSE(contains(xml, "\x01"));
  CHECK(contains(xml, "МБОУ «СОШ № 1» &amp; &lt;филиал&gt;"));
  CHECK(contains(xml, "Школа<text:line-break/>с переносом"));
  CHECK(contains(xml, "<text:p text:style-name=\"Text_20_body\">вторая <text:s/>строка"));  // two spaces stay two
  CHECK(contains(xml, "<table:table-header-rows><table:table-row>"));
  CHECK(contains(xml, "<text:p text:style-name=\"TotalNumber\">" + cell_text(std::int64_t{12352}, CellType::integer)));
  CHECK(contains(xml, "02.11.2026"));
  const auto& styles = part(entries, "styles.xml");
  CHECK(contains(styles, "fo:page-width=\"21cm\" fo:page-height=\"29.7cm\""));
  CHECK(contains(styles, "fo:margin-left=\"3cm\" fo:margin-right=\"1.5cm\""));
  CHECK(contains(styles, "<text:page-number"));
  CHECK(contains(part(entries, "meta.xml"), "<dc:title>Отчёт о деятельности сетевого взаимодействия</dc:title>"));
}

TEST_CASE("report office: XLSX writes numbers, dates and percents as numbers", "[report]") {
  auto doc = sample();
  auto entries = unzip(render_xlsx(doc));
  for (const char* name :
       {"[Content_Types].xml", "_rels/.rels", "xl/workbook.xml", "xl/_rels/workbook.xml.rels", "xl/styles.xml",
        "xl/worksheets/sheet1.xml", "xl/worksheets/sheet2.xml", "docProps/core.xml", "docProps/app.xml"})
    CHECK(contains(part(entries, name), "<?xml"));
  CHECK_FALSE(contains(part(entries, "[Content_Types].xml"), "sharedStrings"));
  const auto& sheet = part(entries, "xl/worksheets/sheet1.xml");
  const auto& styles = part(entries, "xl/styles.xml");
  // The heading in rows 1–3, each merged across the table's five columns
  // (27 + 12 + 8 + 8 + 12 characters wide) and two more of 8 to make the 80
  // of a page, so that the text wraps within them.
  CHECK(std::regex_search(sheet, std::regex("<row r=\"1\"><c r=\"A1\" s=\"[0-9]+\" t=\"inlineStr\"><is><t "
                                            "xml:space=\"preserve\">Управление")));
  CHECK(contains(sheet, "<t xml:space=\"preserve\">за октябрь 2026 года (" + period_text(doc) + ")</t>"));
  CHECK(std::regex_search(sheet, std::regex("<row r=\"3\"><c r=\"A3\" ")));
  CHECK(contains(sheet, "<mergeCell ref=\"A1:G1\"/><mergeCell ref=\"A2:G2\"/><mergeCell ref=\"A3:G3\"/>"));
  CHECK(number_format(sheet, styles, "12345") == "3");
  CHECK(number_format(sheet, styles, "3.5") == "165");
  CHECK(number_format(sheet, styles, "0.25") == "9");
  CHECK(number_format(sheet, styles, "46300") == "164");                                      // 2026-10-05
  CHECK(number_format(part(entries, "xl/worksheets/sheet2.xml"), styles, "46296") == "164");  // 2026-10-01
  CHECK(contains(styles, "<numFmt numFmtId=\"164\" formatCode=\"DD.MM.YYYY\"/>"));
  CHECK_FALSE(contains(sheet, ">12345</t>"));
  CHECK_FALSE(contains(sheet, "2026-10-05"));
  CHECK(contains(sheet, "<t xml:space=\"preserve\">МБОУ «СОШ № 1» &amp; &lt;филиал&gt;</t>"));
  CHECK(contains(sheet, "<t xml:space=\"preserve\">Школа\nс переносом</t>"));
  // The empty cells: a format for the borders, no value.
  CHECK_FALSE(contains(sheet, "<v></v>"));
  CHECK_FALSE(contains(sheet, "<t xml:space=\"preserve\"></t>"));
  CHECK(std::regex_search(sheet, std::regex("<c r=\"E[0-9]+\" s=\"[0-9]+\"/></row>")));
  CHECK(contains(sheet, "<pageSetup paperSize=\"9\""));
  CHECK(contains(sheet, "<oddFooter>&amp;C&amp;P</oddFooter>"));
  CHECK(contains(sheet, "<cols><col min=\"1\" max=\"1\" width=\"27\" customWidth=\"1\"/>"));
  const auto& workbook = part(entries, "xl/workbook.xml");
  CHECK(contains(workbook, "<sheet name=\"Продукты_ итоги _октябрь_ _ 202\" sheetId=\"1\""));
  CHECK(contains(workbook, "<sheet name=\"ПРОДУКТЫ_ ИТОГИ _ОКТЯБРЬ_ _ (2)\" sheetId=\"2\""));
}

TEST_CASE("report office: XLSX sheet names are cut, cleaned and unique", "[report]") {
  Document doc;
  for (const char* title : {"A", "a", "", "'Цитата'", "History", "Ёлка", "ёлка", "ЁЛКА"}) {
    Section s;
    s.title = title;
    doc.sections.push_back(s);
  }
  auto workbook = part(unzip(render_xlsx(doc)), "xl/workbook.xml");
  std::vector<std::string> names;
  std::regex name("<sheet name=\"([^\"]*)\"");
  for (auto it = std::sregex_iterator(workbook.begin(), workbook.end(), name); it != std::sregex_iterator(); ++it)
    names.push_back((*it)[1]);
  CHECK(names ==
        std::vector<std::string>{"A", "a (2)", "Sheet 3", "_Цитата_", "History (2)", "Ёлка", "ёлка (2)", "ЁЛКА (3)"});
}

TEST_CASE("report office: a workbook without sections still has a sheet", "[report]") {
  Document doc;
  doc.title = "Пустой отчёт";
  auto entries = unzip(render_xlsx(doc));
  CHECK(contains(part(entries, "xl/workbook.xml"), "<sheet name=\"Пустой отчёт\""));
  CHECK(contains(part(entries, "xl/worksheets/sheet1.xml"), "Пустой отчёт"));
}

TEST_CASE("report office: the same Document gives the same bytes, dated when it was generated", "[report]") {
  auto doc = sample();
  auto generated = util::parse_iso_utc(doc.generated_at);
  REQUIRE(generated);
  for (auto render : {render_docx, render_odt, render_xlsx}) {
    auto bytes = render(doc);
    CHECK(bytes == render(doc));
    for (const auto& e : unzip(bytes)) CHECK(e.mtime == *generated / 1000);
  }
}

namespace {

// A section of one table: `columns` text columns, each of `word` letters
// in a word, beside a date and a count.
Section wide_section(const std::string& key, int columns, std::size_t word) {
  Section s;
  s.key = key;
  s.title = "Раздел " + key;
  Table t;
  t.key = key;
  t.title = "Таблица " + key;
  t.columns = {{"n", "№", CellType::integer}, {"date", "Дата", CellType::date}};
  std::vector<Value> row{std::int64_t{1}, std::string("2026-10-05")};
  std::string long_word;
  for (std::size_t i = 0; i < word; ++i) long_word += "ж";
  for (int c = 0; c < columns; ++c) {
    t.columns.push_back({"c" + std::to_string(c), "Столбец", CellType::text});
    row.emplace_back(long_word + " и " + long_word);
  }
  t.rows = {row};
  s.tables.push_back(t);
  return s;
}

// The sum of the w:gridCol widths of the n-th table of a DOCX.
int grid_width(const std::string& xml, int n) {
  std::size_t at = 0;
  for (int i = 0; i <= n; ++i) {
    at = xml.find("<w:tblGrid>", at + 1);
    REQUIRE(at != std::string::npos);
  }
  auto end = xml.find("</w:tblGrid>", at);
  int sum = 0;
  std::regex col("w:w=\"([0-9]+)\"");
  auto grid = xml.substr(at, end - at);
  for (std::sregex_iterator i(grid.begin(), grid.end(), col), e; i != e; ++i) sum += std::stoi((*i)[1]);
  return sum;
}

}  // namespace

TEST_CASE("report office: a table too wide for 12 pt is set in 10 pt, then on landscape pages", "[report]") {
  auto doc = sample();
  // Fits in 12 pt; needs 10 pt; needs a landscape page; needs it in 10 pt;
  // fits again.
  doc.sections = {wide_section("a", 2, 8), wide_section("b", 4, 12), wide_section("c", 6, 12), wide_section("e", 6, 14),
                  wide_section("d", 1, 5)};
  auto docx = unzip(render_docx(doc));
  const auto& xml = part(docx, "word/document.xml");
  // Portrait text is 9355 twips wide (165 mm); landscape 14287 (252 mm).
  CHECK(grid_width(xml, 0) == 9355);
  CHECK(grid_width(xml, 1) == 9355);
  CHECK(grid_width(xml, 2) == 14287);
  CHECK(grid_width(xml, 3) == 14287);
  CHECK(grid_width(xml, 4) == 9355);
  auto table = [&](int n) {
    std::size_t at = 0;
    for (int i = 0; i <= n; ++i) at = xml.find("<w:tbl>", at + 1);
    return xml.substr(at, xml.find("</w:tbl>", at) - at);
  };
  CHECK_FALSE(contains(table(0), "Small"));
  CHECK(contains(table(1), "<w:pStyle w:val=\"TableTextSmall\"/>"));
  CHECK(contains(table(1), "<w:pStyle w:val=\"TableNumberSmall\"/>"));
  CHECK_FALSE(contains(table(1), "<w:pStyle w:val=\"TableText\"/>"));
  CHECK_FALSE(contains(table(2), "Small"));  // landscape, in 12 pt
  CHECK(contains(table(3), "<w:pStyle w:val=\"TableTextSmall\"/>"));
  CHECK_FALSE(contains(table(4), "Small"));
  // Sections: portrait up to the third section's heading, landscape for it
  // and the next, portrait again for the last and to the end.
  auto landscape = xml.find("w:orient=\"landscape\"");
  REQUIRE(landscape != std::string::npos);
  CHECK(xml.find("w:orient=\"landscape\"", landscape + 1) == std::string::npos);
  CHECK(xml.find("Раздел c") < landscape);
  CHECK(xml.find("Раздел d") > landscape);
  auto portrait_end = xml.rfind("<w:sectPr>", xml.find("Раздел c"));
  REQUIRE(portrait_end != std::string::npos);
  CHECK(xml.find("<w:pgSz w:w=\"11906\" w:h=\"16838\"/>", portrait_end) < xml.find("Раздел c"));
  CHECK(contains(xml.substr(xml.rfind("<w:sectPr>")), "<w:pgSz w:w=\"11906\" w:h=\"16838\"/>"));
  CHECK(contains(xml, "<w:pgSz w:w=\"16838\" w:h=\"11906\" w:orient=\"landscape\"/>"));
  CHECK(contains(part(docx, "word/styles.xml"), "w:styleId=\"TableTextSmall\""));

  auto odt = unzip(render_odt(doc));
  const auto& content = part(odt, "content.xml");
  auto to_landscape = content.find("<text:p text:style-name=\"ToLandscape\"/>");
  auto to_portrait = content.find("<text:p text:style-name=\"ToPortrait\"/>");
  REQUIRE(to_landscape != std::string::npos);
  REQUIRE(to_portrait != std::string::npos);
  CHECK(to_landscape < content.find("Раздел c"));
  CHECK(content.find("Раздел e") < to_portrait);
  CHECK(content.find("<text:p text:style-name=\"ToLandscape\"/>", to_landscape + 1) == std::string::npos);
  CHECK(to_portrait < content.find("Раздел d"));
  CHECK(contains(content, "<style:table-properties style:width=\"252.00mm\""));
  CHECK(contains(content, "text:style-name=\"SmallContents\""));
  CHECK(contains(content, "style:master-page-name=\"Landscape\""));
  const auto& styles = part(odt, "styles.xml");
  CHECK(contains(styles, "<style:master-page style:name=\"Landscape\" style:page-layout-name=\"LandscapePage\">"));
  CHECK(contains(styles, "fo:page-width=\"29.7cm\" fo:page-height=\"21cm\" style:print-orientation=\"landscape\""));
}

TEST_CASE("report office: a range of days is said once under the title", "[report]") {
  auto doc = sample();
  doc.from = "2026-10-03";
  doc.to = "2026-10-17";
  doc.subtitle = "за период 03.10.2026 – 17.10.2026";
  auto once = [](const std::string& xml) {
    auto at = xml.find("03.10.2026 – 17.10.2026");
    return at != std::string::npos && xml.find("03.10.2026 – 17.10.2026", at + 1) == std::string::npos;
  };
  CHECK(once(part(unzip(render_docx(doc)), "word/document.xml")));
  CHECK(once(part(unzip(render_odt(doc)), "content.xml")));
  auto sheet = part(unzip(render_xlsx(doc)), "xl/worksheets/sheet1.xml");
  CHECK(once(sheet));
  CHECK_FALSE(contains(sheet, "за период 03.10.2026 – 17.10.2026 (03.10.2026"));
}

TEST_CASE("report office: a document whose first table is wide is landscape from its title", "[report]") {
  auto doc = sample();
  doc.sections = {wide_section("c", 6, 12), wide_section("e", 6, 14)};
  const auto xml = part(unzip(render_docx(doc)), "word/document.xml");
  // One section, landscape, its properties at the end of the body.
  CHECK(xml.find("<w:sectPr>") == xml.rfind("<w:sectPr>"));
  CHECK(contains(xml.substr(xml.rfind("<w:sectPr>")), "w:orient=\"landscape\""));
  const auto content = part(unzip(render_odt(doc)), "content.xml");
  auto body = content.find("<office:text>");
  REQUIRE(body != std::string::npos);
  CHECK(content.compare(body, 52, "<office:text><text:p text:style-name=\"ToLandscape\"/>") == 0);
  CHECK_FALSE(contains(content, "<text:p text:style-name=\"ToPortrait\"/>"));
}
