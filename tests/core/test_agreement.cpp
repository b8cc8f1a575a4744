// Unit tests of the agreements between orgs (regulation 3.2.1): the status
// as of a fixed day, the parties, the dates, the obligations of each party,
// editing, termination, authority, and the agreements whose term ends soon.
#include <catch2/catch.hpp>

#include "core/agreement.hpp"
#include "core/node.hpp"
#include "core/replica.hpp"
#include "core/util/uuid.hpp"
#include "support.hpp"

using namespace setevoe;
using namespace setevoe::core;
using test::kind_of;
using test::message_of;

namespace {

const std::string k_school1 = "МБОУ «СОШ № 1 г. Гудермес»";
const std::string k_school2 = "МБОУ «Брагунская СОШ»";
const std::string k_house = "МБУ ДО «Дом детского творчества»";

struct Registry {
  Db db;
  std::string s1, s2, house;
  explicit Registry(Role role = Role::school) : db(test::memory_node(role)) {
    Writer w(db);
    auto org = [&](const std::string& name, const std::string& short_name) {
      OrgInput o;
      o.kind = "school";
      o.name = name;
      o.short_name = short_name;
      return add_org(w, o);
    };
    s1 = org(k_school1, "СОШ № 1");
    s2 = org(k_school2, "Брагунская СОШ");
    house = org(k_house, "ДДТ");
    w.commit();
  }
  AgreementFields signed_one(const std::string& date = "01.09.2026", const std::string& to = "2027-08-31") const {
    AgreementFields f;
    f.number = "12/2026";
    f.date = date;
    f.kind = "о совместной деятельности";
    f.title = "О сетевой реализации программ дополнительного образования";
    f.subject = "Совместная организация кружков робототехники";
    f.parties = std::vector<std::string>{s1, "Брагунская СОШ"};
    if (!to.empty()) f.valid_to = to;
    return f;
  }
  std::string add(const AgreementFields& f) {
    Writer w(db);
    auto id = add_agreement(w, f);
    w.commit();
    return id;
  }
  ErrorKind fails_add(const AgreementFields& f) {
    return kind_of([&] {
      Writer w(db);
      add_agreement(w, f);
    });
  }
  std::string status(const std::string& id, const std::string& today) { return get_agreement(db, id, today).status; }
  std::size_t count() { return static_cast<std::size_t>(db.query_int("SELECT count(*) FROM agreement")); }
};

}  // namespace

TEST_CASE("agreement status: the first rule that holds, in order") {
  // terminated, expired, draft, active
  CHECK(agreement_status("2026-09-01", "2026-09-01", "2027-08-31", "", "2026-12-01") == "active");
  CHECK(agreement_status("2026-09-01", "2026-09-01", "", "", "2040-01-01") == "active");  // open-ended
  CHECK(agreement_status("", "", "", "", "2026-12-01") == "draft");                       // not signed
  CHECK(agreement_status("", "2026-01-01", "2027-08-31", "", "2026-12-01") == "draft");   // not signed, in its term
  CHECK(agreement_status("2026-09-01", "2026-10-01", "", "", "2026-09-30") == "draft");   // not in force yet
  CHECK(agreement_status("2026-09-01", "2026-10-01", "", "", "2026-10-01") == "active");
  CHECK(agreement_status("2026-09-01", "2026-09-01", "2027-08-31", "", "2027-08-31") == "active");  // its last day
  CHECK(agreement_status("2026-09-01", "2026-09-01", "2027-08-31", "", "2027-09-01") == "expired");
  CHECK(agreement_status("", "", "2026-08-31", "", "2026-09-01") == "expired");  // expiry before draft
  CHECK(agreement_status("2026-09-01", "2026-09-01", "2027-08-31", "2027-01-15", "2027-01-14") == "active");
  CHECK(agreement_status("2026-09-01", "2026-09-01", "2027-08-31", "2027-01-15", "2027-01-15") == "terminated");
  CHECK(agreement_status("2026-09-01", "2026-09-01", "2027-08-31", "2027-01-15", "2028-01-01") == "terminated");
  CHECK(agreement_status("", "", "", "2026-05-01", "2026-05-01") == "terminated");
}

TEST_CASE("agreements: every status transition of one agreement, with a fixed today") {
  Registry r;
  auto f = r.signed_one("01.09.2026", "31.08.2027");
  f.valid_from = "2026-09-15";
  auto id = r.add(f);
  auto a = get_agreement(r.db, id, "2026-09-01");
  CHECK(a.signed_on == "2026-09-01");
  CHECK(a.valid_from == "2026-09-15");
  CHECK(a.valid_to == "2027-08-31");
  CHECK(a.kind == "joint-activity");
  CHECK(a.owner == self_node(r.db).id);
  CHECK(a.status == "draft");  // signed, not in force yet
  CHECK(r.status(id, "2026-09-14") == "draft");
  CHECK(r.status(id, "2026-09-15") == "active");
  CHECK(r.status(id, "2027-08-31") == "active");
  CHECK(r.status(id, "2027-09-01") == "expired");
  {
    Writer w(r.db);
    terminate_agreement(w, id, "2027-03-01", "реорганизация школы");
    w.commit();
  }
  CHECK(r.status(id, "2027-02-28") == "active");  // terminated as of a later day: in force until then
  CHECK(r.status(id, "2027-03-01") == "terminated");
  CHECK(r.status(id, "2027-09-01") == "terminated");  // termination first, then expiry
  a = get_agreement(r.db, id, "2027-03-01");
  CHECK(a.terminated_on == "2027-03-01");
  CHECK(a.terminate_reason == "реорганизация школы");
  // A draft: no signing date; signing it (an edit) puts it in force from that day.
  auto draft_fields = r.signed_one("", "");
  draft_fields.date.reset();
  draft_fields.number = "13/2026";
  auto draft = r.add(draft_fields);
  a = get_agreement(r.db, draft, "2026-09-01");
  CHECK(a.status == "draft");
  CHECK(a.signed_on.empty());
  CHECK(a.valid_from.empty());
  {
    Writer w(r.db);
    AgreementFields sign;
    sign.date = "2026-10-05";
    CHECK(edit_agreement(w, draft, sign).changed);
    w.commit();
  }
  a = get_agreement(r.db, draft, "2026-10-05");
  CHECK(a.status == "active");
  CHECK(a.valid_from == "2026-10-05");  // the term begins on the signing date
  CHECK(a.valid_to.empty());
  CHECK(r.status(draft, "2026-10-04") == "draft");
  CHECK(r.status(draft, "2099-01-01") == "active");  // open-ended
  CHECK(kind_of([&] { get_agreement(r.db, util::uuid7(1), "2026-10-05"); }) == ErrorKind::not_found);
}

TEST_CASE("agreements: two or more distinct parties, each an org of the registry") {
  Registry r;
  auto with = [&](std::vector<std::string> parties) {
    auto f = r.signed_one();
    f.parties = std::move(parties);
    return f;
  };
  CHECK(r.fails_add(with({})) == ErrorKind::usage);
  CHECK(r.fails_add(with({r.s1})) == ErrorKind::usage);
  CHECK(message_of([&] {
          Writer w(r.db);
          add_agreement(w, with({r.s1}));
        }).find("two or more parties") != std::string::npos);
  // The same org twice, by id and by name: refused, naming it.
  auto twice = message_of([&] {
    Writer w(r.db);
    add_agreement(w, with({r.s2, r.s1, k_school2}));
  });
  CHECK(twice.find("a party twice") != std::string::npos);
  CHECK(twice.find(k_school2) != std::string::npos);
  CHECK(r.fails_add(with({r.s1, r.s1})) == ErrorKind::usage);
  CHECK(r.fails_add(with({r.s1, "Нет такой школы"})) == ErrorKind::not_found);
  CHECK(r.count() == 0);  // nothing half-written
  // Three parties, in the order given, with their names.
  auto id = r.add(with({"ДДТ", r.s1, k_school2}));
  auto a = get_agreement(r.db, id, "2026-12-01");
  REQUIRE(a.parties.size() == 3);
  CHECK(a.parties[0].id == r.house);
  CHECK(a.parties[0].name == k_house);
  CHECK(a.parties[1].id == r.s1);
  CHECK(a.parties[2].id == r.s2);
}

TEST_CASE("agreements: the required fields, the kinds, and the dates as typed") {
  Registry r;
  auto without = [&](auto clear) {
    auto f = r.signed_one();
    clear(f);
    return r.fails_add(f);
  };
  CHECK(without([](AgreementFields& f) { f.number.reset(); }) == ErrorKind::usage);
  CHECK(without([](AgreementFields& f) { f.number = "  "; }) == ErrorKind::usage);
  CHECK(without([](AgreementFields& f) { f.kind.reset(); }) == ErrorKind::usage);
  CHECK(without([](AgreementFields& f) { f.kind = "о дружбе"; }) == ErrorKind::usage);
  CHECK(without([](AgreementFields& f) { f.title.reset(); }) == ErrorKind::usage);
  CHECK(without([](AgreementFields& f) { f.subject.reset(); }) == ErrorKind::usage);
  CHECK(without([](AgreementFields& f) { f.subject = ""; }) == ErrorKind::usage);
  CHECK(without([](AgreementFields& f) { f.parties.reset(); }) == ErrorKind::usage);
  CHECK(without([](AgreementFields& f) { f.title = std::string("a\x01") + "b"; }) == ErrorKind::usage);
  // Dates: YYYY-MM-DD or DD.MM.YYYY, real ones; the message says so.
  for (const char* bad : {"1 сентября 2026", "2026/09/01", "31.02.2026", "2026-13-01", "01.09.26"}) {
    INFO(bad);
    CHECK(without([&](AgreementFields& f) { f.date = bad; }) == ErrorKind::usage);
    CHECK(without([&](AgreementFields& f) { f.valid_from = bad; }) == ErrorKind::usage);
    CHECK(without([&](AgreementFields& f) { f.valid_to = bad; }) == ErrorKind::usage);
  }
  auto message = message_of([&] {
    auto f = r.signed_one();
    f.date = "1 сентября";
    Writer w(r.db);
    add_agreement(w, f);
  });
  CHECK(message.find("--date") != std::string::npos);
  CHECK(message.find("YYYY-MM-DD or DD.MM.YYYY") != std::string::npos);
  // The term ends before it begins, or before the signing.
  CHECK(without([](AgreementFields& f) { f.valid_to = "31.08.2026"; }) == ErrorKind::usage);
  CHECK(without([](AgreementFields& f) {
          f.valid_from = "2026-10-01";
          f.valid_to = "2026-09-30";
        }) == ErrorKind::usage);
  CHECK(r.count() == 0);
  // The last day may be the first.
  auto same = r.signed_one("2026-09-01", "2026-09-01");
  auto id = r.add(same);
  CHECK(get_agreement(r.db, id, "2026-09-01").status == "active");
  // The kinds by code or by their Russian names.
  auto creative = r.signed_one();
  creative.kind = "О творческом сотрудничестве";
  CHECK(get_agreement(r.db, r.add(creative), "2026-09-01").kind == "creative-cooperation");
  creative.kind = "joint-activity";
  CHECK(get_agreement(r.db, r.add(creative), "2026-09-01").kind == "joint-activity");
}

TEST_CASE("agreements: obligations by party, only the agreement's parties, in the parties' order") {
  Registry r;
  auto f = r.signed_one();
  f.parties = std::vector<std::string>{r.s2, r.s1};
  auto id = r.add(f);
  Writer w(r.db);
  add_obligation(w, id, "СОШ № 1", "Предоставить кабинет робототехники");
  add_obligation(w, id, k_school2, "Направить учителя информатики");
  add_obligation(w, id, r.s1, "Обеспечить наборы LEGO");
  CHECK(kind_of([&] { add_obligation(w, id, "ДДТ", "Провести выставку"); }) == ErrorKind::usage);
  CHECK(message_of([&] { add_obligation(w, id, "ДДТ", "Провести выставку"); }).find("is not a party") !=
        std::string::npos);
  CHECK(kind_of([&] { add_obligation(w, id, "Нет такой школы", "x"); }) == ErrorKind::not_found);
  CHECK(kind_of([&] { add_obligation(w, id, r.s1, "   "); }) == ErrorKind::usage);
  CHECK(kind_of([&] { add_obligation(w, util::uuid7(1), r.s1, "x"); }) == ErrorKind::not_found);
  w.commit();
  auto a = get_agreement(r.db, id, "2026-12-01");
  REQUIRE(a.obligations.size() == 3);
  // Grouped by party in the order of the parties (Брагунская first), then as written.
  CHECK(a.obligations[0].party_id == r.s2);
  CHECK(a.obligations[0].party_name == k_school2);
  CHECK(a.obligations[1].text == "Предоставить кабинет робототехники");
  CHECK(a.obligations[2].text == "Обеспечить наборы LEGO");
  CHECK(a.obligations[0].owner == self_node(r.db).id);
}

TEST_CASE("agreements: edits replace the parties and take away the obligations of those who left") {
  Registry r;
  auto id = r.add(r.signed_one());
  {
    Writer w(r.db);
    add_obligation(w, id, r.s1, "Кабинет");
    add_obligation(w, id, r.s2, "Учитель");
    CHECK(kind_of([&] { edit_agreement(w, id, AgreementFields{}); }) == ErrorKind::usage);
    AgreementFields same;
    same.title = "О сетевой реализации программ дополнительного образования";
    CHECK_FALSE(edit_agreement(w, id, same).changed);
    AgreementFields one;
    one.parties = std::vector<std::string>{r.s1};
    CHECK(kind_of([&] { edit_agreement(w, id, one); }) == ErrorKind::usage);
    AgreementFields late;
    late.valid_to = "2026-08-01";  // before the term begins
    CHECK(kind_of([&] { edit_agreement(w, id, late); }) == ErrorKind::usage);
    AgreementFields swap;
    swap.parties = std::vector<std::string>{r.s1, r.house};
    auto done = edit_agreement(w, id, swap);
    CHECK(done.changed);
    CHECK(done.obligations_removed == 1);
    AgreementFields open;
    open.valid_to = "";
    open.interaction = "Встречи координаторов раз в четверть";
    CHECK(edit_agreement(w, id, open).changed);
    w.commit();
  }
  auto a = get_agreement(r.db, id, "2030-01-01");
  REQUIRE(a.parties.size() == 2);
  CHECK(a.parties[1].id == r.house);
  REQUIRE(a.obligations.size() == 1);
  CHECK(a.obligations[0].text == "Кабинет");
  CHECK(a.valid_to.empty());
  CHECK(a.status == "active");
  CHECK(a.interaction == "Встречи координаторов раз в четверть");
}

TEST_CASE("agreements: termination needs a date and a reason, once, not before the signing") {
  Registry r;
  auto id = r.add(r.signed_one("2026-09-01"));
  Writer w(r.db);
  CHECK(kind_of([&] { terminate_agreement(w, id, "", "причина"); }) == ErrorKind::usage);
  CHECK(kind_of([&] { terminate_agreement(w, id, "вчера", "причина"); }) == ErrorKind::usage);
  CHECK(kind_of([&] { terminate_agreement(w, id, "2026-12-01", "  "); }) == ErrorKind::usage);
  CHECK(kind_of([&] { terminate_agreement(w, id, "31.08.2026", "причина"); }) == ErrorKind::usage);
  CHECK(message_of([&] {
          terminate_agreement(w, id, "31.08.2026", "причина");
        }).find("before the agreement was signed") != std::string::npos);
  terminate_agreement(w, id, "01.09.2026", "по соглашению сторон");  // the signing day itself
  CHECK(kind_of([&] { terminate_agreement(w, id, "2026-12-01", "ещё раз"); }) == ErrorKind::usage);
  AgreementFields patch;
  patch.title = "Другое";
  CHECK(kind_of([&] { edit_agreement(w, id, patch); }) == ErrorKind::usage);
  CHECK(kind_of([&] { add_obligation(w, id, r.s1, "Что-то"); }) == ErrorKind::usage);
  w.commit();
  CHECK(get_agreement(r.db, id, "2026-09-01").status == "terminated");
}

TEST_CASE("agreements: another node's agreement is changed only by it or a hub; obligations only by it") {
  auto insert_foreign = [](Db& db, const std::string& a, const std::string& b) {
    auto id = util::uuid7(1700000000000);
    Stmt(db,
         "INSERT INTO agreement (id, owner, number, signed_on, kind, title, subject, parties, valid_from, _v) "
         "VALUES (?, 'other-node', '5/2026', '2026-09-01', 'joint-activity', 'Чужое соглашение', 'Предмет', "
         "json_array(?, ?), '2026-09-01', '{}')")
        .bind(1, id)
        .bind(2, a)
        .bind(3, b)
        .run();
    return id;
  };
  SECTION("a school") {
    Registry r;
    auto id = insert_foreign(r.db, r.s1, r.s2);
    Writer w(r.db);
    AgreementFields patch;
    patch.title = "Захвачено";
    CHECK(kind_of([&] { edit_agreement(w, id, patch); }) == ErrorKind::not_permitted);
    CHECK(message_of([&] { edit_agreement(w, id, patch); }).find("registered by the node other-node") !=
          std::string::npos);
    CHECK(kind_of([&] { terminate_agreement(w, id, "2026-12-01", "чужое"); }) == ErrorKind::not_permitted);
    CHECK(kind_of([&] { add_obligation(w, id, r.s1, "Что-то"); }) == ErrorKind::not_permitted);
    CHECK(message_of([&] { add_obligation(w, id, r.s1, "Что-то"); }).find("written by the node that registered it") !=
          std::string::npos);
    // Not even an edit that changes nothing.
    AgreementFields same;
    same.title = "Чужое соглашение";
    CHECK(kind_of([&] { edit_agreement(w, id, same); }) == ErrorKind::not_permitted);
    w.commit();
    CHECK(r.db.query_int("SELECT count(*) FROM obligation") == 0);
    CHECK(get_agreement(r.db, id, "2026-12-01").title == "Чужое соглашение");
    // An obligation row that did not come from the agreement's node is not shown.
    Stmt(r.db,
         "INSERT INTO obligation (id, owner, agreement, party, text, _v) VALUES ('o1', 'third-node', ?, ?, 'x', '{}')")
        .bind(1, id)
        .bind(2, r.s1)
        .run();
    CHECK(get_agreement(r.db, id, "2026-12-01").obligations.empty());
  }
  SECTION("the hub edits and terminates, but does not write the obligations") {
    Registry r(Role::hub);
    auto id = insert_foreign(r.db, r.s1, r.s2);
    Writer w(r.db);
    AgreementFields patch;
    patch.title = "Исправлено модератором";
    CHECK(edit_agreement(w, id, patch).changed);
    CHECK(kind_of([&] { add_obligation(w, id, r.s1, "Что-то"); }) == ErrorKind::not_permitted);
    terminate_agreement(w, id, "2026-12-01", "по решению управления образования");
    w.commit();
    auto a = get_agreement(r.db, id, "2026-12-01");
    CHECK(a.title == "Исправлено модератором");
    CHECK(a.status == "terminated");
    CHECK(a.owner == "other-node");
  }
}

TEST_CASE("agreements: the ones whose term ends within a window, both ends included") {
  Registry r;
  const std::string today = "2026-09-01";
  auto add = [&](const std::string& number, const std::string& date, const std::string& to) {
    auto f = r.signed_one(date, to);
    f.number = number;
    if (date.empty()) f.date.reset();
    return r.add(f);
  };
  auto ends_today = add("1", "2026-01-01", "2026-09-01");
  auto ends_in_30 = add("2", "2026-01-01", "2026-10-01");
  add("3", "2026-01-01", "2026-10-02");  // 31 days away
  add("4", "2026-01-01", "2026-08-31");  // expired yesterday
  add("5", "2026-01-01", "");            // open-ended
  add("6", "", "2026-09-10");            // a draft
  auto ends_in_7 = add("7", "2026-01-01", "2026-09-08");
  auto terminated = add("8", "2026-01-01", "2026-09-05");
  {
    Writer w(r.db);
    terminate_agreement(w, terminated, "2026-08-15", "досрочно");
    w.commit();
  }
  auto ids = [&](const AgreementFilter& f) {
    std::vector<std::string> out;
    for (const auto& a : list_agreements(r.db, f, today)) out.push_back(a.id);
    return out;
  };
  AgreementFilter f;
  f.expiring = "30d";
  CHECK(ids(f) == std::vector<std::string>{ends_today, ends_in_7, ends_in_30});  // by the end of the term
  f.expiring = "30";
  CHECK(ids(f).size() == 3);
  f.expiring = "30д";
  CHECK(ids(f).size() == 3);
  f.expiring = "29";
  CHECK(ids(f) == std::vector<std::string>{ends_today, ends_in_7});
  f.expiring = "1w";
  CHECK(ids(f) == std::vector<std::string>{ends_today, ends_in_7});
  f.expiring = "0";
  CHECK(ids(f) == std::vector<std::string>{ends_today});
  for (const char* bad : {"", "d", "30 days", "месяц", "-5", "3m", "1.5w", "99999"}) {
    INFO(bad);
    f.expiring = bad;
    CHECK(kind_of([&] { list_agreements(r.db, f, today); }) == ErrorKind::usage);
  }
  CHECK(parse_days("2w", "--expiring") == 14);
  CHECK(parse_days(" 45D ", "--expiring") == 45);
  CHECK(parse_days("3660", "--expiring") == 3660);
  // By status.
  AgreementFilter by_status;
  by_status.status = "истекло";
  CHECK(ids(by_status).size() == 1);
  by_status.status = "terminated";
  CHECK(ids(by_status) == std::vector<std::string>{terminated});
  by_status.status = "draft";
  CHECK(ids(by_status).size() == 1);
  by_status.status = "active";
  CHECK(ids(by_status).size() == 5);
  by_status.status = "signed";
  CHECK(kind_of([&] { list_agreements(r.db, by_status, today); }) == ErrorKind::usage);
  // Drafts come last.
  auto all = list_agreements(r.db, {}, today);
  REQUIRE(all.size() == 8);
  CHECK(all.back().number == "6");
}

TEST_CASE("agreements: listed by party; found by id, number or title") {
  Registry r;
  auto a = r.add(r.signed_one());
  auto g = r.signed_one();
  g.number = "3-ТС";
  g.kind = "creative-cooperation";
  g.title = "О творческом сотрудничестве с ДДТ";
  g.parties = std::vector<std::string>{r.house, r.s2};
  auto b = r.add(g);
  AgreementFilter f;
  f.party = "ДДТ";
  auto listed = list_agreements(r.db, f, "2026-12-01");
  REQUIRE(listed.size() == 1);
  CHECK(listed[0].id == b);
  f.party = r.s2;
  CHECK(list_agreements(r.db, f, "2026-12-01").size() == 2);
  f.party = "Нет такой школы";
  CHECK(kind_of([&] { list_agreements(r.db, f, "2026-12-01"); }) == ErrorKind::not_found);
  CHECK(resolve_agreement(r.db, "12/2026") == a);
  CHECK(resolve_agreement(r.db, " 3-ТС ") == b);
  CHECK(resolve_agreement(r.db, "о творческом сотрудничестве с ддт") == b);
  CHECK(resolve_agreement(r.db, b.substr(0, 24)) == b);
  CHECK(kind_of([&] { resolve_agreement(r.db, "99/2026"); }) == ErrorKind::not_found);
  CHECK(kind_of([&] { resolve_agreement(r.db, ""); }) == ErrorKind::usage);
  r.add(r.signed_one());  // another 12/2026
  CHECK(kind_of([&] { resolve_agreement(r.db, "12/2026"); }) == ErrorKind::usage);
}
