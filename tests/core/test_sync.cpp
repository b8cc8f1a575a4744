// Unit and property tests of replication: collect_changes / merge_changes
// between in-memory nodes. The convergence property drives random networks
// through random edits and lossy, delayed, duplicated, reordered exchanges.
//
//   SETEVOE_SCENARIOS=10000 core_tests "[convergence]"   more scenarios
//   SETEVOE_SEED=1234 core_tests "[convergence]"         replay one scenario
#include <catch2/catch.hpp>

#include <algorithm>
#include <cstdlib>
#include <deque>
#include <limits>
#include <map>
#include <memory>
#include <random>
#include <set>

#include "core/agreement.hpp"
#include "core/consult.hpp"
#include "core/event.hpp"
#include "core/member.hpp"
#include "core/product.hpp"
#include "core/replica.hpp"
#include "core/sync.hpp"
#include "core/thread.hpp"
#include "core/util/uuid.hpp"
#include "support.hpp"

using namespace setevoe;
using namespace setevoe::core;
using test::kind_of;

namespace {

struct Node {
  std::unique_ptr<Db> db;
  NodeInfo info;
  std::string secret;  // its secret key (hex), for certificates
  std::shared_ptr<std::int64_t> clock;
  util::WallClock wall() const {
    auto c = clock;
    return [c] { return *c; };
  }
};

Node make_node(Role role, const std::string& name, std::int64_t start) {
  Node n;
  n.db = std::make_unique<Db>(Db::open(":memory:", OpenMode::create));
  InitOptions o;
  o.name = name;
  o.role = role;
  n.info = init_node_in(*n.db, o, &n.secret);
  n.clock = std::make_shared<std::int64_t>(start);
  return n;
}

void introduce(std::vector<Node>& nodes) {
  for (auto& a : nodes)
    for (auto& b : nodes)
      if (&a != &b)
        remember_node(*a.db, {b.info.id, b.info.name, std::string(role_code(b.info.role)), b.info.public_key});
}

// A hub and `schools` schools that know each other, clocks at one start.
std::vector<Node> network(int schools) {
  std::vector<Node> nodes;
  nodes.push_back(make_node(Role::hub, "УО", 1'800'000'000'000));
  for (int i = 1; i <= schools; ++i)
    nodes.push_back(make_node(Role::school, "СОШ № " + std::to_string(i), 1'800'000'000'000));
  introduce(nodes);
  return nodes;
}

MergeResult exchange(Node& from, Node& to) {
  return merge_changes(*to.db, collect_changes(*from.db, to.info.id), to.wall());
}

std::string org_row(Node& n, const std::string& name) {
  Writer w(*n.db, n.wall());
  auto id = w.create(tables::org, {{"kind", "school"}, {"name", name}, {"status", "active"}});
  w.commit();
  return id;
}

void edit(Node& n, const TableSpec& t, const std::string& id, Fields f) {
  Writer w(*n.db, n.wall());
  w.update(t, id, f);
  w.commit();
}

}  // namespace

TEST_CASE("a change set carries what the peer lacks, and merging it twice changes nothing") {
  auto nodes = network(1);
  auto& hub = nodes[0];
  auto& school = nodes[1];
  auto id = org_row(school, "СОШ № 1");
  auto set = collect_changes(*school.db, hub.info.id);
  REQUIRE(set.changes.size() == 1);
  CHECK(set.changes[0].fields.size() == 5);  // kind, name, short_name, status, deleted
  auto r = merge_changes(*hub.db, set, hub.wall());
  CHECK(r.applied == 1);
  auto again = merge_changes(*hub.db, set, hub.wall());
  CHECK(again.already_merged());
  CHECK(again.skipped == 1);
  CHECK(canonical_dump(*hub.db) == canonical_dump(*school.db));
  // The hub's next set acknowledges the change: the school then sends nothing.
  exchange(hub, school);
  CHECK(collect_changes(*school.db, hub.info.id).changes.empty());
  // A later edit travels alone, with only the field written.
  *school.clock += 1000;
  edit(school, tables::org, id, {{"name", "МБОУ «СОШ № 1»"}});
  auto next = collect_changes(*school.db, hub.info.id);
  REQUIRE(next.changes.size() == 1);
  REQUIRE(next.changes[0].fields.size() == 1);
  CHECK(next.changes[0].fields[0].name == "name");
}

TEST_CASE("concurrent edits of different fields both survive; of the same field the greater version wins everywhere") {
  auto nodes = network(1);
  auto& hub = nodes[0];
  auto& school = nodes[1];
  auto id = org_row(school, "СОШ № 1");
  exchange(school, hub);
  *school.clock += 10;
  *hub.clock += 20;
  edit(school, tables::org, id, {{"short_name", "СОШ-1"}, {"name", "школьное имя"}});
  edit(hub, tables::org, id, {{"status", "left"}, {"name", "имя от района"}});
  auto to_hub = exchange(school, hub);
  auto to_school = exchange(hub, school);
  CHECK(canonical_dump(*hub.db) == canonical_dump(*school.db));
  auto m = get_member(*hub.db, id);
  CHECK(m.short_name == "СОШ-1");
  CHECK(m.status == "left");
  CHECK(m.name == "имя от района");  // the hub's write is later
  // The hub, where the moderator looks, keeps the losing value. The school
  // does not log it: the hub's set acknowledged the school's write, so the
  // school cannot tell the hub's write from an edit made after seeing it.
  CHECK(to_hub.conflicts == 1);
  CHECK(to_school.conflicts == 0);
  CHECK(hub.db->query_text("SELECT loser_value FROM conflict") == std::optional<std::string>("школьное имя"));
}

TEST_CASE("a school's change outside its authority is refused whole") {
  auto nodes = network(2);
  auto& hub = nodes[0];
  auto& s1 = nodes[1];
  auto& s2 = nodes[2];
  auto id = org_row(s1, "СОШ № 1");
  exchange(s1, s2);
  org_row(s2, "СОШ № 2");
  auto set = collect_changes(*s2.db, hub.info.id);
  // Forge: s2 renames s1's org (a bundle made by hand, not by setevoe).
  Change forged;
  forged.origin = set.streams.back().origin;
  for (const auto& st : set.streams)
    if (st.node == s2.info.id) forged.origin = st.origin;
  forged.seq = 2;
  forged.table = "org";
  forged.row = id;
  forged.owner = s1.info.id;
  forged.hlc = Hlc::pack(1'800'000'100'000, 0);
  forged.fields = {{"name", std::string("захвачено")}};
  set.changes.push_back(forged);
  for (auto& st : set.streams)
    if (st.origin == forged.origin) st.last_seq = 2;
  auto before = canonical_dump(*hub.db);
  try {
    merge_changes(*hub.db, set, hub.wall());
    FAIL("merged");
  } catch (const Error& e) {
    CHECK(e.kind() == ErrorKind::not_permitted);
    CHECK(std::string(e.what()).find(id) != std::string::npos);
  }
  CHECK(canonical_dump(*hub.db) == before);
  // Appointing an expert is the hub's: a school's change of that table is refused.
  auto set2 = collect_changes(*s2.db, hub.info.id);
  Change appoint = forged;
  appoint.seq = 2;
  appoint.table = "expertise";
  appoint.row = "01900000-0000-7000-8000-0000000000e1";
  appoint.owner = s2.info.id;
  appoint.fields = {{"person", std::string("p")}, {"direction", std::string("d")}};
  set2.changes.push_back(appoint);
  for (auto& st : set2.streams)
    if (st.origin == appoint.origin) st.last_seq = 2;
  CHECK(kind_of([&] { merge_changes(*hub.db, set2, hub.wall()); }) == ErrorKind::not_permitted);
  // A set for someone else, a gap in a stream: refused.
  CHECK(kind_of([&] { merge_changes(*s1.db, collect_changes(*s2.db, hub.info.id), s1.wall()); }) ==
        ErrorKind::not_permitted);
  auto gap = collect_changes(*s2.db, hub.info.id);
  gap.changes[0].seq = 5;
  CHECK(kind_of([&] { merge_changes(*hub.db, gap, hub.wall()); }) == ErrorKind::bad_data);
  CHECK(canonical_dump(*hub.db) == before);
  // A number used twice for different changes (a restored copy at work) is refused.
  auto first = collect_changes(*s2.db, hub.info.id);
  merge_changes(*hub.db, first, hub.wall());
  auto reused = first;
  reused.changes[0].hlc += 1;
  reused.changes[0].fields = {{"name", std::string("другое")}};
  auto merged = canonical_dump(*hub.db);
  CHECK(kind_of([&] { merge_changes(*hub.db, reused, hub.wall()); }) == ErrorKind::bad_data);
  CHECK(canonical_dump(*hub.db) == merged);
}

TEST_CASE("a merge checks every change it had already against the one merged before, in any order") {
  auto nodes = network(1);
  auto& hub = nodes[0];
  auto& school = nodes[1];
  for (int i = 0; i < 200; ++i) org_row(school, "СОШ № " + std::to_string(i));
  auto set = collect_changes(*school.db, hub.info.id);
  REQUIRE(set.changes.size() == 200);
  CHECK(merge_changes(*hub.db, set, hub.wall()).applied == 200);
  auto merged = canonical_dump(*hub.db);
  CHECK(merge_changes(*hub.db, set, hub.wall()).skipped == 200);
  // One change in the middle issued again under its number: refused, whichever
  // way the set is ordered.
  for (bool reversed : {false, true}) {
    auto reused = set;
    reused.changes[137].hlc += 1;
    if (reversed) std::reverse(reused.changes.begin(), reused.changes.end());
    auto [kind, msg] = test::outcome_of([&] { merge_changes(*hub.db, reused, hub.wall()); });
    CHECK(kind == ErrorKind::bad_data);
    CHECK(msg.find("change 138 of stream") != std::string::npos);
  }
  // Only a few of them, far apart.
  auto sparse = set;
  sparse.changes = {set.changes[3], set.changes[150], set.changes[199]};
  sparse.changes[1].hlc += 1;
  CHECK(kind_of([&] { merge_changes(*hub.db, sparse, hub.wall()); }) == ErrorKind::bad_data);
  sparse.changes[1].hlc -= 1;
  CHECK(merge_changes(*hub.db, sparse, hub.wall()).skipped == 3);
  // A number no stream uses (they start at 1) is only skipped.
  sparse.changes.push_back(set.changes[0]);
  sparse.changes.back().seq = std::numeric_limits<std::int64_t>::min();
  CHECK(merge_changes(*hub.db, sparse, hub.wall()).skipped == 4);
  CHECK(canonical_dump(*hub.db) == merged);
}

TEST_CASE("rows new to the merging node are written as the owner wrote them") {
  auto nodes = network(1);
  auto& hub = nodes[0];
  auto& school = nodes[1];
  auto id = org_row(school, "СОШ № 1");
  *school.clock += 1000;
  edit(school, tables::org, id, {{"name", "МБОУ «СОШ № 1»"}});
  auto other = org_row(school, "СОШ № 2");
  auto set = collect_changes(*school.db, hub.info.id);
  REQUIRE(set.changes.size() == 3);
  REQUIRE(set.changes[0].fields.size() == 4);  // the name travels with the edit
  merge_changes(*hub.db, set, hub.wall());
  CHECK(canonical_dump(*hub.db) == canonical_dump(*school.db));
  auto versions = [&](Db& db, const std::string& row) {
    Stmt s(db, "SELECT _v FROM org WHERE id = ?");
    s.bind(1, row);
    REQUIRE(s.step());
    return s.column_text(0);
  };
  // A creation that carries every field: the same "*" entry as at the school.
  CHECK(versions(*hub.db, other) == versions(*school.db, other));
  // A creation whose name was written again since: each carried field has its
  // own version, and the name the edit's.
  CHECK(versions(*hub.db, id).find("\"kind\"") != std::string::npos);
  CHECK(field_version(versions(*hub.db, id), "name", school.info.id) ==
        field_version(versions(*school.db, id), "name", school.info.id));
}

TEST_CASE("attendance marks of an event are the event's node's: another school's are refused or ignored") {
  auto nodes = network(2);
  auto& hub = nodes[0];
  auto& s1 = nodes[1];
  auto& s2 = nodes[2];
  std::string event;
  {
    Writer w(*s1.db, s1.wall());
    auto org = w.create(tables::org, {{"kind", "school"}, {"name", "СОШ № 1"}, {"status", "active"}});
    event = w.create(tables::event, {{"type", "seminar"},
                                     {"title", "Семинар"},
                                     {"starts_at", "2027-01-01T07:00:00.000Z"},
                                     {"place", "зал"},
                                     {"organiser", org},
                                     {"status", "planned"}});
    w.commit();
  }
  auto person = org_row(s2, "не важно");  // any row of s2, to have a stream
  // s2 forges a mark for s1's event (a bundle made by hand).
  auto forge = [&](Node& from, const std::string& to) {
    auto set = collect_changes(*from.db, to);
    Change mark;
    for (const auto& st : set.streams)
      if (st.node == from.info.id) mark.origin = st.origin;
    mark.seq = 2;
    mark.table = "attendance";
    mark.row = util::uuid_for_name("attendance:" + event + ":" + person);
    mark.owner = from.info.id;
    mark.hlc = Hlc::pack(1'800'000'100'000, 0);
    mark.fields = {{"event", event},
                   {"person", person},
                   {"attended", std::int64_t{1}},
                   {"marked_at", std::string("2027-01-01T08:00:00.000Z")}};
    set.changes.push_back(mark);
    for (auto& st : set.streams)
      if (st.origin == mark.origin) st.last_seq = 2;
    return set;
  };
  // Where the event is known, the mark is refused whole.
  exchange(s1, hub);
  auto before = canonical_dump(*hub.db);
  CHECK(kind_of([&] { merge_changes(*hub.db, forge(s2, hub.info.id), hub.wall()); }) == ErrorKind::not_permitted);
  CHECK(canonical_dump(*hub.db) == before);
  // Where it is not known yet, the mark cannot be judged and is kept, but
  // never shown once the event arrives.
  auto fresh = make_node(Role::school, "СОШ № 3", 1'800'000'000'000);
  nodes.push_back(std::move(fresh));
  introduce(nodes);
  auto& s3 = nodes.back();
  merge_changes(*s3.db, forge(nodes[2], s3.info.id), s3.wall());
  exchange(nodes[1], s3);
  CHECK(list_participants(*s3.db, event).empty());
  CHECK(list_participants(*nodes[1].db, event).empty());
}

TEST_CASE("a question goes to the hub and its experts' nodes, its answers to the asker, the FAQ to everyone") {
  auto nodes = network(3);
  auto& hub = nodes[0];
  auto& asker = nodes[1];
  auto& expert_node = nodes[2];
  auto& other = nodes[3];
  std::string asker_person, expert;
  {
    Writer w(*expert_node.db, expert_node.wall());
    auto org = w.create(tables::org, {{"kind", "school"}, {"name", "СОШ № 2"}, {"status", "active"}});
    expert = w.create(tables::person, {{"name", "Эксперт"}, {"org", org}, {"status", "active"}});
    asker_person = w.create(tables::person, {{"name", "Учитель"}, {"org", org}, {"status", "active"}});
    w.commit();
  }
  exchange(expert_node, hub);
  for (auto* n : {&asker, &other}) exchange(hub, *n);
  auto count = [](Node& n, const char* table) {
    return n.db->query_int(std::string("SELECT count(*) FROM ") + table + " WHERE deleted = 0");
  };
  auto ask = [&](const char* title) {
    Writer w(*asker.db, asker.wall());
    QuestionInput in;
    in.person = asker_person;
    in.direction = "gifted";
    in.title = title;
    in.text = "Текст";
    auto id = ask_question(w, in, WorkCalendar{}, "Europe/Moscow");
    w.commit();
    return id;
  };
  auto q = ask("Вопрос для FAQ");
  auto private_q = ask("Личный вопрос");
  auto everywhere = [&] {
    exchange(asker, hub);
    exchange(expert_node, hub);
    for (auto* n : {&asker, &expert_node, &other}) exchange(hub, *n);
  };
  everywhere();
  CHECK(count(hub, "question") == 2);
  CHECK(count(expert_node, "question") == 0);
  CHECK(count(other, "question") == 0);
  {
    Writer w(*hub.db, hub.wall());
    assign_question(w, q, {expert});
    w.commit();
  }
  everywhere();
  // The expert's node has the question whole; the other school still nothing.
  CHECK(expert_node.db->query_int("SELECT count(*) FROM question WHERE title = 'Вопрос для FAQ' AND text = 'Текст'") ==
        1);
  CHECK(count(other, "question") == 0);
  std::string answer;
  {
    Writer w(*expert_node.db, expert_node.wall());
    answer = answer_question(w, q, expert, "Ответ эксперта");
    w.commit();
  }
  everywhere();
  CHECK(count(asker, "answer") == 1);
  CHECK(count(other, "answer") == 0);
  {
    Writer w(*asker.db, asker.wall());
    accept_answer(w, q, answer, true);
    w.commit();
  }
  everywhere();
  // Published by the asker's consent: the question and its answer are everyone's.
  auto faq = list_faq(*other.db, std::nullopt, "2099-01-01");
  REQUIRE(faq.size() == 1);
  CHECK(faq[0].question.title == "Вопрос для FAQ");
  CHECK(faq[0].answer.text == "Ответ эксперта");
  CHECK(other.db->query_int("SELECT count(*) FROM question WHERE title = 'Личный вопрос'") == 0);
  CHECK(canonical_dump(*asker.db).find("Личный вопрос") != std::string::npos);
}

TEST_CASE("a change set naming a field twice is refused, and nothing is written") {
  auto nodes = network(1);
  auto& hub = nodes[0];
  auto& school = nodes[1];
  org_row(school, "СОШ № 1");
  auto set = collect_changes(*school.db, hub.info.id);
  set.changes[0].fields.push_back({"name", std::string("другое")});
  auto before = canonical_dump(*hub.db);
  CHECK(kind_of([&] { merge_changes(*hub.db, set, hub.wall()); }) == ErrorKind::internal);
  CHECK(canonical_dump(*hub.db) == before);
}

TEST_CASE("contact details travel only between their owner and the hub") {
  auto nodes = network(2);
  auto& hub = nodes[0];
  auto& s1 = nodes[1];
  auto& s2 = nodes[2];
  std::string person;
  {
    Writer w(*s1.db, s1.wall());
    OrgInput o;
    o.kind = "school";
    o.name = "СОШ № 1";
    auto org = add_org(w, o);
    PersonInput p;
    p.name = "Исаев Ахмед";
    p.org = org;
    p.email = "isaev@sch1.example.ru";
    person = add_person(w, p);
    w.commit();
  }
  exchange(s1, hub);
  exchange(hub, s2);
  exchange(s1, s2);
  CHECK(hub.db->query_text("SELECT email FROM contact") == std::optional<std::string>("isaev@sch1.example.ru"));
  CHECK(s2.db->query_int("SELECT count(*) FROM contact WHERE email IS NOT NULL") == 0);
  CHECK(s2.db->query_int("SELECT count(*) FROM person") == 1);
  // The hub's correction of the e-mail goes back to the owner only.
  *hub.clock += 1000;
  edit(hub, tables::contact, person, {{"email", "ahmed@sch1.example.ru"}});
  exchange(hub, s1);
  exchange(hub, s2);
  CHECK(s1.db->query_text("SELECT email FROM contact") == std::optional<std::string>("ahmed@sch1.example.ru"));
  CHECK(s2.db->query_int("SELECT count(*) FROM contact WHERE email IS NOT NULL") == 0);
}

TEST_CASE("a product's draft travels only between its owner and the hub; publishing sends it whole to everyone") {
  auto nodes = network(2);
  auto& hub = nodes[0];
  auto& s1 = nodes[1];
  auto& s2 = nodes[2];
  std::string product;
  {
    Writer w(*s1.db, s1.wall());
    OrgInput o;
    o.kind = "school";
    o.name = "СОШ № 1";
    ProductFields f;
    f.type = "kim";
    f.title = "КИМ по математике, 5 класс";
    f.annotation = "Контрольная работа";
    f.org = add_org(w, o);
    product = add_product(w, f);
    submit_product(w, product);
    w.commit();
  }
  // A school's creation stamps the hub's moderation fields too; it does not send them.
  auto set = collect_changes(*s1.db, hub.info.id);
  for (const auto& c : set.changes)
    for (const auto& field : c.fields) CHECK(field.name != "published_at");
  exchange(s1, hub);
  exchange(hub, s2);
  exchange(s1, s2);
  CHECK(hub.db->query_int("SELECT count(*) FROM product") == 1);
  CHECK(s2.db->query_int("SELECT count(*) FROM product") == 0);
  *hub.clock += 1000;
  {
    Writer w(*hub.db, hub.wall());
    publish_product(w, product, std::nullopt);
    w.commit();
  }
  exchange(hub, s2);
  exchange(hub, s1);
  CHECK(s2.db->query_text("SELECT title || ' / ' || annotation || ' / ' || status FROM product") ==
        std::optional<std::string>("КИМ по математике, 5 класс / Контрольная работа / published"));
  CHECK(canonical_dump(*s1.db) == canonical_dump(*s2.db));
  CHECK(canonical_dump(*hub.db) == canonical_dump(*s2.db));
}

// ---- The convergence property

namespace {

class Scenario {
 public:
  explicit Scenario(std::uint64_t seed) : m_rng(seed) {}

  void run() {
    std::int64_t start = 1'800'000'000'000;
    auto schools = 2 + static_cast<int>(m_rng() % 6);  // 3 to 8 nodes
    m_nodes.push_back(make_node(Role::hub, "УО", start));
    for (int i = 0; i < schools; ++i)
      m_nodes.push_back(make_node(Role::school, "СОШ № " + std::to_string(i + 1), start));
    introduce(m_nodes);
    // A registry to begin with, everywhere: people to register for events.
    {
      auto& hub = m_nodes[0];
      Writer w(*hub.db, hub.wall());
      for (const char* org : {"СОШ № 1", "СОШ № 2"}) {
        auto id = w.create(tables::org, {{"kind", "school"}, {"name", org}, {"status", "active"}});
        for (const char* person : {"Исаева", "Магомадова"})
          w.create(tables::person, {{"name", std::string(person) + " " + org}, {"org", id}, {"status", "active"}});
      }
      // An expert of the direction the questions are asked on.
      m_expert = w.create(tables::person, {{"name", "Эксперт"}, {"status", "active"}});
      set_expert(w, m_expert, {"gifted"}, false);
      w.commit();
      for (std::size_t i = 1; i < m_nodes.size(); ++i) exchange(hub, m_nodes[i]);
    }
    for (std::size_t i = 1; i < m_nodes.size(); ++i) {
      m_links.push_back({0, i});
      for (std::size_t j = i + 1; j < m_nodes.size(); ++j)
        if (m_rng() % 4 == 0) m_links.push_back({i, j});
    }
    auto steps = 60 + m_rng() % 90;
    for (std::size_t step = 0; step < steps; ++step) {
      tick_clocks();
      switch (m_rng() % 10) {
        case 0:
        case 1:
        case 2:
        case 3:
          operate(pick_node());
          break;
        case 4:
        case 5:
        case 6:
          send();
          break;
        default:
          deliver();
          break;
      }
    }
    // Whatever is still in flight arrives or is lost; then a full exchange.
    while (!m_flight.empty()) deliver();
    for (std::size_t round = 0; round <= m_nodes.size(); ++round)
      for (auto [a, b] : m_links) {
        exchange(m_nodes[a], m_nodes[b]);
        exchange(m_nodes[b], m_nodes[a]);
      }
    check_converged();
  }

 private:
  std::size_t pick_node() { return m_rng() % m_nodes.size(); }

  void tick_clocks() {
    for (auto& n : m_nodes) {
      auto r = m_rng() % 20;
      if (r == 0)
        *n.clock -= static_cast<std::int64_t>(m_rng() % 5000);  // the wall clock jumps back
      else if (r > 2)
        *n.clock += static_cast<std::int64_t>(m_rng() % 50);  // or stands still (r = 1, 2)
    }
  }

  std::string pick(const std::vector<std::string>& v) { return v[m_rng() % v.size()]; }

  // Rows of a table this node may write, not removed unless `removed`.
  std::vector<std::string> writable(Node& n, const char* table, bool removed) {
    std::vector<std::string> out;
    std::string sql = std::string("SELECT id FROM ") + table + " WHERE deleted = " + (removed ? "1" : "0");
    if (n.info.role != Role::hub) sql += " AND owner = '" + n.info.id + "'";
    Stmt s(*n.db, sql + " ORDER BY id");
    while (s.step()) out.push_back(s.column_text(0));
    return out;
  }

  void operate(std::size_t i) {
    auto& n = m_nodes[i];
    static const std::vector<std::string> names = {"Альфа", "Бета", "Гамма", "Дельта"};
    static const std::vector<std::string> statuses = {"potential", "active", "left"};
    Writer w(*n.db, n.wall());
    auto orgs = writable(n, "org", false);
    auto people = writable(n, "person", false);
    switch (m_rng() % 26) {
      case 0:
        w.create(tables::org, {{"kind", "school"}, {"name", pick(names)}, {"status", "active"}});
        break;
      case 1: {
        Stmt any(*n.db, "SELECT id FROM org WHERE deleted = 0 ORDER BY id");
        std::vector<std::string> all;
        while (any.step()) all.push_back(any.column_text(0));
        if (all.empty()) return;
        auto id = w.create(tables::person, {{"name", pick(names)}, {"org", pick(all)}, {"status", "active"}});
        if (m_rng() % 2) w.create_with_id(tables::contact, id, {{"email", pick(names) + "@example.ru"}});
        break;
      }
      case 2:
      case 3:
        if (orgs.empty()) return;
        w.update(tables::org, pick(orgs), {{"name", pick(names)}});  // the same field, often concurrently
        break;
      case 4:
        if (orgs.empty()) return;
        w.update(tables::org, pick(orgs), {{"status", pick(statuses)}, {"short_name", pick(names)}});
        break;
      case 5:
        if (people.empty()) return;
        w.update(tables::person, pick(people), {{"position", pick(names)}});
        break;
      case 6: {
        auto& rows = m_rng() % 2 ? orgs : people;
        if (rows.empty()) return;
        w.remove(&rows == &orgs ? tables::org : tables::person, pick(rows));
        break;
      }
      case 7: {  // re-create: bring a removed row back
        auto removed = writable(n, "org", true);
        if (removed.empty()) return;
        w.update(tables::org, pick(removed), {{"deleted", std::int64_t{0}}});
        break;
      }
      case 9:  // a product: a draft of this node
        w.create(tables::product, {{"type", "kim"}, {"title", pick(names)}, {"status", "draft"}});
        break;
      case 10: {  // edits of products, often concurrent with moderation
        auto products = writable(n, "product", false);
        if (products.empty()) return;
        w.update(tables::product, pick(products), {{m_rng() % 2 ? "title" : "annotation", pick(names)}});
        break;
      }
      case 11: {  // moderation: a school submits its own; the hub publishes or archives any
        auto products = writable(n, "product", false);
        if (products.empty()) return;
        auto id = pick(products);
        if (n.info.role != Role::hub)
          w.update(tables::product, id, {{"status", "submitted"}});
        else if (m_rng() % 4 == 0)
          w.update(tables::product, id, {{"status", "archived"}});
        else if (n.db->query_int("SELECT published_at IS NULL FROM product WHERE id = '" + id + "'"))
          publish_product(w, id, std::nullopt);
        break;
      }
      case 12: {  // an event of this node's, begun already (marks may follow)
        Stmt any(*n.db, "SELECT id FROM org WHERE deleted = 0 ORDER BY id");
        std::string org = any.step() ? any.column_text(0) : std::string();
        w.create(tables::event, {{"type", m_rng() % 2 ? "contest" : "seminar"},
                                 {"title", pick(names)},
                                 {"starts_at", "2026-12-10T07:00:00.000Z"},
                                 {"place", pick(names)},
                                 {"organiser", org},
                                 {"status", "planned"}});
        break;
      }
      case 13: {  // its edits and cancellation, through the operations people use
        auto events = writable(n, "event", false);
        if (events.empty()) return;
        try {
          if (m_rng() % 4 == 0) {
            cancel_event(w, pick(events), pick(names));
          } else {
            EventFields f;
            f.title = pick(names) + " " + std::to_string(m_rng() % 3);
            edit_event(w, pick(events), f, "Europe/Moscow");
          }
        } catch (const Error&) {
          return;  // cancelled already: nothing written
        }
        break;
      }
      case 14:
      case 15:
      case 16: {  // registrations, of anyone for any event, often the same person on two nodes
        Stmt ev(*n.db, "SELECT id FROM event WHERE deleted = 0 AND status = 'planned' ORDER BY id");
        Stmt pe(*n.db, "SELECT id FROM person WHERE deleted = 0 ORDER BY id");
        std::vector<std::string> events, all;
        while (ev.step()) events.push_back(ev.column_text(0));
        while (pe.step()) all.push_back(pe.column_text(0));
        if (events.empty() || all.empty()) return;
        try {
          if (m_rng() % 5 == 0)
            unregister_from_event(w, pick(events), pick(all));
          else
            register_for_event(w, pick(events), pick(all), m_rng() % 3 ? "participant" : "speaker");
        } catch (const Error&) {
          return;  // registered already, not registered, another node's
        }
        break;
      }
      case 17:
      case 18:
      case 19: {  // what happened at this node's events: marks, results, certificates
        auto events = writable(n, "event", false);
        Stmt pe(*n.db, "SELECT id FROM person WHERE deleted = 0 ORDER BY id");
        std::vector<std::string> all;
        while (pe.step()) all.push_back(pe.column_text(0));
        if (events.empty() || all.empty()) return;
        try {
          auto event = pick(events);
          switch (m_rng() % 3) {
            case 0:
              mark_attendance(w, event, {pick(all)}, m_rng() % 4 != 0);
              break;
            case 1:
              record_result(w, event, pick(all), static_cast<std::int64_t>(1 + m_rng() % 3), std::nullopt);
              break;
            default:
              issue_certificates(w, event, std::nullopt, n.secret);
          }
        } catch (const Error&) {
          return;  // cancelled, not a contest, nobody came
        }
        break;
      }
      case 20:
      case 21: {  // discussion threads: messages, replies, edits, a hub hiding one
        auto ids = [&](const char* sql) {
          Stmt q(*n.db, sql);
          std::vector<std::string> out;
          while (q.step()) out.push_back(q.column_text(0));
          return out;
        };
        auto events = ids("SELECT id FROM event WHERE deleted = 0 ORDER BY id");
        auto all = ids("SELECT id FROM person WHERE deleted = 0 ORDER BY id");
        auto posts = ids("SELECT id FROM post WHERE deleted = 0 ORDER BY id");
        auto mine = writable(n, "post", false);
        try {
          auto r = m_rng() % 4;
          if (r == 0 && !mine.empty()) {
            edit_post(w, pick(mine), pick(names));
          } else if (r == 1 && n.info.role == Role::hub && !posts.empty()) {
            hide_post(w, pick(posts), m_rng() % 3 != 0, "спам");
          } else {
            if (events.empty() || all.empty()) return;
            PostInput in;
            in.person = pick(all);
            in.text = pick(names);
            auto event = pick(events);
            auto same = ids(("SELECT id FROM post WHERE entity_id = '" + event + "' ORDER BY id").c_str());
            if (!same.empty() && m_rng() % 2) in.reply_to = pick(same);
            add_post(w, "event", event, in);
          }
        } catch (const Error&) {
          return;  // a cancelled event, a removed person
        }
        break;
      }
      case 22:
      case 23: {  // «Консультация»: questions, assignments, answers, acceptance, closing
        Stmt qs(*n.db, "SELECT id, owner FROM question WHERE deleted = 0 ORDER BY id");
        std::vector<std::pair<std::string, std::string>> questions;
        while (qs.step()) questions.emplace_back(qs.column_text(0), qs.column_text(1));
        Stmt pe(*n.db, "SELECT id FROM person WHERE deleted = 0 ORDER BY id");
        std::vector<std::string> all;
        while (pe.step()) all.push_back(pe.column_text(0));
        try {
          auto r = m_rng() % 6;
          if (r == 0 || questions.empty()) {
            if (all.empty()) return;
            QuestionInput in;
            in.person = pick(all);
            in.direction = "gifted";
            in.title = pick(names);
            in.text = pick(names);
            in.publish = m_rng() % 2;
            ask_question(w, in, WorkCalendar{}, "Europe/Moscow");
          } else {
            auto [q, owner] = questions[m_rng() % questions.size()];
            if (r == 1 && n.info.role == Role::hub) {
              if (m_rng() % 2)
                assign_unassigned(w);
              else
                assign_question(w, q, {m_rng() % 2 ? m_expert : pick(all)});
            } else if (r <= 3) {
              answer_question(w, q, m_expert, pick(names));
            } else if (r == 4) {
              Stmt a(*n.db, "SELECT id FROM answer WHERE question = ? AND deleted = 0 ORDER BY id");
              a.bind(1, q);
              if (!a.step()) return;
              accept_answer(w, q, a.column_text(0), m_rng() % 2 == 0);
            } else if (m_rng() % 2) {
              close_question(w, q);
            } else {
              reopen_question(w, q);
            }
          }
        } catch (const Error&) {
          return;  // another node's question, closed, not closed, a removed expert
        }
        break;
      }
      case 24:
      case 25: {  // agreements between orgs: registered, obligations, edits, terminations
        Stmt os(*n.db, "SELECT id FROM org WHERE deleted = 0 ORDER BY id");
        std::vector<std::string> all;
        while (os.step()) all.push_back(os.column_text(0));
        auto mine = writable(n, "agreement", false);
        try {
          auto r = m_rng() % 4;
          if (r == 0 || mine.empty()) {
            if (all.size() < 2) return;
            AgreementFields f;
            f.number = std::to_string(m_rng() % 100) + "/2027";
            f.date = "2027-01-1" + std::to_string(m_rng() % 10);
            f.kind = m_rng() % 2 ? "joint-activity" : "creative-cooperation";
            f.title = pick(names);
            f.subject = pick(names);
            auto a = m_rng() % all.size(), b = (a + 1 + m_rng() % (all.size() - 1)) % all.size();
            f.parties = std::vector<std::string>{all[a], all[b]};
            add_agreement(w, f);
          } else if (r == 1) {
            auto id = pick(mine);
            Stmt p(*n.db, "SELECT value FROM agreement, json_each(parties) WHERE agreement.id = ? ORDER BY key");
            p.bind(1, id);
            if (!p.step()) return;
            add_obligation(w, id, p.column_text(0), pick(names));
          } else if (r == 2) {
            AgreementFields f;
            f.subject = pick(names);
            if (m_rng() % 2) f.valid_to = "2028-0" + std::to_string(1 + m_rng() % 9) + "-01";
            edit_agreement(w, pick(mine), f);
          } else {
            terminate_agreement(w, pick(mine), "2027-06-01", pick(names));
          }
        } catch (const Error&) {
          return;  // terminated, an org removed, the same org drawn
        }
        break;
      }
      default: {
        if (n.info.role == Role::hub && !people.empty()) {
          w.create(tables::expertise,
                   {{"person", pick(people)}, {"direction", "00000000-0000-7000-8000-000000000202"}});
        } else {
          auto contacts = writable(n, "contact", false);
          if (contacts.empty()) return;
          w.update(tables::contact, pick(contacts), {{"phone", "+7 928 000-00-" + std::to_string(m_rng() % 100)}});
        }
      }
    }
    w.commit();
  }

  struct Flight {
    std::size_t to;
    ChangeSet set;
  };

  void send() {
    auto [a, b] = m_links[m_rng() % m_links.size()];
    if (m_rng() % 2) std::swap(a, b);
    auto set = collect_changes(*m_nodes[a].db, m_nodes[b].info.id);
    auto fate = m_rng() % 10;
    if (fate == 0) return;  // lost
    m_flight.push_back({b, set});
    if (fate == 1) m_flight.push_back({b, set});  // duplicated
  }

  void deliver() {
    if (m_flight.empty()) return;
    auto k = m_rng() % m_flight.size();  // any order
    auto f = std::move(m_flight[k]);
    m_flight.erase(m_flight.begin() + static_cast<std::ptrdiff_t>(k));
    if (m_rng() % 8 == 0) return;  // lost on the way
    merge_changes(*m_nodes[f.to].db, f.set, m_nodes[f.to].wall());
  }

  // The lines of one dump that the other lacks ("- " mine, "+ " the other's):
  // a failure shows the rows that differ, not two whole dumps.
  static std::string differing_lines(const std::string& mine, const std::string& other) {
    auto lines = [](const std::string& d) {
      std::multiset<std::string> out;
      std::size_t pos = 0;
      while (pos < d.size()) {
        auto end = d.find('\n', pos);
        out.insert(d.substr(pos, end - pos));
        pos = end + 1;
      }
      return out;
    };
    auto a = lines(mine), b = lines(other);
    std::string out;
    for (const auto& l : a)
      if (!b.count(l)) out += "- " + l + "\n";
    for (const auto& l : b)
      if (!a.count(l)) out += "+ " + l + "\n";
    return out;
  }

  // The rows of a canonical dump by "table id".
  static std::map<std::string, std::string> rows_of(const std::string& dump) {
    std::map<std::string, std::string> out;
    std::size_t pos = 0;
    while (pos < dump.size()) {
      auto end = dump.find('\n', pos);
      auto line = dump.substr(pos, end - pos);
      pos = end + 1;
      auto second = line.find(' ', line.find(' ') + 1);
      out[line.substr(0, second)] = line;
    }
    return out;
  }

  void check_converged() {
    auto& hub_db = *m_nodes[0].db;
    auto hub = canonical_dump(hub_db);
    auto hub_rows = rows_of(hub);
    for (std::size_t i = 1; i < m_nodes.size(); ++i) {
      INFO("node " << i << " differs from the hub");
      auto mine = canonical_dump(*m_nodes[i].db);
      // Every row in this node's scope is here as at the hub: public rows,
      // its own drafts and questions, the questions of its experts; a row out
      // of it (another's draft) is not here, unless its scope narrowed (a
      // question's experts changed); nothing is here that the hub lacks.
      auto my_rows = rows_of(mine);
      for (const auto& [key, line] : hub_rows) {
        auto table = key.substr(0, key.find(' '));
        auto id = key.substr(key.find(' ') + 1);
        const auto* spec = find_table_spec(table);
        REQUIRE(spec);
        auto owner_at = line.find(" owner=") + 7;
        auto owner = line.substr(owner_at, line.find(' ', owner_at) - owner_at);
        auto here = my_rows.find(key);
        INFO(line);
        if (in_scope(hub_db, *spec, id, owner, m_nodes[i].info.id, "school")) {
          REQUIRE(here != my_rows.end());
          REQUIRE(here->second == line);
        } else if (!spec->visible_to) {
          REQUIRE(here == my_rows.end());
        }
      }
      for (const auto& [key, line] : my_rows) {
        INFO(line);
        REQUIRE(hub_rows.count(key) == 1);
      }
    }
    // Contacts: each school holds exactly the hub's contacts of its own people.
    for (std::size_t i = 1; i < m_nodes.size(); ++i) {
      auto own = [&](Db& db) {
        Stmt s(db,
               "SELECT id, coalesce(email, ''), coalesce(phone, ''), deleted, _v FROM contact WHERE owner = ? ORDER BY "
               "id");
        s.bind(1, m_nodes[i].info.id);
        std::string out;
        while (s.step())
          for (int c = 0; c < 4; ++c) out += s.column_text(c) + "|";
        return out;
      };
      INFO("contacts of node " << i);
      REQUIRE(own(*m_nodes[i].db) == own(*m_nodes[0].db));
      REQUIRE(m_nodes[i].db->query_int("SELECT count(*) FROM contact WHERE owner <> '" + m_nodes[i].info.id +
                                       "' AND (email IS NOT NULL OR phone IS NOT NULL)") == 0);
    }
  }

  std::mt19937_64 m_rng;
  std::string m_expert;
  std::vector<Node> m_nodes;
  std::vector<std::pair<std::size_t, std::size_t>> m_links;
  std::deque<Flight> m_flight;
};

}  // namespace

TEST_CASE("any network converges whatever the order, delay, duplication or loss of bundles", "[convergence]") {
  std::uint64_t first = 1, count = 300;
  if (const char* n = std::getenv("SETEVOE_SCENARIOS")) count = std::strtoull(n, nullptr, 10);
  if (const char* s = std::getenv("SETEVOE_SEED")) {
    first = std::strtoull(s, nullptr, 10);
    count = 1;
  }
  for (std::uint64_t seed = first; seed < first + count; ++seed) {
    INFO("scenario seed " << seed << " (replay: SETEVOE_SEED=" << seed << " core_tests \"[convergence]\")");
    Scenario(seed).run();
  }
}
