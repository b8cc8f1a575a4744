// The region-size database of the services benchmark (bench/services.sh): a
// hub with 500 orgs and 20,000 people, 100,000 events over four years
// (2024–2027, added about a month ahead) with 0 to 12 registrations each, and 50,000 questions to the
// experts asked over 2026 (nearly all older ones answered, half the last
// tenth; half the answered closed; the rest overdue or open), all
// written through the real operations (add_event, register_for_event,
// ask_question, answer_question, close_question) in core::Writer
// transactions of 5,000. A fixed seed: the same database every run (ids and
// times of writing aside).
//
// With --activity, also what the activity report (bench/report.sh) reads,
// so that every section of it has figures: half the events held so far get
// their attendance marked (and a contest its places and awards, through
// mark_attendance and record_result); methodological products made over
// 2024–2027, enough for products, events, registrations and questions to
// make 1,000,000 rows, most of them submitted and then published, rejected or
// left waiting (add_product, submit_product, publish_product, reject_product,
// archive_product, each at its own moment: the writer's clock is set to it);
// and 400 agreements between the orgs. These draw from a second generator,
// so the rest of the region is the same with the flag or without it.
//
//   bench_services DB [--activity]
//
// Prints KEY=VALUE lines: counts and the seconds each part took.
#include <fmt/format.h>

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <iostream>
#include <optional>
#include <random>
#include <string>
#include <vector>

#include "core/agreement.hpp"
#include "core/consult.hpp"
#include "core/db.hpp"
#include "core/event.hpp"
#include "core/member.hpp"
#include "core/node.hpp"
#include "core/product.hpp"
#include "core/replica.hpp"
#include "core/util/time.hpp"

using namespace setevoe;

namespace {

constexpr int k_orgs = 500;
constexpr int k_people = 20000;
constexpr int k_events = 100000;
constexpr int k_questions = 50000;
constexpr int k_batch = 5000;
constexpr std::uint64_t k_seed = 20261129;
// --activity: the rows of products, events, registrations and questions
// together; the agreements; the second generator's seed.
constexpr std::int64_t k_rows = 1000000;
constexpr int k_agreements = 400;
constexpr std::uint64_t k_activity_seed = 20261201;
const std::string k_tz = "Europe/Moscow";

double seconds_since(std::chrono::steady_clock::time_point t0) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
}

const std::vector<std::string> k_types = {"seminar",      "webinar",  "web-conference", "contest",
                                          "master-class", "workshop", "discussion",     "internet-conference"};
const std::vector<std::string> k_themes = {"Формирующее оценивание",           "Функциональная грамотность",
                                           "Цифровые сервисы на уроке",        "Работа с одарёнными детьми",
                                           "Инклюзивное образование",          "Проектная деятельность",
                                           "Читательская грамотность",         "Подготовка к ГИА",
                                           "Наставничество молодых педагогов", "Чеченский язык и литература"};
const std::vector<std::string> k_directions = {"quality", "gifted",   "communication", "developmental",
                                               "profile", "distance", "technology",    "special-needs"};
// Types of products and how often each is made, of 20.
const std::vector<std::pair<std::string, int>> k_product_types = {
    {"lesson-plan", 4},   {"recommendations", 3},       {"presentation", 3},   {"lesson-video", 2},
    {"kim", 1},           {"assessment-sheet", 1},      {"work-programme", 1}, {"project", 1},
    {"best-practice", 1}, {"extracurricular-video", 1}, {"regulatory", 1},     {"other", 1}};
const std::vector<std::string> k_subjects = {"математика", "русский язык", "литература",  "история",
                                             "биология",   "физика",       "информатика", "чеченский язык"};
// A level and its grades ("" for none).
const std::vector<std::pair<std::string, std::string>> k_levels = {
    {"noo", "1-4"}, {"ooo", "5-9"}, {"ooo", "7"}, {"soo", "10-11"}, {"dop", ""}};

struct ProductCounts {
  std::int64_t products = 0, submitted = 0, published = 0, rejected = 0, archived = 0;
};

}  // namespace

int main(int argc, char** argv) {
  bool activity = argc == 3 && std::string(argv[2]) == "--activity";
  if (argc != 2 && !activity) {
    std::cerr << "usage: bench_services DB [--activity]\n";
    return 64;
  }
  auto t_all = std::chrono::steady_clock::now();
  auto db = core::Db::open(argv[1], core::OpenMode::create);
  core::InitOptions init;
  init.name = "Бенчмарк: район";
  init.role = core::Role::hub;
  core::init_node_in(db, init, nullptr);
  std::mt19937_64 rng(k_seed), more(k_activity_seed);
  auto below = [&](std::size_t n) { return static_cast<std::size_t>(rng() % n); };
  auto more_below = [&](std::size_t n) { return static_cast<std::size_t>(more() % n); };

  // ---- The registry, with two experts per direction.
  auto t0 = std::chrono::steady_clock::now();
  std::vector<std::string> orgs, people;
  {
    core::Writer w(db);
    for (int i = 0; i < k_orgs; ++i) {
      core::OrgInput o;
      o.kind = "school";
      o.name = fmt::format("МБОУ «СОШ № {}»", i + 1);
      o.check_duplicate = false;
      orgs.push_back(core::add_org(w, o));
    }
    for (int i = 0; i < k_people; ++i) {
      core::PersonInput p;
      p.name = fmt::format("Учитель {} школы {}", i / k_orgs + 1, i % k_orgs + 1);
      p.org = orgs[static_cast<std::size_t>(i % k_orgs)];
      p.check_duplicate = false;
      people.push_back(core::add_person(w, p));
    }
    for (std::size_t d = 0; d < k_directions.size(); ++d)
      for (std::size_t e = 0; e < 2; ++e) core::set_expert(w, people[d * 2 + e], {k_directions[d]}, false);
    w.commit();
  }
  auto registry_s = seconds_since(t0);

  // ---- Events over 2024–2027, registrations, and marks for the past ones.
  t0 = std::chrono::steady_clock::now();
  auto first = *util::parse_local_datetime("2024-01-01 00:00", k_tz);
  auto span_minutes = (*util::parse_local_datetime("2028-01-01 00:00", k_tz) - first) / 60000;
  // A plan is made a month or so ahead: events are added roughly in the
  // order they happen, in no order within about a month's plan.
  std::vector<std::int64_t> minutes(k_events);
  for (auto& m : minutes) m = static_cast<std::int64_t>(below(static_cast<std::size_t>(span_minutes)));
  std::sort(minutes.begin(), minutes.end());
  constexpr std::size_t k_month = k_events / 48;
  for (std::size_t b = 0; b < minutes.size(); b += k_month)
    for (std::size_t i = std::min(minutes.size(), b + k_month) - 1; i > b; --i)
      std::swap(minutes[i], minutes[b + below(i - b + 1)]);
  std::int64_t registrations = 0, marked_events = 0, marks = 0, attended = 0, results = 0;
  for (int done = 0; done < k_events;) {
    core::Writer w(db);
    for (int i = 0; i < k_batch && done < k_events; ++i, ++done) {
      // Working hours: the day drawn, 09:00 to 17:30 local.
      auto minute = minutes[static_cast<std::size_t>(done)];
      auto day = util::local_datetime(first + minute * 60000, k_tz).substr(0, 10);
      auto start = fmt::format("{} {:02}:{:02}", day, 9 + below(9), below(2) * 30);
      core::EventFields f;
      f.type = k_types[below(k_types.size())];
      f.title = fmt::format("{}: {} № {}", k_themes[below(k_themes.size())], "занятие", done + 1);
      f.start = start;
      f.end = fmt::format("{} {:02}:{:02}", day, 18, 0);
      if (below(3) == 0)
        f.url = "https://sferum.ru/?call_link=" + std::to_string(done);
      else
        f.place = fmt::format("МБОУ «СОШ № {}», актовый зал", below(k_orgs) + 1);
      f.organiser = orgs[below(orgs.size())];
      f.directions = std::vector<std::string>{k_directions[below(k_directions.size())]};
      auto id = core::add_event(w, f, k_tz);
      auto n = below(13);
      std::vector<std::string> registered;
      for (std::size_t r = 0; r < n; ++r) {
        try {
          const auto& person = people[below(people.size())];
          core::register_for_event(w, id, person, r == 0 ? "speaker" : "participant");
          registered.push_back(person);
          ++registrations;
        } catch (const core::Error&) {  // the same person drawn twice
        }
      }
      if (below(10) == 0) {
        core::cancel_event(w, id, "перенос");
      } else if (activity && !registered.empty() && *util::parse_local_datetime(start, k_tz) <= w.now_ms() &&
                 more_below(2) == 0) {
        // Held: most of those registered came; some of the rest are marked
        // as absent; a contest's first three who came take the places, and
        // one more may be a laureate.
        std::vector<std::string> came, absent;
        for (const auto& person : registered) (more_below(100) < 85 ? came : absent).push_back(person);
        if (!came.empty()) core::mark_attendance(w, id, came, true);
        if (!absent.empty() && more_below(2) == 0) {
          core::mark_attendance(w, id, absent, false);
          marks += static_cast<std::int64_t>(absent.size());
        }
        marks += static_cast<std::int64_t>(came.size());
        attended += static_cast<std::int64_t>(came.size());
        if (*f.type == "contest") {
          for (std::size_t p = 0; p < came.size() && p < 4; ++p) {
            if (p < 3)
              core::record_result(w, id, came[p], static_cast<std::int64_t>(p + 1), std::nullopt);
            else if (more_below(2) == 0)
              core::record_result(w, id, came[p], std::nullopt, std::string("Лауреат"));
            else
              break;
            ++results;
          }
        }
        ++marked_events;
      }
    }
    w.commit();
  }
  auto events_s = seconds_since(t0);

  // ---- --activity: products made over 2024–2027 (enough for a million rows),
  // in the order they were made; 70 % submitted a few days later, of those
  // three in four published within two weeks (a few archived since), one in
  // ten rejected, the rest waiting. Then agreements.
  ProductCounts pc;
  double products_s = 0, agreements_s = 0;
  std::int64_t agreements = 0, terminated = 0;
  if (activity) {
    t0 = std::chrono::steady_clock::now();
    auto n_products = k_rows - k_events - registrations - k_questions;
    auto day_ms = std::int64_t{86'400'000};
    auto span_ms = *util::parse_local_datetime("2028-01-01 00:00", k_tz) - first;
    std::vector<std::int64_t> made(static_cast<std::size_t>(n_products));
    for (auto& m : made) m = first + static_cast<std::int64_t>(more() % static_cast<std::uint64_t>(span_ms));
    std::sort(made.begin(), made.end());
    const auto& moderator = people[0];
    std::vector<std::string> types;
    for (const auto& [code, weight] : k_product_types)
      types.insert(types.end(), static_cast<std::size_t>(weight), code);
    for (std::size_t done = 0; done < made.size();) {
      // Each operation at its own moment: the writer reads this clock.
      std::int64_t at = 0;
      core::Writer w(db, [&at] { return at; });
      for (int i = 0; i < k_batch && done < made.size(); ++i, ++done) {
        at = made[done];
        core::ProductFields f;
        f.type = types[more_below(types.size())];
        f.title = fmt::format("{}: материалы № {}", k_themes[more_below(k_themes.size())], done + 1);
        f.annotation = "Методическая разработка с примерами заданий и критериями оценивания.";
        const auto& [level, grades] = k_levels[more_below(k_levels.size())];
        f.levels = std::vector<std::string>{level};
        if (!grades.empty()) f.grades = grades;
        f.subject = k_subjects[more_below(k_subjects.size())];
        std::vector<std::pair<std::string, std::string>> authors{{people[more_below(people.size())], "author"}};
        if (more_below(3) == 0) {
          const auto& co = people[more_below(people.size())];
          if (co != authors[0].first) authors.push_back({co, "co-author"});
        }
        f.authors = authors;
        std::vector<std::string> directions{k_directions[more_below(k_directions.size())]};
        if (more_below(4) == 0) {
          const auto& d = k_directions[more_below(k_directions.size())];
          if (d != directions[0]) directions.push_back(d);
        }
        f.directions = directions;
        auto id = core::add_product(w, f);
        ++pc.products;
        if (more_below(10) >= 7) continue;
        at += day_ms * static_cast<std::int64_t>(1 + more_below(10));
        core::submit_product(w, id);
        ++pc.submitted;
        auto fate = more_below(20);
        at += day_ms * static_cast<std::int64_t>(1 + more_below(14));
        if (fate < 15) {
          core::publish_product(w, id, moderator);
          ++pc.published;
          if (more_below(50) == 0) {
            at += day_ms * static_cast<std::int64_t>(30 + more_below(300));
            core::archive_product(w, id, moderator);
            ++pc.archived;
          }
        } else if (fate < 17) {
          core::reject_product(w, id, "Не приложены материалы к уроку.", moderator);
          ++pc.rejected;
        }
      }
      w.commit();
    }
    products_s = seconds_since(t0);

    t0 = std::chrono::steady_clock::now();
    core::Writer w(db);
    for (int i = 0; i < k_agreements; ++i) {
      auto signed_on =
          util::local_date(first + static_cast<std::int64_t>(more() % static_cast<std::uint64_t>(span_ms)), k_tz);
      core::AgreementFields a;
      a.number = fmt::format("{}/{}", i + 1, signed_on.substr(0, 4));
      a.kind = more_below(3) == 0 ? "creative-cooperation" : "joint-activity";
      a.title = fmt::format("О сетевом взаимодействии: {}", k_themes[more_below(k_themes.size())]);
      a.subject = "Совместная методическая работа и обмен опытом";
      if (more_below(20) != 0) a.date = signed_on;  // one in twenty a draft
      if (more_below(5) != 0) a.valid_to = util::add_days(signed_on, static_cast<int>(365 * (1 + more_below(3)) - 1));
      std::vector<std::string> parties;
      for (auto k = 2 + more_below(3); parties.size() < k;) {
        const auto& o = orgs[more_below(orgs.size())];
        if (std::find(parties.begin(), parties.end(), o) == parties.end()) parties.push_back(o);
      }
      a.parties = parties;
      auto id = core::add_agreement(w, a);
      for (const auto& o : parties) core::add_obligation(w, id, o, "Проводить совместные семинары и обмен опытом.");
      ++agreements;
      if (a.date && more_below(10) == 0) {
        core::terminate_agreement(w, id, util::add_days(signed_on, static_cast<int>(30 + more_below(300))),
                                  "По соглашению сторон.");
        ++terminated;
      }
    }
    w.commit();
    agreements_s = seconds_since(t0);
  }

  // ---- Questions asked over 2026, at a working-day pace; most answered.
  t0 = std::chrono::steady_clock::now();
  core::WorkCalendar calendar;
  auto year_start = *util::parse_local_datetime("2026-01-09 09:00", k_tz);
  auto year_ms = *util::parse_local_datetime("2026-11-20 18:00", k_tz) - year_start;
  std::int64_t answered = 0, closed = 0;
  for (int done = 0; done < k_questions;) {
    // Each batch at its own moment of the year, in order: the clock of the writer.
    auto at = year_start + year_ms / (k_questions / k_batch) * (done / k_batch);
    core::Writer w(db, [&at] { return at; });
    for (int i = 0; i < k_batch && done < k_questions; ++i, ++done) {
      at += 1000;
      core::QuestionInput q;
      q.person = people[below(people.size())];
      auto d = below(k_directions.size());
      q.direction = k_directions[d];
      q.title = fmt::format("{}: вопрос № {}", k_themes[below(k_themes.size())], done + 1);
      q.text = "Как организовать работу, с чего начать, какие материалы использовать?";
      q.publish = below(2) == 0;
      auto id = core::ask_question(w, q, calendar, k_tz);
      // The older a question, the likelier it was answered long ago.
      if (below(100) < (done < k_questions * 9 / 10 ? 97u : 50u)) {
        core::answer_question(w, id, people[d * 2 + below(2)], "Начните с методических рекомендаций каталога.");
        ++answered;
        if (below(2) == 0) {
          core::close_question(w, id);
          ++closed;
        }
      }
    }
    w.commit();
  }
  auto questions_s = seconds_since(t0);
  db.exec("PRAGMA wal_checkpoint(TRUNCATE)");

  std::cout << "orgs=" << k_orgs << "\npeople=" << k_people << "\nregistry_s=" << registry_s << "\nevents=" << k_events
            << "\nregistrations=" << registrations << "\nevents_s=" << events_s << "\nquestions=" << k_questions
            << "\nanswered=" << answered << "\nclosed=" << closed << "\nquestions_s=" << questions_s;
  if (activity)
    std::cout << "\nmarked_events=" << marked_events << "\nmarks=" << marks << "\nattended=" << attended
              << "\nresults=" << results << "\nproducts=" << pc.products << "\nsubmitted=" << pc.submitted
              << "\npublished=" << pc.published << "\nrejected=" << pc.rejected << "\narchived=" << pc.archived
              << "\nproducts_s=" << products_s << "\nagreements=" << agreements << "\nterminated=" << terminated
              << "\nagreements_s=" << agreements_s << "\nrows=" << pc.products + k_events + registrations + k_questions;
  std::cout << "\nall_s=" << seconds_since(t_all) << "\n";
  return 0;
}
