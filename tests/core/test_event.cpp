// Unit tests of the plan of events: times typed in the node's zone, the
// checks of an event's fields, cancelling, registrations, and listing by
// period, type, org and direction.
#include <catch2/catch.hpp>

#include "core/event.hpp"
#include "core/node.hpp"
#include "core/replica.hpp"
#include "core/util/time.hpp"
#include "core/util/uuid.hpp"
#include "support.hpp"

using namespace setevoe;
using namespace setevoe::core;
using test::kind_of;

namespace {

const std::string k_tz = "Europe/Moscow";

struct Plan {
  Db db = test::memory_node(Role::school);
  std::string org, person;
  Plan() {
    Writer w(db);
    OrgInput o;
    o.kind = "school";
    o.name = "МБОУ «СОШ № 3»";
    org = add_org(w, o);
    PersonInput p;
    p.name = "Исаева Зарема Ахмедовна";
    p.org = org;
    person = add_person(w, p);
    w.commit();
  }
  EventFields seminar(const std::string& start = "10.12.2026 14:00") const {
    EventFields f;
    f.type = "семинар";
    f.title = "Формирующее оценивание на уроках математики";
    f.start = start;
    f.place = "СОШ № 3, актовый зал";
    f.organiser = org;
    return f;
  }
  std::string add(const EventFields& f) {
    Writer w(db);
    auto id = add_event(w, f, k_tz);
    w.commit();
    return id;
  }
  ErrorKind fails_add(const EventFields& f) {
    return kind_of([&] {
      Writer w(db);
      add_event(w, f, k_tz);
    });
  }
};

}  // namespace

TEST_CASE("events: times are typed in the node's zone and kept in UTC") {
  Plan p;
  auto f = p.seminar("2026-12-10 14:00");
  f.end = "10.12.2026 16:30";
  auto e = get_event(p.db, p.add(f));
  CHECK(e.type == "seminar");
  CHECK(util::iso_utc(e.starts_ms) == "2026-12-10T11:00:00.000Z");
  REQUIRE(e.ends_ms);
  CHECK(util::local_datetime(*e.ends_ms, k_tz) == "10.12.2026 16:30");
  CHECK(e.status == "planned");
  CHECK(e.organiser_name == "МБОУ «СОШ № 3»");
  CHECK(e.owner == self_node(p.db).id);
  CHECK(e.created_at <= e.updated_at);
  // A direction named twice (by code, then by name) is kept once, in the order typed.
  auto dirs = p.seminar("11.12.2026 10:00");
  auto quality = list_directions(p.db).at(1);
  dirs.directions = std::vector<std::string>{"technology", quality.name, quality.code};
  auto with_dirs = get_event(p.db, p.add(dirs));
  REQUIRE(with_dirs.directions.size() == 2);
  CHECK(with_dirs.directions[0].code == "technology");
  CHECK(with_dirs.directions[1].code == quality.code);
}

TEST_CASE("events: bad fields are refused, saying what is wrong") {
  Plan p;
  auto without = [&](auto clear) {
    auto f = p.seminar();
    clear(f);
    return p.fails_add(f);
  };
  CHECK(without([](EventFields& f) { f.type.reset(); }) == ErrorKind::usage);
  CHECK(without([](EventFields& f) { f.title.reset(); }) == ErrorKind::usage);
  CHECK(without([](EventFields& f) { f.start.reset(); }) == ErrorKind::usage);
  CHECK(without([](EventFields& f) { f.organiser.reset(); }) == ErrorKind::usage);
  CHECK(without([](EventFields& f) { f.place.reset(); }) == ErrorKind::usage);  // neither place nor link
  CHECK(without([](EventFields& f) { f.type = "банкет"; }) == ErrorKind::usage);
  CHECK(without([](EventFields& f) { f.title = "   "; }) == ErrorKind::usage);
  CHECK(without([](EventFields& f) { f.start = "10 декабря"; }) == ErrorKind::usage);
  CHECK(without([](EventFields& f) { f.start = "31.02.2026 10:00"; }) == ErrorKind::usage);
  CHECK(without([](EventFields& f) { f.end = "10.12.2026 13:59"; }) == ErrorKind::usage);  // ends before it starts
  CHECK(without([](EventFields& f) { f.url = "zoom.us/j/1"; }) == ErrorKind::usage);
  CHECK(without([](EventFields& f) { f.url = "https://zoom.us/j/1 2"; }) == ErrorKind::usage);
  CHECK(without([](EventFields& f) { f.organiser = "Нет такой школы"; }) == ErrorKind::not_found);
  CHECK(without([](EventFields& f) { f.directions = std::vector<std::string>{"нет-такого"}; }) == ErrorKind::not_found);
  CHECK(without([](EventFields& f) { f.title = std::string("a\x01") + "b"; }) == ErrorKind::usage);
  // Nothing half-written: no event at all.
  CHECK(list_events(p.db, {}, k_tz).empty());
  // A link alone is a place enough; a webinar has one.
  auto f = p.seminar();
  f.place.reset();
  f.type = "webinar";
  f.url = "https://sferum.ru/?call_link=abc";
  CHECK(get_event(p.db, p.add(f)).url == "https://sferum.ru/?call_link=abc");
}

TEST_CASE("events: edits keep the times in order; a cancelled event stays in the plan, marked") {
  Plan p;
  auto id = p.add(p.seminar());
  {
    Writer w(p.db);
    EventFields patch;
    patch.end = "10.12.2026 13:00";  // before the stored start
    CHECK(kind_of([&] { edit_event(w, id, patch, k_tz); }) == ErrorKind::usage);
    patch.end = "10.12.2026 17:00";
    CHECK(edit_event(w, id, patch, k_tz));
    CHECK(kind_of([&] { edit_event(w, id, EventFields{}, k_tz); }) == ErrorKind::usage);
    EventFields move;
    move.start = "10.12.2026 18:00";  // now after the stored end
    CHECK(kind_of([&] { edit_event(w, id, move, k_tz); }) == ErrorKind::usage);
    CHECK(kind_of([&] { cancel_event(w, id, "  "); }) == ErrorKind::usage);
    cancel_event(w, id, "карантин по гриппу");
    CHECK(kind_of([&] { cancel_event(w, id, "ещё раз"); }) == ErrorKind::usage);
    CHECK(kind_of([&] { edit_event(w, id, patch, k_tz); }) == ErrorKind::usage);
    CHECK(kind_of([&] { register_for_event(w, id, p.person, "participant"); }) == ErrorKind::usage);
    w.commit();
  }
  auto e = get_event(p.db, id);
  CHECK(e.status == "cancelled");
  CHECK(e.cancel_reason == std::optional<std::string>("карантин по гриппу"));
  CHECK(util::local_datetime(*e.ends_ms, k_tz) == "10.12.2026 17:00");
  EventFilter planned;
  planned.cancelled = false;
  CHECK(list_events(p.db, planned, k_tz).empty());
  CHECK(list_events(p.db, {}, k_tz).size() == 1);
  CHECK(kind_of([&] { get_event(p.db, util::uuid7(1)); }) == ErrorKind::not_found);
}

TEST_CASE("events: a person registers once, with a role") {
  Plan p;
  auto id = p.add(p.seminar());
  Writer w(p.db);
  auto r = register_for_event(w, id, "Исаева Зарема Ахмедовна", "докладчик");
  CHECK(r == util::uuid_for_name("registration:" + id + ":" + p.person));
  CHECK(kind_of([&] { register_for_event(w, id, p.person, "participant"); }) == ErrorKind::bad_data);
  CHECK(kind_of([&] { register_for_event(w, id, "Никто Никтович", "participant"); }) == ErrorKind::not_found);
  CHECK(kind_of([&] { register_for_event(w, id, p.person, "зритель"); }) == ErrorKind::usage);
  w.commit();
  auto regs = list_registrations(p.db, id);
  REQUIRE(regs.size() == 1);
  CHECK(regs[0].role == "speaker");
  CHECK(regs[0].person_name == "Исаева Зарема Ахмедовна");
  CHECK(get_event(p.db, id).registrations == 1);
}

TEST_CASE("events: listed in the order they happen, by period, type and org") {
  Plan p;
  auto a = p.add(p.seminar("01.12.2026 00:00"));  // the first minute of December in Moscow
  auto b = p.add(p.seminar("30.11.2026 23:59"));
  auto webinar = p.seminar("31.12.2026 23:30");
  webinar.type = "вебинар";
  auto c = p.add(webinar);
  auto ids = [&](const EventFilter& f) {
    std::vector<std::string> out;
    for (const auto& e : list_events(p.db, f, k_tz)) out.push_back(e.id);
    return out;
  };
  CHECK(ids({}) == std::vector<std::string>{b, a, c});
  EventFilter december;
  december.from = "01.12.2026";
  december.to = "2026-12-31";
  CHECK(ids(december) == std::vector<std::string>{a, c});
  EventFilter day;
  day.from = day.to = "30.11.2026";
  CHECK(ids(day) == std::vector<std::string>{b});
  EventFilter webinars;
  webinars.type = "webinar";
  CHECK(ids(webinars) == std::vector<std::string>{c});
  EventFilter backwards;
  backwards.from = "2026-12-31";
  backwards.to = "2026-12-01";
  CHECK(kind_of([&] { list_events(p.db, backwards, k_tz); }) == ErrorKind::usage);
  EventFilter bad;
  bad.from = "декабрь";
  CHECK(kind_of([&] { list_events(p.db, bad, k_tz); }) == ErrorKind::usage);
  EventFilter org;
  org.org = "Нет такой школы";
  CHECK(kind_of([&] { list_events(p.db, org, k_tz); }) == ErrorKind::not_found);
}

TEST_CASE("events: found by an id prefix or the exact title, any case") {
  Plan p;
  auto a = p.add(p.seminar());
  auto other = p.seminar("11.12.2026 10:00");
  other.title = "Педагогическая мастерская";
  auto b = p.add(other);
  CHECK(resolve_event(p.db, a) == a);
  CHECK(resolve_event(p.db, a.substr(0, 23)) == a);  // a prefix with random digits: unique
  CHECK(resolve_event(p.db, "педагогическая МАСТЕРСКАЯ") == b);
  CHECK(kind_of([&] { resolve_event(p.db, ""); }) == ErrorKind::usage);
  CHECK(kind_of([&] { resolve_event(p.db, "ab"); }) == ErrorKind::usage);  // too short for an id
  CHECK(kind_of([&] { resolve_event(p.db, "Нет такого"); }) == ErrorKind::not_found);
  // The id of a person is not an event's, and the message says what it is.
  auto msg = test::message_of([&] { resolve_event(p.db, p.person); });
  CHECK(msg.find("person") != std::string::npos);
  auto same = p.seminar("12.12.2026 10:00");
  p.add(same);  // a second event of the same title
  CHECK(kind_of([&] { resolve_event(p.db, *same.title); }) == ErrorKind::usage);
}
