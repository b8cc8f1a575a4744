// Unit tests of the member registry: adding, finding, editing, removing,
// groups, experts, directions, CSV import and export.
#include <catch2/catch.hpp>

#include <fstream>
#include <set>

#include "core/member.hpp"
#include "support.hpp"

using namespace setevoe;
using namespace setevoe::core;
using test::kind_of;
using test::message_of;

namespace {

std::string org(Writer& w, const std::string& name, const std::string& kind = "school") {
  OrgInput in;
  in.kind = kind;
  in.name = name;
  return add_org(w, in);
}

std::string person(Writer& w, const std::string& name, const std::string& org_ref,
                   std::optional<std::string> email = std::nullopt) {
  PersonInput in;
  in.name = name;
  in.org = org_ref;
  in.email = std::move(email);
  return add_person(w, in);
}

}  // namespace

TEST_CASE("the eight directions of regulation 2.3 are seeded with fixed ids") {
  auto db = test::memory_node();
  auto dirs = list_directions(db);
  REQUIRE(dirs.size() == 8);
  CHECK(dirs[0].id == "00000000-0000-7000-8000-000000000201");
  CHECK(dirs[0].code == "quality");
  CHECK(dirs[7].code == "special-needs");
  CHECK(resolve_direction(db, "gifted") == "00000000-0000-7000-8000-000000000202");
  CHECK(resolve_direction(db, "Дистанционное образование") == "00000000-0000-7000-8000-000000000206");
  CHECK(kind_of([&] { resolve_direction(db, "astrology"); }) == ErrorKind::not_found);
}

TEST_CASE("orgs and people are added, found by name or id prefix, and listed") {
  auto db = test::memory_node();
  Writer w(db);
  auto school = org(w, "МБОУ «СОШ № 3 г. Гудермес»");
  auto rmo = org(w, "РМО учителей математики", "РМО");  // kinds accept Russian abbreviations
  auto p = person(w, "Исаев Ахмед Русланович", "мбоу «сош № 3 г. гудермес»", "isaev@sch3.example.ru");
  w.commit();

  CHECK(get_member(db, rmo).kind == "methodological-association");
  CHECK(resolve_member(db, "Исаев Ахмед Русланович") == p);
  CHECK(resolve_member(db, p.substr(0, 23)) == p);
  CHECK(resolve_member(db, p.substr(0, 8) + p.substr(9, 4) + p.substr(14, 9)) == p);  // without hyphens
  auto m = get_member(db, p);
  CHECK(m.org_id == school);
  CHECK(m.org_name == "МБОУ «СОШ № 3 г. Гудермес»");
  CHECK(m.email == std::optional<std::string>("isaev@sch3.example.ru"));

  auto all = list_members(db, {});
  REQUIRE(all.size() == 3);
  CHECK(all[0].id == school);  // institutions, then groups, then people
  CHECK(all[1].id == rmo);
  CHECK(all[2].id == p);
  MemberFilter people;
  people.kind = "person";
  CHECK(list_members(db, people).size() == 1);
  MemberFilter schools;
  schools.kind = "школа";
  CHECK(list_members(db, schools).size() == 1);
  MemberFilter of_school;
  of_school.org = school;
  CHECK(list_members(db, of_school).size() == 1);
}

TEST_CASE("an ambiguous id prefix is an error listing the candidates") {
  auto db = test::memory_node();
  Writer w(db);
  auto a = org(w, "Школа А");
  auto b = org(w, "Школа Б");
  w.commit();
  std::size_t common = 0;
  while (a[common] == b[common]) ++common;
  REQUIRE(common >= 4);
  auto prefix = a.substr(0, common);
  CHECK(kind_of([&] { resolve_member(db, prefix); }) == ErrorKind::usage);
  auto msg = message_of([&] { resolve_member(db, prefix); });
  CHECK(msg.find(a) != std::string::npos);
  CHECK(msg.find(b) != std::string::npos);
  CHECK(msg.find("Школа Б") != std::string::npos);
  CHECK(resolve_member(db, a.substr(0, common + 1)) != "");
  CHECK(kind_of([&] { resolve_member(db, "ab"); }) == ErrorKind::usage);  // too short
  CHECK(kind_of([&] { resolve_member(db, "ffffffff"); }) == ErrorKind::not_found);
  CHECK(kind_of([&] { resolve_member(db, "Нет такой"); }) == ErrorKind::not_found);
}

TEST_CASE("bad input to add is refused with a usage error and writes nothing") {
  auto db = test::memory_node();
  Writer w(db);
  auto school = org(w, "СОШ № 1");
  OrgInput bad;
  bad.kind = "гимназия-интернат";
  bad.name = "X";
  CHECK(kind_of([&] { add_org(w, bad); }) == ErrorKind::usage);
  bad.kind = "school";
  bad.name = "  ";
  CHECK(kind_of([&] { add_org(w, bad); }) == ErrorKind::usage);
  bad.name = "two\nlines";
  CHECK(kind_of([&] { add_org(w, bad); }) == ErrorKind::usage);
  bad.name = "ok";
  bad.status = "closed";
  CHECK(kind_of([&] { add_org(w, bad); }) == ErrorKind::usage);
  CHECK(kind_of([&] { person(w, "Иванов И. И.", school, "not-an-email"); }) == ErrorKind::usage);
  CHECK(kind_of([&] { person(w, "Иванов И. И.", school, "a@b"); }) == ErrorKind::usage);
  CHECK(kind_of([&] { person(w, "Иванов И. И.", "Нет такой школы"); }) == ErrorKind::not_found);
  PersonInput phone;
  phone.name = "Иванов";
  phone.org = school;
  phone.phone = "позвонить";
  CHECK(kind_of([&] { add_person(w, phone); }) == ErrorKind::usage);
  person(w, "Иванов Иван Иванович", school);
  CHECK(kind_of([&] { person(w, "иванов иван иванович", school); }) == ErrorKind::bad_data);
  CHECK(db.query_int("SELECT count(*) FROM person") == 1);
}

TEST_CASE("edit changes only the fields given, and refuses fields of the other kind") {
  auto db = test::memory_node();
  Writer w(db);
  auto school = org(w, "СОШ № 1");
  auto other = org(w, "СОШ № 2");
  auto p = person(w, "Иванов Иван Иванович", school);
  MemberPatch patch;
  patch.org = "СОШ № 2";
  patch.position = "учитель физики";
  patch.email = "ivanov@sch2.example.ru";
  CHECK(edit_member(w, p, patch));
  auto m = get_member(db, p);
  CHECK(m.org_id == other);
  CHECK(m.position == "учитель физики");
  CHECK(m.email == std::optional<std::string>("ivanov@sch2.example.ru"));
  CHECK(m.name == "Иванов Иван Иванович");
  CHECK_FALSE(edit_member(w, p, patch));  // the same values again: nothing changes
  MemberPatch wrong;
  wrong.kind = "school";
  CHECK(kind_of([&] { edit_member(w, p, wrong); }) == ErrorKind::usage);
  MemberPatch wrong_org;
  wrong_org.email = "x@y.ru";
  CHECK(kind_of([&] { edit_member(w, school, wrong_org); }) == ErrorKind::usage);
  CHECK(kind_of([&] { edit_member(w, school, MemberPatch{}); }) == ErrorKind::usage);
  MemberPatch clear;
  clear.position = "";
  CHECK(edit_member(w, p, clear));
  CHECK(get_member(db, p).position.empty());
}

TEST_CASE("removing a person erases their contacts; removed members are gone from lists") {
  auto db = test::memory_node();
  Writer w(db);
  auto school = org(w, "СОШ № 1");
  auto p = person(w, "Иванов Иван Иванович", school, "ivanov@sch1.example.ru");
  remove_member(w, p);
  w.commit();
  CHECK(db.query_int("SELECT deleted FROM person") == 1);
  CHECK(db.query_int("SELECT count(*) FROM contact WHERE email IS NOT NULL OR deleted = 0") == 0);
  CHECK(list_members(db, {}).size() == 1);
  CHECK(kind_of([&] { resolve_member(db, "Иванов Иван Иванович"); }) == ErrorKind::not_found);
}

TEST_CASE("people join groups with roles; only groups can be joined") {
  auto db = test::memory_node();
  Writer w(db);
  auto school = org(w, "СОШ № 1");
  auto rmo = org(w, "РМО учителей математики", "methodological-association");
  auto p = person(w, "Иванов Иван Иванович", school);
  CHECK(join_group(w, p, rmo, "head"));
  CHECK_FALSE(join_group(w, p, rmo, "руководитель"));  // same role: nothing to do
  CHECK(join_group(w, p, rmo, "secretary"));
  auto m = get_member(db, p);
  REQUIRE(m.groups.size() == 1);
  CHECK(m.groups[0].role == "secretary");
  CHECK(kind_of([&] { join_group(w, p, school, "member"); }) == ErrorKind::usage);
  CHECK(kind_of([&] { join_group(w, p, rmo, "king"); }) == ErrorKind::usage);
  MemberFilter members;
  members.org = rmo;
  CHECK(list_members(db, members).size() == 1);
  leave_group(w, p, rmo);
  CHECK(get_member(db, p).groups.empty());
  CHECK(kind_of([&] { leave_group(w, p, rmo); }) == ErrorKind::not_found);
}

TEST_CASE("experts and directions are the hub's") {
  auto hub = test::memory_node(Role::hub, "УО");
  {
    Writer w(hub);
    auto school = org(w, "СОШ № 1");
    auto p = person(w, "Иванов Иван Иванович", school);
    CHECK(set_expert(w, p, {"gifted", "distance"}, false) == 2);
    CHECK(set_expert(w, p, {"gifted"}, false) == 0);
    MemberFilter experts;
    experts.direction = "gifted";
    CHECK(list_members(hub, experts).size() == 1);
    CHECK(set_expert(w, p, {"gifted"}, true) == 1);
    CHECK(list_members(hub, experts).empty());
    CHECK(kind_of([&] { set_expert(w, p, {"gifted"}, true); }) == ErrorKind::not_found);
    auto id = add_direction(w, "Robotics", "Образовательная робототехника");
    CHECK(resolve_direction(hub, "robotics") == id);
    CHECK(kind_of([&] { add_direction(w, "robotics", "Другое"); }) == ErrorKind::bad_data);
    CHECK(kind_of([&] { add_direction(w, "робототехника", "Другое"); }) == ErrorKind::usage);
  }
  auto school_db = test::memory_node(Role::school);
  Writer w(school_db);
  auto school = org(w, "СОШ № 1");
  auto p = person(w, "Иванов Иван Иванович", school);
  CHECK(kind_of([&] { set_expert(w, p, {"gifted"}, false); }) == ErrorKind::not_permitted);
  CHECK(kind_of([&] { add_direction(w, "robotics", "Робототехника"); }) == ErrorKind::not_permitted);
}

TEST_CASE("short ids are long enough to tell every record apart") {
  auto db = test::memory_node();
  Writer w(db);
  for (int i = 0; i < 50; ++i) org(w, "Школа " + std::to_string(i));
  w.commit();
  auto len = short_id_length(db);
  CHECK(len >= 8);
  std::set<std::string> prefixes;
  for (const auto& m : list_members(db, {})) prefixes.insert(m.id.substr(0, len));
  CHECK(prefixes.size() == 50);
}

// ---- CSV import

namespace {
std::string write_file(const test::TempDir& dir, const std::string& name, const std::string& content) {
  auto path = dir.file(name);
  std::ofstream(path, std::ios::binary) << content;
  return path;
}

const char* k_good =
    "type,kind,name,short_name,status,org,position,email,phone,groups,expert\n"
    "org,school,МБОУ «СОШ № 1 г. Гудермес»,СОШ № 1,active,,,,,,\n"
    "org,methodological-association,РМО учителей математики,,,,,,,,\n"
    "person,,Исаев Ахмед Русланович,,,СОШ № 1,учитель математики,isaev@sch1.example.ru,+7 928 000-11-22,"
    "РМО учителей математики:head,\n"
    "person,,\"Петрова Анна Сергеевна\",,potential,МБОУ «СОШ № 1 г. Гудермес»,\"учитель, \"\"старший\"\"\",,,,\n";
}  // namespace

TEST_CASE("import reads orgs and people, with references to orgs anywhere in the file") {
  test::TempDir dir;
  auto db = test::memory_node();
  // People first, orgs after: the importer takes orgs first.
  auto path =
      write_file(dir, "m.csv", "name,type,org,kind\nИсаев Ахмед Русланович,person,СОШ № 1,\nСОШ № 1,org,,school\n");
  Writer w(db);
  auto r = import_members(w, path);
  w.commit();
  CHECK(r.orgs == 1);
  CHECK(r.people == 1);
  CHECK(get_member(db, resolve_member(db, "Исаев Ахмед Русланович")).org_name == "СОШ № 1");
}

TEST_CASE("import accepts semicolons, a BOM, CRLF, quoted line breaks and Russian headers") {
  test::TempDir dir;
  auto db = test::memory_node();
  auto path = write_file(dir, "ru.csv",
                         "\xEF\xBB\xBFТип;Вид;Наименование;Организация;Должность\r\n"
                         "организация;школа;СОШ № 2;;\r\n"
                         "сотрудник;;Иванов Иван Иванович;СОШ № 2;\"учитель\r\nфизики\"\r\n");
  Writer w(db);
  auto r = import_members(w, path);
  w.commit();
  CHECK(r.orgs == 1);
  CHECK(r.people == 1);
  // A cell wrapped onto two lines in the spreadsheet is one line of text here.
  CHECK(get_member(db, resolve_member(db, "Иванов Иван Иванович")).position == "учитель физики");
}

TEST_CASE("import is all or nothing: each bad row names the file, line and reason") {
  test::TempDir dir;
  struct Case {
    const char* what;
    std::string csv;
    const char* reason;
    std::size_t line;
  };
  std::string header = "type,kind,name,org,email\n";
  std::string good = "org,school,СОШ № 1,,\nperson,,Иванов Иван,СОШ № 1,ivanov@sch1.example.ru\n";
  std::vector<Case> cases = {
      {"unknown kind", header + good + "org,гимназия-интернат,Школа,,\n", "unknown kind", 4},
      {"empty name", header + good + "person,,,СОШ № 1,\n", "empty", 4},
      {"unknown org", header + good + "person,,Петров Пётр,СОШ № 99,\n", "СОШ № 99", 4},
      {"invalid e-mail", header + good + "person,,Петров Пётр,СОШ № 1,petrov(at)mail\n", "e-mail", 4},
      {"wrong column count", header + good + "person,,Петров Пётр,СОШ № 1\n", "fields", 4},
      {"invalid UTF-8", header + good + "person,,\xD0\xCF\xC5\xD4\xD2\xCF\xD7,СОШ № 1,\n", "UTF-8", 4},
      {"unclosed quote", header + good + "person,,\"Петров,СОШ № 1,\n", "quote", 4},
      {"unknown column", "type,kind,name,colour\n", "colour", 1},
      {"no name column", "type,kind\norg,school\n", "name", 1},
      {"empty file", "", "empty", 1},
  };
  for (const auto& c : cases) {
    SECTION(c.what) {
      auto db = test::memory_node();
      auto path = write_file(dir, "bad.csv", c.csv);
      std::string msg;
      ErrorKind kind = ErrorKind::internal;
      {
        Writer w(db);
        try {
          import_members(w, path);
          w.commit();
        } catch (const Error& e) {
          msg = e.what();
          kind = e.kind();
        }
      }
      INFO(msg);
      CHECK(kind == ErrorKind::bad_data);
      CHECK(msg.find(path) != std::string::npos);
      CHECK(msg.find("line " + std::to_string(c.line)) != std::string::npos);
      CHECK(msg.find(c.reason) != std::string::npos);
      CHECK(db.query_int("SELECT count(*) FROM org") == 0);
      CHECK(db.query_int("SELECT count(*) FROM person") == 0);
      CHECK(db.query_int("SELECT count(*) FROM change") == 0);
    }
  }
}

TEST_CASE("import of a missing file is not_found") {
  auto db = test::memory_node();
  Writer w(db);
  CHECK(kind_of([&] { import_members(w, "/nonexistent/members.csv"); }) == ErrorKind::not_found);
}

TEST_CASE("export reads back: import of an export changes nothing, and on a new node recreates the registry") {
  test::TempDir dir;
  auto hub = test::memory_node(Role::hub, "УО");
  auto path = write_file(dir, "good.csv",
                         std::string(k_good) + "person,,Алиева Малика Ахмедовна,,,СОШ № 1,,,,,gifted; distance\n");
  {
    Writer w(hub);
    auto r = import_members(w, path);
    w.commit();
    CHECK(r.orgs == 2);
    CHECK(r.people == 3);
    CHECK(r.memberships == 1);
    CHECK(r.experts == 2);
  }
  auto exported = export_members_csv(hub);
  auto again = write_file(dir, "export.csv", exported);
  auto changes = hub.query_int("SELECT count(*) FROM change");
  {
    Writer w(hub);
    auto r = import_members(w, again);
    w.commit();
    CHECK(r.orgs == 0);
    CHECK(r.people == 0);
    CHECK(r.memberships == 0);
    CHECK(r.experts == 0);
  }
  CHECK(hub.query_int("SELECT count(*) FROM change") == changes);

  auto other = test::memory_node(Role::hub, "УО 2");
  {
    Writer w(other);
    import_members(w, again);
    w.commit();
  }
  CHECK(export_members_csv(other) == exported);  // the CSV carries names, not ids
  auto p = get_member(other, resolve_member(other, "Петрова Анна Сергеевна"));
  CHECK(p.position == "учитель, \"старший\"");
  CHECK(p.status == "potential");
}

TEST_CASE("a school cannot import expert appointments: the whole file is refused") {
  test::TempDir dir;
  auto db = test::memory_node(Role::school);
  auto path = write_file(dir, "e.csv", std::string(k_good) + "person,,Алиева Малика,,,СОШ № 1,,,,,gifted\n");
  Writer w(db);
  CHECK(kind_of([&] { import_members(w, path); }) == ErrorKind::not_permitted);
}
