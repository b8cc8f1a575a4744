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
  CHECK(r == util::uuid_for_name("registration:" + id + ":" + p.person + ":" + self_node(p.db).id));
  CHECK(kind_of([&] { register_for_event(w, id, p.person, "participant"); }) == ErrorKind::bad_data);
  CHECK(kind_of([&] { register_for_event(w, id, "Никто Никтович", "participant"); }) == ErrorKind::not_found);
  CHECK(kind_of([&] { register_for_event(w, id, p.person, "зритель"); }) == ErrorKind::usage);
  // Taking a registration back, and registering again.
  CHECK(kind_of([&] { unregister_from_event(w, id, "Никто Никтович"); }) == ErrorKind::not_found);
  unregister_from_event(w, id, p.person);
  CHECK(kind_of([&] { unregister_from_event(w, id, p.person); }) == ErrorKind::not_found);
  CHECK(register_for_event(w, id, p.person, "speaker") == r);
  w.commit();
  // Another node registered the same person before hearing of this one:
  // counted once, the earlier registration shown.
  Stmt(p.db,
       "INSERT INTO registration (id, owner, event, person, role, registered_at, _v) VALUES ('r2', 'other', ?, ?, "
       "'jury', '2000-01-01T00:00:00.000Z', '{}')")
      .bind(1, id)
      .bind(2, p.person)
      .run();
  CHECK(get_event(p.db, id).registrations == 1);
  CHECK(list_registrations(p.db, id).at(0).role == "jury");
  Writer w2(p.db);
  // The other node's registration is not this node's to take back.
  unregister_from_event(w2, id, p.person);
  CHECK(kind_of([&] { unregister_from_event(w2, id, p.person); }) == ErrorKind::not_permitted);
  w2.commit();
  Stmt(p.db, "DELETE FROM registration WHERE id = 'r2'").run();
  Writer w3(p.db);
  register_for_event(w3, id, p.person, "speaker");
  w3.commit();
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

// ---- What happened at an event

namespace {

// A school with its secret key, an event that has begun, and a clock after it.
struct Held {
  Db db = Db::open(":memory:", OpenMode::create);
  std::string secret, org, a, b, contest;
  std::int64_t now = 0;
  util::WallClock clock() const {
    auto t = now;
    return [t] { return t; };
  }
  Held() {
    InitOptions o;
    o.name = "МБОУ «СОШ № 3»";
    init_node_in(db, o, &secret);
    now = *util::parse_local_datetime("2026-12-11 12:00", k_tz);
    Writer w(db, clock());
    OrgInput org_in;
    org_in.kind = "school";
    org_in.name = "МБОУ «СОШ № 3»";
    org = add_org(w, org_in);
    PersonInput p;
    p.org = org;
    p.name = "Исаева Зарема Ахмедовна";
    a = add_person(w, p);
    p.name = "Магомадова Луиза Руслановна";
    b = add_person(w, p);
    EventFields f;
    f.type = "contest";
    f.title = "Учитель года — 2026";
    f.start = "10.12.2026 10:00";
    f.place = "Гудермес, Дом культуры";
    f.organiser = org;
    contest = add_event(w, f, k_tz);
    w.commit();
  }
};

}  // namespace

TEST_CASE("events: attendance is marked once the event has begun, registering who was not") {
  Held h;
  Writer w(h.db, h.clock());
  std::vector<std::string> registered;
  CHECK(mark_attendance(w, h.contest, {"Исаева Зарема Ахмедовна", h.a, h.b}, true, &registered) == 2);
  CHECK(registered.size() == 2);                            // nobody had registered
  CHECK(mark_attendance(w, h.contest, {h.a}, true) == 0);   // marked already: nothing changes
  CHECK(mark_attendance(w, h.contest, {h.b}, false) == 1);  // a correction
  CHECK(kind_of([&] { mark_attendance(w, h.contest, {}, true); }) == ErrorKind::usage);
  CHECK(kind_of([&] { mark_attendance(w, h.contest, {"Никто"}, true); }) == ErrorKind::not_found);
  // Results: contests only, a place of 1 to 3 or an award.
  record_result(w, h.contest, h.a, 1, std::string("Гран-при"));
  CHECK(kind_of([&] { record_result(w, h.contest, h.a, 4, std::nullopt); }) == ErrorKind::usage);
  CHECK(kind_of([&] { record_result(w, h.contest, h.a, std::nullopt, std::nullopt); }) == ErrorKind::usage);
  EventFields later;
  later.type = "seminar";
  later.title = "Семинар после конкурса";
  later.start = "20.12.2026 10:00";
  later.place = "актовый зал";
  later.organiser = h.org;
  auto seminar = add_event(w, later, k_tz);
  // Not begun yet: no marks; a seminar has no results.
  CHECK(kind_of([&] { mark_attendance(w, seminar, {h.a}, true); }) == ErrorKind::usage);
  w.commit();
  auto people = list_participants(h.db, h.contest);
  REQUIRE(people.size() == 2);
  CHECK(people[0].person_name == "Исаева Зарема Ахмедовна");
  CHECK(people[0].role == "participant");
  CHECK(people[0].attended);
  CHECK(people[0].place == std::optional<std::int64_t>(1));
  CHECK(people[0].award == "Гран-при");
  CHECK_FALSE(people[1].attended);
  Writer w2(h.db, [] { return *util::parse_local_datetime("2026-12-21 12:00", k_tz); });
  CHECK(kind_of([&] { record_result(w2, seminar, h.a, 1, std::nullopt); }) == ErrorKind::usage);
  cancel_event(w2, seminar, "перенос");
  CHECK(kind_of([&] { mark_attendance(w2, seminar, {h.a}, true); }) == ErrorKind::usage);
}

TEST_CASE("events: only the event's node or a hub records what happened at it") {
  Held h;
  // Another school's database that has received the event (same ids, another owner).
  auto other = test::memory_node(Role::school, "МБОУ «Брагунская СОШ»");
  {
    Writer w(other);
    w.create_with_id(tables::event, h.contest,
                     {{"type", std::string("contest")},
                      {"title", std::string("Учитель года — 2026")},
                      {"starts_at", std::string("2026-12-10T07:00:00.000Z")},
                      {"place", std::string("ДК")},
                      {"status", std::string("planned")}},
                     std::string());
    w.commit();
  }
  // It is this node's own there; make it another node's by hand.
  Stmt(other, "UPDATE event SET owner = 'someone-else'").run();
  Writer w(other, h.clock());
  OrgInput o;
  o.kind = "school";
  o.name = "МБОУ «Брагунская СОШ»";
  PersonInput p;
  p.name = "Исаева Зарема Ахмедовна";
  p.org = add_org(w, o);
  auto person = add_person(w, p);
  CHECK(kind_of([&] { mark_attendance(w, h.contest, {person}, true); }) == ErrorKind::not_permitted);
  CHECK(kind_of([&] { cancel_event(w, h.contest, "чужое"); }) == ErrorKind::not_permitted);
  // The write path itself refuses a mark for another node's event.
  CHECK(kind_of([&] {
          w.create_with_id(tables::attendance, util::uuid_for_name("x"),
                           {{"event", h.contest},
                            {"person", person},
                            {"attended", std::int64_t{1}},
                            {"marked_at", std::string("2026-12-10T08:00:00.000Z")}});
        }) == ErrorKind::not_permitted);
}

TEST_CASE("events: certificates are numbered, signed, and verified by their code") {
  Held h;
  Writer w(h.db, h.clock());
  CHECK(kind_of([&] { issue_certificates(w, h.contest, std::nullopt, h.secret); }) == ErrorKind::usage);  // nobody came
  mark_attendance(w, h.contest, {h.a, h.b}, true);
  mark_attendance(w, h.contest, {h.b}, false);
  record_result(w, h.contest, h.a, 2, std::nullopt);
  CHECK(kind_of([&] { issue_certificates(w, h.contest, h.b, h.secret); }) == ErrorKind::usage);  // did not come
  auto certs = issue_certificates(w, h.contest, std::nullopt, h.secret);
  REQUIRE(certs.size() == 1);
  auto c = certs[0];
  CHECK(c.person_id == h.a);
  auto prefix = h.contest.substr(0, 8);
  for (auto& ch : prefix) ch = static_cast<char>(std::toupper(static_cast<unsigned char>(ch)));
  CHECK(c.number == prefix + "-001");
  CHECK(c.code.size() == 16);
  CHECK(c.place == std::optional<std::int64_t>(2));
  // Issuing again gives the same certificate, not a new number.
  auto again = issue_certificates(w, h.contest, std::nullopt, h.secret);
  REQUIRE(again.size() == 1);
  CHECK(again[0].code == c.code);
  mark_attendance(w, h.contest, {h.b}, true);
  auto both = issue_certificates(w, h.contest, std::nullopt, h.secret);
  REQUIRE(both.size() == 2);
  CHECK(both[1].number.substr(9) == "002");
  w.commit();

  auto printed = certificate_code_text(c.code);
  CHECK(printed.size() == 19);
  auto check = verify_certificate(h.db, printed);
  CHECK(check.valid);
  CHECK(check.certificate.person_name == "Исаева Зарема Ахмедовна");
  // Typed carelessly: lower case, spaces, O for 0, I for 1.
  std::string sloppy;
  for (char ch : c.code) sloppy += ch == '0' ? 'o' : ch == '1' ? 'i' : static_cast<char>(std::tolower(ch));
  CHECK(verify_certificate(h.db, sloppy.substr(0, 8) + " " + sloppy.substr(8)).valid);
  CHECK(kind_of([&] { verify_certificate(h.db, "12345"); }) == ErrorKind::usage);
  CHECK(kind_of([&] { verify_certificate(h.db, "ZZZZ-ZZZZ-ZZZZ-ZZZZ"); }) == ErrorKind::not_found);
  // A record altered by hand (another name) no longer matches its signature.
  Stmt(h.db, "UPDATE certificate SET person_name = 'Подделкин Пётр' WHERE code = ?").bind(1, c.code).run();
  auto forged = verify_certificate(h.db, printed);
  CHECK_FALSE(forged.valid);
  CHECK(forged.problem.find("altered") != std::string::npos);
  // A signature that holds, but a code that is not the signature's.
  Stmt(h.db, "UPDATE certificate SET person_name = ?, code = 'ABCDEFGHJKMNPQRS' WHERE code = ?")
      .bind(1, c.person_name)
      .bind(2, c.code)
      .run();
  CHECK_FALSE(verify_certificate(h.db, "ABCD-EFGH-JKMN-PQRS").valid);
  CHECK(kind_of([&] {
          Writer bad(h.db, h.clock());
          issue_certificates(bad, h.contest, std::nullopt, "00");
        }) == ErrorKind::corrupt);
}

TEST_CASE("events: an edit counts as a revision only when it changes something") {
  Plan p;
  auto id = p.add(p.seminar());
  CHECK(get_event(p.db, id).revision == 0);
  Writer w(p.db);
  EventFields same;
  same.title = p.seminar().title;
  CHECK_FALSE(edit_event(w, id, same, k_tz));
  EventFields moved;
  moved.start = "11.12.2026 14:00";
  moved.sections = std::vector<std::string>{"Математика", "Физика"};
  CHECK(edit_event(w, id, moved, k_tz));
  EventFields twice;
  twice.sections = std::vector<std::string>{"Физика", "ФИЗИКА"};
  CHECK(kind_of([&] { edit_event(w, id, twice, k_tz); }) == ErrorKind::usage);
  cancel_event(w, id, "перенос");
  w.commit();
  auto e = get_event(p.db, id);
  CHECK(e.revision == 2);
  CHECK(e.sections == std::vector<std::string>{"Математика", "Физика"});
}
