// Unit tests of util/: text, ids, CSV, JSON, dates.
#include <catch2/catch.hpp>

#include <cstdlib>
#include <ctime>
#include <random>

#include "core/fields.hpp"
#include "core/util/csv.hpp"
#include "core/util/json.hpp"
#include "core/util/text.hpp"
#include "core/util/time.hpp"
#include "core/util/uuid.hpp"

using namespace setevoe::util;

TEST_CASE("UTF-8 validation") {
  CHECK(valid_utf8("Гудермес"));
  CHECK(valid_utf8(""));
  CHECK_FALSE(valid_utf8("\xD0"));
  CHECK_FALSE(valid_utf8("abc\xFF"));
  CHECK_FALSE(valid_utf8("\xC0\xAF"));  // overlong
}

TEST_CASE("fold makes names comparable regardless of case") {
  CHECK(fold("СОШ № 3") == fold("сош № 3"));
  CHECK(fold("ШКОЛА") == "школа");
  CHECK(fold("Ёлка") != fold("Елка"));  // search merges ё and е, names do not
}

TEST_CASE("display width and fitting") {
  CHECK(display_width("Школа") == 5);
  CHECK(display_width("ab") == 2);
  CHECK(fit_width("Гудермес", 5) == "Гуде…");
  CHECK(display_width(fit_width("Гудермес", 5)) == 5);
  CHECK(fit_width("abc", 10) == "abc");
  // Decoded without utf8proc for ASCII and two-byte sequences: the same
  // widths as utf8proc gives, and broken bytes still count once each.
  CHECK(display_width("е\xCC\x81ж") == 2);                 // a combining acute accent takes no column
  CHECK(display_width("\t\x7F") == 0);                     // control characters
  CHECK(display_width("学校") == 4);                       // wide characters
  CHECK(display_width("\xC0\x80\x80") == 3);               // an overlong form and a stray continuation byte
  CHECK(display_width(std::string_view("\xD0", 1)) == 1);  // a sequence cut short
  CHECK(fit_width("е\xCC\x81жик", 3) == "е\xCC\x81ж…");
}

TEST_CASE("edit distance") {
  CHECK(edit_distance("membr", "member") == 1);
  CHECK(edit_distance("", "abc") == 3);
  CHECK(edit_distance("status", "status") == 0);
}

TEST_CASE("UUIDv7 layout and uniqueness") {
  auto a = uuid7(0x0193'0000'0000);
  auto b = uuid7(0x0193'0000'0000);
  CHECK(is_uuid(a));
  CHECK(a != b);
  CHECK(a.substr(0, 13) == "01930000-0000");
  CHECK(a[14] == '7');                                          // version
  CHECK(std::string("89ab").find(a[19]) != std::string::npos);  // variant
  CHECK(uuid7(2000) < uuid7(3000));
}

TEST_CASE("id prefixes are canonicalised") {
  CHECK(canonical_id_prefix("0193AB") == std::optional<std::string>("0193ab"));
  CHECK(canonical_id_prefix("0193ab12-4c") == std::optional<std::string>("0193ab12-4c"));
  CHECK(canonical_id_prefix("0193ab124c") == std::optional<std::string>("0193ab12-4c"));
  CHECK_FALSE(canonical_id_prefix("школа"));
  CHECK_FALSE(canonical_id_prefix(""));
  CHECK_FALSE(canonical_id_prefix(std::string(33, 'a')));
}

TEST_CASE("CSV: commas, semicolons, BOM, quotes and line breaks") {
  char sep = 0;
  CsvError err;
  auto rows =
      parse_csv("\xEF\xBB\xBFname;org\r\n\"Иванов; И.\";\"СОШ \"\"№ 1\"\"\"\r\n\"two\nlines\";x\r\n;;\r\n", sep, err);
  REQUIRE(rows);
  CHECK(sep == ';');
  REQUIRE(rows->size() == 3);  // the row of separators only is blank
  CHECK((*rows)[0].fields == std::vector<std::string>{"name", "org"});
  CHECK((*rows)[1].fields == std::vector<std::string>{"Иванов; И.", "СОШ \"№ 1\""});
  CHECK((*rows)[2].fields == std::vector<std::string>{"two\nlines", "x"});
  CHECK((*rows)[2].line == 3);
}

TEST_CASE("CSV: malformed quotes are errors with the line") {
  char sep = 0;
  CsvError err;
  CHECK_FALSE(parse_csv("a,b\n1,\"unclosed\n2,3\n", sep, err));
  CHECK(err.line == 2);
  CHECK_FALSE(parse_csv("a,b\nx\"y,2\n", sep, err));
  CHECK(err.line == 2);
  CHECK_FALSE(parse_csv("a,b\n\"x\"y,2\n", sep, err));
}

TEST_CASE("CSV writing quotes what needs it and reads back") {
  std::vector<std::string> fields = {"plain", "with,comma", "with \"quote\"", "two\nlines", ""};
  auto line = csv_line(fields);
  char sep = 0;
  CsvError err;
  auto rows = parse_csv("h1,h2,h3,h4,h5\r\n" + line, sep, err);
  REQUIRE(rows);
  REQUIRE(rows->size() == 2);
  CHECK((*rows)[1].fields == fields);
}

TEST_CASE("JSON output escapes and keeps key order") {
  auto j = Json::object();
  j.set("b", 1).set("a", "x\"y\n").set("n", nullptr).set("arr", Json::array().push("р").push(2));
  CHECK(j.dump(0) == R"({"b":1,"a":"x\"y\n","n":null,"arr":["р",2]})");
  CHECK(json_quote(std::string("\x01", 1)) == "\"\\u0001\"");
}

TEST_CASE("dates in both accepted forms") {
  CHECK(parse_date("2026-12-10") == std::optional<std::string>("2026-12-10"));
  CHECK(parse_date("10.12.2026") == std::optional<std::string>("2026-12-10"));
  CHECK_FALSE(parse_date("31.02.2026"));
  CHECK_FALSE(parse_date("2026-13-01"));
  CHECK_FALSE(parse_date("tomorrow"));
}

TEST_CASE("times are shown in the node's time zone") {
  CHECK(iso_utc(0) == "1970-01-01T00:00:00.000Z");
  // 2026-11-28 19:00 UTC is 22:00 in Moscow (UTC+3).
  CHECK(local_datetime(1795892400000, "Europe/Moscow") == "28.11.2026 22:00");
  CHECK(local_datetime(1795892400000, "UTC") == "28.11.2026 19:00");
  CHECK(known_time_zone("Europe/Moscow"));
  CHECK_FALSE(known_time_zone("Mars/Olympus"));
  CHECK_FALSE(known_time_zone("../etc/passwd"));
}

TEST_CASE("local times follow the zone's changes of offset") {
  // Computed from the zone's offset of each day (not the C library each
  // time): the days around Berlin's changes of 2026 (29 March, 25 October,
  // both at 01:00 UTC) must still come out right, hour by hour.
  CHECK(local_datetime(1774746000000 - 1, "Europe/Berlin") == "29.03.2026 01:59");  // 00:59:59.999 UTC
  CHECK(local_datetime(1774746000000, "Europe/Berlin") == "29.03.2026 03:00");
  CHECK(local_datetime(1792890000000 - 1, "Europe/Berlin") == "25.10.2026 02:59");
  CHECK(local_datetime(1792890000000, "Europe/Berlin") == "25.10.2026 02:00");
  CHECK(local_ical(1792890000000, "Europe/Berlin") == "20261025T020000");
  CHECK(local_date(1792890000000 + 21 * 3600000, "Europe/Berlin") == "2026-10-25");  // 23:00 there
  CHECK(local_date(1792890000000 + 22 * 3600000, "Europe/Berlin") == "2026-10-26");
  // Every hour of a year in a zone with changes, against the C library.
  for (std::int64_t t = 1767225600; t < 1798761600; t += 3600 + 17) {
    std::time_t secs = static_cast<std::time_t>(t);
    std::tm tm{};
    setenv("TZ", "America/Santiago", 1);
    tzset();
    localtime_r(&secs, &tm);
    char expected[32];
    std::strftime(expected, sizeof expected, "%d.%m.%Y %H:%M", &tm);
    REQUIRE(local_datetime(t * 1000, "America/Santiago") == expected);
  }
  // Before 1970 too.
  CHECK(local_datetime(-1, "UTC") == "31.12.1969 23:59");
  CHECK(iso_utc(-1) == "1969-12-31T23:59:59.999Z");
}

TEST_CASE("stored UTC times read back") {
  CHECK(parse_iso_utc("2026-12-10T11:00:00.000Z") == 1796900400000);
  CHECK(parse_iso_utc("2026-12-10T11:00:00.5Z") == 1796900400500);
  CHECK(parse_iso_utc("2026-12-10 11:00:00") == 1796900400000);
  CHECK(parse_iso_utc("2026-12-10T11:00") == 1796900400000);
  CHECK(parse_iso_utc(iso_utc(1795892412345)) == 1795892412345);
  CHECK(parse_iso_utc("1969-12-31T23:59:59.999Z") == -1);
  for (const char* bad : {"", "2026-12-10", "2026-02-30T10:00:00Z", "2026-12-10T24:00:00Z", "2026-12-10T11:00:00.Z",
                          "2026-12-10T11:00:00Zjunk", "２０２６-12-10T11:00:00Z", "2026-12-10X11:00:00Z"})
    CHECK_FALSE(parse_iso_utc(bad));
}

TEST_CASE("a date and time typed in the node's time zone") {
  // 10.12.2026 14:00 in Moscow (UTC+3) is 11:00 UTC.
  const std::int64_t want = 1796900400000;
  CHECK(parse_local_datetime("2026-12-10 14:00", "Europe/Moscow") == want);
  CHECK(parse_local_datetime("10.12.2026 14:00", "Europe/Moscow") == want);
  CHECK(parse_local_datetime("2026-12-10T14:00", "Europe/Moscow") == want);
  CHECK(parse_local_datetime("2026-12-10 11:00", "UTC") == want);
  CHECK(local_datetime(*parse_local_datetime("01.01.2027 00:00", "Europe/Moscow"), "Europe/Moscow") ==
        "01.01.2027 00:00");
  for (const char* bad : {"2026-02-30 10:00", "2026-12-10 24:00", "2026-12-10 14:60", "2026-12-10", "2026-12-10 1400",
                          "2026-12-10  14:00", "10.12.26 14:00", "завтра в 14", "", "2026-12-10 -1:00"})
    CHECK_FALSE(parse_local_datetime(bad, "Europe/Moscow"));
  // Where clocks move: 29.03.2026 02:30 never happens in Berlin; 25.10.2026
  // 02:30 happens twice, and the first (summer time, UTC+2) is taken.
  CHECK_FALSE(parse_local_datetime("2026-03-29 02:30", "Europe/Berlin"));
  CHECK(parse_local_datetime("2026-10-25 02:30", "Europe/Berlin") == std::int64_t{1792888200000});
  CHECK(parse_local_datetime("2026-10-25 03:30", "Europe/Berlin") == std::int64_t{1792895400000});
}

TEST_CASE("CSV survives hostile input and what it reads writes back the same") {
  // Random text from the characters that matter to CSV: whatever comes out of
  // parsing must survive writing and parsing again unchanged.
  std::mt19937 rng(20261128);
  const std::vector<std::string> pieces = {"\"", ",", ";", "\n", "\r\n",         "\r",
                                           " ",  "a", "Ж", "«",  "\xEF\xBB\xBF", "\"\""};
  int parsed = 0;
  for (int round = 0; round < 3000; ++round) {
    std::string text;
    auto n = rng() % 40;
    for (unsigned i = 0; i < n; ++i) text += pieces[rng() % pieces.size()];
    char sep = 0;
    CsvError err;
    auto rows = parse_csv(text, sep, err);
    if (!rows) {
      CHECK(err.line >= 1);
      continue;
    }
    ++parsed;
    // Written back under a header line, which decides the separator as in
    // every real file.
    std::string again = csv_line({"h1", "h2"}, sep);
    for (const auto& r : *rows) again += csv_line(r.fields, sep);
    char sep2 = 0;
    auto rows2 = parse_csv(again, sep2, err);
    INFO("input: " << json_quote(text) << " rewritten: " << json_quote(again));
    REQUIRE(rows2);
    CHECK(sep2 == sep);
    REQUIRE(rows2->size() == rows->size() + 1);
    for (std::size_t i = 0; i < rows->size(); ++i) CHECK((*rows2)[i + 1].fields == (*rows)[i].fields);
  }
  CHECK(parsed > 100);
}

TEST_CASE("arrays of strings read back as written, anything else refused") {
  using setevoe::util::parse_string_array;
  CHECK(parse_string_array("[]") == std::vector<std::string>{});
  CHECK(parse_string_array(" [ \"a\" , \"b\" ] ") == std::vector<std::string>{"a", "b"});
  CHECK(parse_string_array(R"(["Гудермес","\"кавычки\"","\\","\n\t","\u00e9\u0416","\ud83d\ude00"])") ==
        std::vector<std::string>{"Гудермес", "\"кавычки\"", "\\", "\n\t", "éЖ", "😀"});
  for (const char* bad : {"", "[", "[\"a\"", "[\"a\",]", "[1]", "{}", "[\"a\"] x", "[\"\\x\"]", "[\"\\ud83d\"]",
                          "[\"\\u12\"]", "[\"a\nb\"]", "null"})
    CHECK_FALSE(parse_string_array(bad));
  // What json_array writes, read back.
  std::vector<std::string> items = {"01900000-0000-7000-8000-000000000001", "Секция «А»; \"Б\""};
  CHECK(parse_string_array(setevoe::core::json_array(items)) == items);
}
