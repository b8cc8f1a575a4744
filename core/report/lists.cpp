// The reports that are mostly lists: the plan of educational events, the
// register of agreements, and a teacher's portfolio.
#include <fmt/format.h>

#include <map>

#include "core/agreement.hpp"
#include "core/error.hpp"
#include "core/event.hpp"
#include "core/i18n.hpp"
#include "core/member.hpp"
#include "core/product.hpp"
#include "core/report/common.hpp"
#include "core/report/render.hpp"
#include "core/util/time.hpp"

namespace setevoe::core::report {

using namespace detail;

namespace {

std::string month_heading(const std::string& ymd) {
  return fmt::format("{} {}", month_name(static_cast<unsigned>(std::stoi(ymd.substr(5, 2)))), ymd.substr(0, 4));
}

Value date_or_empty(const std::string& d) {
  return d.empty() ? Value() : Value(d);
}

}  // namespace

Document plan(Db& db, const Request& r) {
  auto period = *request_period(r, true);
  auto sc = make_scope(db, r);
  auto doc = new_document(r, "plan", tr("The plan of educational events"), period_words(period.first, period.second));
  doc.from = period.first;
  doc.to = period.second;
  EventFilter filter;
  filter.from = period.first;
  filter.to = period.second;
  filter.org = sc.org;
  filter.direction = sc.direction;
  filter.cancelled = false;
  filter.detail = EventDetail::plan;
  auto columns = std::vector<Column>{integer_column("n", tr("№")),      date_column("date", tr("Date")),
                                     text_column("time", tr("Time")),   text_column("type", tr("Form")),
                                     text_column("title", tr("Title")), text_column("organiser", tr("Organiser")),
                                     text_column("where", tr("Where"))};
  std::map<std::string, std::string> types;
  std::int64_t n = 0;
  each_event(db, filter, r.time_zone, [&](const Event& e) {
    auto start = util::local_datetime(e.starts_ms, r.time_zone);  // "DD.MM.YYYY HH:MM"
    auto ymd = start.substr(6, 4) + "-" + start.substr(3, 2) + "-" + start.substr(0, 2);
    auto time = start.substr(11);
    if (e.ends_ms) {
      auto end = util::local_datetime(*e.ends_ms, r.time_zone);
      time += "–" + (end.substr(0, 10) == start.substr(0, 10) ? end.substr(11) : end);
    }
    auto key = ymd.substr(0, 7);
    if (doc.sections.empty() || doc.sections.back().key != key) {
      Section s{key, month_heading(ymd)};
      s.tables.push_back(Table{"events", "", columns});
      doc.sections.push_back(std::move(s));
    }
    auto type = types.find(e.type);
    if (type == types.end()) type = types.emplace(e.type, term_label(event_types(), e.type)).first;
    auto organiser = e.organiser_name.empty() ? e.organiser_id : e.organiser_name;
    doc.sections.back().tables.back().rows.push_back(
        {++n, ymd, time, type->second, e.title, organiser, e.place.empty() ? e.url : e.place});
  });
  if (doc.sections.empty()) {
    Section s{"events", tr("Events")};
    s.paragraphs.push_back(tr("No events in this period."));
    doc.sections.push_back(std::move(s));
  }
  return doc;
}

Document agreements(Db& db, const Request& r) {
  AgreementFilter filter;
  filter.status = r.status;
  filter.party = r.org;
  auto list = list_agreements(db, filter, r.today);
  std::string subtitle = trf("as of {}", date_text(r.today));
  if (r.status)
    subtitle += "; " + trf("status: {}",
                           term_label(agreement_statuses(), parse_term(agreement_statuses(), *r.status, "--status")));
  auto doc = new_document(r, "agreements", tr("The register of agreements on joint activity"), subtitle);
  Section reg{"register", tr("Agreements")};
  Table t{"agreements",
          "",
          {integer_column("n", tr("№")), text_column("number", tr("Number")), date_column("signed_on", tr("Signed")),
           text_column("kind", tr("Kind")), text_column("title", tr("Title")), text_column("parties", tr("Parties")),
           date_column("valid_from", tr("Valid from")), date_column("valid_to", tr("Valid until")),
           text_column("status", tr("Status"))}};
  Table duties{"obligations",
               tr("Obligations of the parties"),
               {text_column("number", tr("Agreement")), text_column("party", tr("Party")),
                text_column("obligation", tr("Obligation"))}};
  std::int64_t n = 0;
  std::map<std::string, std::int64_t> by_status;
  for (const auto& a : list) {
    std::string parties;
    for (const auto& p : a.parties) parties += (parties.empty() ? "" : "; ") + (p.name.empty() ? p.id : p.name);
    t.rows.push_back({++n, a.number, date_or_empty(a.signed_on), term_label(agreement_kinds(), a.kind), a.title,
                      parties, date_or_empty(a.valid_from), date_or_empty(a.valid_to),
                      term_label(agreement_statuses(), a.status)});
    ++by_status[a.status];
    for (const auto& o : a.obligations)
      duties.rows.push_back({a.number, o.party_name.empty() ? o.party_id : o.party_name, o.text});
  }
  Section summary{"summary", tr("Summary")};
  Table counts{"by_status", "", {text_column("status", tr("Status")), integer_column("count", tr("Agreements"))}};
  for (const auto& term : agreement_statuses())
    counts.rows.push_back({std::string(tr(term.label)), by_status[term.code]});
  counts.rows.push_back({std::string(tr("Total")), static_cast<std::int64_t>(list.size())});
  counts.total = true;
  summary.tables.push_back(std::move(counts));
  doc.sections.push_back(std::move(summary));
  reg.tables.push_back(std::move(t));
  reg.tables.push_back(std::move(duties));
  doc.sections.push_back(std::move(reg));
  return doc;
}

Document portfolio(Db& db, const Request& r) {
  if (!r.person) throw Error(ErrorKind::usage, tr("say whose portfolio: setevoe report portfolio PERSON."));
  auto id = resolve_member(db, *r.person, "person");
  auto period = request_period(r, false);
  std::optional<Span> span;
  if (period) span = make_span(period->first, period->second, r.time_zone, r.now_ms);
  Names names(db);
  Stmt card(db, "SELECT name, coalesce(org, ''), coalesce(position, ''), status FROM person WHERE id = ?");
  card.bind(1, id);
  card.step();
  auto name = card.column_text(0);
  auto doc = new_document(r, "portfolio", tr("Portfolio of a teacher"), name);
  if (period) {
    doc.from = period->first;
    doc.to = period->second;
  }
  auto in_span = [&](const std::string& iso) {
    return !span || (!iso.empty() && iso >= span->from_utc && iso < span->to_utc);
  };

  Section about{"person", tr("The teacher")};
  about.paragraphs.push_back(trf("Organisation: {}.", names.org(card.column_text(1))));
  if (!card.column_text(2).empty()) about.paragraphs.push_back(trf("Position: {}.", card.column_text(2)));
  {
    Stmt ex(db, "SELECT direction FROM expertise WHERE person = ? AND deleted = 0");
    ex.bind(1, id);
    std::string dirs;
    while (ex.step()) dirs += (dirs.empty() ? "" : "; ") + names.direction(ex.column_text(0));
    if (!dirs.empty()) about.paragraphs.push_back(trf("Expert of the network in: {}.", dirs));
  }
  doc.sections.push_back(std::move(about));

  Section products{"products", tr("Methodological products")};
  Table authored{"authored",
                 tr("Authored"),
                 {integer_column("n", tr("№")), text_column("title", tr("Title")), text_column("type", tr("Type")),
                  text_column("role", tr("Role")), text_column("status", tr("Status")),
                  date_column("published_on", tr("Published"))}};
  {
    Stmt q(db,
           "SELECT p.title, p.type, j.value ->> '$.role', p.status, coalesce(p.published_at, ''), p.id FROM product p, "
           "json_each(p.authors) j WHERE p.deleted = 0 AND j.value ->> '$.person' = ? ORDER BY p.published_at IS "
           "NULL, p.published_at, p.title");
    q.bind(1, id);
    std::int64_t n = 0;
    while (q.step()) {
      auto published = q.column_text(4);
      if (span && !in_span(published) && !(q.column_text(5) >= span->from_id && q.column_text(5) < span->to_id))
        continue;
      authored.rows.push_back({++n, q.column_text(0), term_label(product_types(), q.column_text(1)),
                               term_label(author_roles(), q.column_text(2)),
                               term_label(product_statuses(), q.column_text(3)),
                               date_or_empty(local_date_of(published, r.time_zone))});
    }
  }
  products.tables.push_back(std::move(authored));
  Table reviews{"reviews",
                tr("Reviewed"),
                {text_column("title", tr("Product")), integer_column("score", tr("Score")),
                 date_column("reviewed_on", tr("Date"))}};
  {
    Stmt q(db,
           "SELECT coalesce(p.title, v.product), v.score, v.reviewed_at FROM review v LEFT JOIN product p ON p.id = "
           "v.product WHERE v.person = ? AND v.deleted = 0 ORDER BY v.reviewed_at");
    q.bind(1, id);
    while (q.step())
      if (in_span(q.column_text(2)))
        reviews.rows.push_back({q.column_text(0), q.column_int(1), local_date_of(q.column_text(2), r.time_zone)});
  }
  products.tables.push_back(std::move(reviews));
  doc.sections.push_back(std::move(products));

  Section events{"events", tr("Educational events")};
  Table taken{"participation",
              "",
              {date_column("date", tr("Date")), text_column("title", tr("Event")), text_column("type", tr("Form")),
               text_column("role", tr("Role")), text_column("attended", tr("Was present")),
               text_column("result", tr("Result")), text_column("certificate", tr("Certificate"))}};
  {
    // Marks and certificates count only when the event's node wrote them;
    // an event taken part in has begun by the moment of the report.
    Stmt q(db,
           "SELECT e.starts_at, e.title, e.type, coalesce((SELECT r.role FROM registration r WHERE r.event = e.id AND "
           "r.person = ?1 AND r.deleted = 0 ORDER BY r.registered_at LIMIT 1), ''), "
           "coalesce(a.attended, 0), a.place, coalesce(a.award, ''), coalesce(c.number, '') FROM event e "
           "LEFT JOIN attendance a ON a.event = e.id AND a.person = ?1 AND a.owner = e.owner AND a.deleted = 0 "
           "LEFT JOIN certificate c ON c.event = e.id AND c.person = ?1 AND c.owner = e.owner AND c.deleted = 0 "
           "WHERE e.deleted = 0 AND e.status <> 'cancelled' AND e.starts_at < ?2 AND (e.id IN (SELECT event FROM "
           "registration WHERE person = ?1 AND deleted = 0) OR a.id IS NOT NULL) ORDER BY e.starts_at, e.id");
    q.bind(1, id).bind(2, util::iso_utc(r.now_ms));
    while (q.step()) {
      if (!in_span(q.column_text(0))) continue;
      std::string result;
      if (!q.column_is_null(5)) result = trf("place {}", q.column_int(5));
      if (!q.column_text(6).empty()) result += (result.empty() ? "" : ", ") + q.column_text(6);
      taken.rows.push_back({local_date_of(q.column_text(0), r.time_zone), q.column_text(1),
                            term_label(event_types(), q.column_text(2)), term_label(event_roles(), q.column_text(3)),
                            std::string(q.column_int(4) ? tr("yes") : tr("no")), result, q.column_text(7)});
    }
  }
  events.tables.push_back(std::move(taken));
  doc.sections.push_back(std::move(events));

  Section answers{"answers", tr("Answers in the «Consultation» service")};
  Table given{"answers",
              "",
              {date_column("date", tr("Date")), text_column("question", tr("Question")),
               text_column("direction", tr("Direction")), text_column("accepted", tr("Accepted"))}};
  {
    Stmt q(
        db,
        "SELECT a.answered_at, coalesce(q.title, a.question), coalesce(q.direction, ''), coalesce(q.accepted = a.id, "
        "0) FROM answer a LEFT JOIN question q ON q.id = a.question WHERE a.person = ? AND a.deleted = 0 ORDER BY "
        "a.answered_at, a.id");
    q.bind(1, id);
    while (q.step())
      if (in_span(q.column_text(0)))
        given.rows.push_back({local_date_of(q.column_text(0), r.time_zone), q.column_text(1),
                              names.direction(q.column_text(2)), std::string(q.column_int(3) ? tr("yes") : tr("no"))});
  }
  answers.tables.push_back(std::move(given));
  doc.sections.push_back(std::move(answers));
  return doc;
}

}  // namespace setevoe::core::report
