// Unit tests of the reports' figures (regulation 6.1) and of the renderers
// for people and scripts: a small network with known contents over two
// consecutive months (September and October 2026, with rows before and after
// both), written at chosen times, and every figure of the activity, plan,
// agreements, consultations, portfolio and org reports checked against what
// was written; the period before a period; the errors; and the text, CSV,
// JSON, Markdown and HTML forms of a Document. The JSON is parsed back with
// SQLite's JSON functions.
#include <fmt/format.h>

#include <catch2/catch.hpp>

#include <algorithm>
#include <string>
#include <vector>

#include "core/agreement.hpp"
#include "core/consult.hpp"
#include "core/event.hpp"
#include "core/i18n.hpp"
#include "core/member.hpp"
#include "core/node.hpp"
#include "core/product.hpp"
#include "core/replica.hpp"
#include "core/report/render.hpp"
#include "core/report/reports.hpp"
#include "core/util/text.hpp"
#include "core/util/time.hpp"
#include "support.hpp"

using namespace setevoe;
using namespace setevoe::core;
using test::kind_of;

namespace {

const std::string k_tz = "Europe/Moscow";
const std::string k_gifted = "Модель эффективного управления одарённым ребёнком";
const std::string k_quality = "Система оценки качества образования";
const std::string k_technology = "Новые образовательные технологии";

// A hub with its secret key and this network, written in the order things
// happened (the clock of each write is the time given; nothing is written
// with a later clock before an earlier one, so the versions of the fields
// carry their times too):
//
// August (before both months): orgs O1 and O3 (potential), people P1, P2
// (expert in gifted), product E made and submitted.
// September: O2 with P3 and P6 (expert in quality); product A made and
// submitted, E published; event E5 held (P1 came, P2 did not); questions Q5
// (answered in 2 days) and Q6 (due 5 October, answered 6 October);
// agreement 4 signed; agreements 2, 3 and 6 registered with earlier dates.
// October (the month reported, today the 20th): O4 with P4; O3 made active;
// P5 in O3; O5, potential; products B (made, submitted, published), C (made,
// submitted), D (made), A published; events E1 (held), E2 (a contest: P2
// first place, P5 an award), E3 (cancelled), E4 (on the 25th, after today);
// questions Q1 (answered in 2.5 days, accepted, in the FAQ), Q2 (answered
// late), Q3 (unanswered past its due date), Q4 and Q7 (not due yet);
// agreement 1 signed, agreement 3 terminated.
// November (after both): product F, event E6, question Q8, person P7, the
// draft agreement 5.
struct Network {
  Db db = Db::open(":memory:", OpenMode::create);
  std::string secret;
  std::string o1, o2, o3, o4, o5;
  std::string p1, p2, p3, p4, p5, p6, p7;
  std::string a, b, c, d, e, f;
  std::string e1, e2, e3, e4, e5, e6;
  std::string q1, q2, q3, q4, q5, q6, q7, q8;
  std::string ag1, ag2, ag3, ag4, ag5, ag6;
  std::string certificate;  // P2's at the contest E2

  template <typename F>
  void at(const char* when, F&& write) {
    auto ms = util::parse_local_datetime(when, k_tz);
    REQUIRE(ms);
    auto t = *ms;
    Writer w(db, [t] { return t; });
    write(w);
    w.commit();
  }

  static std::string org(Writer& w, const char* kind, const char* name, const char* short_name,
                         const char* status = "active") {
    OrgInput o;
    o.kind = kind;
    o.name = name;
    o.short_name = short_name;
    o.status = status;
    return add_org(w, o);
  }
  static std::string person(Writer& w, const char* name, const std::string& org, const char* position = "") {
    PersonInput p;
    p.name = name;
    p.org = org;
    if (*position) p.position = position;
    return add_person(w, p);
  }
  static std::string product(Writer& w, const char* type, const char* title, const std::string& org,
                             std::vector<std::pair<std::string, std::string>> authors,
                             std::vector<std::string> directions) {
    ProductFields p;
    p.type = type;
    p.title = title;
    p.org = org;
    if (!authors.empty()) p.authors = std::move(authors);
    p.directions = std::move(directions);
    return add_product(w, p);
  }
  static std::string event(Writer& w, const char* type, const char* title, const char* start, const char* end,
                           const char* place, const std::string& organiser, std::vector<std::string> directions) {
    EventFields e;
    e.type = type;
    e.title = title;
    e.start = start;
    if (*end) e.end = end;
    if (std::string_view(place).substr(0, 8) == "https://")
      e.url = place;
    else
      e.place = place;
    e.organiser = organiser;
    e.directions = std::move(directions);
    return add_event(w, e, k_tz);
  }
  static std::string ask(Writer& w, const std::string& person, const char* direction, const char* title,
                         bool publish = false) {
    QuestionInput q;
    q.person = person;
    q.direction = direction;
    q.title = title;
    q.text = "Подробности вопроса.";
    q.publish = publish;
    return ask_question(w, q, WorkCalendar{}, k_tz);
  }
  static std::string agreement(Writer& w, const char* number, const char* date, const char* title,
                               std::vector<std::string> parties, const char* valid_to,
                               const char* kind = "joint-activity") {
    AgreementFields a;
    a.number = number;
    if (*date) a.date = date;
    a.kind = kind;
    a.title = title;
    a.subject = "Совместная работа";
    a.parties = std::move(parties);
    if (*valid_to) a.valid_to = valid_to;
    return add_agreement(w, a);
  }

  Network() {
    InitOptions o;
    o.name = "Управление образования";
    o.role = Role::hub;
    init_node_in(db, o, &secret);

    at("2026-08-10 10:00", [&](Writer& w) {
      o1 = org(w, "school", "МБОУ «СОШ № 1»", "СОШ № 1");
      o3 = org(w, "kindergarten", "МБДОУ «Детский сад № 5»", "Д/с № 5", "potential");
      p1 = person(w, "Исаева Зарема Ахмедовна", o1, "учитель математики");
      p2 = person(w, "Магомадов Руслан Ахмедович", o1, "заместитель директора");
      set_expert(w, p2, {"gifted"}, false);
      e = product(w, "presentation", "Презентация «Цифровая школа»", o1, {{p1, "author"}}, {"quality"});
    });
    at("2026-08-20 10:00", [&](Writer& w) { submit_product(w, e); });
    at("2026-09-05 10:00", [&](Writer& w) {
      a = product(w, "kim", "КИМ по математике, 5 класс", o1, {{p1, "author"}}, {"gifted"});
    });
    at("2026-09-10 10:00", [&](Writer& w) {
      o2 = org(w, "school", "МБОУ «Брагунская СОШ»", "Брагунская СОШ");
      p3 = person(w, "Байсултанова Хеда Мусаевна", o2);
      p6 = person(w, "Хасанов Адам Русланович", o2);
      set_expert(w, p6, {"quality"}, false);
      e5 = event(w, "seminar", "Оценка читательской грамотности", "17.09.2026 14:00", "17.09.2026 16:00",
                 "СОШ № 1, кабинет 12", o1, {"quality"});
    });
    at("2026-09-12 10:00", [&](Writer& w) {
      register_for_event(w, e5, p1, "participant");
      register_for_event(w, e5, p2, "participant");
    });
    at("2026-09-15 10:00", [&](Writer& w) {
      publish_product(w, e, std::nullopt);
      ag4 = agreement(w, "4/2026", "2026-09-15", "О творческом сотрудничестве", {o2, o3}, "2027-06-30",
                      "creative-cooperation");
      ag6 = agreement(w, "6/2025", "2025-09-01", "О методическом объединении", {o1, o2}, "2026-08-31");
      ag3 = agreement(w, "3/2026", "2026-02-01", "О совместных олимпиадах", {o1, o2}, "");
      ag2 = agreement(w, "2/2026", "2026-03-01", "О преемственности детского сада и школы", {o1, o3}, "2026-12-15");
    });
    at("2026-09-17 18:00", [&](Writer& w) { mark_attendance(w, e5, {p1}, true); });
    at("2026-09-20 10:00", [&](Writer& w) {
      submit_product(w, a);
      review_product(w, e, {p2, 4, {}, "Полезно"});
    });
    at("2026-09-21 10:00", [&](Writer& w) { q5 = ask(w, p1, "gifted", "С чего начать кружок по математике?"); });
    at("2026-09-23 10:00", [&](Writer& w) { answer_question(w, q5, p2, "С задач на смекалку."); });
    at("2026-09-25 10:00", [&](Writer& w) {
      e1 = event(w, "seminar", "Формирующее оценивание на уроках математики", "07.10.2026 14:00", "07.10.2026 16:00",
                 "СОШ № 1, актовый зал", o1, {"quality"});
    });
    at("2026-09-28 10:00",
       [&](Writer& w) { q6 = ask(w, p3, "gifted", "Как работать с одарёнными в сельской школе?"); });
    at("2026-10-01 09:00", [&](Writer& w) {
      e2 = event(w, "contest", "Учитель года — 2026", "14.10.2026 10:00", "14.10.2026 17:00", "Гудермес, Дом культуры",
                 o2, {"gifted"});
      e3 = event(w, "webinar", "Дистанционные технологии в школе", "16.10.2026 15:00", "",
                 "https://sferum.ru/?call_link=abc", o1, {});
      register_for_event(w, e1, p1, "participant");
      register_for_event(w, e1, p3, "speaker");
      register_for_event(w, e2, p1, "participant");
      register_for_event(w, e3, p1, "participant");
    });
    at("2026-10-01 10:00",
       [&](Writer& w) { q1 = ask(w, p1, "gifted", "Как готовить пятиклассников к олимпиаде?", true); });
    at("2026-10-02 10:00", [&](Writer& w) {
      b = product(w, "lesson-video", "Урок физики: законы Ньютона", o1, {{p2, "author"}, {p1, "co-author"}},
                  {"technology"});
      publish_product(w, a, std::nullopt);
    });
    at("2026-10-02 12:00", [&](Writer& w) { q2 = ask(w, p3, "quality", "Как проводить ВПР в 4 классе?"); });
    at("2026-10-03 10:00", [&](Writer& w) {
      o4 = org(w, "additional-education", "МБУ ДО «Дом детского творчества»", "ДДТ");
      p4 = person(w, "Умаров Ислам Русланович", o4);
      register_for_event(w, e1, p4, "participant");
      e4 = event(w, "master-class", "Робототехника для начинающих", "25.10.2026 10:00", "25.10.2026 12:00",
                 "ДДТ, кабинет 5", o4, {"technology"});
      register_for_event(w, e4, p4, "participant");
    });
    std::string q1_answer;
    at("2026-10-03 22:00", [&](Writer& w) { q1_answer = answer_question(w, q1, p2, "Олимпиады прошлых лет."); });
    at("2026-10-04 10:00", [&](Writer& w) { accept_answer(w, q1, q1_answer, true); });
    at("2026-10-05 09:00", [&](Writer& w) {
      q3 = ask(w, p4, "gifted", "Где найти задачи повышенной сложности?");
      assign_question(w, q3, {p2});
      submit_product(w, b);
      ag1 = agreement(w, "1/2026", "2026-10-05", "О сетевой реализации программ", {o1, o2}, "2027-08-31");
      add_obligation(w, ag1, o1, "Проводить семинары для учителей");
    });
    at("2026-10-05 12:00", [&](Writer& w) {
      MemberPatch active;
      active.status = "active";
      edit_member(w, o3, active);
    });
    at("2026-10-06 10:00", [&](Writer& w) {
      p5 = person(w, "Дудаева Амина Саидовна", o3);
      answer_question(w, q6, p2, "Дистанционные кружки.");
      register_for_event(w, e2, p5, "participant");
    });
    at("2026-10-07 18:00", [&](Writer& w) {
      mark_attendance(w, e1, {p1, p3}, true);
      mark_attendance(w, e1, {p4}, false);
    });
    at("2026-10-08 10:00", [&](Writer& w) {
      c = product(w, "project", "Проект «Юный эколог»", o2, {{p3, "author"}}, {"gifted", "quality"});
    });
    at("2026-10-09 10:00", [&](Writer& w) { submit_product(w, c); });
    at("2026-10-10 10:00", [&](Writer& w) { publish_product(w, b, std::nullopt); });
    at("2026-10-11 10:00", [&](Writer& w) { review_product(w, a, {p2, 5, {}, "Отлично"}); });
    at("2026-10-12 10:00", [&](Writer& w) {
      cancel_event(w, e3, "карантин");
      o5 = org(w, "school", "МБОУ «Ойсхарская СОШ»", "Ойсхарская СОШ", "potential");
    });
    at("2026-10-12 12:00", [&](Writer& w) { answer_question(w, q2, p6, "По демоверсии."); });
    at("2026-10-14 18:00", [&](Writer& w) {
      mark_attendance(w, e2, {p1}, true);
      record_result(w, e2, p2, 1, std::nullopt);
      record_result(w, e2, p5, std::nullopt, std::string("Приз зрительских симпатий"));
      for (const auto& cert : issue_certificates(w, e2, std::nullopt, secret))
        if (cert.person_id == p2) certificate = cert.number;
    });
    at("2026-10-15 10:00", [&](Writer& w) {
      d = product(w, "kim", "КИМ по химии, 9 класс", o2, {}, {});
      terminate_agreement(w, ag3, "2026-10-15", "реорганизация");
    });
    at("2026-10-16 10:00", [&](Writer& w) { q4 = ask(w, p1, "quality", "Какие критерии у итогового сочинения?"); });
    at("2026-10-19 10:00", [&](Writer& w) { q7 = ask(w, p5, "quality", "Как оценивать проекты дошкольников?"); });
    at("2026-11-03 10:00", [&](Writer& w) {
      f = product(w, "project", "Проект «Робототехника»", o1, {{p1, "author"}}, {"gifted"});
      e6 = event(w, "workshop", "Практикум по функциональной грамотности", "12.11.2026 10:00", "", "СОШ № 1", o1, {});
      p7 = person(w, "Эльмурзаева Седа Ильясовна", o1);
      ag5 = agreement(w, "5/2026", "", "О кружках робототехники", {o1, o4}, "");
    });
    at("2026-11-05 10:00", [&](Writer& w) { q8 = ask(w, p1, "gifted", "Вопрос ноября"); });
    REQUIRE_FALSE(certificate.empty());
  }

  // A request made on 20 October 2026 at noon.
  static report::Request request(std::optional<std::string> from = {}, std::optional<std::string> to = {}) {
    report::Request r;
    r.from = std::move(from);
    r.to = std::move(to);
    r.today = "2026-10-20";
    r.now_ms = *util::parse_local_datetime("2026-10-20 12:00", k_tz);
    r.organisation = "Управление образования";
    r.language = "en";
    return r;
  }
  static report::Request october() { return request("2026-10-01", "2026-10-31"); }
};

// A cell as the tests compare it: integers as they are, numbers with two
// decimals, empty cells as "null".
std::string show(const report::Value& v) {
  if (std::holds_alternative<std::monostate>(v)) return "null";
  if (auto i = std::get_if<std::int64_t>(&v)) return std::to_string(*i);
  if (auto d = std::get_if<double>(&v)) return fmt::format("{:.2f}", *d);
  return std::get<std::string>(v);
}

std::vector<std::string> rows(const report::Table& t) {
  std::vector<std::string> out;
  for (const auto& row : t.rows) {
    REQUIRE(row.size() == t.columns.size());
    std::string line;
    for (const auto& v : row) line += (line.empty() ? "" : " | ") + show(v);
    out.push_back(line);
  }
  return out;
}

// The rows, sorted: for tables whose order between equal figures is not
// defined.
std::vector<std::string> sorted_rows(const report::Table& t) {
  auto out = rows(t);
  std::sort(out.begin(), out.end());
  return out;
}

std::vector<std::string> keys(const report::Document& doc) {
  std::vector<std::string> out;
  for (const auto& s : doc.sections) out.push_back(s.key);
  return out;
}

const report::Section& section(const report::Document& doc, const std::string& key) {
  for (const auto& s : doc.sections)
    if (s.key == key) return s;
  FAIL("no section " << key);
  return doc.sections.front();
}

const report::Table& table(const report::Section& s, const std::string& key) {
  for (const auto& t : s.tables)
    if (t.key == key) return t;
  FAIL("no table " << key << " in " << s.key);
  return s.tables.front();
}

const report::Table& table(const report::Document& doc, const std::string& s, const std::string& t) {
  return table(section(doc, s), t);
}

bool contains(const std::string& haystack, const std::string& needle) {
  return haystack.find(needle) != std::string::npos;
}

// A report in English whatever the other tests chose.
struct English {
  MessageLanguage language{"en"};
};

}  // namespace

// ---- The period before

TEST_CASE("report: the period before a period", "[report]") {
  using report::previous_period;
  using P = std::pair<std::string, std::string>;
  // A month: the month before, however long.
  CHECK(previous_period("2026-10-01", "2026-10-31") == P{"2026-09-01", "2026-09-30"});
  CHECK(previous_period("2027-01-01", "2027-01-31") == P{"2026-12-01", "2026-12-31"});
  CHECK(previous_period("2026-03-01", "2026-03-31") == P{"2026-02-01", "2026-02-28"});
  CHECK(previous_period("2028-03-01", "2028-03-31") == P{"2028-02-01", "2028-02-29"});
  CHECK(previous_period("2026-02-01", "2026-02-28") == P{"2026-01-01", "2026-01-31"});
  // A quarter, two months, a year: as many whole months before.
  CHECK(previous_period("2026-07-01", "2026-09-30") == P{"2026-04-01", "2026-06-30"});
  CHECK(previous_period("2026-01-01", "2026-03-31") == P{"2025-10-01", "2025-12-31"});
  CHECK(previous_period("2026-11-01", "2026-12-31") == P{"2026-09-01", "2026-10-31"});
  CHECK(previous_period("2026-01-01", "2026-12-31") == P{"2025-01-01", "2025-12-31"});
  // Any other span: as many days before.
  CHECK(previous_period("2026-10-10", "2026-10-19") == P{"2026-09-30", "2026-10-09"});
  CHECK(previous_period("2026-10-05", "2026-10-05") == P{"2026-10-04", "2026-10-04"});
  CHECK(previous_period("2026-03-02", "2026-03-31") == P{"2026-01-31", "2026-03-01"});  // 30 days
  CHECK(previous_period("2024-03-01", "2024-03-30") == P{"2024-01-31", "2024-02-29"});  // not to the month's end
  CHECK(previous_period("2026-12-15", "2027-01-14") == P{"2026-11-14", "2026-12-14"});
}

// ---- Activity

TEST_CASE("report: activity of a month, each figure beside the month before", "[report]") {
  English en;
  Network n;
  auto doc = report::activity(n.db, Network::october());
  CHECK(doc.kind == "activity");
  CHECK(doc.organisation == "Управление образования");
  CHECK(doc.subtitle == "for October 2026");
  CHECK(doc.from == std::optional<std::string>("2026-10-01"));
  CHECK(doc.to == std::optional<std::string>("2026-10-31"));
  CHECK(doc.generated_on == "2026-10-20");
  CHECK(doc.generated_at == "2026-10-20T09:00:00.000Z");
  CHECK(keys(doc) ==
        std::vector<std::string>{"summary", "products", "events", "contests", "consultations", "agreements"});
  auto& summary = section(doc, "summary");
  CHECK(summary.paragraphs ==
        std::vector<std::string>{"Beside each figure, the same for the period before: 01.09.2026 – 30.09.2026."});
  CHECK(rows(table(summary, "summary")) == std::vector<std::string>{
                                               "Products created | 3 | 1",
                                               "Products submitted for moderation | 2 | 1",
                                               "Products published | 2 | 1",
                                               "Events held | 2 | 1",
                                               "Participants registered | 6 | 2",
                                               "Participants who attended | 5 | 1",
                                               "Contests held | 1 | 0",
                                               "Contest winners and awardees | 2 | 0",
                                               "Questions asked | 5 | 2",
                                               "Questions answered (first answer) | 3 | 1",
                                               "Questions left unanswered past their due date | 3 | 0",
                                               "Median days to a first answer | 8.00 | 2.00",
                                               "Agreements signed | 1 | 1",
                                               "Agreements in force at the end | 3 | 3",
                                               "Agreements expiring within 90 days after the end | 1 | 1",
                                               "Agreements terminated | 1 | 0",
                                               "Member organisations active | 4 | 2",
                                               "New member organisations | 1 | 1",
                                               "Potential members drawn in | 1 | 0",
                                               "New people in the registry | 2 | 2",
                                           });

  // Products: D made, A published, B both, C submitted; E (September) and F
  // (November) in no row.
  auto& products = section(doc, "products");
  auto& by_type = table(products, "by_type");
  CHECK(by_type.total);
  CHECK(rows(by_type) == std::vector<std::string>{
                             "control and measurement materials (KIM) | 1 | 0 | 1",
                             "lesson video | 1 | 1 | 1",
                             "project | 1 | 1 | 0",
                             "Total | 3 | 2 | 2",
                         });
  CHECK(sorted_rows(table(products, "by_direction")) == std::vector<std::string>{
                                                            k_gifted + " | 1 | 1",
                                                            k_technology + " | 1 | 1",
                                                            k_quality + " | 1 | 0",
                                                        });
  CHECK(rows(table(products, "by_direction")).back() == k_quality + " | 1 | 0");
  CHECK(rows(table(products, "by_org")) == std::vector<std::string>{
                                               "СОШ № 1 | 1 | 2",
                                               "Брагунская СОШ | 2 | 0",
                                           });
  CHECK(rows(table(products, "published")) ==
        std::vector<std::string>{
            "1 | 2026-10-02 | КИМ по математике, 5 класс | control and measurement materials (KIM) | СОШ № 1",
            "2 | 2026-10-10 | Урок физики: законы Ньютона | lesson video | СОШ № 1",
        });
  REQUIRE(products.charts.size() == 1);
  CHECK(products.charts[0].table == "by_type");
  CHECK(products.charts[0].value == "published");

  // Events: E1 and E2 held; E3 cancelled, E4 after today, E5 in September.
  auto& events = section(doc, "events");
  auto& forms = table(events, "by_type");
  CHECK(forms.total);
  CHECK(rows(forms).back() == "Total | 2 | 6 | 5");
  CHECK(sorted_rows(forms) ==
        std::vector<std::string>{"Total | 2 | 6 | 5", "contest | 1 | 3 | 3", "seminar | 1 | 3 | 2"});
  CHECK(sorted_rows(table(events, "by_direction")) ==
        std::vector<std::string>{k_gifted + " | 1 | 3 | 3", k_quality + " | 1 | 3 | 2"});
  CHECK(rows(table(events, "held")) ==
        std::vector<std::string>{
            "1 | 2026-10-07 | Формирующее оценивание на уроках математики | seminar | СОШ № 1 | 3 | 2",
            "2 | 2026-10-14 | Учитель года — 2026 | contest | Брагунская СОШ | 3 | 3",
        });
  CHECK(table(events, "held").columns[1].type == report::CellType::date);

  // The contest's winners: the place first, then the award.
  CHECK(rows(table(doc, "contests", "winners")) ==
        std::vector<std::string>{
            "2026-10-14 | Учитель года — 2026 | Магомадов Руслан Ахмедович | СОШ № 1 | 1 | ",
            "2026-10-14 | Учитель года — 2026 | Дудаева Амина Саидовна | Д/с № 5 | null | Приз зрительских симпатий",
        });

  // Consultations by direction: quality (Q2, Q4, Q7 asked; Q2 answered
  // late), gifted (Q1, Q3 asked; Q1 and Q6 answered; Q3 and Q6 overdue).
  CHECK(rows(table(doc, "consultations", "by_direction")) == std::vector<std::string>{
                                                                 k_quality + " | 3 | 1 | 1 | 10.00",
                                                                 k_gifted + " | 2 | 2 | 2 | 5.25",
                                                             });

  // Agreements: 3 terminated, 1 signed, in the order they were signed.
  CHECK(rows(table(doc, "agreements", "changes")) ==
        std::vector<std::string>{
            "3/2026 | О совместных олимпиадах | СОШ № 1; Брагунская СОШ | 2026-02-01 | null | 2026-10-15",
            "1/2026 | О сетевой реализации программ | СОШ № 1; Брагунская СОШ | 2026-10-05 | 2027-08-31 | null",
        });
}

TEST_CASE("report: activity of one org", "[report]") {
  English en;
  Network n;
  auto r = Network::october();
  r.org = "СОШ № 1";
  auto doc = report::activity(n.db, r);
  auto& summary = section(doc, "summary");
  REQUIRE(!summary.paragraphs.empty());
  CHECK(summary.paragraphs[0] == "Organisation: СОШ № 1");
  CHECK(rows(table(summary, "summary")) == std::vector<std::string>{
                                               "Products created | 1 | 1",
                                               "Products submitted for moderation | 1 | 1",
                                               "Products published | 2 | 1",
                                               "Events held | 1 | 1",
                                               "Participants registered | 3 | 2",
                                               "Participants who attended | 2 | 1",
                                               "Contests held | 0 | 0",
                                               "Contest winners and awardees | 0 | 0",
                                               "Questions asked | 2 | 1",
                                               "Questions answered (first answer) | 1 | 1",
                                               "Questions left unanswered past their due date | 0 | 0",
                                               "Median days to a first answer | 2.50 | 2.00",
                                               "Agreements signed | 1 | 0",
                                               "Agreements in force at the end | 2 | 2",
                                               "Agreements expiring within 90 days after the end | 1 | 1",
                                               "Agreements terminated | 1 | 0",
                                               "Member organisations active | 1 | 1",
                                               "New member organisations | 0 | 0",
                                               "Potential members drawn in | 0 | 0",
                                               "New people in the registry | 0 | 0",
                                           });
  auto& products = section(doc, "products");
  for (const auto& t : products.tables) CHECK(t.key != "by_org");  // one org: no table by org
  CHECK(rows(table(products, "by_type")) == std::vector<std::string>{
                                                "control and measurement materials (KIM) | 0 | 0 | 1",
                                                "lesson video | 1 | 1 | 1",
                                                "Total | 1 | 1 | 2",
                                            });
  CHECK(rows(table(doc, "events", "held")) ==
        std::vector<std::string>{
            "1 | 2026-10-07 | Формирующее оценивание на уроках математики | seminar | СОШ № 1 | 3 | 2"});
  CHECK(table(doc, "contests", "winners").rows.empty());
  CHECK(sorted_rows(table(doc, "consultations", "by_direction")) ==
        std::vector<std::string>{k_gifted + " | 1 | 1 | 0 | 2.50", k_quality + " | 1 | 0 | 0 | null"});
  CHECK(table(doc, "agreements", "changes").rows.size() == 2);

  // An org that did nothing: zeros, no rows, no median.
  r.org = "Ойсхарская СОШ";
  auto idle = report::activity(n.db, r);
  for (const auto& row : table(idle, "summary", "summary").rows) {
    INFO(show(row[0]));
    if (show(row[0]) == "Median days to a first answer") {
      CHECK(std::holds_alternative<std::monostate>(row[1]));
      CHECK(std::holds_alternative<std::monostate>(row[2]));
    } else {
      CHECK(show(row[1]) == "0");
      CHECK(show(row[2]) == "0");
    }
  }
  CHECK(table(idle, "products", "by_type").rows.empty());
  CHECK_FALSE(table(idle, "products", "by_type").total);
  CHECK(table(idle, "events", "by_type").rows.empty());
}

TEST_CASE("report: an org is active when its people were only registered for an event another org held", "[report]") {
  // 7 October: the seminar of СОШ № 1 is held, with people of Брагунская
  // СОШ and ДДТ registered; nobody makes a product or asks a question. The
  // day before, nothing is held.
  English en;
  Network n;
  auto figure = [](const report::Document& doc) {
    auto summary = rows(table(section(doc, "summary"), "summary"));
    return summary[16];
  };
  auto day = Network::request("2026-10-07", "2026-10-07");
  CHECK(figure(report::activity(n.db, day)) == "Member organisations active | 3 | 0");
  day.org = "ДДТ";
  CHECK(figure(report::activity(n.db, day)) == "Member organisations active | 1 | 0");
  // Registered for an event not yet held, or not held in the span: not yet.
  auto before = Network::request("2026-10-06", "2026-10-06");
  before.org = "Д/с № 5";
  CHECK(figure(report::activity(n.db, before)) == "Member organisations active | 0 | 0");
}

TEST_CASE("report: activity of one direction", "[report]") {
  English en;
  Network n;
  auto r = Network::october();
  r.direction = "gifted";
  auto doc = report::activity(n.db, r);
  auto& summary = section(doc, "summary");
  CHECK(summary.paragraphs.front() == "direction: " + k_gifted);
  CHECK(summary.paragraphs.back() == "Agreements, new members and new people are counted without the direction.");
  CHECK(rows(table(summary, "summary")) == std::vector<std::string>{
                                               "Products created | 1 | 1",
                                               "Products submitted for moderation | 1 | 1",
                                               "Products published | 1 | 0",
                                               "Events held | 1 | 0",
                                               "Participants registered | 3 | 0",
                                               "Participants who attended | 3 | 0",
                                               "Contests held | 1 | 0",
                                               "Contest winners and awardees | 2 | 0",
                                               "Questions asked | 2 | 2",
                                               "Questions answered (first answer) | 2 | 1",
                                               "Questions left unanswered past their due date | 2 | 0",
                                               "Median days to a first answer | 5.25 | 2.00",
                                               "Agreements signed | 1 | 1",
                                               "Agreements in force at the end | 3 | 3",
                                               "Agreements expiring within 90 days after the end | 1 | 1",
                                               "Agreements terminated | 1 | 0",
                                               "Member organisations active | 4 | 2",
                                               "New member organisations | 1 | 1",
                                               "Potential members drawn in | 1 | 0",
                                               "New people in the registry | 2 | 2",
                                           });
  CHECK(rows(table(doc, "products", "published")) ==
        std::vector<std::string>{
            "1 | 2026-10-02 | КИМ по математике, 5 класс | control and measurement materials (KIM) | СОШ № 1"});
  CHECK(rows(table(doc, "events", "held")) ==
        std::vector<std::string>{"1 | 2026-10-14 | Учитель года — 2026 | contest | Брагунская СОШ | 3 | 3"});
  CHECK(rows(table(doc, "consultations", "by_direction")) ==
        std::vector<std::string>{k_gifted + " | 2 | 2 | 2 | 5.25"});
  CHECK(table(doc, "contests", "winners").rows.size() == 2);
  // The tables by direction keep to the direction asked for, though the
  // products and events in it have other directions too.
  for (const char* s : {"products", "events"}) {
    INFO(s);
    const auto& by = table(doc, s, "by_direction");
    REQUIRE(by.rows.size() == 1);
    CHECK(std::get<std::string>(by.rows[0][0]) == k_gifted);
  }
}

TEST_CASE("report: the subtitle names the period as people say it", "[report]") {
  English en;
  Network n;
  CHECK(report::activity(n.db, Network::request("2026-10-01", "2026-12-31")).subtitle == "for quarter 4 of 2026");
  CHECK(report::activity(n.db, Network::request("2026-01-01", "2026-12-31")).subtitle == "for 2026");
  CHECK(report::activity(n.db, Network::request("01.09.2026", "30.09.2026")).subtitle == "for September 2026");
  CHECK(report::activity(n.db, Network::request("2026-09-01", "2026-10-31")).subtitle == "for 01.09.2026 – 31.10.2026");
  // September and October beside July and August: only the September
  // figures and the August ones.
  auto two = report::activity(n.db, Network::request("2026-09-01", "2026-10-31"));
  CHECK(two.sections[0].paragraphs[0] ==
        "Beside each figure, the same for the period before: 01.07.2026 – 31.08.2026.");
  auto summary = rows(table(two, "summary", "summary"));
  CHECK(summary[0] == "Products created | 4 | 1");  // A, B, C, D; E in August
  CHECK(summary[1] == "Products submitted for moderation | 3 | 1");
  CHECK(summary[2] == "Products published | 3 | 0");
  CHECK(summary[3] == "Events held | 3 | 0");
  CHECK(summary[8] == "Questions asked | 7 | 0");
  CHECK(summary[19] == "New people in the registry | 4 | 2");
}

// ---- Plan

TEST_CASE("report: the plan, month by month, cancelled events left out", "[report]") {
  English en;
  Network n;
  auto doc = report::plan(n.db, Network::request("2026-09-01", "2026-11-30"));
  CHECK(doc.kind == "plan");
  CHECK(doc.subtitle == "for 01.09.2026 – 30.11.2026");
  CHECK(keys(doc) == std::vector<std::string>{"2026-09", "2026-10", "2026-11"});
  CHECK(doc.sections[0].title == "September 2026");
  CHECK(doc.sections[1].title == "October 2026");
  CHECK(rows(table(doc, "2026-09", "events")) ==
        std::vector<std::string>{"1 | 2026-09-17 | 14:00–16:00 | seminar | Оценка читательской грамотности | МБОУ "
                                 "«СОШ № 1» | СОШ № 1, кабинет 12"});
  CHECK(rows(table(doc, "2026-10", "events")) ==
        std::vector<std::string>{
            "2 | 2026-10-07 | 14:00–16:00 | seminar | Формирующее оценивание на уроках математики | МБОУ «СОШ № 1» | "
            "СОШ № 1, актовый зал",
            "3 | 2026-10-14 | 10:00–17:00 | contest | Учитель года — 2026 | МБОУ «Брагунская СОШ» | Гудермес, Дом "
            "культуры",
            "4 | 2026-10-25 | 10:00–12:00 | master class | Робототехника для начинающих | МБУ ДО «Дом детского "
            "творчества» | ДДТ, кабинет 5",
        });
  CHECK(rows(table(doc, "2026-11", "events")) ==
        std::vector<std::string>{"5 | 2026-11-12 | 10:00 | workshop | Практикум по функциональной грамотности | "
                                 "МБОУ «СОШ № 1» | СОШ № 1"});

  auto r = Network::request("2026-09-01", "2026-11-30");
  r.org = "ДДТ";
  auto ddt = report::plan(n.db, r);
  CHECK(keys(ddt) == std::vector<std::string>{"2026-10"});
  CHECK(table(ddt, "2026-10", "events").rows.size() == 1);
  r.org.reset();
  r.direction = "gifted";
  auto gifted = report::plan(n.db, r);
  REQUIRE(keys(gifted) == std::vector<std::string>{"2026-10"});
  CHECK(show(table(gifted, "2026-10", "events").rows.at(0).at(4)) == "Учитель года — 2026");

  auto empty = report::plan(n.db, Network::request("2026-12-01", "2026-12-31"));
  CHECK(keys(empty) == std::vector<std::string>{"events"});
  CHECK(empty.sections[0].paragraphs == std::vector<std::string>{"No events in this period."});
}

// ---- Agreements

TEST_CASE("report: the register of agreements, with and without a status", "[report]") {
  English en;
  Network n;
  auto doc = report::agreements(n.db, Network::request());
  CHECK(doc.kind == "agreements");
  CHECK(doc.subtitle == "as of 20.10.2026");
  CHECK_FALSE(doc.from);
  CHECK(rows(table(doc, "summary", "by_status")) == std::vector<std::string>{
                                                        "draft (not in force) | 1",
                                                        "in force | 3",
                                                        "expired | 1",
                                                        "terminated | 1",
                                                        "Total | 6",
                                                    });
  CHECK(table(doc, "summary", "by_status").total);
  auto list = rows(table(doc, "register", "agreements"));
  REQUIRE(list.size() == 6);
  auto parties = [&](std::size_t i) { return show(table(doc, "register", "agreements").rows[i][5]); };
  CHECK(list[0] == "1 | 6/2025 | 2025-09-01 | joint activity | О методическом объединении | " + parties(0) +
                       " | 2025-09-01 | 2026-08-31 | expired");
  CHECK(list[1] == "2 | 3/2026 | 2026-02-01 | joint activity | О совместных олимпиадах | " + parties(1) +
                       " | 2026-02-01 | null | terminated");
  CHECK(list[2] == "3 | 2/2026 | 2026-03-01 | joint activity | О преемственности детского сада и школы | " +
                       parties(2) + " | 2026-03-01 | 2026-12-15 | in force");
  CHECK(list[3] == "4 | 4/2026 | 2026-09-15 | creative cooperation | О творческом сотрудничестве | " + parties(3) +
                       " | 2026-09-15 | 2027-06-30 | in force");
  CHECK(list[4] == "5 | 1/2026 | 2026-10-05 | joint activity | О сетевой реализации программ | " + parties(4) +
                       " | 2026-10-05 | 2027-08-31 | in force");
  CHECK(list[5] == "6 | 5/2026 | null | joint activity | О кружках робототехники | " + parties(5) +
                       " | null | null | draft (not in force)");
  CHECK(contains(parties(2), "Детский сад № 5"));
  CHECK(contains(parties(5), "Дом детского творчества"));
  CHECK(rows(table(doc, "register", "obligations")) ==
        std::vector<std::string>{"1/2026 | МБОУ «СОШ № 1» | Проводить семинары для учителей"});

  auto r = Network::request();
  r.status = "действует";
  auto active = report::agreements(n.db, r);
  CHECK(active.subtitle == "as of 20.10.2026; status: in force");
  CHECK(table(active, "register", "agreements").rows.size() == 3);
  CHECK(rows(table(active, "summary", "by_status")) == std::vector<std::string>{"draft (not in force) | 0",
                                                                                "in force | 3", "expired | 0",
                                                                                "terminated | 0", "Total | 3"});
  r.status = "terminated";
  r.org = "Д/с № 5";
  CHECK(report::agreements(n.db, r).sections[1].tables[0].rows.empty());
  r.status.reset();
  CHECK(table(report::agreements(n.db, r), "register", "agreements").rows.size() == 2);  // 2/2026 and 4/2026
}

// ---- Consultations

TEST_CASE("report: the «Consultation» service's figures", "[report]") {
  English en;
  Network n;
  auto doc = report::consultations(n.db, Network::october());
  CHECK(doc.kind == "consultations");
  CHECK(keys(doc) == std::vector<std::string>{"summary", "directions", "experts", "overdue"});
  CHECK(rows(table(doc, "summary", "summary")) == std::vector<std::string>{
                                                      "Questions asked | 5 | 2",
                                                      "Questions answered (first answer) | 3 | 1",
                                                      "Questions due in the period | 4 | 1",
                                                      "Of them answered on time | 1 | 1",
                                                      "Questions left unanswered past their due date | 3 | 0",
                                                      "Median days to a first answer | 8.00 | 2.00",
                                                      "Answers published in the FAQ | 1 | 0",
                                                  });
  CHECK(rows(table(doc, "directions", "by_direction")) ==
        std::vector<std::string>{k_quality + " | 3 | 1 | 1 | 10.00", k_gifted + " | 2 | 2 | 2 | 5.25"});
  CHECK(rows(table(doc, "experts", "by_expert")) == std::vector<std::string>{
                                                        "Магомадов Руслан Ахмедович | 2 | 1 | 5.25",
                                                        "Хасанов Адам Русланович | 1 | 0 | 10.00",
                                                    });
  auto& overdue = section(doc, "overdue");
  CHECK(overdue.paragraphs ==
        std::vector<std::string>{"As of 20.10.2026: open questions with no answer whose due date has passed."});
  CHECK(rows(table(overdue, "questions")) ==
        std::vector<std::string>{"1 | 2026-10-05 | 2026-10-12 | Где найти задачи повышенной сложности? | Умаров "
                                 "Ислам Русланович | ДДТ | " +
                                 k_gifted + " | Магомадов Руслан Ахмедович"});

  // One org's askers: P1 asked Q1 (answered on time) and Q4 (not due).
  auto r = Network::october();
  r.org = "СОШ № 1";
  CHECK(rows(table(report::consultations(n.db, r), "summary", "summary")) ==
        std::vector<std::string>{
            "Questions asked | 2 | 1",
            "Questions answered (first answer) | 1 | 1",
            "Questions due in the period | 1 | 1",
            "Of them answered on time | 1 | 1",
            "Questions left unanswered past their due date | 0 | 0",
            "Median days to a first answer | 2.50 | 2.00",
            "Answers published in the FAQ | 1 | 0",
        });
  r.org.reset();
  r.direction = "quality";
  auto quality = report::consultations(n.db, r);
  CHECK(rows(table(quality, "summary", "summary"))[0] == "Questions asked | 3 | 0");
  CHECK(rows(table(quality, "experts", "by_expert")) ==
        std::vector<std::string>{"Хасанов Адам Русланович | 1 | 0 | 10.00"});
  CHECK(table(quality, "overdue", "questions").rows.empty());
}

// ---- Portfolio

TEST_CASE("report: a teacher's portfolio, in a period and whole", "[report]") {
  English en;
  Network n;
  auto r = Network::october();
  r.person = "Магомадов Руслан Ахмедович";
  auto doc = report::portfolio(n.db, r);
  CHECK(doc.kind == "portfolio");
  CHECK(doc.subtitle == "Магомадов Руслан Ахмедович");
  CHECK(section(doc, "person").paragraphs == std::vector<std::string>{
                                                 "Organisation: СОШ № 1.",
                                                 "Position: заместитель директора.",
                                                 "Expert of the network in: " + k_gifted + ".",
                                             });
  CHECK(rows(table(doc, "products", "authored")) ==
        std::vector<std::string>{"1 | Урок физики: законы Ньютона | lesson video | author | published | 2026-10-10"});
  CHECK(rows(table(doc, "products", "reviews")) ==
        std::vector<std::string>{"КИМ по математике, 5 класс | 5 | 2026-10-11"});
  CHECK(rows(table(doc, "events", "participation")) ==
        std::vector<std::string>{"2026-10-14 | Учитель года — 2026 | contest | participant | yes | place 1 | " +
                                 n.certificate});
  CHECK(rows(table(doc, "answers", "answers")) ==
        std::vector<std::string>{
            "2026-10-03 | Как готовить пятиклассников к олимпиаде? | " + k_gifted + " | yes",
            "2026-10-06 | Как работать с одарёнными в сельской школе? | " + k_gifted + " | no",
        });

  // Without a period: everything.
  r.from.reset();
  r.to.reset();
  auto all = report::portfolio(n.db, r);
  CHECK_FALSE(all.from);
  CHECK(rows(table(all, "products", "reviews")) == std::vector<std::string>{
                                                       "Презентация «Цифровая школа» | 4 | 2026-09-20",
                                                       "КИМ по математике, 5 класс | 5 | 2026-10-11",
                                                   });
  CHECK(rows(table(all, "events", "participation")) ==
        std::vector<std::string>{
            "2026-09-17 | Оценка читательской грамотности | seminar | participant | no |  | ",
            "2026-10-14 | Учитель года — 2026 | contest | participant | yes | place 1 | " + n.certificate,
        });
  CHECK(table(all, "answers", "answers").rows.size() == 3);
  CHECK(show(table(all, "answers", "answers").rows[0][1]) == "С чего начать кружок по математике?");

  // The author of A and co-author of B; registered for the cancelled E3,
  // which is left out; F, in November, left out of October.
  r = Network::october();
  r.person = n.p1;
  auto p1 = report::portfolio(n.db, r);
  CHECK(section(p1, "person").paragraphs ==
        std::vector<std::string>{"Organisation: СОШ № 1.", "Position: учитель математики."});
  CHECK(rows(table(p1, "products", "authored")) ==
        std::vector<std::string>{
            "1 | КИМ по математике, 5 класс | control and measurement materials (KIM) | author | published | "
            "2026-10-02",
            "2 | Урок физики: законы Ньютона | lesson video | co-author | published | 2026-10-10",
        });
  auto taken = rows(table(p1, "events", "participation"));
  REQUIRE(taken.size() == 2);
  CHECK(taken[0] == "2026-10-07 | Формирующее оценивание на уроках математики | seminar | participant | yes |  | ");
  CHECK(contains(taken[1], "2026-10-14 | Учитель года — 2026 | contest | participant | yes |  | "));
  CHECK(table(p1, "answers", "answers").rows.empty());
  // A product made in the period and not published is the author's too.
  r.person = n.p3;
  CHECK(rows(table(report::portfolio(n.db, r), "products", "authored")) ==
        std::vector<std::string>{"1 | Проект «Юный эколог» | project | author | submitted | null"});
}

// ---- One org

TEST_CASE("report: one member org, with and without a period", "[report]") {
  English en;
  Network n;
  auto r = Network::request();
  r.org = "СОШ № 1";
  auto card = report::org(n.db, r);
  CHECK(card.kind == "org");
  CHECK(card.subtitle == "МБОУ «СОШ № 1»");
  CHECK(keys(card) == std::vector<std::string>{"org"});
  CHECK(card.sections[0].paragraphs == std::vector<std::string>{"Kind: school; status: active."});
  CHECK(rows(table(card, "org", "people")) == std::vector<std::string>{
                                                  "1 | Исаева Зарема Ахмедовна | учитель математики | active",
                                                  "2 | Магомадов Руслан Ахмедович | заместитель директора | active",
                                                  "3 | Эльмурзаева Седа Ильясовна |  | active",
                                              });

  r = Network::october();
  r.org = n.o3;
  auto kindergarten = report::org(n.db, r);
  CHECK(kindergarten.subtitle == "МБДОУ «Детский сад № 5»\nfor October 2026");
  CHECK(kindergarten.from == std::optional<std::string>("2026-10-01"));
  CHECK(keys(kindergarten) ==
        std::vector<std::string>{"org", "summary", "products", "events", "contests", "consultations", "agreements"});
  CHECK(kindergarten.sections[0].paragraphs == std::vector<std::string>{"Kind: kindergarten; status: active."});
  CHECK(rows(table(kindergarten, "org", "people")) ==
        std::vector<std::string>{"1 | Дудаева Амина Саидовна |  | active"});
  auto summary = rows(table(kindergarten, "summary", "summary"));
  CHECK(summary[3] == "Events held | 0 | 0");  // its person took part; it organised none
  CHECK(summary[8] == "Questions asked | 1 | 0");
  CHECK(summary[13] == "Agreements in force at the end | 2 | 2");  // 2/2026 and 4/2026
  CHECK(summary[16] == "Member organisations active | 1 | 0");
  CHECK(summary[18] == "Potential members drawn in | 1 | 0");
  CHECK(summary[19] == "New people in the registry | 1 | 0");

  // The same figures as activity() for that org.
  auto same = report::activity(n.db, r);
  CHECK(rows(table(same, "summary", "summary")) == summary);
}

// ---- Errors

TEST_CASE("report: refusals say which kind of error", "[report]") {
  English en;
  Network n;
  auto none = Network::request();
  CHECK(kind_of([&] { report::activity(n.db, none); }) == ErrorKind::usage);
  CHECK(kind_of([&] { report::plan(n.db, none); }) == ErrorKind::usage);
  CHECK(kind_of([&] { report::consultations(n.db, none); }) == ErrorKind::usage);
  CHECK(contains(test::message_of([&] { report::activity(n.db, none); }), "--month"));
  CHECK(kind_of([&] { report::activity(n.db, Network::request("2026-10-01")); }) == ErrorKind::usage);
  CHECK(kind_of([&] { report::activity(n.db, Network::request(std::nullopt, "2026-10-31")); }) == ErrorKind::usage);
  CHECK(kind_of([&] { report::activity(n.db, Network::request("2026-10-31", "2026-10-01")); }) == ErrorKind::usage);
  CHECK(
      contains(test::message_of([&] { report::plan(n.db, Network::request("2026-10-31", "2026-10-01")); }), "before"));
  for (const char* bad : {"2026-13-01", "31.02.2026", "октябрь", "2026-10", ""}) {
    INFO(bad);
    CHECK(kind_of([&] { report::activity(n.db, Network::request(bad, "2026-10-31")); }) == ErrorKind::usage);
    CHECK(kind_of([&] {
            report::portfolio(n.db, [&] {
              auto r = Network::request("2026-10-01", bad);
              r.person = n.p1;
              return r;
            }());
          }) == ErrorKind::usage);
  }
  auto r = Network::october();
  r.org = "Нет такой школы";
  CHECK(kind_of([&] { report::activity(n.db, r); }) == ErrorKind::not_found);
  CHECK(kind_of([&] { report::org(n.db, r); }) == ErrorKind::not_found);
  CHECK(kind_of([&] { report::plan(n.db, r); }) == ErrorKind::not_found);
  CHECK(kind_of([&] { report::agreements(n.db, r); }) == ErrorKind::not_found);
  r.org = n.p1;  // a person, not an org
  CHECK(kind_of([&] { report::activity(n.db, r); }) == ErrorKind::not_found);
  r.org.reset();
  r.direction = "нет-такого";
  CHECK(kind_of([&] { report::activity(n.db, r); }) == ErrorKind::not_found);
  CHECK(kind_of([&] { report::consultations(n.db, r); }) == ErrorKind::not_found);
  r.direction.reset();
  r.person = "Никто Никтоевич";
  CHECK(kind_of([&] { report::portfolio(n.db, r); }) == ErrorKind::not_found);
  r.person.reset();
  CHECK(kind_of([&] { report::portfolio(n.db, r); }) == ErrorKind::usage);
  CHECK(kind_of([&] { report::org(n.db, r); }) == ErrorKind::usage);
  r.status = "подписано";
  CHECK(kind_of([&] { report::agreements(n.db, r); }) == ErrorKind::usage);
}

// ---- Renderers

namespace {

// A small Document with what the renderers must take care of: separators,
// quotes, markup, line breaks, a total row, a chart, empty cells.
report::Document sample() {
  using report::CellType;
  using report::Section;
  using report::Table;
  using report::Value;
  report::Document d;
  d.kind = "activity";
  d.organisation = "Управление образования <г. Гудермес>";
  d.title = "Отчёт";
  d.subtitle = "за октябрь 2026 года";
  d.from = "2026-10-01";
  d.to = "2026-10-31";
  d.generated_at = "2026-11-01T07:00:00.000Z";
  d.generated_on = "2026-11-01";
  d.language = "ru";
  Section s{"products", "Продукты"};
  s.paragraphs.push_back("Строка с \"кавычками\" & <тегом>");
  Table t{"by_type",
          "По видам",
          {{"type", "Вид", CellType::text},
           {"count", "Число", CellType::integer},
           {"median", "Медиана", CellType::number},
           {"share", "Доля", CellType::percent},
           {"date", "Дата", CellType::date}}};
  t.rows.push_back({std::string("КИМ, 5 класс"), std::int64_t{12345}, 3.5, 0.25, std::string("2026-10-05")});
  t.rows.push_back({std::string("a|b \"c\"\nd"), std::int64_t{7}, Value(), 0.125, Value()});
  t.rows.push_back({std::string("Итого"), std::int64_t{12352}, 2.25, 1.0, Value()});
  t.total = true;
  s.tables.push_back(std::move(t));
  s.charts.push_back({"Число по видам", "by_type", "type", "count"});
  d.sections.push_back(std::move(s));
  Section empty{"events", "Мероприятия"};
  empty.tables.push_back(Table{"held", "", {{"title", "Название", CellType::text}}});
  d.sections.push_back(std::move(empty));
  return d;
}

std::vector<std::string> lines(const std::string& text) {
  std::vector<std::string> out;
  std::size_t start = 0;
  while (start < text.size()) {
    auto end = text.find('\n', start);
    if (end == std::string::npos) end = text.size();
    out.push_back(text.substr(start, end - start));
    start = end + 1;
  }
  return out;
}

// Every cell of the Document is in the JSON, at its keys, with its value:
// read back with SQLite's JSON functions.
void check_json_matches(Db& db, const report::Document& doc, const std::string& json) {
  Stmt valid(db,
             "SELECT json_valid(?1), json_extract(?1, '$.report'), json_extract(?1, '$.period.from'), "
             "json_extract(?1, '$.period.to'), json_extract(?1, '$.generated_at')");
  valid.bind(1, json);
  REQUIRE(valid.step());
  REQUIRE(valid.column_int(0) == 1);
  CHECK(valid.column_text(1) == doc.kind);
  CHECK(valid.column_optional(2) == doc.from);
  CHECK(valid.column_optional(3) == doc.to);
  CHECK(valid.column_text(4) == doc.generated_at);
  Stmt cell(db,
            "SELECT json_type(?1, ?2), json_extract(?1, ?2), "
            "CASE WHEN json_type(?1, ?2) IN ('integer', 'real') THEN abs(json_extract(?1, ?2) - CAST(?3 AS REAL)) < "
            "1e-9 ELSE 0 END");
  Stmt count(db, "SELECT json_array_length(?1, ?2)");
  std::size_t cells = 0;
  for (const auto& s : doc.sections)
    for (const auto& t : s.tables) {
      auto table_path = fmt::format("$.sections.\"{}\".tables.\"{}\"", s.key, t.key);
      count.reset();
      count.bind(1, json).bind(2, table_path + ".rows");
      REQUIRE(count.step());
      REQUIRE(count.column_int(0) == static_cast<std::int64_t>(t.rows.size()));
      for (std::size_t r = 0; r < t.rows.size(); ++r)
        for (std::size_t c = 0; c < t.columns.size(); ++c) {
          auto path = fmt::format("{}.rows[{}].\"{}\"", table_path, r, t.columns[c].key);
          INFO(path);
          const auto& v = t.rows[r][c];
          cell.reset();
          cell.bind(1, json).bind(2, path);
          if (auto d = std::get_if<double>(&v)) cell.bind(3, fmt::format("{}", *d));
          if (auto i = std::get_if<std::int64_t>(&v)) cell.bind(3, std::to_string(*i));
          REQUIRE(cell.step());
          auto type = cell.column_text(0);
          if (std::holds_alternative<std::monostate>(v)) {
            CHECK(type == "null");
          } else if (auto i = std::get_if<std::int64_t>(&v)) {
            CHECK(type == "integer");
            CHECK(cell.column_int(1) == *i);
          } else if (std::holds_alternative<double>(v)) {
            CHECK((type == "real" || type == "integer"));
            CHECK(cell.column_int(2) == 1);
          } else {
            CHECK(type == "text");
            CHECK(cell.column_text(1) == std::get<std::string>(v));
          }
          ++cells;
        }
    }
  CHECK(cells > 0);
}

}  // namespace

TEST_CASE("report: cells as people read them", "[report]") {
  English en;
  using report::cell_text;
  using report::CellType;
  using report::Value;
  {
    // Reports are Russian documents: no-break spaces between thousands, a
    // decimal comma.
    CHECK(cell_text(Value(std::int64_t{12345}), CellType::integer) == "12\u00A0345");
    CHECK(cell_text(Value(std::int64_t{1234567}), CellType::integer) == "1\u00A0234\u00A0567");
    CHECK(cell_text(Value(std::int64_t{-1234}), CellType::integer) == "-1\u00A0234");
    CHECK(cell_text(Value(std::int64_t{999}), CellType::integer) == "999");
    CHECK(cell_text(Value(std::int64_t{0}), CellType::number) == "0");
    CHECK(cell_text(Value(3.5), CellType::number) == "3,5");
    CHECK(cell_text(Value(8.0), CellType::number) == "8,0");
    CHECK(cell_text(Value(5.25), CellType::number) == "5,3");  // half away from zero
    CHECK(cell_text(Value(0.25), CellType::percent) == "25\u00A0%");
    CHECK(cell_text(Value(0.125), CellType::percent) == "12,5\u00A0%");
    CHECK(cell_text(Value(std::int64_t{1}), CellType::percent) == "100\u00A0%");
  }
  // The same in an English report: its figures are the document's.
  CHECK(cell_text(Value(std::int64_t{1234567}), CellType::integer) == "1\u00A0234\u00A0567");
  CHECK(cell_text(Value(5.25), CellType::number) == "5,3");
  CHECK(cell_text(Value(std::string("2026-10-05")), CellType::date) == "05.10.2026");
  CHECK(cell_text(Value(std::string("2026-10-05")), CellType::text) == "2026-10-05");
  CHECK(cell_text(Value(std::string("не дата")), CellType::date) == "не дата");
  CHECK(cell_text(Value(), CellType::integer).empty());
  CHECK(cell_text(Value(), CellType::date).empty());
  CHECK(report::date_text("2026-10-05") == "05.10.2026");
  auto d = sample();
  CHECK(report::period_text(d) == "01.10.2026 – 31.10.2026");
  d.to.reset();
  CHECK(report::period_text(d) == "from 01.10.2026");
  CHECK(report::generated_line(d) == "Generated: 01.11.2026");
}

TEST_CASE("report: the JSON form parses back with the Document's numbers", "[report]") {
  English en;
  Network n;
  auto doc = report::activity(n.db, Network::october());
  auto json = report::render_json(doc);
  CHECK(report::render(doc, report::Format::json) == json);
  check_json_matches(n.db, doc, json);
  // A few figures by name, as a script reads them.
  auto at = [&](const char* path) {
    Stmt q(n.db, "SELECT CAST(json_extract(?1, ?2) AS TEXT)");
    q.bind(1, json).bind(2, path);
    REQUIRE(q.step());
    return q.column_text(0);
  };
  CHECK(at("$.sections.summary.tables.summary.rows[0].current") == "3");
  CHECK(at("$.sections.summary.tables.summary.rows[0].indicator") == "Products created");
  CHECK(at("$.sections.summary.tables.summary.rows[11].current") == "8");
  CHECK(at("$.sections.summary.tables.summary.rows[11].previous") == "2");
  CHECK(at("$.sections.consultations.tables.by_direction.rows[1].median_days") == "5.25");
  CHECK(at("$.sections.products.tables.published.rows[1].published_on") == "2026-10-10");
  CHECK(at("$.sections.products.tables.by_type.total_row") == "1");
  CHECK(at("$.sections.agreements.tables.changes.rows[0].valid_to").empty());

  auto r = Network::request("2026-09-01", "2026-11-30");
  auto plan = report::plan(n.db, r);
  check_json_matches(n.db, plan, report::render_json(plan));
  auto s = sample();
  check_json_matches(n.db, s, report::render_json(s));
}

TEST_CASE("report: CSV quotes what needs it and writes numbers as scripts read them", "[report]") {
  auto csv = report::render_csv(sample());
  CHECK(csv ==
        "Продукты: По видам\r\n"
        "type,count,median,share,date\r\n"
        "\"КИМ, 5 класс\",12345,3.5,0.25,2026-10-05\r\n"
        "\"a|b \"\"c\"\"\nd\",7,,0.125,\r\n"
        "Итого,12352,2.25,1,\r\n"
        "\r\n"
        "Мероприятия\r\n"
        "title\r\n");
}

TEST_CASE("report: text for the terminal fits its width", "[report]") {
  English en;
  auto d = sample();
  d.sections[0].tables[0].rows[0][0] =
      std::string("Методические рекомендации по организации работы с одарёнными детьми в сельской школе");
  auto wide = report::render_text(d, 0);
  CHECK(contains(wide, "Методические рекомендации по организации работы с одарёнными детьми в сельской школе"));
  CHECK(contains(wide, "12\u00A0345"));
  CHECK(contains(wide, "05.10.2026"));
  CHECK(contains(wide, "(nothing)"));
  CHECK(contains(wide, "Generated: 01.11.2026"));
  for (std::size_t width : {60, 72, 80}) {
    INFO(width);
    auto text = report::render_text(d, width);
    for (const auto& line : lines(text)) {
      INFO(line);
      CHECK(util::display_width(line) <= width);
    }
    CHECK(contains(text, "…"));
    CHECK(contains(text, "12\u00A0345"));  // numbers are not cut
  }
  // The activity report at 80 columns.
  Network n;
  auto text = report::render_text(report::activity(n.db, Network::october()), 80);
  for (const auto& line : lines(text)) {
    INFO(line);
    CHECK(util::display_width(line) <= 80);
  }
  CHECK(contains(text, "Products created"));
}

TEST_CASE("report: Markdown escapes the table's separator", "[report]") {
  English en;
  auto md = report::render_markdown(sample());
  CHECK(contains(md, "# Отчёт\n"));
  CHECK(contains(md, "## Продукты\n"));
  CHECK(contains(md, "| Вид | Число | Медиана | Доля | Дата |\n| --- | ---: | ---: | ---: | --- |\n"));
  CHECK(contains(md, "| КИМ, 5 класс | 12\u00A0345 | 3,5 | 25\u00A0% | 05.10.2026 |\n"));
  CHECK(contains(md, "| a\\|b \"c\"<br>d | 7 |  | 12,5\u00A0% |  |\n"));
  CHECK(contains(md, "| **Итого** | **12\u00A0352** | **2,3** | **100\u00A0%** |  |\n"));
  CHECK(contains(md, "(nothing)"));
  CHECK(contains(md, "_Generated: 01.11.2026_"));
}

TEST_CASE("report: HTML escapes text and draws a chart", "[report]") {
  English en;
  auto html = report::render_html(sample());
  CHECK(html.substr(0, 15) == "<!DOCTYPE html>");
  CHECK(contains(html, "<html lang=\"ru\">"));
  CHECK(contains(html, "Управление образования &lt;г. Гудермес&gt;"));
  CHECK(contains(html, "<p>Строка с &quot;кавычками&quot; &amp; &lt;тегом&gt;</p>"));
  CHECK(contains(html, "<td>a|b &quot;c&quot;<br>d</td>"));
  CHECK_FALSE(contains(html, "<тегом>"));
  CHECK(contains(html, "<tr class=\"total\">"));
  CHECK(contains(html, "<td class=\"n\">12\u00A0345</td>"));
  // One chart: the products', two bars (the total row left out).
  auto svg = html.find("<svg");
  REQUIRE(svg != std::string::npos);
  CHECK(html.find("<svg", svg + 1) == std::string::npos);
  CHECK(svg < html.find("<section id=\"events\">"));
  auto figure = html.substr(svg, html.find("</svg>", svg) - svg);
  std::size_t bars = 0;
  for (auto i = figure.find("<rect"); i != std::string::npos; i = figure.find("<rect", i + 1)) ++bars;
  CHECK(bars == 2);
  CHECK(contains(figure, "width=\"360\""));  // the longest bar is the whole plot
  CHECK(contains(html, "<figcaption>Число по видам</figcaption>"));
  CHECK(contains(html, "Generated: 01.11.2026"));
  // A section with a chart whose table is empty draws none.
  auto d = sample();
  d.sections[0].tables[0].rows.clear();
  d.sections[0].tables[0].total = false;
  CHECK_FALSE(contains(report::render_html(d), "<svg"));
}

// ---- The edges of a period

TEST_CASE("report: a period is whole local days; removed rows and registrations do not count", "[report]") {
  English en;
  std::string org, p1, p2, x, y, z, ea, eb, ef, qa, qb, qc;
  Db db = Db::open(":memory:", OpenMode::create);
  {
    InitOptions o;
    o.name = "УО";
    o.role = Role::hub;
    init_node_in(db, o, nullptr);
  }
  auto at = [&](const char* when, auto write) {
    auto t = *util::parse_local_datetime(when, k_tz);
    Writer w(db, [t] { return t; });
    write(w);
    w.commit();
  };
  at("2026-08-01 10:00", [&](Writer& w) {
    org = Network::org(w, "school", "МБОУ «СОШ № 7»", "СОШ № 7");
    p1 = Network::person(w, "Алиева Марьям Исаевна", org);
    p2 = Network::person(w, "Бисултанов Аслан Ахмедович", org);
    set_expert(w, p2, {"gifted"}, false);
    ea = Network::event(w, "seminar", "Семинар в полночь", "30.09.2026 23:30", "", "СОШ № 7", org, {});
    eb = Network::event(w, "seminar", "Семинар после полуночи", "01.10.2026 00:30", "", "СОШ № 7", org, {});
    ef = Network::event(w, "webinar", "Вебинар после отчёта", "25.10.2026 10:00", "", "https://example.org/w", org, {});
    register_for_event(w, eb, p1, "participant");
    register_for_event(w, eb, p2, "participant");
    register_for_event(w, ef, p1, "participant");
  });
  at("2026-09-29 10:00", [&](Writer& w) { qc = Network::ask(w, p1, "gifted", "Вопрос во вторник"); });
  at("2026-09-30 23:50", [&](Writer& w) { qa = Network::ask(w, p1, "gifted", "Вопрос перед полуночью"); });
  at("2026-09-30 23:55", [&](Writer& w) { x = Network::product(w, "kim", "Перед полуночью", org, {}, {}); });
  at("2026-10-01 00:05", [&](Writer& w) { y = Network::product(w, "kim", "После полуночи", org, {}, {}); });
  at("2026-10-01 00:10", [&](Writer& w) { qb = Network::ask(w, p1, "gifted", "Вопрос после полуночи"); });
  at("2026-10-01 01:00", [&](Writer& w) {
    mark_attendance(w, eb, {p1}, true);
    unregister_from_event(w, eb, p2);
  });
  // Due on 6 October: answered that evening, on time; due on 7 October:
  // answered at 01:00 on the 8th local time (the 7th in UTC), late.
  at("2026-10-06 23:30", [&](Writer& w) { answer_question(w, qc, p2, "Вовремя."); });
  at("2026-10-08 01:00", [&](Writer& w) { answer_question(w, qa, p2, "Поздно."); });
  at("2026-10-10 10:00", [&](Writer& w) { z = Network::product(w, "kim", "Удалённый", org, {}, {}); });
  at("2026-10-11 10:00", [&](Writer& w) { remove_product(w, z); });

  CHECK(get_question(db, qc, "2026-10-20").due_on == "2026-10-06");
  CHECK(get_question(db, qa, "2026-10-20").due_on == "2026-10-07");
  CHECK(get_question(db, qb, "2026-10-20").due_on == "2026-10-08");
  auto doc = report::activity(db, Network::october());
  CHECK(rows(table(doc, "summary", "summary")) ==
        std::vector<std::string>{
            "Products created | 1 | 1",  // y | x; z removed
            "Products submitted for moderation | 0 | 0",
            "Products published | 0 | 0",
            "Events held | 1 | 1",              // eb | ea; ef after the report
            "Participants registered | 1 | 0",  // p2's registration taken back
            "Participants who attended | 1 | 0",
            "Contests held | 0 | 0",
            "Contest winners and awardees | 0 | 0",
            "Questions asked | 1 | 2",
            "Questions answered (first answer) | 2 | 0",
            "Questions left unanswered past their due date | 2 | 0",  // qa late, qb not answered
            "Median days to a first answer | 7.31 | null",
            "Agreements signed | 0 | 0",
            "Agreements in force at the end | 0 | 0",
            "Agreements expiring within 90 days after the end | 0 | 0",
            "Agreements terminated | 0 | 0",
            "Member organisations active | 1 | 1",
            "New member organisations | 0 | 0",
            "Potential members drawn in | 0 | 0",
            "New people in the registry | 0 | 0",
        });
  CHECK(rows(table(doc, "events", "held")) ==
        std::vector<std::string>{"1 | 2026-10-01 | Семинар после полуночи | seminar | СОШ № 7 | 1 | 1"});
  auto plan = report::plan(db, Network::october());
  CHECK(rows(table(plan, "2026-10", "events")) ==
        std::vector<std::string>{"1 | 2026-10-01 | 00:30 | seminar | Семинар после полуночи | МБОУ «СОШ № 7» | СОШ № 7",
                                 "2 | 2026-10-25 | 10:00 | webinar | Вебинар после отчёта | МБОУ «СОШ № 7» | "
                                 "https://example.org/w"});

  // A portfolio lists what the person took part in: the webinar of the 25th
  // has not happened on the 20th.
  auto r = Network::october();
  r.person = p1;
  CHECK(rows(table(report::portfolio(db, r), "events", "participation")) ==
        std::vector<std::string>{"2026-10-01 | Семинар после полуночи | seminar | participant | yes |  | "});
  r.from.reset();
  r.to.reset();
  CHECK(table(report::portfolio(db, r), "events", "participation").rows.size() == 1);
}

TEST_CASE("report: the period under the title is not said twice", "[report]") {
  // A month: its name, then its dates. A range of days: its dates once.
  auto count = [](const std::string& text, const std::string& what) {
    std::size_t n = 0;
    for (auto at = text.find(what); at != std::string::npos; at = text.find(what, at + 1)) ++n;
    return n;
  };
  auto month = sample();
  auto range = sample();
  range.from = "2026-10-03";
  range.to = "2026-10-17";
  range.subtitle = "за период 03.10.2026 – 17.10.2026";
  CHECK(report::period_line(month) == "01.10.2026 – 31.10.2026");
  CHECK(report::period_line(range).empty());
  // The office files: test_report_office.cpp.
  for (auto format : {report::Format::table, report::Format::md, report::Format::html}) {
    INFO(report::format_name(format));
    CHECK(count(report::render(month, format), "01.10.2026 – 31.10.2026") == 1);
    CHECK(count(report::render(month, format), "за октябрь 2026 года") == 1);
    CHECK(count(report::render(range, format), "03.10.2026 – 17.10.2026") == 1);
  }
}
