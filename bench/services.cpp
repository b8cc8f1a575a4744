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
//   bench_services DB
//
// Prints KEY=VALUE lines: counts and the seconds each part took.
#include <fmt/format.h>

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <iostream>
#include <random>
#include <string>
#include <vector>

#include "core/consult.hpp"
#include "core/db.hpp"
#include "core/event.hpp"
#include "core/member.hpp"
#include "core/node.hpp"
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

}  // namespace

int main(int argc, char** argv) {
  if (argc != 2) {
    std::cerr << "usage: bench_services DB\n";
    return 64;
  }
  auto t_all = std::chrono::steady_clock::now();
  auto db = core::Db::open(argv[1], core::OpenMode::create);
  core::InitOptions init;
  init.name = "Бенчмарк: район";
  init.role = core::Role::hub;
  core::init_node_in(db, init, nullptr);
  std::mt19937_64 rng(k_seed);
  auto below = [&](std::size_t n) { return static_cast<std::size_t>(rng() % n); };

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
  std::int64_t registrations = 0;
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
      for (std::size_t r = 0; r < n; ++r) {
        try {
          core::register_for_event(w, id, people[below(people.size())], r == 0 ? "speaker" : "participant");
          ++registrations;
        } catch (const core::Error&) {  // the same person drawn twice
        }
      }
      if (below(10) == 0) core::cancel_event(w, id, "перенос");
    }
    w.commit();
  }
  auto events_s = seconds_since(t0);

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
            << "\nanswered=" << answered << "\nclosed=" << closed << "\nquestions_s=" << questions_s
            << "\nall_s=" << seconds_since(t_all) << "\n";
  return 0;
}
