// Unit tests of document text extraction: office documents built here with
// libzip from XML, HTML, plain text in the encodings schools use, PDF through
// the real pdftotext and through fake ones that hang, flood or crash, and
// hostile files (zip bombs, entity bombs, truncated and foreign zips, bytes
// that are not UTF-8).
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>
#include <zip.h>

#include <catch2/catch.hpp>

#include <chrono>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <thread>

#include "bundle_support.hpp"
#include "core/extract.hpp"
#include "core/util/text.hpp"
#include "support.hpp"

using namespace setevoe;
using namespace setevoe::core;
using test::read_file;
using test::write_file;
namespace fs = std::filesystem;

namespace {

bool contains(const std::string& s, const std::string& part) {
  return s.find(part) != std::string::npos;
}

// A zip of the entries, in the order given.
std::string make_zip(const test::TempDir& dir, const std::string& name, test::ZipEntries entries) {
  return test::write_zip(dir.file(name), entries);
}

const char* k_w = R"(xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main")";

std::string docx_body(const std::string& paragraphs) {
  return std::string(R"(<?xml version="1.0" encoding="UTF-8" standalone="yes"?>)") + "\n<w:document " + k_w +
         R"( xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006"><w:body>)" + paragraphs +
         "<w:sectPr/></w:body></w:document>";
}

std::string make_docx(const test::TempDir& dir, const std::string& name, const std::string& paragraphs) {
  return make_zip(dir, name, {{"[Content_Types].xml", "<Types/>"}, {"word/document.xml", docx_body(paragraphs)}});
}

std::string odf_content(const std::string& body) {
  return R"(<?xml version="1.0" encoding="UTF-8"?>
<office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0"
  xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" xmlns:dc="http://purl.org/dc/elements/1.1/"
  xmlns:draw="urn:oasis:names:tc:opendocument:xmlns:drawing:1.0"
  xmlns:presentation="urn:oasis:names:tc:opendocument:xmlns:presentation:1.0"><office:body>)" +
         body + "</office:body></office:document-content>";
}

std::string slide(const std::string& paragraphs) {
  return R"(<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<p:sld xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main"
  xmlns:p="http://schemas.openxmlformats.org/presentationml/2006/main"><p:cSld><p:spTree><p:sp><p:txBody>)" +
         paragraphs + "</p:txBody></p:sp></p:spTree></p:cSld></p:sld>";
}

// A zip whose one entry streams `size` bytes: `head`, then zeros, deflated
// as libzip reads it (nothing of that size is ever in memory).
struct ZerosSource {
  std::string head;
  std::uint64_t size = 0, done = 0;
};

zip_int64_t zeros_source(void* user, void* data, zip_uint64_t len, zip_source_cmd_t cmd) {
  auto* src = static_cast<ZerosSource*>(user);
  switch (cmd) {
    case ZIP_SOURCE_OPEN:
      src->done = 0;
      return 0;
    case ZIP_SOURCE_READ: {
      auto n = std::min<std::uint64_t>(len, src->size - src->done);
      auto* out = static_cast<char*>(data);
      std::memset(out, 0, n);
      if (src->done < src->head.size())
        src->head.copy(out, std::min<std::uint64_t>(n, src->head.size() - src->done), src->done);
      src->done += n;
      return static_cast<zip_int64_t>(n);
    }
    case ZIP_SOURCE_CLOSE:
      return 0;
    case ZIP_SOURCE_STAT: {
      auto* st = static_cast<zip_stat_t*>(data);
      zip_stat_init(st);
      st->size = src->size;
      st->valid |= ZIP_STAT_SIZE;
      return sizeof(zip_stat_t);
    }
    case ZIP_SOURCE_ERROR:
      return 2 * sizeof(int);
    case ZIP_SOURCE_FREE:
      return 0;
    case ZIP_SOURCE_SUPPORTS:
      return zip_source_make_command_bitmap(ZIP_SOURCE_OPEN, ZIP_SOURCE_READ, ZIP_SOURCE_CLOSE, ZIP_SOURCE_STAT,
                                            ZIP_SOURCE_ERROR, ZIP_SOURCE_FREE, -1);
    default:
      return -1;
  }
}

// A zip with the small entries, then each bomb entry: `head` and zeros up to
// `size` bytes.
std::string make_bomb(const std::string& path, const test::ZipEntries& small,
                      const std::vector<std::string>& bomb_names, const std::string& head, std::uint64_t size) {
  int err = 0;
  zip_t* z = zip_open(path.c_str(), ZIP_CREATE | ZIP_TRUNCATE, &err);
  REQUIRE(z);
  for (const auto& [n, d] : small) zip_file_add(z, n.c_str(), zip_source_buffer(z, d.data(), d.size(), 0), 0);
  std::vector<std::unique_ptr<ZerosSource>> sources;
  for (const auto& name : bomb_names) {
    sources.push_back(std::make_unique<ZerosSource>(ZerosSource{head, size, 0}));
    auto idx = zip_file_add(z, name.c_str(), zip_source_function(z, zeros_source, sources.back().get()), 0);
    REQUIRE(idx >= 0);
    zip_set_file_compression(z, static_cast<zip_uint64_t>(idx), ZIP_CM_DEFLATE, 1);
  }
  REQUIRE(zip_close(z) == 0);
  return path;
}

// Sets the uncompressed size of an entry in its local header and in the
// central directory, without touching its data: a zip that lies.
void declare_size(const std::string& path, const std::string& entry, std::uint32_t size) {
  auto z = read_file(path);
  auto patch = [&](std::size_t at) {
    for (int i = 0; i < 4; ++i) z[at + i] = static_cast<char>((size >> (8 * i)) & 0xFF);
  };
  for (auto pos = z.find(entry); pos != std::string::npos; pos = z.find(entry, pos + 1)) {
    if (pos >= 30 && z.compare(pos - 30, 4, "PK\x03\x04") == 0) patch(pos - 30 + 22);
    if (pos >= 46 && z.compare(pos - 46, 4, "PK\x01\x02") == 0) patch(pos - 46 + 24);
  }
  write_file(path, z);
}

// A small valid PDF, one page per text, in Helvetica (ASCII), with the
// cross-reference table computed here.
std::string make_pdf(const std::vector<std::string>& pages) {
  std::vector<std::string> objects;
  std::string kids;
  auto pages_count = pages.size();
  std::size_t font = 3 + 2 * pages_count;
  for (std::size_t i = 0; i < pages_count; ++i) kids += std::to_string(3 + 2 * i) + " 0 R ";
  objects.push_back("<< /Type /Catalog /Pages 2 0 R >>");
  objects.push_back("<< /Type /Pages /Kids [" + kids + "] /Count " + std::to_string(pages_count) + " >>");
  for (std::size_t i = 0; i < pages_count; ++i) {
    objects.push_back("<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents " + std::to_string(4 + 2 * i) +
                      " 0 R /Resources << /Font << /F1 " + std::to_string(font) + " 0 R >> >> >>");
    std::string stream = pages[i].empty() ? "" : "BT /F1 24 Tf 72 700 Td (" + pages[i] + ") Tj ET";
    objects.push_back("<< /Length " + std::to_string(stream.size()) + " >>\nstream\n" + stream + "\nendstream");
  }
  objects.push_back("<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>");
  std::string pdf = "%PDF-1.4\n";
  std::vector<std::size_t> offsets;
  for (std::size_t i = 0; i < objects.size(); ++i) {
    offsets.push_back(pdf.size());
    pdf += std::to_string(i + 1) + " 0 obj\n" + objects[i] + "\nendobj\n";
  }
  auto xref = pdf.size();
  pdf += "xref\n0 " + std::to_string(objects.size() + 1) + "\n0000000000 65535 f \n";
  for (auto o : offsets) {
    auto n = std::to_string(o);
    pdf += std::string(10 - n.size(), '0') + n + " 00000 n \n";
  }
  pdf += "trailer\n<< /Size " + std::to_string(objects.size() + 1) + " /Root 1 0 R >>\nstartxref\n" +
         std::to_string(xref) + "\n%%EOF\n";
  return pdf;
}

// PATH with `dir` first, for the scope.
class PathFirst {
 public:
  explicit PathFirst(const std::string& dir, bool only = false) {
    const char* old = std::getenv("PATH");
    m_had = old != nullptr;
    if (old) m_old = old;
    std::string path = only ? dir : dir + ":" + m_old;
    ::setenv("PATH", path.c_str(), 1);
  }
  ~PathFirst() {
    if (m_had)
      ::setenv("PATH", m_old.c_str(), 1);
    else
      ::unsetenv("PATH");
  }

 private:
  std::string m_old;
  bool m_had = false;
};

// A fake pdftotext in `dir` running the shell script `body`.
void fake_pdftotext(const test::TempDir& dir, const std::string& body) {
  auto path = dir.file("pdftotext");
  write_file(path, "#!/bin/sh\n" + body + "\n");
  fs::permissions(path, fs::perms::owner_all);
}

// True when this process has no child left, running or unreaped.
bool no_children() {
  return ::waitpid(-1, nullptr, WNOHANG) == -1 && errno == ECHILD;
}

// True when the process is gone or dead (a zombie waiting for its reaper).
bool dead(pid_t pid) {
  std::ifstream stat("/proc/" + std::to_string(pid) + "/stat");
  if (!stat) return true;
  std::string line;
  std::getline(stat, line);
  auto close = line.rfind(')');
  return close != std::string::npos && close + 2 < line.size() && line[close + 2] == 'Z';
}

std::string utf16(const std::u16string& s, bool little) {
  std::string out = little ? "\xFF\xFE" : "\xFE\xFF";
  for (char16_t u : s) {
    char lo = static_cast<char>(u & 0xFF), hi = static_cast<char>(u >> 8);
    out += little ? lo : hi;
    out += little ? hi : lo;
  }
  return out;
}

}  // namespace

TEST_CASE("the kind of a document comes from its name") {
  CHECK(document_kind("урок.docx") == DocKind::docx);
  CHECK(document_kind("Урок.DOCX") == DocKind::docx);
  CHECK(document_kind("макрос.docm") == DocKind::docx);
  CHECK(document_kind("план.odt") == DocKind::odt);
  CHECK(document_kind("шаблон.OTT") == DocKind::odt);
  CHECK(document_kind("слайды.pptx") == DocKind::pptx);
  CHECK(document_kind("слайды.odp") == DocKind::odp);
  CHECK(document_kind("положение.Pdf") == DocKind::pdf);
  for (const char* name : {"a.txt", "README.md", "b.markdown", "список.csv"})
    CHECK(document_kind(name) == DocKind::text);
  for (const char* name : {"a.html", "b.HTM", "c.xhtml"}) CHECK(document_kind(name) == DocKind::html);
  for (const char* name : {"урок.mp4", "фото.jpg", "README", "a.tar.gz", "старый.doc", "папка.pdf/файл", "", "."})
    CHECK(document_kind(name) == DocKind::none);
}

TEST_CASE("DOCX: the text of w:t, paragraphs, tabs and breaks, headers and footnotes") {
  test::TempDir dir;
  auto body = docx_body(
      // Tab stops in paragraph properties are not tabs.
      R"(<w:p><w:pPr><w:tabs><w:tab w:val="left" w:pos="720"/></w:tabs></w:pPr>)"
      R"(<w:r><w:t>Методическая</w:t></w:r><w:r><w:t xml:space="preserve"> разработка </w:t></w:r>)"
      R"(<w:r><w:t>урока &#171;Родной край&#xBB; &amp; &lt;тест&gt; &quot;к&apos;</w:t></w:r></w:p>)"
      "\n  <w:p/>\n  <w:p></w:p>\n"
      R"(<w:p><w:r><w:t>Цель</w:t></w:r><w:r><w:tab/><w:t>воспитание</w:t></w:r>)"
      R"(<w:r><w:br/><w:t>любви</w:t></w:r><w:r><w:instrText> PAGE </w:instrText></w:r>)"
      R"(<w:del><w:r><w:delText>удалено</w:delText></w:r></w:del><w:ins><w:r><w:t xml:space="preserve"> вставлено</w:t></w:r></w:ins></w:p>)"
      R"(<w:p><w:r><w:t><![CDATA[a <b> & c]]]]></w:t></w:r></w:p>)"
      // A text box, and its copy for older Word in mc:Fallback.
      R"(<w:p><w:r><mc:AlternateContent><mc:Choice Requires="wps"><w:txbxContent><w:p><w:r><w:t>В рамке</w:t>)"
      R"(</w:r></w:p></w:txbxContent></mc:Choice><mc:Fallback><w:p><w:r><w:t>В рамке</w:t></w:r></w:p>)"
      R"(</mc:Fallback></mc:AlternateContent></w:r><w:r><w:t>после</w:t></w:r></w:p>)");
  auto part = [](const char* root, const char* text) {
    return std::string("<w:") + root + " " + k_w + "><w:p><w:r><w:t>" + text + "</w:t></w:r></w:p></w:" + root + ">";
  };
  auto path = make_zip(dir, "doc.docx",
                       {{"[Content_Types].xml", "<Types/>"},
                        {"word/footnotes.xml", part("footnotes", "Сноска")},
                        {"word/header10.xml", part("hdr", "Колонтитул 10")},
                        {"word/header2.xml", part("hdr", "МБОУ «СОШ № 3»")},
                        {"word/footer1.xml", part("ftr", "Гудермес, 2024")},
                        {"word/document.xml", body},
                        {"word/styles.xml", part("styles", "не текст")}});
  auto r = extract_text(path, DocKind::docx);
  CHECK(r.problem == "");
  CHECK_FALSE(r.truncated);
  CHECK(r.text ==
        "Методическая разработка урока «Родной край» & <тест> \"к'\n"
        "Цель\tвоспитание\nлюбви вставлено\n"
        "a <b> & c]]\n"
        "В рамке\nпосле\n"
        "МБОУ «СОШ № 3»\nКолонтитул 10\nГудермес, 2024\nСноска");
}

TEST_CASE("PPTX: slides in the order of their numbers") {
  test::TempDir dir;
  auto path =
      make_zip(dir, "slides.pptx",
               {{"ppt/presentation.xml", "<p:presentation/>"},
                {"ppt/slides/slide10.xml", slide("<a:p><a:r><a:t>Десятый</a:t></a:r></a:p>")},
                {"ppt/slides/slide2.xml", slide("<a:p><a:r><a:t>Второй слайд</a:t></a:r></a:p>")},
                {"ppt/slides/slide1.xml", slide("<a:p><a:r><a:t>Первый </a:t></a:r><a:r><a:t>слайд</a:t></a:r></a:p>"
                                                "<a:p><a:r><a:t>Строка</a:t></a:r><a:br/><a:r><a:t>&#x436;</a:t></a:r>"
                                                "<a:fld type=\"slidenum\"><a:t>1</a:t></a:fld></a:p>")},
                {"ppt/slides/_rels/slide1.xml.rels", "<Relationships><a:t>нет</a:t></Relationships>"},
                {"ppt/slideLayouts/slideLayout1.xml", slide("<a:p><a:r><a:t>Макет</a:t></a:r></a:p>")},
                {"ppt/notesSlides/notesSlide1.xml", slide("<a:p><a:r><a:t>Заметки</a:t></a:r></a:p>")}});
  auto r = extract_text(path, DocKind::pptx);
  CHECK(r.problem == "");
  CHECK(r.text == "Первый слайд\nСтрока\nж1\nВторой слайд\nДесятый");
}

TEST_CASE("ODT and ODP: paragraphs, headings, spaces, tabs, notes") {
  test::TempDir dir;
  auto odt = make_zip(
      dir, "doc.odt",
      {{"mimetype", "application/vnd.oasis.opendocument.text"},
       {"content.xml",
        odf_content(
            "<office:text><text:sequence-decls><text:sequence-decl text:name=\"Таблица\"/></text:sequence-decls>"
            "<text:h text:outline-level=\"1\">Заголовок</text:h>\n"
            "<text:p>Первый<text:s/>абзац<text:s text:c=\"3\"/>с<text:tab/>табом<text:line-break/>и "
            "переносом.</text:p>\n"
            "<text:p>Сноска<text:note text:note-class=\"footnote\"><text:note-citation>1</text:note-citation>"
            "<text:note-body><text:p>Текст сноски</text:p></text:note-body></text:note> в тексте.</text:p>"
            "<text:p><office:annotation><dc:creator>Автор</dc:creator><text:p>Комментарий</text:p>"
            "</office:annotation>Без комментария</text:p>"
            "<text:tracked-changes><text:changed-region><text:deletion><text:p>Удалённое</text:p></text:deletion>"
            "</text:changed-region></text:tracked-changes>"
            "<text:p>&#1078;&#x436; &apos;&amp;&#0;&#xD800;&#99999999999;</text:p>"
            "<text:list><text:list-item><text:p><text:span>Про</text:span><text:span>должение</text:span>"
            "</text:p></text:list-item></text:list></office:text>")},
       {"styles.xml", "<office:document-styles><text:p>Колонтитул</text:p></office:document-styles>"}});
  auto r = extract_text(odt, DocKind::odt);
  CHECK(r.problem == "");
  CHECK(r.text ==
        "Заголовок\nПервый абзац с\tтабом\nи переносом.\nСноска\nТекст сноски\nв тексте.\n"
        "Без комментария\nжж '&\uFFFD\uFFFD\uFFFD\nПродолжение");

  auto odp = make_zip(
      dir, "slides.odp",
      {{"mimetype", "application/vnd.oasis.opendocument.presentation"},
       {"content.xml",
        odf_content("<office:presentation>"
                    "<draw:page draw:name=\"1\"><draw:frame><draw:text-box><text:p>Слайд один</text:p>"
                    "</draw:text-box></draw:frame><presentation:notes><draw:frame><draw:text-box>"
                    "<text:p>Заметка докладчика</text:p></draw:text-box></draw:frame></presentation:notes></draw:page>"
                    "<draw:page draw:name=\"2\"><draw:frame><draw:text-box><text:list><text:list-item>"
                    "<text:p>Пункт</text:p></text:list-item></text:list></draw:text-box></draw:frame></draw:page>"
                    "</office:presentation>")}});
  r = extract_text(odp, DocKind::odp);
  CHECK(r.problem == "");
  CHECK(r.text == "Слайд один\nЗаметка докладчика\nПункт");
}

TEST_CASE("HTML: no script, style or comments; blocks break lines; entities decoded") {
  test::TempDir dir;
  auto path = dir.file("page.html");
  write_file(path, R"(<!DOCTYPE html>
<html lang="ru"><head><meta charset="utf-8"><title>Урок</title>
<style>p { color: red; } </style>
<script>if (a < b && c > d) { document.write("<p>скрипт</p>"); }</script>
</head><body class="x>y">
<!-- комментарий <p>скрыт</p> -->
<H1>Заголовок&nbsp;страницы</H1>
<p>Текст &laquo;в&nbsp;кавычках&raquo; &mdash; и&hellip; &#1078;&#x436; AT&amp;T &copy 2024 A & B; 1 < 2 &unknown; &ndash;</p>
<ul><li>один</li><li>два<br>три<BR/>четыре</li></ul>
<table><tr><td>ячейка 1</td><td>ячейка 2</td></tr></table>
<SCRIPT type="text/x">скрыто</script >
<p>Конец <b>жирного</b> текста<?php echo 1; ?></p><![CDATA[x]]>
</body></html>)");
  auto r = extract_text(path, DocKind::html);
  CHECK(r.problem == "");
  CHECK(r.text ==
        "Урок\nЗаголовок страницы\nТекст «в кавычках» — и… жж AT&T © 2024 A & B; 1 < 2 –\nодин\nдва\nтри\n"
        "четыре\nячейка 1\nячейка 2\nКонец жирного текста\nx");

  SECTION("in Windows-1251") {
    write_file(path, "<html><body><p>\xCF\xF0\xE8\xE2\xE5\xF2 &laquo;\xEC\xE8\xF0&raquo;</p></body></html>");
    CHECK(extract_text(path, DocKind::html).text == "Привет «мир»");
  }
}

TEST_CASE("plain text: UTF-8, with a BOM, Windows-1251, UTF-16") {
  test::TempDir dir;
  auto path = dir.file("a.txt");
  auto text = [&](const std::string& bytes) {
    write_file(path, bytes);
    auto r = extract_text(path, DocKind::text);
    CHECK(r.problem == "");
    CHECK(util::valid_utf8(r.text));
    return r.text;
  };
  CHECK(text("Привет, мир!\r\n\r\n\r\n  Вторая   строка\tс табом  \n# Заголовок\n") ==
        "Привет, мир!\nВторая строка\tс табом\n# Заголовок");
  CHECK(text("\xEF\xBB\xBFТекст с BOM") == "Текст с BOM");
  CHECK(text("\xCF\xF0\xE8\xE2\xE5\xF2, \xA8\xE6 \xB9"
             "5 \xAB\xEE\xEA\xBB \x97 \xE0\xE1\xE2") == "Привет, Ёж №5 «ок» — абв");
  CHECK(text(utf16(u"Школа № 3\r\nстрока 😀", true)) == "Школа № 3\nстрока 😀");
  CHECK(text(utf16(u"Школа № 3", false)) == "Школа № 3");
  // A lone surrogate and an odd last byte.
  CHECK(text(utf16(u"a", true) + std::string("\x00\xD8"
                                             "b\x00"
                                             "c",
                                             5)) == "a\uFFFDb\uFFFD");
  // Mostly UTF-8 with one damaged byte stays UTF-8.
  CHECK(text("Привет \xFF мир, школа") == "Привет \uFFFD мир, школа");
  // Control characters go, tabs and line ends stay.
  CHECK(text("a\x01"
             "b\x7F c\x1B\td\x0C"
             "e\xC2\x85"
             "f\xC2\xADg") == "ab c\td\ne\nfg");
  CHECK(text("\xEF\x82\x95 Пункт") == "Пункт");  // a private-use bullet
  CHECK(text(",поле 1,\"поле 2\"\n1,2,3") == ",поле 1,\"поле 2\"\n1,2,3");
}

TEST_CASE("the limit cuts at a character, never inside one") {
  test::TempDir dir;
  auto path = dir.file("a.txt");
  write_file(path, "абв гд");
  auto r = extract_text(path, DocKind::text, 5);
  CHECK(r.text == "аб");
  CHECK(r.truncated);
  r = extract_text(path, DocKind::text, 7);  // "абв" and no room for " г"
  CHECK(r.text == "абв");
  CHECK(r.truncated);
  r = extract_text(path, DocKind::text, 11);
  CHECK(r.text == "абв гд");
  CHECK_FALSE(r.truncated);
  r = extract_text(path, DocKind::text, 0);
  CHECK(r.text == "");
  CHECK(r.truncated);
  auto docx = make_docx(dir, "d.docx", "<w:p><w:r><w:t>ёжик</w:t></w:r></w:p><w:p><w:r><w:t>ёж</w:t></w:r></w:p>");
  r = extract_text(docx, DocKind::docx, 9);
  CHECK(r.text == "ёжик");
  CHECK(r.truncated);
  CHECK(r.problem == "");
}

TEST_CASE("invalid UTF-8 becomes U+FFFD in every format") {
  test::TempDir dir;
  const std::string bad =
      "\xFF\xC0\xAF\xED\xA0\x80"
      "abc\xD0";
  auto docx = make_docx(dir, "bad.docx",
                        "<w:p><w:r><w:t>" + bad +
                            "</w:t></w:r></w:p><w:p><w:r><w:t>\xE2\x82</w:t>"
                            "</w:r></w:p><w:p><w:r><w:t>\xF4\x90\x80\x80 \xF0\x9F\x98\x80</w:t></w:r></w:p>");
  auto r = extract_text(docx, DocKind::docx);
  CHECK(r.text == "\uFFFD\uFFFD\uFFFD\uFFFDabc\uFFFD\n\uFFFD\n\uFFFD 😀");
  auto html = dir.file("bad.html");
  write_file(html, "<p>школа имени героя " + bad + "</p><p>\xE2\x82</p>");
  r = extract_text(html, DocKind::html);
  CHECK(util::valid_utf8(r.text));
  CHECK(r.text == "школа имени героя \uFFFD\uFFFD\uFFFD\uFFFDabc\uFFFD\n\uFFFD");
  auto txt = dir.file("bad.txt");
  write_file(txt, "школа имени героя " + bad);
  CHECK(extract_text(txt, DocKind::text).text == "школа имени героя \uFFFD\uFFFD\uFFFD\uFFFDabc\uFFFD");
  // Bytes that are nothing but noise are read as Windows-1251: still valid UTF-8.
  std::string noise;
  for (int i = 0; i < 4096; ++i) noise += static_cast<char>(0x80 + (i * 37) % 128);
  write_file(txt, noise);
  r = extract_text(txt, DocKind::text);
  CHECK(util::valid_utf8(r.text));
  CHECK_FALSE(r.text.empty());
}

TEST_CASE("an entity bomb expands to nothing") {
  test::TempDir dir;
  std::string dtd = "<!DOCTYPE lolz [\n <!ENTITY lol \"lol\">\n";
  for (int i = 1; i <= 9; ++i) {
    dtd += " <!ENTITY lol" + std::to_string(i) + " \"";
    for (int j = 0; j < 10; ++j) dtd += "&lol" + (i > 1 ? std::to_string(i - 1) : std::string()) + ";";
    dtd += "\">\n";
  }
  dtd += " <!-- a comment in the subset: ' and > and ] -->\n <!ENTITY ext SYSTEM \"file:///etc/passwd\">\n]>\n";
  auto body = std::string("<?xml version=\"1.0\"?>\n") + dtd + "<w:document " + k_w +
              "><w:body><w:p><w:r><w:t>До &lol9; &ext; после</w:t></w:r></w:p></w:body></w:document>";
  auto path = make_zip(dir, "lol.docx", {{"word/document.xml", body}});
  auto start = std::chrono::steady_clock::now();
  auto r = extract_text(path, DocKind::docx);
  CHECK(std::chrono::steady_clock::now() - start < std::chrono::seconds(2));
  CHECK(r.text == "До после");
  CHECK(r.problem == "");

  auto odt = make_zip(dir, "lol.odt", {{"content.xml", dtd + odf_content("<text:p>&lol9;Текст&lol9;</text:p>")}});
  CHECK(extract_text(odt, DocKind::odt).text == "Текст");
}

TEST_CASE("a zip bomb is read only up to the caps") {
  test::TempDir dir;
  const std::string head =
      std::string("<?xml version=\"1.0\"?><w:document ") + k_w + "><w:body><w:p><w:r><w:t>Начало</w:t></w:r></w:p>";

  SECTION("a part that declares 1 GiB stops at the default cap of 64 MiB") {
    auto path = make_bomb(dir.file("bomb.docx"), {}, {"word/document.xml"}, head, (64ull << 20) + (1 << 20));
    declare_size(path, "word/document.xml", 1u << 30);
    auto r = extract_text(path, DocKind::docx);
    CHECK(r.text == "Начало");
    CHECK(contains(r.problem, "word/document.xml unpacks to more than 64 MiB"));
    CHECK_FALSE(r.truncated);
  }
  SECTION("a part that declares 1000 bytes and unpacks to 16 MiB") {
    auto path = make_bomb(dir.file("liar.docx"), {}, {"word/document.xml"}, head, 16 << 20);
    declare_size(path, "word/document.xml", 1000);
    ExtractLimits limits;
    limits.zip_entry_bytes = 1 << 20;
    auto r = extract_text(path, DocKind::docx, 1 << 20, limits);
    CHECK(r.text == "Начало");
    CHECK(contains(r.problem, "unpacks to more than 1 MiB"));
  }
  SECTION("many parts stop at the cap of the whole document") {
    auto path = make_bomb(dir.file("bomb.pptx"), {{"ppt/presentation.xml", "<p:presentation/>"}},
                          {"ppt/slides/slide1.xml", "ppt/slides/slide2.xml", "ppt/slides/slide3.xml",
                           "ppt/slides/slide4.xml", "ppt/slides/slide5.xml"},
                          slide("<a:p><a:r><a:t>Слайд</a:t></a:r></a:p>").substr(0, 200), 3 << 20);
    ExtractLimits limits;
    limits.zip_total_bytes = 5 << 20;
    auto r = extract_text(path, DocKind::pptx, 1 << 20, limits);
    CHECK(contains(r.problem, "its parts unpack to more than 5 MiB"));
  }
}

TEST_CASE("broken, foreign, encrypted and empty files give a problem, never an exception") {
  test::TempDir dir;
  auto good = make_docx(dir, "good.docx", "<w:p><w:r><w:t>Текст</w:t></w:r></w:p>");
  CHECK(extract_text(good, DocKind::docx).text == "Текст");

  SECTION("a truncated zip") {
    auto bytes = read_file(good);
    write_file(dir.file("cut.docx"), bytes.substr(0, bytes.size() / 2));
    auto r = extract_text(dir.file("cut.docx"), DocKind::docx);
    CHECK(r.text == "");
    CHECK(r.problem == "cannot read the DOCX file: it is not a zip archive, or the archive is damaged");
  }
  SECTION("a zip that is not a document of its kind") {
    auto path = make_zip(dir, "other.zip", {{"hello.txt", "Привет"}});
    CHECK(extract_text(path, DocKind::docx).problem == "cannot read the DOCX file: it has no part word/document.xml");
    CHECK(extract_text(path, DocKind::pptx).problem ==
          "cannot read the PPTX file: it has no part ppt/presentation.xml");
    CHECK(extract_text(path, DocKind::odt).problem == "cannot read the ODT file: it has no part content.xml");
    CHECK(extract_text(path, DocKind::odp).text == "");
  }
  SECTION("a document part whose data is damaged") {
    auto bytes = read_file(good);
    auto header = bytes.find("PK\x03\x04");  // the local header of word/document.xml
    while (header != std::string::npos && bytes.compare(header + 30, 17, "word/document.xml") != 0)
      header = bytes.find("PK\x03\x04", header + 1);
    REQUIRE(header != std::string::npos);
    auto u16 = [&](std::size_t at) {
      return static_cast<unsigned char>(bytes[at]) | static_cast<unsigned char>(bytes[at + 1]) << 8;
    };
    auto data = header + 30 + u16(header + 26) + u16(header + 28);
    for (auto i = data + 4; i < data + 24; ++i) bytes[i] = static_cast<char>(bytes[i] ^ 0x5A);
    write_file(dir.file("damaged.docx"), bytes);
    auto r = extract_text(dir.file("damaged.docx"), DocKind::docx);
    CHECK(contains(r.problem, "word/document.xml is damaged"));
  }
  SECTION("a part encrypted with a zip password") {
    REQUIRE(zip_encryption_method_supported(ZIP_EM_AES_256, 1));
    int err = 0;
    auto path = dir.file("secret.docx");
    zip_t* z = zip_open(path.c_str(), ZIP_CREATE | ZIP_TRUNCATE, &err);
    std::string xml = docx_body("<w:p><w:r><w:t>Тайна</w:t></w:r></w:p>");
    auto idx = zip_file_add(z, "word/document.xml", zip_source_buffer(z, xml.data(), xml.size(), 0), 0);
    REQUIRE(zip_file_set_encryption(z, static_cast<zip_uint64_t>(idx), ZIP_EM_AES_256, "пароль") == 0);
    REQUIRE(zip_close(z) == 0);
    auto r = extract_text(path, DocKind::docx);
    CHECK(r.text == "");
    CHECK(r.problem == "cannot read all of the DOCX file: the part word/document.xml is encrypted");
  }
  SECTION("an old .doc or a password-protected document") {
    write_file(dir.file("old.docx"), std::string("\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1", 8) + std::string(504, '\0'));
    auto r = extract_text(dir.file("old.docx"), DocKind::docx);
    CHECK(r.text == "");
    CHECK(contains(r.problem, "old Office file"));
  }
  SECTION("an empty file") {
    write_file(dir.file("empty"), "");
    for (auto kind : {DocKind::text, DocKind::html, DocKind::none}) {
      auto r = extract_text(dir.file("empty"), kind);
      CHECK(r.text == "");
      CHECK(r.problem == "");
      CHECK_FALSE(r.truncated);
    }
    for (auto kind : {DocKind::docx, DocKind::odt, DocKind::pptx, DocKind::odp, DocKind::pdf}) {
      auto r = extract_text(dir.file("empty"), kind);
      CHECK(r.text == "");
      CHECK_FALSE(r.problem.empty());
    }
  }
  SECTION("no file, or a folder") {
    auto r = extract_text(dir.file("missing"), DocKind::text);
    CHECK(r.problem == "cannot read the file: No such file or directory");
    r = extract_text(dir.path(), DocKind::docx);
    CHECK(r.problem == "cannot read the file: it is not a regular file");
  }
  SECTION("a text file larger than the bytes read") {
    std::string big;
    for (int i = 0; i < 300000; ++i) big += "<p> </p>\n";
    write_file(dir.file("big.html"), big + "<p>после</p>");
    ExtractLimits limits;
    limits.source_bytes = 1 << 20;
    auto r = extract_text(dir.file("big.html"), DocKind::html, 1 << 20, limits);
    CHECK(r.text == "");
    CHECK(r.problem == "only the first 1 MiB of the file were read");
  }
}

TEST_CASE("PDF through pdftotext") {
  test::TempDir dir;
  auto path = dir.file("doc.pdf");
  write_file(path, make_pdf({"Hello from setevoe", "Second   page (2)"}));
  auto r = extract_text(path, DocKind::pdf);
  CHECK(r.problem == "");
  CHECK(r.text == "Hello from setevoe\nSecond page (2)");
  CHECK(no_children());

  SECTION("cut at the limit") {
    r = extract_text(path, DocKind::pdf, 10);
    CHECK(r.text == "Hello from");
    CHECK(r.truncated);
    CHECK(r.problem == "");
  }
  SECTION("a page without text") {
    write_file(path, make_pdf({""}));
    r = extract_text(path, DocKind::pdf);
    CHECK(r.text == "");
    CHECK(r.problem == "the PDF has no text (it may be a scan)");
  }
  SECTION("not a PDF") {
    write_file(path, "%PDF-1.4\nнеправда\n");
    r = extract_text(path, DocKind::pdf);
    CHECK(r.text == "");
    CHECK(r.problem == "cannot read the PDF: it is damaged, is not a PDF, or is protected with a password");
  }
  SECTION("a name that looks like an option") {
    auto cwd = fs::current_path();
    fs::current_path(dir.path());
    write_file("-layout.pdf", make_pdf({"Dash"}));
    r = extract_text("-layout.pdf", DocKind::pdf);
    fs::current_path(cwd);
    CHECK(r.text == "Dash");
  }
  CHECK(no_children());
}

TEST_CASE("pdftotext is stopped when it hangs, floods or fails, and always reaped") {
  test::TempDir dir, bin;
  auto path = dir.file("doc.pdf");
  write_file(path, make_pdf({"text"}));
  ExtractLimits limits;
  limits.pdf_timeout = std::chrono::milliseconds(1000);

  SECTION("a hang is killed at the timeout, with what it started") {
    fake_pdftotext(bin, "sleep 100 &\necho $! > " + dir.file("child") + "\necho 'начало'\nwait");
    PathFirst first(bin.path().string());
    auto start = std::chrono::steady_clock::now();
    auto r = extract_text(path, DocKind::pdf, 1 << 20, limits);
    auto took = std::chrono::steady_clock::now() - start;
    CHECK(took >= std::chrono::milliseconds(900));
    CHECK(took < std::chrono::seconds(10));
    CHECK(r.text == "начало");
    CHECK(r.problem == "cannot read the PDF: pdftotext took longer than 1 s and was stopped");
    CHECK(no_children());
    auto child = static_cast<pid_t>(std::stol(read_file(dir.file("child"))));
    for (int i = 0; i < 100 && !dead(child); ++i) std::this_thread::sleep_for(std::chrono::milliseconds(20));
    CHECK(dead(child));
  }
  SECTION("a flood stops at the limit") {
    fake_pdftotext(bin, "yes 'строка текста'");
    PathFirst first(bin.path().string());
    auto r = extract_text(path, DocKind::pdf, 1000, limits);
    CHECK(r.truncated);
    CHECK(r.problem == "");
    CHECK(r.text.size() <= 1000);
    CHECK(r.text.rfind("строка текста\nстрока текста\n", 0) == 0);
    CHECK(no_children());
  }
  SECTION("an exit after the output: nothing lost") {
    fake_pdftotext(bin, "printf 'один\\fдва\\n\\f'; exec 1>&-; sleep 0.2");
    PathFirst first(bin.path().string());
    auto r = extract_text(path, DocKind::pdf, 1 << 20, limits);
    CHECK(r.text == "один\nдва");
    CHECK(r.problem == "");
  }
  SECTION("a crash") {
    fake_pdftotext(bin, "echo 'часть'; kill -SEGV $$");
    PathFirst first(bin.path().string());
    auto r = extract_text(path, DocKind::pdf, 1 << 20, limits);
    CHECK(r.text == "часть");
    CHECK(r.problem == "cannot read the PDF: pdftotext stopped on signal 11");
  }
  SECTION("a failure") {
    fake_pdftotext(bin, "exit 99");
    PathFirst first(bin.path().string());
    CHECK(extract_text(path, DocKind::pdf, 1 << 20, limits).problem ==
          "cannot read the PDF: pdftotext failed (exit code 99)");
  }
  SECTION("not installed") {
    PathFirst only(bin.path().string(), true);
    auto r = extract_text(path, DocKind::pdf, 1 << 20, limits);
    CHECK(r.text == "");
    CHECK(r.problem == "cannot read the PDF: pdftotext is not found; install the package poppler-utils");
  }
  CHECK(no_children());
}
