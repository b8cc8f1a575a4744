// Unit tests of the full-text tokenizer "setevoe" (core/search): each rule
// on exact token lists, then FTS5 tables that use it.
#include <catch2/catch.hpp>

#include <sqlite3.h>

#include <algorithm>
#include <cmath>
#include <random>
#include <string>
#include <vector>

#include "core/db.hpp"
#include "core/error.hpp"
#include "core/search/fts5.hpp"
#include "core/search/tokenize.hpp"
#include "core/util/text.hpp"

using namespace setevoe;
using namespace setevoe::core;
using search::query_terms;
using search::TokenizeMode;
using search::tokens;
using Strings = std::vector<std::string>;

namespace {

// A token with its text copied out of the call.
struct Seen {
  std::string text;
  int start, end;
  bool colocated;
  bool operator==(const Seen&) const = default;
};

std::vector<Seen> seen(std::string_view text, TokenizeMode mode = TokenizeMode::document) {
  search::Tokenizer t;
  std::vector<Seen> out;
  t.tokenize(text, mode, [&](const search::Token& k) {
    out.push_back({std::string(k.text), k.start, k.end, k.colocated});
    return 0;
  });
  return out;
}

// What is wrong with the tokens of a text, or "": each must be a
// well-formed, non-empty term of at most 100 bytes within the input, and no
// colocated token may come first. (One assertion per text: a megabyte of
// input has too many tokens to check each through Catch.)
std::string problem(std::string_view text, TokenizeMode mode) {
  auto all = seen(text, mode);
  for (std::size_t i = 0; i < all.size(); ++i) {
    const auto& t = all[i];
    auto where = "token " + std::to_string(i) + " \"" + t.text + "\": ";
    if (t.text.empty() || t.text.size() > 100 || !util::valid_utf8(t.text)) return where + "bad term";
    if (t.start < 0 || t.start >= t.end || static_cast<std::size_t>(t.end) > text.size()) return where + "bad offsets";
    if (i == 0 && t.colocated) return where + "colocated first";
  }
  return {};
}

}  // namespace

namespace Catch {
template <>
struct StringMaker<Seen> {
  static std::string convert(const Seen& t) {
    return "{\"" + t.text + "\", " + std::to_string(t.start) + ", " + std::to_string(t.end) +
           (t.colocated ? ", colocated}" : "}");
  }
};
}  // namespace Catch

TEST_CASE("tokenizer: letters, following marks and digits make words; the rest separates") {
  CHECK(tokens("Школа №3, 5 «А» класс; e-mail: x@y.ru") ==
        Strings{"школ", "3", "5", "класс", "e", "mail", "email", "x", "y", "ru"});
  CHECK(tokens("Урок\tдля\nучителей 2024") == Strings{"урок", "учител", "2024"});
  // A combining mark belongs to the letter before it; alone it separates.
  CHECK(tokens("\xCC\x81урок") == Strings{"урок"});
  CHECK(tokens("x \xCC\x81\xCC\x81 y") == Strings{"x", "y"});
  CHECK(tokens("😀урок🎓класс") == Strings{"урок", "класс"});
  CHECK(tokens("") == Strings{});
  CHECK(tokens(" ,.;!?") == Strings{});
}

TEST_CASE("tokenizer: invalid UTF-8 and NULs separate words") {
  CHECK(tokens("урок\xFFкласс") == Strings{"урок", "класс"});
  CHECK(tokens("урок\xC0\xAFкласс") == Strings{"урок", "класс"});          // overlong "/"
  CHECK(tokens("урок\xED\xA0\x80класс") == Strings{"урок", "класс"});      // a surrogate
  CHECK(tokens("урок\xF4\x90\x80\x80класс") == Strings{"урок", "класс"});  // beyond U+10FFFF
  CHECK(tokens("урок\xD0") == Strings{"урок"});                            // cut in the middle of "к"
  CHECK(tokens("\x80\x80урок") == Strings{"урок"});
  CHECK(tokens(std::string_view("урок\0класс", 19)) == Strings{"урок", "класс"});
  // Offsets still count the bytes of the input as given.
  CHECK(seen("\xFF\xFFмир") == std::vector<Seen>{{"мир", 2, 8, false}});
}

TEST_CASE("tokenizer: any input is read safely") {
  std::mt19937 rng(20240901);
  std::uniform_int_distribution<int> byte(0, 255);
  // Random bytes, and random pieces of the characters that matter here.
  const std::vector<std::string> pieces{"а",
                                        "Ӏ",
                                        "I",
                                        "1",
                                        "-",
                                        "\xE2\x80\x90",
                                        "\xC2\xAD",
                                        "\xCC\x81",
                                        " ",
                                        "ё",
                                        "\xF0\x9F\x98\x80",
                                        "\xD0",
                                        "\xFF",
                                        std::string(1, '\0'),
                                        "q",
                                        "ﬁ",
                                        "ﷺ"};
  std::uniform_int_distribution<std::size_t> piece(0, pieces.size() - 1);
  for (int round = 0; round < 200; ++round) {
    std::string text;
    for (int i = 0; i < 300; ++i) text += round % 2 ? pieces[piece(rng)] : std::string(1, static_cast<char>(byte(rng)));
    CHECK(problem(text, TokenizeMode::document) == "");
    CHECK(problem(text, TokenizeMode::query) == "");
  }
  // A megabyte: random bytes, one long word, one long compound.
  std::string random(1 << 20, '\0');
  for (auto& c : random) c = static_cast<char>(byte(rng));
  CHECK(problem(random, TokenizeMode::document) == "");
  std::string word;
  while (word.size() < (1 << 20)) word += "Ӏа";
  CHECK(problem(word, TokenizeMode::document) == "");
  CHECK(tokens(word).size() == 1);
  std::string compound;
  while (compound.size() < (1 << 20)) compound += "урок-";
  auto parts = seen(compound);
  REQUIRE(parts.size() == compound.size() / 9 + 1);  // each part ("урок-" is 9 bytes), then the whole
  CHECK(parts.back().colocated);
  CHECK(parts.back().start == 0);
  CHECK(parts.back().text.size() <= 100);
}

TEST_CASE("tokenizer: a soft hyphen inside a word joins its parts") {
  CHECK(tokens("пере\xC2\xADнос") == tokens("перенос"));
  CHECK(tokens("пере\xC2\xAD\xC2\xADнос") == tokens("перенос"));
  CHECK(tokens("\xC2\xADперенос\xC2\xAD") == tokens("перенос"));
  CHECK(seen("пере\xC2\xADнос.") == std::vector<Seen>{{"перенос", 0, 16, false}});
}

TEST_CASE("tokenizer: NFKC and case folding, marks kept, ё is е") {
  CHECK(tokens("ШКОЛА") == tokens("школа"));
  CHECK(tokens("ＡＢＣ ﬁle") == Strings{"abc", "file"});  // compatibility forms
  // й stays й, whether written as one code point or as и and a breve.
  CHECK(tokens("йод") == Strings{"йод"});
  CHECK(tokens("и\xCC\x86од") == Strings{"йод"});
  CHECK(tokens("иод") != tokens("йод"));
  CHECK(tokens("e\xCC\x81"
               "cole") == Strings{"école"});  // composed, and left alone by the English stemmer
  // Ё folds to ё, and ё is е, however it is written.
  CHECK(tokens("ёлка") == Strings{"елк"});
  CHECK(tokens("ЁЛКА") == Strings{"елк"});
  CHECK(tokens("е\xCC\x88лка") == Strings{"елк"});
  CHECK(tokens("Ёлка") == tokens("елка"));
}

TEST_CASE("tokenizer: the palochka and its look-alikes in Cyrillic words") {
  const Strings kant{"кӏант"};
  for (const char* w : {"кIант", "кӀант", "кӏант", "кlант", "к1ант", "кІант", "кіант", "кǀант", "КӀАНТ", "КIАНТ"}) {
    INFO(w);
    CHECK(tokens(w) == kant);
  }
  CHECK(tokens("Ӏилма") == tokens("1илма"));  // at the start, before a letter
  CHECK(tokens("1") == Strings{"1"});
  CHECK(tokens("11") == Strings{"11"});
  CHECK(tokens("Iron") == Strings{"iron"});
  CHECK(tokens("II") == Strings{"ii"});
  CHECK(tokens("І") == Strings{"і"});      // a Ukrainian І alone has no Cyrillic letter beside it
  CHECK(tokens("11а") == Strings{"11а"});  // a class, not a palochka
  CHECK(tokens("1а") == Strings{"1а"});
  CHECK(tokens("1илма") == tokens("Ӏилма"));        // opening a longer word it is one
  CHECK(tokens("уро́ки") == tokens("уроки"));        // stress marks are not part of the word
  CHECK(tokens("1-й") == Strings{"1", "й", "1й"});  // the parts are words of their own
  CHECK(query_terms("к1ант") == query_terms("кӀант"));
}

TEST_CASE("tokenizer: hyphens join compounds; documents also hold the whole") {
  CHECK(seen("мастер-класс") ==
        std::vector<Seen>{{"мастер", 0, 12, false}, {"класс", 13, 23, false}, {"мастеркласс", 0, 23, true}});
  CHECK(seen("мастер-класс", TokenizeMode::query) ==
        std::vector<Seen>{{"мастер", 0, 12, false}, {"класс", 13, 23, false}});
  // U+2010 hyphen, U+2011 non-breaking hyphen, U+2012 figure dash.
  for (const char* dash : {"-", "\xE2\x80\x90", "\xE2\x80\x91", "\xE2\x80\x92"}) {
    INFO(dash);
    CHECK(tokens(std::string("мастер") + dash + "класс") == Strings{"мастер", "класс", "мастеркласс"});
  }
  CHECK(tokens("веб-конференция") == Strings{"веб", "конференц", "вебконференц"});
  CHECK(tokens("онлайн-урок") == Strings{"онлайн", "урок", "онлайнурок"});
  CHECK(tokens("5-7") == Strings{"5", "7", "57"});
  CHECK(tokens("научно-практическая конференция-семинар") ==
        Strings{"научн", "практическ", "научнопрактическ", "конференц", "семинар", "конференциясеминар"});
  // Both parts of "из-за" are stop words: the whole takes a place of its own.
  CHECK(seen("урок из-за") == std::vector<Seen>{{"урок", 0, 8, false}, {"изз", 9, 18, false}});
  CHECK(tokens("из-за", TokenizeMode::query) == Strings{});
  // With spaces, or doubled, a dash is a separator; en and em dashes always are.
  CHECK(tokens("урок - класс") == Strings{"урок", "класс"});
  CHECK(tokens("урок--класс") == Strings{"урок", "класс"});
  CHECK(tokens("-урок-") == Strings{"урок"});
  CHECK(tokens("урок \xE2\x80\x93 класс") == Strings{"урок", "класс"});
  CHECK(tokens("урок \xE2\x80\x94 класс") == Strings{"урок", "класс"});
  CHECK(tokens("урок\xE2\x80\x94класс") == Strings{"урок", "класс"});
}

TEST_CASE("tokenizer: Russian and English words are stemmed, others are not") {
  for (const char* w : {"урок", "уроки", "уроков", "уроками", "УРОКАМ"}) CHECK(tokens(w) == Strings{"урок"});
  CHECK(tokens("lessons lesson Teaching") == Strings{"lesson", "lesson", "teach"});
  CHECK(tokens("кӏанта") == Strings{"кӏант"});  // the palochka counts as Cyrillic
  // Digits, mixed scripts and other scripts: as normalised.
  CHECK(tokens("2024г") == Strings{"2024г"});
  CHECK(tokens("webинары") == Strings{"webинары"});
  CHECK(tokens("Λόγος") == Strings{"λόγοσ"});
  // Abbreviations: Snowball leaves ФГОС and ОВЗ alone and finds КИМ in КИМы and КИМов.
  CHECK(tokens("ФГОС ОВЗ") == Strings{"фгос", "овз"});
  CHECK(query_terms("КИМ") == Strings{"ким"});
  CHECK(query_terms("КИМы") == Strings{"ким"});
  CHECK(query_terms("КИМов") == Strings{"ким"});
}

TEST_CASE("tokenizer: stop words are dropped without a gap, in both modes") {
  CHECK(tokens("рекомендации по оценке") == tokens("рекомендации оценке"));
  CHECK(tokens("рекомендации по оценке", TokenizeMode::query) == Strings{"рекомендац", "оценк"});
  CHECK(tokens("the role of a teacher and the school") == Strings{"role", "teacher", "school"});
  CHECK(query_terms("по") == Strings{});
  CHECK(query_terms("И") == Strings{});
  CHECK(query_terms("...") == Strings{});
  // Kept: ДО (preschool education), the negation, IT.
  CHECK(tokens("до не IT") == Strings{"до", "не", "it"});
  CHECK(seen("урок в школе") == std::vector<Seen>{{"урок", 0, 8, false}, {"школ", 12, 22, false}});
}

TEST_CASE("tokenizer: long terms are cut at a character boundary") {
  std::string han;
  for (int i = 0; i < 50; ++i) han += "中";  // 150 bytes, 3 a character
  auto t = seen(han);
  REQUIRE(t.size() == 1);
  CHECK(t[0].text == han.substr(0, 99));
  CHECK(t[0].end == 150);
  std::string cyr;
  for (int i = 0; i < 80; ++i) cyr += "ж";
  CHECK(tokens(cyr) == Strings{cyr.substr(0, 100)});
  CHECK(tokens(cyr + "-" + cyr).back() == cyr.substr(0, 100));
}

TEST_CASE("tokenizer: offsets are bytes of the original word") {
  CHECK(seen("Провели Мастер-Класс «Ёлка».") == std::vector<Seen>{{"провел", 0, 14, false},
                                                                  {"мастер", 15, 27, false},
                                                                  {"класс", 28, 38, false},
                                                                  {"мастеркласс", 15, 38, true},
                                                                  {"елк", 41, 49, false}});
  CHECK(seen("ＡＢＣ") == std::vector<Seen>{{"abc", 0, 9, false}});
}

TEST_CASE("tokenizer: a nonzero answer of emit stops and is returned") {
  search::Tokenizer t;
  int calls = 0;
  int rc = t.tokenize("один два три", TokenizeMode::document, [&](const search::Token&) {
    ++calls;
    return 7;
  });
  CHECK(rc == 7);
  CHECK(calls == 1);
  CHECK(t.tokenize("один два", TokenizeMode::query, [](const search::Token&) { return 0; }) == 0);
}

// ---- FTS5

namespace {

// An FTS5 table on a connection opened by Db (which registers the tokenizer).
struct Index {
  Db db = Db::open(":memory:", OpenMode::create);
  Index(std::initializer_list<const char*> rows) {
    db.exec("CREATE VIRTUAL TABLE t USING fts5(a, tokenize='setevoe')");
    for (const char* r : rows) Stmt(db, "INSERT INTO t(a) VALUES (?1)").bind(1, r).run();
  }
  // The rows matching an FTS5 query, in insertion order.
  Strings find(const std::string& query) {
    Stmt s(db, "SELECT a FROM t WHERE t MATCH ?1 ORDER BY rowid");
    s.bind(1, query);
    Strings out;
    while (s.step()) out.push_back(s.column_text(0));
    return out;
  }
  Strings highlight(const std::string& query) {
    Stmt s(db, "SELECT highlight(t, 0, '[', ']') FROM t WHERE t MATCH ?1 ORDER BY rowid");
    s.bind(1, query);
    Strings out;
    while (s.step()) out.push_back(s.column_text(0));
    return out;
  }
};

}  // namespace

TEST_CASE("fts5: the forms of a word find each other") {
  Index ix{"Открытый урок", "Серия уроков по химии", "Отчёт об уроках", "Между уроками", "Зарок"};
  const Strings all{"Открытый урок", "Серия уроков по химии", "Отчёт об уроках", "Между уроками"};
  for (const char* q : {"урок", "уроки", "уроков", "уроками"}) {
    INFO(q);
    CHECK(ix.find(q) == all);
  }
  CHECK(ix.find("отчет") == Strings{"Отчёт об уроках"});
}

TEST_CASE("fts5: a surname in -ов, -ев, -ин is found in any of its forms") {
  // Snowball stems "Исаев" to "иса" but "Исаева" to "исаев".
  Index ix{"Автор: Исаев Ахмед", "Автор: Исаева Зарема", "Урок Ахмедовой", "Ильин и Ильина", "Серия уроков"};
  const Strings isaev{"Автор: Исаев Ахмед", "Автор: Исаева Зарема"};
  for (const char* q : {"Исаев", "исаева", "Исаеву", "Исаевым", "Исаевой"}) {
    INFO(q);
    CHECK(ix.find(q) == isaev);
  }
  CHECK(ix.find("Ахмедова") == Strings{"Урок Ахмедовой"});
  CHECK(ix.find("Ильину") == Strings{"Ильин и Ильина"});
  CHECK(tokens("уроков") == Strings{"урок"});  // lower case: no surname
}

TEST_CASE("fts5: ё and е, and the ways of writing the palochka") {
  Index ix{"Новогодняя ёлка", "Елка во дворе", "Кӏант дешар", "кIант", "к1ант"};
  CHECK(ix.find("ёлка") == Strings{"Новогодняя ёлка", "Елка во дворе"});
  CHECK(ix.find("елки") == Strings{"Новогодняя ёлка", "Елка во дворе"});
  const Strings kant{"Кӏант дешар", "кIант", "к1ант"};
  for (const char* q : {"кӀант", "кӏант", "кIант", "кlант", "к1ант"}) {
    INFO(q);
    CHECK(ix.find(q) == kant);
  }
}

TEST_CASE("fts5: a compound is found whole, by its parts and as a phrase") {
  const std::string compound = "Провели мастер-класс по оценке";
  Index ix{compound.c_str(), "Мастер производственного обучения; класс", "Класс мастера"};
  const Strings all{compound, "Мастер производственного обучения; класс", "Класс мастера"};
  CHECK(ix.find("\"мастер-класс\"") == Strings{compound});
  CHECK(ix.find("\"мастер класс\"") == Strings{compound});
  CHECK(ix.find("мастер") == all);
  CHECK(ix.find("класс") == all);
  CHECK(ix.find("мастеркласс") == Strings{compound});
  CHECK(ix.find("мастерклассы") == Strings{compound});
  CHECK(ix.find("\"мастер-класс оценка\"") == Strings{compound});
  CHECK(ix.find("мастер*") == all);
}

TEST_CASE("fts5: English, and phrases across stop words") {
  Index ix{"Lessons for teachers", "A lesson", "Рекомендации по оценке знаний", "Оценке рекомендации"};
  CHECK(ix.find("lesson") == Strings{"Lessons for teachers", "A lesson"});
  CHECK(ix.find("lessons") == Strings{"Lessons for teachers", "A lesson"});
  CHECK(ix.find("\"рекомендации оценке\"") == Strings{"Рекомендации по оценке знаний"});
  CHECK(ix.find("\"рекомендация по оценке\"") == Strings{"Рекомендации по оценке знаний"});
  CHECK(ix.find("\"lessons teachers\"") == Strings{"Lessons for teachers"});
}

TEST_CASE("fts5: highlight() marks the original words") {
  Index ix{"Провели Мастер-Класс по оценке «ЁЛКИ»"};
  CHECK(ix.highlight("оценка") == Strings{"Провели Мастер-Класс по [оценке] «ЁЛКИ»"});
  CHECK(ix.highlight("елка") == Strings{"Провели Мастер-Класс по оценке «[ЁЛКИ]»"});
  CHECK(ix.highlight("\"мастер-класс\"") == Strings{"Провели [Мастер-Класс] по оценке «ЁЛКИ»"});
  CHECK(ix.highlight("мастер") == Strings{"Провели [Мастер]-Класс по оценке «ЁЛКИ»"});
  // highlight() skips colocated tokens: the whole lights up its last part.
  CHECK(ix.highlight("мастеркласс") == Strings{"Провели Мастер-[Класс] по оценке «ЁЛКИ»"});
}

TEST_CASE("fts5: the tokenizer takes no arguments") {
  auto db = Db::open(":memory:", OpenMode::create);
  CHECK_THROWS_AS(db.exec("CREATE VIRTUAL TABLE t USING fts5(a, tokenize='setevoe russian')"), Error);
}

TEST_CASE("fts5: registered on a bare connection too") {
  sqlite3* raw = nullptr;
  REQUIRE(sqlite3_open(":memory:", &raw) == SQLITE_OK);
  std::unique_ptr<sqlite3, decltype(&sqlite3_close)> guard(raw, &sqlite3_close);
  CHECK(sqlite3_exec(raw, "CREATE VIRTUAL TABLE t USING fts5(a, tokenize='setevoe')", nullptr, nullptr, nullptr) !=
        SQLITE_OK);  // unknown before registration
  search::register_tokenizer(raw);
  CHECK(sqlite3_exec(raw,
                     "CREATE VIRTUAL TABLE t USING fts5(a, tokenize='setevoe');"
                     "INSERT INTO t VALUES ('уроки химии')",
                     nullptr, nullptr, nullptr) == SQLITE_OK);
  sqlite3_stmt* s = nullptr;
  REQUIRE(sqlite3_prepare_v2(raw, "SELECT count(*) FROM t WHERE t MATCH 'урок'", -1, &s, nullptr) == SQLITE_OK);
  REQUIRE(sqlite3_step(s) == SQLITE_ROW);
  CHECK(sqlite3_column_int(s, 0) == 1);
  sqlite3_finalize(s);
}

TEST_CASE("fts5: setevoe_rank is BM25 per column, without row lengths") {
  auto db = Db::open(":memory:", OpenMode::create);
  db.exec(
      "CREATE VIRTUAL TABLE t USING fts5(title, body, tokenize='setevoe');"
      "INSERT INTO t(t, rank) VALUES ('rank', 'setevoe_rank(10.0, 1.0)');"
      "INSERT INTO t VALUES ('', 'урок'), ('', 'урок урок урок урок урок'), ('Урок', ''),"
      "('химия', 'опыт'), ('химия', 'опыт'), ('химия', 'опыт'), ('химия', 'опыт'), ('химия', 'опыт'),"
      "('химия', 'опыт'), ('химия', 'опыт');");
  // The score in billionths, read as an integer.
  Stmt s(db, "SELECT rowid, CAST(round(rank * 1e9) AS INTEGER) FROM t WHERE t MATCH 'уроками' ORDER BY rank");
  // Ten rows, three with the word; k1 = 1.2.
  const double idf = std::log(7.5 / 3.5);
  const std::vector<std::pair<std::int64_t, double>> want{
      {3, -10 * idf}, {2, -5 * 2.2 / 6.2 * idf}, {1, -2.2 / 2.2 * idf}};
  for (const auto& [rowid, score] : want) {
    REQUIRE(s.step());
    CHECK(s.column_int(0) == rowid);
    CHECK(s.column_int(1) == std::llround(score * 1e9));
  }
  CHECK_FALSE(s.step());
  // Without weights every column weighs 1; a phrase in most rows weighs
  // little but never against a row.
  CHECK(db.query_int("SELECT count(*) FROM t WHERE t MATCH 'химия' AND setevoe_rank(t) < 0") == 7);
}
