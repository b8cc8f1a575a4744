// Unit tests of the «Консультация» service: working days with the year's
// holidays, asking, assigning experts (by hand or the direction's),
// answering, accepting, closing, the statuses and overdue questions, the
// FAQ, and every refusal.
#include <catch2/catch.hpp>

#include "core/consult.hpp"
#include "core/node.hpp"
#include "core/replica.hpp"
#include "core/util/time.hpp"
#include "support.hpp"

using namespace setevoe;
using namespace setevoe::core;
using test::kind_of;

namespace {

const std::string k_tz = "Europe/Moscow";

// A hub with an org, an asker, two experts of the direction "gifted" and a
// person who is no expert.
struct Service {
  Db db = test::memory_node(Role::hub, "УО");
  std::string asker, expert, second, stranger;
  WorkCalendar calendar;
  std::int64_t now = *util::parse_local_datetime("2026-11-27 10:00", k_tz);  // a Friday
  util::WallClock clock() const {
    auto t = now;
    return [t] { return t; };
  }
  Service() {
    Writer w(db, clock());
    OrgInput o;
    o.kind = "school";
    o.name = "МБОУ «СОШ № 3»";
    auto org = add_org(w, o);
    auto person = [&](const char* name) {
      PersonInput p;
      p.name = name;
      p.org = org;
      return add_person(w, p);
    };
    asker = person("Исаева Зарема Ахмедовна");
    expert = person("Байсултанова Хеда Мусаевна");
    second = person("Магомадов Руслан Ахмедович");
    stranger = person("Умаров Ислам Русланович");
    set_expert(w, expert, {"gifted"}, false);
    set_expert(w, second, {"gifted"}, false);
    w.commit();
  }
  std::string ask(const std::string& title = "Как готовить к олимпиаде пятиклассников?") {
    Writer w(db, clock());
    QuestionInput in;
    in.person = asker;
    in.direction = "gifted";
    in.title = title;
    in.text = "Какие задачи давать в начале года?";
    auto id = ask_question(w, in, calendar, k_tz);
    w.commit();
    return id;
  }
  Question get(const std::string& id, const std::string& today = "2026-11-27") { return get_question(db, id, today); }
};

}  // namespace

TEST_CASE("consult: working days skip weekends and the year's holidays") {
  WorkCalendar none;
  // Without a list for the year, the Labour Code's fixed holidays: 23 February 2026 is a Monday.
  CHECK(add_working_days("2026-02-20", 1, none) == "2026-02-24");
  CHECK(add_working_days("2026-11-27", 5, none) == "2026-12-04");
  CHECK(add_working_days("2026-12-30", 2, none) == "2027-01-11");  // 1–8 January, then a weekend
  CHECK_FALSE(is_working_day("2026-11-04", none));
  // The year's official calendar replaces them: 9 March 2026 off (8 March is a Sunday), a worked Saturday.
  WorkCalendar official;
  official.holidays = {"2026-01-01", "2026-03-09", "2026-11-04"};
  official.working_days = {"2026-11-07"};
  CHECK_FALSE(is_working_day("2026-03-09", official));
  CHECK(is_working_day("2026-02-23", official));  // not in this list: the list is the whole year's
  CHECK(is_working_day("2026-11-07", official));  // a Saturday worked
  CHECK(add_working_days("2026-11-03", 2, official) == "2026-11-06");
  CHECK(add_working_days("2026-11-06", 1, official) == "2026-11-07");
  // Another year without a list falls back to the fixed holidays.
  CHECK_FALSE(is_working_day("2027-02-23", official));
}

TEST_CASE("consult: a question is due in working days, assigned, answered, accepted, closed") {
  Service s;
  auto id = s.ask();
  auto other = s.ask("Другой вопрос");
  auto q = s.get(id);
  CHECK(q.status == "open");
  CHECK(q.due_on == "2026-12-04");  // five working days after Friday 27 November
  CHECK(q.direction_code == "gifted");
  CHECK(q.person_name == "Исаева Зарема Ахмедовна");
  CHECK_FALSE(q.overdue);
  CHECK(s.get(id, "2026-12-05").overdue);
  CHECK_FALSE(s.get(id, "2026-12-04").overdue);  // due that day, not overdue yet

  Writer w(s.db, s.clock());
  assign_question(w, id, {});  // the direction's experts
  auto assigned = get_question(s.db, id, "2026-11-27");
  REQUIRE(assigned.experts.size() == 2);
  CHECK(assigned.experts[0].second == "Байсултанова Хеда Мусаевна");
  CHECK(assigned.status == "assigned");
  CHECK(assigned.assigned_at);
  assign_question(w, id, {"Умаров Ислам Русланович"});  // by hand: anyone the hub chooses
  CHECK(get_question(s.db, id, "2026-11-27").experts.size() == 1);

  CHECK(kind_of([&] { answer_question(w, id, s.second, "  "); }) == ErrorKind::usage);
  auto a1 = answer_question(w, id, s.stranger, "Начните с задач на чётность.");  // assigned
  auto a2 = answer_question(w, id, s.expert, "Разберите задачи прошлых лет.");   // an expert of the direction
  CHECK(kind_of([&] { answer_question(w, id, "Ахмадова", "x"); }) == ErrorKind::not_found);
  CHECK(kind_of([&] { answer_question(w, id, s.asker, "Сама отвечу"); }) == ErrorKind::usage);  // no expert
  CHECK(kind_of([&] { accept_answer(w, other, a1, true); }) == ErrorKind::not_found);           // another question's
  // Both answers were written in the same millisecond: a short prefix names both.
  CHECK(kind_of([&] { accept_answer(w, id, a2.substr(0, 8), true); }) == ErrorKind::usage);
  accept_answer(w, id, a2.substr(0, 30), true);
  // In the FAQ now: it stays there.
  CHECK(kind_of([&] { accept_answer(w, id, a2, false); }) == ErrorKind::usage);
  close_question(w, id);
  CHECK(kind_of([&] { close_question(w, id); }) == ErrorKind::usage);
  CHECK(kind_of([&] { answer_question(w, id, s.expert, "Ещё"); }) == ErrorKind::usage);
  CHECK(kind_of([&] { assign_question(w, id, {}); }) == ErrorKind::usage);
  w.commit();
  auto done = s.get(id);
  CHECK(done.status == "closed");
  CHECK(done.answers == 2);
  CHECK(done.accepted == std::optional<std::string>(a2));
  CHECK(done.first_answer_at);
  auto answers = list_answers(s.db, id);
  REQUIRE(answers.size() == 2);
  for (const auto& a : answers) CHECK(a.accepted == (a.id == a2));
  // The FAQ: the accepted answer the asker allowed to publish.
  auto faq = list_faq(s.db, std::nullopt, "2026-11-27");
  REQUIRE(faq.size() == 1);
  CHECK(faq[0].answer.id == a2);
  CHECK(list_faq(s.db, std::string("quality"), "2026-11-27").empty());
  Writer w3(s.db, s.clock());
  reopen_question(w3, id);
  CHECK(kind_of([&] { reopen_question(w3, id); }) == ErrorKind::usage);
  w3.commit();
  CHECK(s.get(id).status == "answered");
}

TEST_CASE("consult: lists by status, overdue first due first, direction and expert") {
  Service s;
  auto a = s.ask("Первый");
  s.now += 3 * 86'400'000;  // Monday
  auto b = s.ask("Второй");
  s.now += 60'000;
  auto c = s.ask("Третий");
  {
    Writer w(s.db, s.clock());
    assign_question(w, b, {s.expert});
    answer_question(w, c, s.expert, "Ответ");
    w.commit();
  }
  auto ids = [&](QuestionFilter f, const std::string& today) {
    std::vector<std::string> out;
    for (const auto& q : list_questions(s.db, f, today)) out.push_back(q.id);
    return out;
  };
  CHECK(ids({}, "2026-11-30") == std::vector<std::string>{c, b, a});
  QuestionFilter overdue;
  overdue.status = "просрочен";
  CHECK(ids(overdue, "2026-12-04").empty());
  CHECK(ids(overdue, "2026-12-05") == std::vector<std::string>{a});
  CHECK(ids(overdue, "2026-12-08") == std::vector<std::string>{a, b});  // c is answered
  QuestionFilter assigned;
  assigned.status = "assigned";
  CHECK(ids(assigned, "2026-11-30") == std::vector<std::string>{b});
  QuestionFilter answered;
  answered.status = "answered";
  CHECK(ids(answered, "2026-11-30") == std::vector<std::string>{c});
  QuestionFilter by_expert;
  by_expert.expert = s.expert;
  CHECK(ids(by_expert, "2026-11-30") == std::vector<std::string>{b});
  QuestionFilter bad;
  bad.status = "решён";
  CHECK(kind_of([&] { list_questions(s.db, bad, "2026-11-30"); }) == ErrorKind::usage);
  QuestionFilter dir;
  dir.direction = "quality";
  CHECK(ids(dir, "2026-11-30").empty());
}

TEST_CASE("consult: refusals say what is wrong and write nothing") {
  Service s;
  Writer w(s.db, s.clock());
  QuestionInput in;
  in.person = s.asker;
  in.direction = "gifted";
  in.title = "  ";
  in.text = "Текст";
  CHECK(kind_of([&] { ask_question(w, in, s.calendar, k_tz); }) == ErrorKind::usage);
  in.title = "Вопрос";
  in.text = "";
  CHECK(kind_of([&] { ask_question(w, in, s.calendar, k_tz); }) == ErrorKind::usage);
  in.text = "Текст";
  in.direction = "астрология";
  CHECK(kind_of([&] { ask_question(w, in, s.calendar, k_tz); }) == ErrorKind::not_found);
  in.direction = "quality";
  auto id = ask_question(w, in, s.calendar, k_tz);
  CHECK(kind_of([&] { assign_question(w, id, {}); }) == ErrorKind::usage);  // no experts of «quality»
  CHECK(kind_of([&] { accept_answer(w, id, "zz", std::nullopt); }) == ErrorKind::usage);
  w.commit();
  // A school may not assign experts; another node's question is not accepted here.
  auto school = test::memory_node(Role::school);
  Stmt(school,
       "INSERT INTO question (id, owner, person, direction, title, text, asked_at, due_on, _v) VALUES "
       "('01900000-0000-7000-8000-00000000000a', 'someone', 'p', 'd', 'Чужой', 'Текст', "
       "'2026-11-27T07:00:00.000Z', '2026-12-04', '{}')")
      .run();
  Stmt(school,
       "INSERT INTO answer (id, owner, question, person, text, answered_at, _v) VALUES "
       "('01900000-0000-7000-8000-00000000000b', 'someone', '01900000-0000-7000-8000-00000000000a', 'e', 'Ответ', "
       "'2026-11-27T08:00:00.000Z', '{}')")
      .run();
  Writer ws(school);
  CHECK(kind_of([&] { assign_question(ws, "01900000-0000-7000-8000-00000000000a", {"x"}); }) ==
        ErrorKind::not_permitted);
  CHECK(kind_of([&] { accept_answer(ws, "01900000-0000-7000-8000-00000000000a", "01900000", true); }) ==
        ErrorKind::not_permitted);
  CHECK(kind_of([&] { close_question(ws, "01900000-0000-7000-8000-00000000000a"); }) == ErrorKind::not_permitted);
  CHECK(kind_of([&] { assign_unassigned(ws); }) == ErrorKind::not_permitted);
}

TEST_CASE("consult: the hub assigns every new question to its direction's experts") {
  Service s;
  auto a = s.ask("Один");
  auto b = s.ask("Два");
  Writer w(s.db, s.clock());
  QuestionInput in;
  in.person = s.asker;
  in.direction = "quality";  // nobody is an expert of it: left
  in.title = "Три";
  in.text = "Текст";
  auto c = ask_question(w, in, s.calendar, k_tz);
  CHECK(assign_unassigned(w) == 2);
  CHECK(assign_unassigned(w) == 0);
  w.commit();
  CHECK(s.get(a).status == "assigned");
  CHECK(s.get(b).experts.size() == 2);
  CHECK(s.get(c).status == "open");
}
