// Unit tests of discussion threads: replies under their messages in the
// order written, sections of an internet conference, papers, editing by
// the author's node, hiding by a hub, and the refusals.
#include <catch2/catch.hpp>

#include "core/event.hpp"
#include "core/product.hpp"
#include "core/thread.hpp"
#include "core/util/time.hpp"
#include "support.hpp"

using namespace setevoe;
using namespace setevoe::core;
using test::kind_of;

namespace {

PostInput msg(std::string person, std::string text, std::optional<std::string> section = {},
              std::optional<std::string> reply = {}, std::optional<std::string> paper = {}) {
  PostInput in;
  in.person = std::move(person);
  in.text = std::move(text);
  in.section = std::move(section);
  in.reply_to = std::move(reply);
  in.paper = std::move(paper);
  return in;
}

struct Conference {
  Db db = test::memory_node(Role::hub, "УО");
  std::string org, a, b, event, seminar, product;
  std::int64_t now = 1'800'000'000'000;
  util::WallClock clock() {
    auto t = now++;  // every write a millisecond later
    return [t] { return t; };
  }
  Conference() {
    Writer w(db, clock());
    OrgInput o;
    o.kind = "school";
    o.name = "МБОУ «СОШ № 3»";
    org = add_org(w, o);
    PersonInput p;
    p.org = org;
    p.name = "Исаева Зарема Ахмедовна";
    a = add_person(w, p);
    p.name = "Магомадов Руслан Ахмедович";
    b = add_person(w, p);
    EventFields f;
    f.type = "internet-conference";
    f.title = "Функциональная грамотность";
    f.start = "2027-03-10 10:00";
    f.url = "https://example.org/conf";
    f.organiser = org;
    f.sections = std::vector<std::string>{"Математическая грамотность", "Читательская грамотность"};
    event = add_event(w, f, "Europe/Moscow");
    f.type = "seminar";
    f.title = "Семинар";
    f.sections = std::nullopt;
    seminar = add_event(w, f, "Europe/Moscow");
    ProductFields pf;
    pf.type = "recommendations";
    pf.title = "Задачи PISA на уроках";
    pf.authors = std::vector<std::pair<std::string, std::string>>{{a, "author"}};
    product = add_product(w, pf);
    publish_product(w, product, std::nullopt);
    w.commit();
  }
  std::string post(const std::string& entity, const std::string& id, PostInput in) {
    Writer w(db, clock());
    auto out = add_post(w, entity, id, in);
    w.commit();
    return out;
  }
};

}  // namespace

TEST_CASE("threads: replies follow their message, in the order written, sections kept") {
  Conference c;
  auto m1 =
      c.post("event", c.event,
             msg(c.a, "Доклад о задачах PISA", std::string("математическая ГРАМОТНОСТЬ"), std::nullopt, c.product));
  auto m2 = c.post("event", c.event, msg(c.b, "Вопрос к секции чтения", std::string("Читательская грамотность")));
  auto r1 = c.post("event", c.event, msg(c.b, "Спасибо за доклад!", std::nullopt, m1.substr(0, 30)));
  auto r2 = c.post("event", c.event, msg(c.a, "Пожалуйста.", std::nullopt, r1));
  auto r3 = c.post("event", c.event, msg(c.a, "Ещё вопрос", std::nullopt, m1));
  auto thread = list_thread(c.db, c.event);
  std::vector<std::pair<std::string, int>> got;
  for (const auto& p : thread) got.emplace_back(p.id, p.depth);
  CHECK(got == std::vector<std::pair<std::string, int>>{{m1, 0}, {r1, 1}, {r2, 2}, {r3, 1}, {m2, 0}});
  CHECK(thread[0].section == "Математическая грамотность");  // as the event names it
  CHECK(thread[0].paper_title == "Задачи PISA на уроках");
  CHECK(thread[1].section == "Математическая грамотность");  // a reply stays in its message's section
  CHECK(list_thread(c.db, c.event, std::string("читательская грамотность")).size() == 1);
}

TEST_CASE("threads: refusals, editing by the author's node, hiding by a hub") {
  Conference c;
  Writer w(c.db, c.clock());
  CHECK(kind_of([&] { add_post(w, "event", c.event, msg(c.a, "  ")); }) == ErrorKind::usage);
  CHECK(kind_of([&] { add_post(w, "event", c.event, msg(c.a, "x", std::string("Химия"))); }) == ErrorKind::usage);
  CHECK(kind_of([&] { add_post(w, "event", c.seminar, msg(c.a, "x", std::string("Секция"))); }) == ErrorKind::usage);
  CHECK(kind_of([&] { add_post(w, "product", c.product, msg(c.a, "x", std::string("Секция"))); }) == ErrorKind::usage);
  CHECK(kind_of([&] { add_post(w, "product", c.product, msg(c.a, "x", std::nullopt, std::nullopt, c.product)); }) ==
        ErrorKind::usage);
  CHECK(kind_of([&] { add_post(w, "event", c.event, msg("Никто", "x")); }) == ErrorKind::not_found);
  auto on_product = add_post(w, "product", c.product, msg(c.a, "Хорошие рекомендации"));
  CHECK(kind_of([&] { add_post(w, "event", c.event, msg(c.a, "x", std::nullopt, on_product)); }) == ErrorKind::usage);
  CHECK(kind_of([&] { add_post(w, "event", c.event, msg(c.a, "x", std::nullopt, std::string("ab"))); }) ==
        ErrorKind::usage);
  edit_post(w, on_product, "Хорошие рекомендации, спасибо");
  CHECK(kind_of([&] { edit_post(w, on_product, ""); }) == ErrorKind::usage);
  CHECK(kind_of([&] { hide_post(w, on_product, true, " "); }) == ErrorKind::usage);
  hide_post(w, on_product, true, "реклама");
  cancel_event(w, c.seminar, "перенос");
  CHECK(kind_of([&] { add_post(w, "event", c.seminar, msg(c.a, "x")); }) == ErrorKind::usage);
  w.commit();
  auto p = get_post(c.db, on_product);
  CHECK(p.text == "Хорошие рекомендации, спасибо");
  CHECK(p.edited_at);
  CHECK(p.hidden);
  CHECK(p.hide_reason == std::optional<std::string>("реклама"));
  // A school neither hides messages nor edits another node's.
  auto school = test::memory_node(Role::school);
  Stmt(school,
       "INSERT INTO post (id, owner, entity, entity_id, person, text, posted_at, _v) VALUES "
       "('01900000-0000-7000-8000-0000000000a1', 'someone', 'event', 'e', 'p', 'Текст', '2026-11-27T07:00:00.000Z', "
       "'{}')")
      .run();
  Writer ws(school);
  CHECK(kind_of([&] { hide_post(ws, "01900000-0000-7000-8000-0000000000a1", true, "спам"); }) ==
        ErrorKind::not_permitted);
  CHECK(kind_of([&] { edit_post(ws, "01900000-0000-7000-8000-0000000000a1", "Чужое"); }) == ErrorKind::not_permitted);
}
