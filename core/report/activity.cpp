// The activity report (regulation 6.1): what the network did in a period,
// beside the period before it; and the report on one member org, which is
// the same figures for that org with its people.
#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <map>
#include <set>
#include <tuple>
#include <unordered_map>
#include <unordered_set>

#include "core/agreement.hpp"
#include "core/event.hpp"
#include "core/hlc.hpp"
#include "core/i18n.hpp"
#include "core/member.hpp"
#include "core/product.hpp"
#include "core/report/common.hpp"
#include "core/report/render.hpp"
#include "core/util/json.hpp"
#include "core/util/time.hpp"

namespace setevoe::core::report {

using namespace detail;

namespace {

// Events held in the span: begun before its end (or now), not cancelled.
constexpr const char* k_held =
    "e.deleted = 0 AND e.status <> 'cancelled' AND e.starts_at >= ?1 AND e.starts_at < ?2 AND "
    "(?3 IS NULL OR e.organiser = ?3) AND "
    "(?4 IS NULL OR EXISTS (SELECT 1 FROM json_each(e.directions) WHERE value = ?4))";

struct HeldEvent {
  std::string id, starts_at, title, type, organiser;
  std::vector<std::string> directions{};
  std::int64_t participants = 0, attended = 0, winners = 0;
};

std::vector<HeldEvent> held_events(Db& db, const Span& p, const Scope& sc) {
  // Marks count only when the event's node wrote them (as everywhere).
  Stmt s(db,
         fmt::format("SELECT e.id, e.starts_at, e.title, e.type, coalesce(e.organiser, ''), e.directions, "
                     "(SELECT count(DISTINCT r.person) FROM registration r WHERE r.event = e.id AND r.deleted = 0), "
                     "(SELECT count(*) FROM attendance a WHERE a.event = e.id AND a.owner = e.owner AND a.deleted = 0 "
                     "AND a.attended = 1), "
                     "(SELECT count(*) FROM attendance a WHERE a.event = e.id AND a.owner = e.owner AND a.deleted = 0 "
                     "AND (a.place IS NOT NULL OR a.award <> '')) "
                     "FROM event e WHERE {} ORDER BY e.starts_at, e.id",
                     k_held));
  s.bind(1, p.from_utc).bind(2, p.held_to).bind(3, sc.org).bind(4, sc.direction);
  std::vector<HeldEvent> out;
  while (s.step()) {
    HeldEvent e{s.column_text(0), s.column_text(1), s.column_text(2), s.column_text(3), s.column_text(4)};
    e.directions = util::parse_string_array(s.column_view(5)).value_or(std::vector<std::string>{});
    e.participants = s.column_int(6);
    e.attended = s.column_int(7);
    e.winners = s.column_int(8);
    out.push_back(std::move(e));
  }
  return out;
}

struct Question {
  std::string asked_at, due_on, first_answer, direction, person, faq_at;  // faq_at: accepted for the FAQ
};

std::vector<Question> questions(Db& db, const Scope& sc) {
  Stmt s(db,
         "SELECT q.asked_at, q.due_on, coalesce((SELECT min(a.answered_at) FROM answer a WHERE a.question = q.id AND "
         "a.deleted = 0), ''), q.direction, q.person, CASE WHEN q.publish = 1 AND q.accepted IS NOT NULL "
         "THEN coalesce(q.accepted_at, '') ELSE '' END FROM question q WHERE q.deleted = 0 AND "
         "(?1 IS NULL OR q.person IN (SELECT id FROM person WHERE org = ?1)) AND (?2 IS NULL OR q.direction = ?2)");
  s.bind(1, sc.org).bind(2, sc.direction);
  std::vector<Question> out;
  while (s.step())
    out.push_back(
        {s.column_text(0), s.column_text(1), s.column_text(2), s.column_text(3), s.column_text(4), s.column_text(5)});
  return out;
}

struct QuestionFigures {
  std::int64_t asked = 0, answered = 0, due = 0, overdue = 0, faq = 0;
  std::optional<double> median_days;
};

// Asked and first answered in the span; of those due in it (by its end or
// today, whichever is first), how many got no answer by their due date.
QuestionFigures question_figures(const std::vector<Question>& qs, const Span& p, const Request& r) {
  QuestionFigures f;
  std::vector<double> days;
  auto last_due = std::min(p.to, util::add_days(r.today, -1));
  for (const auto& q : qs) {
    if (q.asked_at >= p.from_utc && q.asked_at < p.to_utc) ++f.asked;
    if (!q.first_answer.empty() && q.first_answer >= p.from_utc && q.first_answer < p.to_utc) {
      ++f.answered;
      auto a = util::parse_iso_utc(q.first_answer), b = util::parse_iso_utc(q.asked_at);
      if (a && b) days.push_back(static_cast<double>(*a - *b) / 86'400'000.0);
    }
    if (!q.faq_at.empty() && q.faq_at >= p.from_utc && q.faq_at < p.to_utc) ++f.faq;
    if (q.due_on >= p.from && q.due_on <= last_due) {
      ++f.due;
      if (q.first_answer.empty() || local_date_of(q.first_answer, r.time_zone) > q.due_on) ++f.overdue;
    }
  }
  f.median_days = median(std::move(days));
  return f;
}

struct AgreementRow {
  std::string id, number, title, signed_on, valid_from, valid_to, terminated_on;
  std::vector<std::string> parties{};
};

std::vector<AgreementRow> agreement_rows(Db& db, const Scope& sc) {
  Stmt s(db,
         "SELECT a.id, a.number, a.title, coalesce(a.signed_on, ''), coalesce(a.valid_from, ''), "
         "coalesce(a.valid_to, ''), coalesce(a.terminated_on, ''), a.parties FROM agreement a WHERE a.deleted = 0 "
         "AND (?1 IS NULL OR EXISTS (SELECT 1 FROM json_each(a.parties) WHERE value = ?1)) "
         "ORDER BY a.signed_on, a.number, a.id");
  s.bind(1, sc.org);
  std::vector<AgreementRow> out;
  while (s.step()) {
    AgreementRow a{s.column_text(0), s.column_text(1), s.column_text(2), s.column_text(3),
                   s.column_text(4), s.column_text(5), s.column_text(6)};
    a.parties = util::parse_string_array(s.column_view(7)).value_or(std::vector<std::string>{});
    out.push_back(std::move(a));
  }
  return out;
}

struct AgreementFigures {
  std::int64_t signed_ = 0, active = 0, expiring = 0, terminated = 0;
};

constexpr int k_expiring_days = 90;

// Rows by a count column, larger first, ties by the first column (a name).
void sort_by_count(std::vector<std::vector<Value>>& rows, std::size_t column) {
  std::sort(rows.begin(), rows.end(), [column](const auto& a, const auto& b) {
    auto x = std::get<std::int64_t>(a[column]), y = std::get<std::int64_t>(b[column]);
    return x != y ? x > y : std::get<std::string>(a[0]) < std::get<std::string>(b[0]);
  });
}

AgreementFigures agreement_figures(const std::vector<AgreementRow>& rows, const Span& p) {
  AgreementFigures f;
  auto horizon = util::add_days(p.to, k_expiring_days);
  for (const auto& a : rows) {
    if (!a.signed_on.empty() && a.signed_on >= p.from && a.signed_on <= p.to) ++f.signed_;
    if (!a.terminated_on.empty() && a.terminated_on >= p.from && a.terminated_on <= p.to) ++f.terminated;
    if (agreement_status(a.signed_on, a.valid_from, a.valid_to, a.terminated_on, p.to) == "active") {
      ++f.active;
      if (!a.valid_to.empty() && a.valid_to > p.to && a.valid_to <= horizon &&
          (a.terminated_on.empty() || a.terminated_on > a.valid_to))
        ++f.expiring;
    }
  }
  return f;
}

// ---- Products: one pass over the covering index product_report gives the
// figures of both periods and the period's tables, instead of a query (and
// a scan of the products) for each.

struct ProductFigures {
  std::int64_t created = 0, submitted = 0, published = 0;
};

struct ProductTally {
  ProductFigures figures;
  std::set<std::string, std::less<>> orgs;  // with a product created or published in the span
};

struct ProductPass {
  ProductTally now, before;
  // The period's tables: by type (created, submitted, published), by
  // direction and by org (created, published; org "" for none).
  std::map<std::string, std::array<std::int64_t, 3>, std::less<>> by_type;
  std::map<std::string, std::array<std::int64_t, 2>, std::less<>> by_direction, by_org;
  struct Published {
    std::string at, id;
    std::int64_t rowid;
  };
  std::vector<Published> published;  // in order
};

template <typename Map>
typename Map::mapped_type& slot(Map& m, std::string_view key) {
  auto it = m.find(key);
  if (it == m.end()) it = m.emplace(std::string(key), typename Map::mapped_type{}).first;
  return it->second;
}

// `before` is the span just before `now`: the rows of either lie in one range.
ProductPass product_pass(Db& db, const Span& now, const Span& before, const Scope& sc) {
  ProductPass out;
  Stmt s(db,
         "SELECT coalesce(p.org, ''), p.type, p.id, coalesce(p.submitted_at, ''), coalesce(p.published_at, ''), "
         "p.directions, p.rowid FROM product p WHERE p.deleted = 0 AND (?1 IS NULL OR p.org = ?1) AND "
         "((p.id >= ?2 AND p.id < ?3) OR (p.submitted_at >= ?4 AND p.submitted_at < ?5) OR "
         "(p.published_at >= ?4 AND p.published_at < ?5))");
  s.bind(1, sc.org).bind(2, before.from_id).bind(3, now.to_id).bind(4, before.from_utc).bind(5, now.to_utc);
  auto in = [](std::string_view v, const std::string& from, const std::string& to) { return v >= from && v < to; };
  std::vector<std::string> directions;
  while (s.step()) {
    auto org = s.column_view(0), id = s.column_view(2), submitted = s.column_view(3), published = s.column_view(4);
    bool parsed = false;
    auto parse = [&]() -> const std::vector<std::string>& {
      if (!parsed) directions = util::parse_string_array(s.column_view(5)).value_or(std::vector<std::string>{});
      parsed = true;
      return directions;
    };
    if (sc.direction) {
      const auto& ds = parse();
      if (std::ranges::find(ds, *sc.direction) == ds.end()) continue;
    }
    struct In {
      bool created, submitted, published;
    };
    auto in_span = [&](const Span& p) {
      return In{in(id, p.from_id, p.to_id), in(submitted, p.from_utc, p.to_utc), in(published, p.from_utc, p.to_utc)};
    };
    auto count = [&](ProductTally& tally, In f) {
      tally.figures.created += f.created;
      tally.figures.submitted += f.submitted;
      tally.figures.published += f.published;
      if ((f.created || f.published) && !org.empty() && !tally.orgs.contains(org)) tally.orgs.emplace(org);
    };
    auto f = in_span(now);
    count(out.now, f);
    count(out.before, in_span(before));
    if (f.created || f.submitted || f.published) {
      auto& t = slot(out.by_type, s.column_view(1));
      t[0] += f.created;
      t[1] += f.submitted;
      t[2] += f.published;
    }
    if (!f.created && !f.published) continue;
    for (const auto& d : parse()) {
      if (sc.direction && d != *sc.direction) continue;
      auto& t = slot(out.by_direction, d);
      t[0] += f.created;
      t[1] += f.published;
    }
    auto& o = slot(out.by_org, org);
    o[0] += f.created;
    o[1] += f.published;
    if (f.published) out.published.push_back({std::string(published), std::string(id), s.column_int(6)});
  }
  std::sort(out.published.begin(), out.published.end(),
            [](const auto& a, const auto& b) { return std::tie(a.at, a.id) < std::tie(b.at, b.id); });
  return out;
}

// Each person's org ("" for none), read once.
struct People {
  std::unordered_map<std::string, std::string> org_of;
  explicit People(Db& db) {
    Stmt s(db, "SELECT id, coalesce(org, '') FROM person");
    while (s.step()) org_of.emplace(s.column_text(0), s.column_text(1));
  }
  std::string_view org(const std::string& person) const {
    auto it = org_of.find(person);
    return it == org_of.end() ? std::string_view() : std::string_view(it->second);
  }
};

struct MemberFigures {
  std::int64_t orgs_active = 0, orgs_new = 0, drawn_in = 0, people_new = 0;
};

// Orgs that did something in the span: made or published a product, held
// an event, or had people registered for an event held (by any org) or
// asking a question. The registrations are looked through only for the
// orgs not already counted, a person at a time, until one is found.
std::int64_t orgs_active(Db& db, const Span& p, const Scope& sc, const ProductTally& products,
                         const std::vector<HeldEvent>& held, const std::vector<Question>& qs, const People& people) {
  std::unordered_set<std::string> active(products.orgs.begin(), products.orgs.end());
  for (const auto& e : held)
    if (!e.organiser.empty()) active.insert(e.organiser);
  for (const auto& q : qs)
    if (q.asked_at >= p.from_utc && q.asked_at < p.to_utc)
      if (auto o = people.org(q.person); !o.empty()) active.emplace(o);
  Stmt r(db, fmt::format("SELECT 1 FROM registration r JOIN event e ON e.id = r.event WHERE r.person = ?5 AND "
                         "r.deleted = 0 AND {} LIMIT 1",
                         k_held));
  r.bind(1, p.from_utc).bind(2, p.held_to).bind(4, sc.direction);  // ?3, the organiser: any
  for (const auto& [person, org] : people.org_of) {
    if (org.empty() || (sc.org && org != *sc.org) || active.contains(org)) continue;
    r.rewind();  // the span stays bound
    r.bind(5, person);
    if (r.step()) active.insert(org);
  }
  if (sc.org) return active.contains(*sc.org) ? 1 : 0;
  return static_cast<std::int64_t>(active.size());
}

MemberFigures member_figures(Db& db, const Span& p, const Scope& sc) {
  MemberFigures f;
  {
    Stmt s(db,
           "SELECT sum(id >= ?1 AND id < ?2 AND status <> 'potential'), "
           "sum(status = 'active' AND id < ?1 AND json_extract(_v, '$.status') IS NOT NULL AND "
           "substr(json_extract(_v, '$.status'), 1, 16) >= ?3 AND substr(json_extract(_v, '$.status'), 1, 16) < ?4) "
           "FROM org WHERE deleted = 0 AND (?5 IS NULL OR id = ?5)");
    // A status written in the span by an org made before it: drawn in from
    // «potential» (versions are hexadecimal clock ticks, millis << 16).
    auto tick = [](const std::string& iso) {
      return fmt::format("{:016x}", static_cast<std::uint64_t>(util::parse_iso_utc(iso).value_or(0)) << 16);
    };
    s.bind(1, p.from_id).bind(2, p.to_id).bind(3, tick(p.from_utc)).bind(4, tick(p.to_utc)).bind(5, sc.org);
    s.step();
    f.orgs_new = s.column_int(0);
    f.drawn_in = s.column_int(1);
  }
  {
    Stmt s(db, "SELECT count(*) FROM person WHERE deleted = 0 AND id >= ?1 AND id < ?2 AND (?3 IS NULL OR org = ?3)");
    s.bind(1, p.from_id).bind(2, p.to_id).bind(3, sc.org);
    s.step();
    f.people_new = s.column_int(0);
  }
  return f;
}

struct Figures {
  ProductFigures products;
  std::int64_t events = 0, participants = 0, attended = 0, contests = 0, winners = 0;
  QuestionFigures questions;
  AgreementFigures agreements;
  MemberFigures members;
};

Figures figures(Db& db, const Span& p, const Scope& sc, const ProductTally& products,
                const std::vector<HeldEvent>& held, const std::vector<Question>& qs,
                const std::vector<AgreementRow>& ags, const People& people, const Request& r) {
  Figures f;
  f.products = products.figures;
  for (const auto& e : held) {
    ++f.events;
    f.participants += e.participants;
    f.attended += e.attended;
    if (e.type == "contest") {
      ++f.contests;
      f.winners += e.winners;
    }
  }
  f.questions = question_figures(qs, p, r);
  f.agreements = agreement_figures(ags, p);
  f.members = member_figures(db, p, sc);
  f.members.orgs_active = orgs_active(db, p, sc, products, held, qs, people);
  return f;
}

std::string scope_words(const Scope& sc) {
  std::string out;
  if (sc.org) out = trf("Organisation: {}", sc.org_name);
  if (sc.direction) out += (out.empty() ? "" : "; ") + trf("direction: {}", sc.direction_name);
  return out;
}

Table summary_table(const Figures& now, const Figures& before, const std::string& prev_words) {
  Table t{"summary",
          "",
          {text_column("indicator", tr("Indicator")), number_column("current", tr("This period")),
           number_column("previous", prev_words)}};
  auto row = [&](const char* label, Value a, Value b) { t.rows.push_back({std::string(tr(label)), a, b}); };
  row(N_("Products created"), now.products.created, before.products.created);
  row(N_("Products submitted for moderation"), now.products.submitted, before.products.submitted);
  row(N_("Products published"), now.products.published, before.products.published);
  row(N_("Events held"), now.events, before.events);
  row(N_("Participants registered"), now.participants, before.participants);
  row(N_("Participants who attended"), now.attended, before.attended);
  row(N_("Contests held"), now.contests, before.contests);
  row(N_("Contest winners and awardees"), now.winners, before.winners);
  row(N_("Questions asked"), now.questions.asked, before.questions.asked);
  row(N_("Questions answered (first answer)"), now.questions.answered, before.questions.answered);
  row(N_("Questions left unanswered past their due date"), now.questions.overdue, before.questions.overdue);
  row(N_("Median days to a first answer"), optional_number(now.questions.median_days),
      optional_number(before.questions.median_days));
  row(N_("Agreements signed"), now.agreements.signed_, before.agreements.signed_);
  row(N_("Agreements in force at the end"), now.agreements.active, before.agreements.active);
  row(N_("Agreements expiring within 90 days after the end"), now.agreements.expiring, before.agreements.expiring);
  row(N_("Agreements terminated"), now.agreements.terminated, before.agreements.terminated);
  row(N_("Member organisations active"), now.members.orgs_active, before.members.orgs_active);
  row(N_("New member organisations"), now.members.orgs_new, before.members.orgs_new);
  row(N_("Potential members drawn in"), now.members.drawn_in, before.members.drawn_in);
  row(N_("New people in the registry"), now.members.people_new, before.members.people_new);
  return t;
}

// The products section's tables: by type, direction and org, and the list
// of those published.
Section products_section(Db& db, const ProductPass& pass, const Scope& sc, const Names& names, const std::string& tz) {
  Section s{"products", tr("Methodological products")};
  {
    Table t{"by_type",
            tr("By type"),
            {text_column("type", tr("Type")), integer_column("created", trc("count", "Created")),
             integer_column("submitted", trc("count", "Submitted")),
             integer_column("published", trc("count", "Published"))}};
    std::array<std::int64_t, 3> total{};
    for (const auto& [type, n] : pass.by_type) {
      t.rows.push_back({term_label(product_types(), type), n[0], n[1], n[2]});
      for (std::size_t i = 0; i < n.size(); ++i) total[i] += n[i];
    }
    std::sort(t.rows.begin(), t.rows.end(), [](const auto& a, const auto& b) {
      return std::get<std::int64_t>(a[3]) != std::get<std::int64_t>(b[3])
                 ? std::get<std::int64_t>(a[3]) > std::get<std::int64_t>(b[3])
                 : std::get<std::string>(a[0]) < std::get<std::string>(b[0]);
    });
    if (!t.rows.empty()) {
      t.rows.push_back({std::string(tr("Total")), total[0], total[1], total[2]});
      t.total = true;
    }
    s.tables.push_back(std::move(t));
    s.charts.push_back({tr("Products published, by type"), "by_type", "type", "published"});
  }
  {
    Table t{"by_direction",
            tr("By direction"),
            {text_column("direction", tr("Direction")), integer_column("created", trc("count", "Created")),
             integer_column("published", trc("count", "Published"))}};
    for (const auto& [d, n] : pass.by_direction) t.rows.push_back({names.direction(d), n[0], n[1]});
    sort_by_count(t.rows, 2);
    s.tables.push_back(std::move(t));
  }
  if (!sc.org) {
    Table t{"by_org",
            tr("By organisation"),
            {text_column("org", tr("Organisation")), integer_column("created", trc("count", "Created")),
             integer_column("published", trc("count", "Published"))}};
    for (const auto& [id, n] : pass.by_org)
      t.rows.push_back({id.empty() ? std::string(tr("(no organisation)")) : names.org(id), n[0], n[1]});
    std::sort(t.rows.begin(), t.rows.end(), [](const auto& a, const auto& b) {
      auto pa = std::get<std::int64_t>(a[2]), pb = std::get<std::int64_t>(b[2]);
      if (pa != pb) return pa > pb;
      auto ca = std::get<std::int64_t>(a[1]), cb = std::get<std::int64_t>(b[1]);
      if (ca != cb) return ca > cb;
      return std::get<std::string>(a[0]) < std::get<std::string>(b[0]);
    });
    s.tables.push_back(std::move(t));
  }
  {
    Table t{
        "published",
        tr("Published in the period"),
        {integer_column("n", tr("№")), date_column("published_on", tr("Published")), text_column("title", tr("Title")),
         text_column("type", tr("Type")), text_column("org", tr("Organisation"))}};
    // By rowid, which the pass read from the index: one lookup each.
    Stmt q(db, "SELECT title, type, coalesce(org, '') FROM product WHERE rowid = ?");
    t.rows.reserve(pass.published.size());
    std::int64_t n = 0;
    for (const auto& p : pass.published) {
      q.reset();
      q.bind(1, p.rowid);
      if (!q.step()) continue;
      t.rows.push_back({++n, local_date_of(p.at, tz), q.column_text(0), term_label(product_types(), q.column_text(1)),
                        names.org(q.column_text(2))});
    }
    s.tables.push_back(std::move(t));
  }
  return s;
}

Section events_section(const std::vector<HeldEvent>& held, const Names& names, const Request& r,
                       const std::optional<std::string>& only_direction) {
  Section s{"events", tr("Educational events")};
  struct Sum {
    std::int64_t held = 0, participants = 0, attended = 0;
  };
  std::map<std::string, Sum> by_type, by_direction;
  Sum total;
  for (const auto& e : held) {
    for (auto* sum : {&by_type[e.type], &total}) {
      ++sum->held;
      sum->participants += e.participants;
      sum->attended += e.attended;
    }
    for (const auto& d : e.directions) {
      if (only_direction && d != *only_direction) continue;
      auto& sum = by_direction[d];
      ++sum.held;
      sum.participants += e.participants;
      sum.attended += e.attended;
    }
  }
  auto columns = [](const char* key, const char* title) {
    return std::vector<Column>{text_column(key, tr(title)), integer_column("held", tr("Held")),
                               integer_column("participants", tr("Participants")),
                               integer_column("attended", tr("Attended"))};
  };
  Table types{"by_type", tr("By form"), columns("type", N_("Form"))};
  for (const auto& [type, sum] : by_type)
    types.rows.push_back({term_label(event_types(), type), sum.held, sum.participants, sum.attended});
  sort_by_count(types.rows, 1);
  if (!types.rows.empty()) {
    types.rows.push_back({std::string(tr("Total")), total.held, total.participants, total.attended});
    types.total = true;
  }
  s.tables.push_back(std::move(types));
  s.charts.push_back({tr("Events held, by form"), "by_type", "type", "held"});
  Table dirs{"by_direction", tr("By direction"), columns("direction", N_("Direction"))};
  for (const auto& [d, sum] : by_direction)
    dirs.rows.push_back({names.direction(d), sum.held, sum.participants, sum.attended});
  sort_by_count(dirs.rows, 1);
  s.tables.push_back(std::move(dirs));
  Table list{"held",
             tr("Events held"),
             {integer_column("n", tr("№")), date_column("date", tr("Date")), text_column("title", tr("Title")),
              text_column("type", tr("Form")), text_column("organiser", tr("Organiser")),
              integer_column("participants", tr("Participants")), integer_column("attended", tr("Attended"))}};
  std::int64_t n = 0;
  for (const auto& e : held)
    list.rows.push_back({++n, local_date_of(e.starts_at, r.time_zone), e.title, term_label(event_types(), e.type),
                         names.org(e.organiser), e.participants, e.attended});
  s.tables.push_back(std::move(list));
  return s;
}

Section contests_section(Db& db, const std::vector<HeldEvent>& held, const Names& names, const Request& r) {
  Section s{"contests", tr("Contests and their winners")};
  Table t{"winners",
          "",
          {date_column("date", tr("Date")), text_column("contest", tr("Contest")), text_column("person", tr("Winner")),
           text_column("org", tr("Organisation")), integer_column("place", tr("Place")),
           text_column("award", tr("Award"))}};
  Stmt q(db,
         "SELECT a.person, coalesce(pe.org, ''), a.place, a.award FROM attendance a JOIN event e ON e.id = a.event "
         "LEFT JOIN person pe ON pe.id = a.person WHERE a.event = ? AND a.owner = e.owner AND a.deleted = 0 AND "
         "(a.place IS NOT NULL OR a.award <> '') ORDER BY a.place IS NULL, a.place, a.award, a.person");
  for (const auto& e : held) {
    if (e.type != "contest" || e.winners == 0) continue;
    q.reset();
    q.bind(1, e.id);
    while (q.step())
      t.rows.push_back({local_date_of(e.starts_at, r.time_zone), e.title, names.person(q.column_text(0)),
                        names.org(q.column_text(1)), q.column_is_null(2) ? Value() : Value(q.column_int(2)),
                        q.column_text(3)});
  }
  s.tables.push_back(std::move(t));
  return s;
}

Section consultations_section(const std::vector<Question>& qs, const Span& p, const Names& names, const Request& r) {
  Section s{"consultations", tr("The «Consultation» service")};
  std::map<std::string, std::vector<Question>> by_direction;
  for (const auto& q : qs) by_direction[q.direction].push_back(q);
  Table t{"by_direction",
          tr("By direction"),
          {text_column("direction", tr("Direction")), integer_column("asked", trc("count", "Asked")),
           integer_column("answered", trc("count", "Answered")), integer_column("overdue", tr("Overdue")),
           number_column("median_days", tr("Median days to a first answer"))}};
  for (const auto& [d, list] : by_direction) {
    auto f = question_figures(list, p, r);
    if (f.asked + f.answered + f.overdue == 0) continue;
    t.rows.push_back({names.direction(d), f.asked, f.answered, f.overdue, optional_number(f.median_days)});
  }
  sort_by_count(t.rows, 1);
  s.tables.push_back(std::move(t));
  s.charts.push_back({tr("Questions asked, by direction"), "by_direction", "direction", "asked"});
  return s;
}

Section agreements_section(const std::vector<AgreementRow>& rows, const Span& p, const Names& names) {
  Section s{"agreements", tr("Agreements on joint activity")};
  Table t{"changes",
          tr("Signed and terminated in the period"),
          {text_column("number", tr("Number")), text_column("title", tr("Title")),
           text_column("parties", tr("Parties")), date_column("signed_on", tr("Signed")),
           date_column("valid_to", tr("Valid until")), date_column("terminated_on", tr("Terminated"))}};
  for (const auto& a : rows) {
    bool signed_in = !a.signed_on.empty() && a.signed_on >= p.from && a.signed_on <= p.to;
    bool ended_in = !a.terminated_on.empty() && a.terminated_on >= p.from && a.terminated_on <= p.to;
    if (!signed_in && !ended_in) continue;
    std::string parties;
    for (const auto& o : a.parties) parties += (parties.empty() ? "" : "; ") + names.org(o);
    auto date = [](const std::string& d) { return d.empty() ? Value() : Value(d); };
    t.rows.push_back({a.number, a.title, parties, date(a.signed_on), date(a.valid_to), date(a.terminated_on)});
  }
  s.tables.push_back(std::move(t));
  return s;
}

Document activity_document(Db& db, const Request& r, const Scope& sc, Document doc) {
  auto period = *request_period(r, true);
  auto before = previous_period(period.first, period.second);
  doc.from = period.first;
  doc.to = period.second;
  auto now = make_span(period.first, period.second, r.time_zone, r.now_ms);
  auto prev = make_span(before.first, before.second, r.time_zone, r.now_ms);
  Names names(db);
  People people(db);
  auto products = product_pass(db, now, prev, sc);
  auto held = held_events(db, now, sc);
  auto held_before = held_events(db, prev, sc);
  auto qs = questions(db, sc);
  auto ags = agreement_rows(db, sc);
  auto f_now = figures(db, now, sc, products.now, held, qs, ags, people, r);
  auto f_before = figures(db, prev, sc, products.before, held_before, qs, ags, people, r);

  Section summary{"summary", tr("Key figures")};
  if (auto words = scope_words(sc); !words.empty()) summary.paragraphs.push_back(words);
  summary.paragraphs.push_back(trf("Beside each figure, the same for the period before: {}.",
                                   date_text(before.first) + " – " + date_text(before.second)));
  if (sc.direction)
    summary.paragraphs.push_back(tr("Agreements, new members and new people are counted without the direction."));
  summary.tables.push_back(summary_table(f_now, f_before, tr("Previous period")));
  doc.sections.push_back(std::move(summary));
  doc.sections.push_back(products_section(db, products, sc, names, r.time_zone));
  doc.sections.push_back(events_section(held, names, r, sc.direction));
  doc.sections.push_back(contests_section(db, held, names, r));
  doc.sections.push_back(consultations_section(qs, now, names, r));
  doc.sections.push_back(agreements_section(ags, now, names));
  return doc;
}

Section experts_section(Db& db, const Span& p, const Scope& sc, const Names& names) {
  Section s{"experts", tr("Experts")};
  Table t{
      "by_expert",
      tr("Answers by expert"),
      {text_column("expert", tr("Expert")), integer_column("answers", tr("Answers")),
       integer_column("accepted", tr("Accepted")), number_column("median_days", tr("Median days from the question"))}};
  Stmt q(db,
         "SELECT a.person, a.answered_at, q.asked_at, coalesce(q.accepted = a.id, 0) FROM answer a JOIN question q ON "
         "q.id = a.question LEFT JOIN person pe ON pe.id = q.person WHERE a.deleted = 0 AND q.deleted = 0 AND "
         "a.answered_at >= ?1 AND a.answered_at < ?2 AND (?3 IS NULL OR pe.org = ?3) AND "
         "(?4 IS NULL OR q.direction = ?4)");
  q.bind(1, p.from_utc).bind(2, p.to_utc).bind(3, sc.org).bind(4, sc.direction);
  struct Sum {
    std::int64_t answers = 0, accepted = 0;
    std::vector<double> days;
  };
  std::map<std::string, Sum> by;
  while (q.step()) {
    auto& sum = by[q.column_text(0)];
    ++sum.answers;
    sum.accepted += q.column_int(3);
    auto a = util::parse_iso_utc(q.column_view(1)), b = util::parse_iso_utc(q.column_view(2));
    if (a && b) sum.days.push_back(static_cast<double>(*a - *b) / 86'400'000.0);
  }
  for (auto& [person, sum] : by)
    t.rows.push_back({names.person(person), sum.answers, sum.accepted, optional_number(median(std::move(sum.days)))});
  std::sort(t.rows.begin(), t.rows.end(), [](const auto& a, const auto& b) {
    auto x = std::get<std::int64_t>(a[1]), y = std::get<std::int64_t>(b[1]);
    return x != y ? x > y : std::get<std::string>(a[0]) < std::get<std::string>(b[0]);
  });
  s.tables.push_back(std::move(t));
  return s;
}

Section overdue_section(Db& db, const Scope& sc, const Names& names, const Request& r) {
  Section s{"overdue", tr("Questions waiting past their due date")};
  s.paragraphs.push_back(trf("As of {}: open questions with no answer whose due date has passed.", date_text(r.today)));
  Table t{"questions",
          "",
          {integer_column("n", tr("№")), date_column("asked_on", tr("Asked")), date_column("due_on", tr("Due")),
           text_column("title", tr("Question")), text_column("person", tr("Asked by")),
           text_column("org", tr("Organisation")), text_column("direction", tr("Direction")),
           text_column("experts", tr("Experts"))}};
  Stmt q(db,
         "SELECT q.asked_at, q.due_on, q.title, q.person, coalesce(pe.org, ''), q.direction, q.experts FROM question q "
         "LEFT JOIN person pe ON pe.id = q.person WHERE q.deleted = 0 AND q.closed_at IS NULL AND q.due_on < ?1 AND "
         "NOT EXISTS (SELECT 1 FROM answer a WHERE a.question = q.id AND a.deleted = 0) AND "
         "(?2 IS NULL OR pe.org = ?2) AND (?3 IS NULL OR q.direction = ?3) ORDER BY q.due_on, q.asked_at, q.id");
  q.bind(1, r.today).bind(2, sc.org).bind(3, sc.direction);
  std::int64_t n = 0;
  while (q.step()) {
    std::string experts;
    for (const auto& e : util::parse_string_array(q.column_view(6)).value_or(std::vector<std::string>{}))
      experts += (experts.empty() ? "" : "; ") + names.person(e);
    t.rows.push_back({++n, local_date_of(q.column_text(0), r.time_zone), q.column_text(1), q.column_text(2),
                      names.person(q.column_text(3)), names.org(q.column_text(4)), names.direction(q.column_text(5)),
                      experts});
  }
  s.tables.push_back(std::move(t));
  return s;
}

}  // namespace

Document consultations(Db& db, const Request& r) {
  auto sc = make_scope(db, r);
  auto period = *request_period(r, true);
  auto before = previous_period(period.first, period.second);
  auto doc =
      new_document(r, "consultations", tr("The «Consultation» service"), period_words(period.first, period.second));
  doc.from = period.first;
  doc.to = period.second;
  auto now = make_span(period.first, period.second, r.time_zone, r.now_ms);
  auto prev = make_span(before.first, before.second, r.time_zone, r.now_ms);
  Names names(db);
  auto qs = questions(db, sc);
  auto a = question_figures(qs, now, r), b = question_figures(qs, prev, r);
  Section summary{"summary", tr("Key figures")};
  if (auto words = scope_words(sc); !words.empty()) summary.paragraphs.push_back(words);
  Table t{"summary",
          "",
          {text_column("indicator", tr("Indicator")), number_column("current", tr("This period")),
           number_column("previous", tr("Previous period"))}};
  auto row = [&](const char* label, Value x, Value y) { t.rows.push_back({std::string(tr(label)), x, y}); };
  row(N_("Questions asked"), a.asked, b.asked);
  row(N_("Questions answered (first answer)"), a.answered, b.answered);
  row(N_("Questions due in the period"), a.due, b.due);
  row(N_("Of them answered on time"), a.due - a.overdue, b.due - b.overdue);
  row(N_("Questions left unanswered past their due date"), a.overdue, b.overdue);
  row(N_("Median days to a first answer"), optional_number(a.median_days), optional_number(b.median_days));
  row(N_("Answers published in the FAQ"), a.faq, b.faq);
  summary.tables.push_back(std::move(t));
  doc.sections.push_back(std::move(summary));
  auto by_direction = consultations_section(qs, now, names, r);
  by_direction.key = "directions";
  by_direction.title = tr("By direction");
  by_direction.tables.front().title.clear();  // the section says it
  doc.sections.push_back(std::move(by_direction));
  doc.sections.push_back(experts_section(db, now, sc, names));
  doc.sections.push_back(overdue_section(db, sc, names, r));
  return doc;
}

Document activity(Db& db, const Request& r) {
  auto sc = make_scope(db, r);
  auto period = *request_period(r, true);
  auto doc = new_document(r, "activity", tr("Report on the activity of the network"),
                          period_words(period.first, period.second));
  return activity_document(db, r, sc, std::move(doc));
}

Document org(Db& db, const Request& r) {
  if (!r.org) throw Error(ErrorKind::usage, tr("say which organisation: setevoe report org ORG."));
  auto sc = make_scope(db, r);
  Stmt o(db, "SELECT name, kind, status FROM org WHERE id = ?");
  o.bind(1, *sc.org);
  o.step();
  auto full_name = o.column_text(0);
  auto kind = o.column_text(1), status = o.column_text(2);
  Document doc;
  auto period = request_period(r, false);
  doc = new_document(r, "org", tr("Report on a member of the network"), full_name);
  Section card{"org", tr("The organisation")};
  card.paragraphs.push_back(
      trf("Kind: {}; status: {}.", term_label(org_kinds(), kind), term_label(member_statuses(), status)));
  Table people{"people",
               tr("People of the organisation"),
               {integer_column("n", tr("№")), text_column("name", tr("Full name")),
                text_column("position", tr("Position")), text_column("status", tr("Status"))}};
  Stmt p(db, "SELECT name, coalesce(position, ''), status FROM person WHERE deleted = 0 AND org = ? ORDER BY name, id");
  p.bind(1, *sc.org);
  std::int64_t n = 0;
  while (p.step())
    people.rows.push_back({++n, p.column_text(0), p.column_text(1), term_label(member_statuses(), p.column_text(2))});
  card.tables.push_back(std::move(people));
  if (!period) {
    doc.sections.push_back(std::move(card));
    return doc;
  }
  doc.subtitle += "\n" + period_words(period->first, period->second);
  auto activity = activity_document(db, r, sc, doc);
  activity.sections.insert(activity.sections.begin(), std::move(card));
  return activity;
}

}  // namespace setevoe::core::report
