// Unit tests of the catalogue's parts that need no network: parsing of
// grades and criteria, vocabularies, derived ids, value authority.
#include <catch2/catch.hpp>

#include "core/product.hpp"
#include "core/replica.hpp"
#include "core/util/uuid.hpp"
#include "support.hpp"

using namespace setevoe;
using namespace setevoe::core;
using test::kind_of;

TEST_CASE("grades are a grade or a range of 1 to 11, typed as people write them") {
  CHECK(parse_grades("5") == std::pair{5, 5});
  CHECK(parse_grades("5-7") == std::pair{5, 7});
  CHECK(parse_grades(" 5 – 7 ") == std::pair{5, 7});
  CHECK(parse_grades("5—7 классы") == std::pair{5, 7});
  CHECK(parse_grades("10-11 кл.") == std::pair{10, 11});
  CHECK(parse_grades("1-11") == std::pair{1, 11});
  for (const char* bad : {"", "0", "12", "7-5", "5-", "-5", "пять", "5-7-9", "5,7", "99999999999999999999"})
    CHECK(kind_of([&] { parse_grades(bad); }) == ErrorKind::usage);
  CHECK(grades_text(5, 7) == "5\u20137");
  CHECK(grades_text(9, 9) == "9");
  CHECK(grades_text(std::nullopt, std::nullopt).empty());
}

TEST_CASE("criteria are NAME=SCORE with a score of 1 to 5") {
  CHECK(parse_criterion("актуальность=5") == std::pair<std::string, int>{"актуальность", 5});
  CHECK(parse_criterion(" новизна = 3 ") == std::pair<std::string, int>{"новизна", 3});
  CHECK(parse_criterion("a=b=4") == std::pair<std::string, int>{"a=b", 4});
  for (const char* bad : {"актуальность", "=4", "польза=0", "польза=6", "польза=пять", "польза=4.5"})
    CHECK(kind_of([&] { parse_criterion(bad); }) == ErrorKind::usage);
}

TEST_CASE("vocabulary terms are accepted as codes, Russian labels and aliases, in any case") {
  CHECK(parse_term(product_types(), "КИМ", "type") == "kim");
  CHECK(parse_term(product_types(), "технологическая карта", "type") == "lesson-plan");
  CHECK(parse_term(product_types(), "Lesson-Video", "type") == "lesson-video");
  CHECK(parse_term(licences(), "cc-by-sa-4.0", "licence") == "CC-BY-SA-4.0");
  CHECK(parse_term(licences(), "Только внутри сети", "licence") == "network-only");
  CHECK(parse_term(education_levels(), "ооо", "level") == "ooo");
  CHECK(parse_term(education_levels(), "дошкольное образование", "level") == "do");
  CHECK(kind_of([] { parse_term(product_types(), "видеоклип", "type"); }) == ErrorKind::usage);
  CHECK(product_types().size() == 12);
}

TEST_CASE("ids derived from a name are UUIDs, the same for the same name") {
  auto a = util::uuid_for_name("review:x:y");
  CHECK(util::is_uuid(a));
  CHECK(a[14] == '8');
  CHECK(std::string("89ab").find(a[19]) != std::string::npos);
  CHECK(a == util::uuid_for_name("review:x:y"));
  CHECK(a != util::uuid_for_name("review:x:z"));
  // The floor of a millisecond sorts before every id made in it, after those before.
  auto floor = util::uuid7_floor(1'800'000'000'000);
  CHECK(util::uuid7(1'800'000'000'000) >= floor);
  CHECK(util::uuid7(1'799'999'999'999) < floor);
}

TEST_CASE("a school may set a product's status only to draft or submitted") {
  CHECK(school_value_offence(tables::product, "status", Value(std::string("draft"))).empty());
  CHECK(school_value_offence(tables::product, "status", Value(std::string("submitted"))).empty());
  CHECK(!school_value_offence(tables::product, "status", Value(std::string("published"))).empty());
  CHECK(!school_value_offence(tables::product, "status", Value(std::int64_t{1})).empty());
  CHECK(!school_value_offence(tables::product, "status", Value()).empty());
  CHECK(school_value_offence(tables::product, "title", Value(std::string("published"))).empty());

  auto db = test::memory_node(Role::school);
  Writer w(db);
  OrgInput o;
  o.kind = "school";
  o.name = "СОШ № 1";
  ProductFields f;
  f.type = "kim";
  f.title = "КИМ";
  f.org = add_org(w, o);
  auto id = add_product(w, f);
  CHECK(kind_of([&] {
          w.update(tables::product, id, {{"status", std::string("published")}});
        }) == ErrorKind::not_permitted);
  CHECK(kind_of([&] { publish_product(w, id, std::nullopt); }) == ErrorKind::not_permitted);
  CHECK(kind_of([&] { w.restamp(tables::product, id); }) == ErrorKind::internal);
}
