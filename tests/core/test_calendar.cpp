// Unit tests of the iCalendar export (RFC 5545): escaping, folding at 75
// octets without cutting a character, VTIMEZONE from tzdata (with and
// without summer time), and the periods a plan is asked for.
#include <catch2/catch.hpp>

#include "core/calendar.hpp"
#include "core/util/time.hpp"

using namespace setevoe;
using namespace setevoe::core;

TEST_CASE("calendar: text is escaped as RFC 5545 says") {
  CHECK(ical::escape("a,b;c\\d\ne\r\nf") == "a\\,b\\;c\\\\d\\ne\\nf");
  CHECK(ical::escape("Гудермес: «СОШ № 1»") == "Гудермес: «СОШ № 1»");
  CHECK(ical::escape("a\rb\r") == "a\\nb\\n");  // a lone CR is a line break too
  CHECK(ical::escape(",,") == "\\,\\,");
  CHECK(ical::escape("").empty());
}

TEST_CASE("calendar: long lines are folded at 75 octets, never inside a character") {
  std::string line = "DESCRIPTION:";
  for (int i = 0; i < 60; ++i) line += "ё";  // two octets each
  auto folded = ical::fold(line);
  std::string unfolded;
  std::size_t start = 0;
  while (start < folded.size()) {
    auto end = folded.find("\r\n", start);
    REQUIRE(end != std::string::npos);
    auto piece = folded.substr(start, end - start);
    CHECK(piece.size() <= 75);
    // No piece begins inside a character (after the fold's space).
    auto body = start == 0 ? piece : piece.substr(1);
    if (start != 0) CHECK(piece[0] == ' ');
    CHECK((static_cast<unsigned char>(body[0]) & 0xC0) != 0x80);
    unfolded += body;
    start = end + 2;
  }
  CHECK(unfolded == line);
  CHECK(ical::fold("SHORT:1") == "SHORT:1\r\n");
}

TEST_CASE("calendar: VTIMEZONE follows the zone's changes of offset") {
  auto at = [](const char* t, const char* tz) { return *util::parse_local_datetime(t, tz); };
  auto moscow = ical::vtimezone("Europe/Moscow", at("2026-01-10 10:00", "Europe/Moscow"),
                                at("2026-12-10 10:00", "Europe/Moscow"));
  CHECK(moscow.find("TZOFFSETTO:+0300") != std::string::npos);
  CHECK(moscow.find("BEGIN:DAYLIGHT") == std::string::npos);
  auto berlin = ical::vtimezone("Europe/Berlin", at("2026-01-10 10:00", "Europe/Berlin"),
                                at("2026-12-10 10:00", "Europe/Berlin"));
  // Summer time begins on 29 March 2026 at 02:00 and ends on 25 October at 03:00, local.
  CHECK(berlin.find("BEGIN:DAYLIGHT\r\nDTSTART:20260329T020000\r\nTZOFFSETFROM:+0100\r\nTZOFFSETTO:+0200\r\n") !=
        std::string::npos);
  CHECK(berlin.find("BEGIN:STANDARD\r\nDTSTART:20261025T030000\r\nTZOFFSETFROM:+0200\r\nTZOFFSETTO:+0100\r\n") !=
        std::string::npos);
}

TEST_CASE("calendar: a cancelled event stays, marked, and the sequence counts its changes") {
  Event e;
  e.id = "01900000-0000-7000-8000-000000000001";
  e.type = "webinar";
  e.title = "Вебинар, часть 1; введение";
  e.starts_ms = *util::parse_local_datetime("2026-12-10 14:00", "Europe/Moscow");
  e.ends_ms = e.starts_ms + 90 * 60 * 1000;
  e.url = "https://example.org/room";
  e.status = "cancelled";
  e.cancel_reason = "болезнь лектора";
  e.revision = 3;
  e.created_at = "2026-11-01T10:00:00.000Z";
  e.updated_at = "2026-11-20T10:00:00.123Z";
  auto text = events_icalendar({e}, "Europe/Moscow", "План");
  CHECK(text.find("UID:01900000-0000-7000-8000-000000000001@setevoe\r\n") != std::string::npos);
  CHECK(text.find("SEQUENCE:3\r\n") != std::string::npos);
  CHECK(text.find("STATUS:CANCELLED\r\n") != std::string::npos);
  CHECK(text.find("DTSTART;TZID=Europe/Moscow:20261210T140000\r\n") != std::string::npos);
  CHECK(text.find("DTEND;TZID=Europe/Moscow:20261210T153000\r\n") != std::string::npos);
  CHECK(text.find("DTSTAMP:20261120T100000Z\r\n") != std::string::npos);
  CHECK(text.find("SUMMARY:Вебинар\\, часть 1\\; введение\r\n") != std::string::npos);
  CHECK(text.find("LOCATION:https://example.org/room\r\n") != std::string::npos);
  // Every line ends with CRLF; none is longer than 75 octets.
  std::size_t start = 0;
  while (start < text.size()) {
    auto end = text.find("\r\n", start);
    REQUIRE(end != std::string::npos);
    CHECK(end - start <= 75);
    CHECK(text.substr(start, end - start).find('\n') == std::string::npos);
    start = end + 2;
  }
}

TEST_CASE("periods: months, quarters and years as typed") {
  auto m = util::parse_month("2026-02");
  REQUIRE(m);
  CHECK(m->from == "2026-02-01");
  CHECK(m->to == "2026-02-28");
  CHECK(util::parse_month("02.2028")->to == "2028-02-29");
  CHECK_FALSE(util::parse_month("2026-13"));
  CHECK_FALSE(util::parse_month("декабрь"));
  for (const char* q : {"2026Q4", "2026-Q4", "2026 q4", "4 кв. 2026", "4 квартал 2026"}) {
    auto r = util::parse_quarter(q);
    INFO(q);
    REQUIRE(r);
    CHECK(r->from == "2026-10-01");
    CHECK(r->to == "2026-12-31");
  }
  CHECK_FALSE(util::parse_quarter("2026Q5"));
  CHECK_FALSE(util::parse_quarter("Q4"));
  CHECK(util::parse_year("2027")->to == "2027-12-31");
  CHECK_FALSE(util::parse_year("27"));
  CHECK(util::add_days("2026-12-31", 1) == "2027-01-01");
  CHECK(util::add_days("2026-03-01", -1) == "2026-02-28");
}
