// The plan of educational events and the registrations for them.
#include "core/event.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <chrono>
#include <tuple>

#include "core/fields.hpp"
#include "core/i18n.hpp"
#include "core/node.hpp"
#include "core/product.hpp"
#include "core/util/text.hpp"
#include "core/util/time.hpp"
#include "core/util/uuid.hpp"

namespace setevoe::core {

// ---- Vocabularies

const std::vector<Term>& event_types() {
  static const std::vector<Term> v = {
      {"seminar", N_("seminar"), "семинар"},
      {"webinar", N_("webinar"), "вебинар"},
      {"web-conference", N_("web conference"), "веб-конференция", "вебконференция"},
      {"contest", N_("contest"), "конкурс"},
      {"master-class", N_("master class"), "мастер-класс", "мастеркласс|мастер класс"},
      {"workshop", N_("workshop"), "практикум", "мастерская"},
      {"discussion", N_("discussion"), "дискуссия", "круглый стол"},
      {"internet-conference", N_("internet conference"), "интернет-конференция", "интернет конференция"},
  };
  return v;
}

const std::vector<Term>& event_statuses() {
  static const std::vector<Term> v = {
      {"planned", N_("planned"), "запланировано", "запланирован|в плане"},
      {"cancelled", N_("cancelled"), "отменено", "отменён|отменен"},
  };
  return v;
}

const std::vector<Term>& event_roles() {
  static const std::vector<Term> v = {
      {"participant", N_("participant"), "участник"},
      {"speaker", N_("speaker"), "докладчик", "выступающий|спикер"},
      {"jury", N_("jury member"), "член жюри", "жюри"},
      {"organiser", N_("organiser"), "организатор", "organizer"},
  };
  return v;
}

namespace {

// A time typed in the node's zone, as stored: ISO 8601 UTC.
std::int64_t parse_time(std::string_view text, const std::string& tz, std::string_view option) {
  auto ms = util::parse_local_datetime(util::trim(text), tz);
  if (!ms)
    throw Error(ErrorKind::usage, trf("{} «{}» is not a date and time; write YYYY-MM-DD HH:MM or DD.MM.YYYY HH:MM "
                                      "(for example 10.12.2026 14:00), in the time zone {}.",
                                      option, text, tz));
  return *ms;
}

struct Row {
  std::string owner, status;
  std::int64_t starts_ms = 0;
  std::optional<std::int64_t> ends_ms;
  std::string place, url;
};

Row read_row(Db& db, const std::string& id) {
  Stmt s(db,
         "SELECT owner, status, unixepoch(starts_at) * 1000, unixepoch(ends_at) * 1000, place, url FROM event "
         "WHERE id = ? AND deleted = 0");
  s.bind(1, id);
  if (!s.step())
    throw Error(ErrorKind::not_found,
                trf("there is no event with the id {}. 'setevoe event list' shows the plan.", id));
  Row r{s.column_text(0), s.column_text(1), s.column_int(2), std::nullopt, s.column_text(4), s.column_text(5)};
  if (!s.column_is_null(3)) r.ends_ms = s.column_int(3);
  return r;
}

std::string checked_url(std::string_view text) {
  auto url = checked_text(text, tr("link"), 2000);
  auto lower = util::ascii_lower(url);
  if (!url.empty() && lower.rfind("https://", 0) != 0 && lower.rfind("http://", 0) != 0)
    throw Error(ErrorKind::usage,
                trf("«{}» is not a web link: give the address of the meeting, beginning with https://.", url));
  if (url.find_first_of(" \t\n") != std::string::npos)
    throw Error(ErrorKind::usage, trf("the link «{}» contains spaces.", url));
  return url;
}

// The fields of an add or an edit, checked and resolved. `row` is the
// stored event (edit) or nullptr (add).
Fields event_fields(Db& db, const EventFields& in, const std::string& tz, const Row* row) {
  Fields f;
  if (in.type) f.push_back({"type", parse_term(event_types(), *in.type, "--type")});
  if (in.title) {
    auto title = checked_text(*in.title, tr("title"), 500);
    if (title.empty()) throw Error(ErrorKind::usage, tr("the title is empty; give the event's title with --title."));
    f.push_back({"title", title});
  }
  if (in.description) f.push_back({"description", checked_text(*in.description, tr("description"), 20000)});
  auto starts = row ? row->starts_ms : 0;
  // The end as a flag and a value: GCC's -O2 takes an optional's value for
  // uninitialised here (-Wmaybe-uninitialized).
  bool has_end = row && row->ends_ms;
  std::int64_t ends = has_end ? *row->ends_ms : 0;
  if (in.start) {
    starts = parse_time(*in.start, tz, "--start");
    f.push_back({"starts_at", util::iso_utc(starts)});
  }
  if (in.end) {
    has_end = !util::trim(*in.end).empty();
    if (has_end) {
      ends = parse_time(*in.end, tz, "--end");
      f.push_back({"ends_at", util::iso_utc(ends)});
    } else {
      f.push_back({"ends_at", std::monostate{}});
    }
  }
  if ((in.start || in.end) && has_end && ends < starts)
    throw Error(ErrorKind::usage, trf("the event ends ({}) before it starts ({}); check --start and --end.",
                                      util::local_datetime(ends, tz), util::local_datetime(starts, tz)));
  auto place = row ? row->place : std::string();
  auto url = row ? row->url : std::string();
  if (in.place) {
    place = checked_text(*in.place, tr("place"), 1000);
    f.push_back({"place", place});
  }
  if (in.url) {
    url = checked_url(*in.url);
    f.push_back({"url", url});
  }
  if ((in.place || in.url || !row) && place.empty() && url.empty())
    throw Error(ErrorKind::usage,
                tr("say where the event is held: --place \"…\" for a room, or --url https://… for a link."));
  if (in.organiser) f.push_back({"organiser", resolve_member(db, *in.organiser, "org")});
  if (in.directions)
    f.push_back({"directions",
                 resolved_json_array(*in.directions, [&](std::string_view d) { return resolve_direction(db, d); })});
  if (in.products)
    f.push_back(
        {"products", resolved_json_array(*in.products, [&](std::string_view p) { return resolve_product(db, p); })});
  if (!row) {
    if (!in.type) throw Error(ErrorKind::usage, tr("give the event's type with --type."));
    if (!in.title) throw Error(ErrorKind::usage, tr("give the event's title with --title."));
    if (!in.start) throw Error(ErrorKind::usage, tr("give the event's start with --start \"DD.MM.YYYY HH:MM\"."));
    if (!in.organiser) throw Error(ErrorKind::usage, tr("name the org that holds the event with --organiser."));
  }
  return f;
}

}  // namespace

// ---- Operations

std::string add_event(Writer& w, const EventFields& in, const std::string& tz) {
  auto f = event_fields(w.db(), in, tz, nullptr);
  f.push_back({"status", std::string("planned")});
  return w.create(tables::event, f);
}

bool edit_event(Writer& w, const std::string& id, const EventFields& patch, const std::string& tz) {
  if (patch.empty()) throw Error(ErrorKind::usage, tr("nothing to change: give at least one option."));
  auto row = read_row(w.db(), id);
  if (row.status == "cancelled")
    throw Error(ErrorKind::usage, trf("the event {} is cancelled; a cancelled event is not changed.", id));
  return w.update(tables::event, id, event_fields(w.db(), patch, tz, &row));
}

void cancel_event(Writer& w, const std::string& id, std::string_view reason) {
  auto why = checked_text(reason, tr("reason"), 2000);
  if (why.empty())
    throw Error(ErrorKind::usage, tr("give the reason for cancelling with --reason; the participants will read it."));
  auto row = read_row(w.db(), id);
  if (row.status == "cancelled") throw Error(ErrorKind::usage, trf("the event {} is cancelled already.", id));
  w.update(tables::event, id,
           {{"status", std::string("cancelled")}, {"cancel_reason", why}, {"cancelled_at", util::iso_utc(w.now_ms())}});
}

std::string register_for_event(Writer& w, const std::string& event_id, const std::string& person,
                               const std::string& role) {
  auto& db = w.db();
  auto row = read_row(db, event_id);
  if (row.status == "cancelled")
    throw Error(ErrorKind::usage, trf("the event {} is cancelled; nobody registers for it.", event_id));
  auto code = parse_term(event_roles(), role, "--role");
  auto person_id = resolve_member(db, person, "person");
  // One registration per person and event, wherever it is made.
  auto id = util::uuid_for_name("registration:" + event_id + ":" + person_id);
  Stmt e(db, "SELECT role, deleted FROM registration WHERE id = ?");
  e.bind(1, id);
  bool exists = e.step();
  if (exists && e.column_int(1) == 0)
    throw Error(ErrorKind::bad_data, trf("«{}» is registered for this event already (as {}).", person,
                                         term_label(event_roles(), e.column_text(0))));
  Fields f = {{"event", event_id}, {"person", person_id}, {"role", code}, {"registered_at", util::iso_utc(w.now_ms())}};
  if (exists) {
    f.push_back({"deleted", std::int64_t{0}});  // registered again after being removed
    w.update(tables::registration, id, f);
  } else {
    w.create_with_id(tables::registration, id, f, std::string());
  }
  return id;
}

// ---- Reading

namespace {

constexpr const char* k_event_columns =
    "e.id, e.owner, e.type, e.title, e.description, unixepoch(e.starts_at) * 1000, unixepoch(e.ends_at) * 1000, "
    "e.place, e.url, coalesce(e.organiser, ''), coalesce(o.name, ''), e.directions, e.products, e.status, "
    "e.cancel_reason, e.cancelled_at, e._v, "
    "(SELECT count(*) FROM registration r WHERE r.event = e.id AND r.deleted = 0)";
constexpr const char* k_event_from = "FROM event e LEFT JOIN org o ON o.id = e.organiser AND o.deleted = 0";

struct Details {
  Stmt directions, products;
  explicit Details(Db& db)
      : directions(db,
                   "SELECT d.id, d.code, d.name, d.owner FROM json_each(?) j JOIN direction d ON d.id = j.value "
                   "AND d.deleted = 0 ORDER BY j.key"),
        products(db, "SELECT value FROM json_each(?)") {}
};

Event read_event(const Stmt& s, Details& d) {
  Event e;
  e.id = s.column_text(0);
  e.owner = s.column_text(1);
  e.type = s.column_text(2);
  e.title = s.column_text(3);
  e.description = s.column_text(4);
  e.starts_ms = s.column_int(5);
  if (!s.column_is_null(6)) e.ends_ms = s.column_int(6);
  e.place = s.column_text(7);
  e.url = s.column_text(8);
  e.organiser_id = s.column_text(9);
  e.organiser_name = s.column_text(10);
  d.directions.reset();
  d.directions.bind(1, s.column_text(11));
  while (d.directions.step())
    e.directions.push_back({d.directions.column_text(0), d.directions.column_text(1), d.directions.column_text(2),
                            d.directions.column_text(3)});
  d.products.reset();
  d.products.bind(1, s.column_text(12));
  while (d.products.step()) e.product_ids.push_back(d.products.column_text(0));
  e.status = s.column_text(13);
  e.cancel_reason = s.column_optional(14);
  e.cancelled_at = s.column_optional(15);
  std::tie(e.created_at, e.updated_at) = row_times(s.column_text(16), e.id);
  e.registrations = s.column_int(17);
  return e;
}

// The first moment of a date typed by a user (or of the day `later` days
// after it), in the zone.
std::int64_t day_start(std::string_view date, const std::string& tz, std::string_view option, int later = 0) {
  auto d = util::parse_date(util::trim(date));
  if (!d)
    throw Error(ErrorKind::usage,
                trf("{} «{}» is not a date; write YYYY-MM-DD or DD.MM.YYYY (for example 01.12.2026).", option, date));
  if (later) {
    using namespace std::chrono;
    year_month_day ymd{year{std::stoi(d->substr(0, 4))}, month{static_cast<unsigned>(std::stoi(d->substr(5, 2)))},
                       day{static_cast<unsigned>(std::stoi(d->substr(8, 2)))}};
    ymd = year_month_day{sys_days{ymd} + days{later}};
    d = fmt::format("{:04}-{:02}-{:02}", static_cast<int>(ymd.year()), static_cast<unsigned>(ymd.month()),
                    static_cast<unsigned>(ymd.day()));
  }
  auto ms = util::parse_local_datetime(*d + " 00:00", tz);
  if (!ms) ms = util::parse_local_datetime(*d + " 01:00", tz);  // a day that begins with a clock's jump
  if (!ms) throw Error(ErrorKind::usage, trf("{} «{}» is not a date in the time zone {}.", option, date, tz));
  return *ms;
}

}  // namespace

std::string resolve_event(Db& db, std::string_view ref) {
  return resolve_record(db, ref,
                        {"event", tr("an empty event id or title was given."),
                         tr("«{}» matches {} events; give more digits of the id:{}"),
                         tr("«{}» is the id of a record of the kind «{}», not of an event."),
                         tr("no event «{}» in the plan. 'setevoe event list' shows the plan.")});
}

Event get_event(Db& db, const std::string& id) {
  Details d(db);
  Stmt s(db, fmt::format("SELECT {} {} WHERE e.id = ? AND e.deleted = 0", k_event_columns, k_event_from));
  s.bind(1, id);
  if (!s.step())
    throw Error(ErrorKind::not_found,
                trf("there is no event with the id {}. 'setevoe event list' shows the plan.", id));
  return read_event(s, d);
}

std::vector<Event> list_events(Db& db, const EventFilter& f, const std::string& tz) {
  std::string where = "e.deleted = 0";
  std::vector<Value> params;
  auto add = [&](const std::string& cond, Value v) {
    params.push_back(std::move(v));
    where += " AND " + fmt::format(fmt::runtime(cond), params.size());
  };
  std::optional<std::int64_t> from, to;
  if (f.from) from = day_start(*f.from, tz, "--from");
  if (f.to) to = day_start(*f.to, tz, "--to", 1);  // the whole of that day
  if (from && to && *to <= *from) throw Error(ErrorKind::usage, trf("--to {} is before --from {}.", *f.to, *f.from));
  if (from) add("e.starts_at >= ?{}", util::iso_utc(*from));
  if (to) add("e.starts_at < ?{}", util::iso_utc(*to));
  if (f.type) add("e.type = ?{}", parse_term(event_types(), *f.type, "--type"));
  if (f.org) add("e.organiser = ?{}", resolve_member(db, *f.org, "org"));
  if (f.direction)
    add("EXISTS (SELECT 1 FROM json_each(e.directions) WHERE value = ?{})", resolve_direction(db, *f.direction));
  if (!f.cancelled) where += " AND e.status <> 'cancelled'";
  Details d(db);
  Stmt s(db, fmt::format("SELECT {} {} WHERE {} ORDER BY e.starts_at, e.id{}", k_event_columns, k_event_from, where,
                         f.limit ? fmt::format(" LIMIT {}", f.limit) : std::string()));
  for (std::size_t i = 0; i < params.size(); ++i) s.bind(static_cast<int>(i) + 1, params[i]);
  std::vector<Event> out;
  while (s.step()) out.push_back(read_event(s, d));
  return out;
}

std::vector<Registration> list_registrations(Db& db, const std::string& event_id) {
  Stmt s(db,
         "SELECT r.id, r.owner, r.event, r.person, coalesce(p.name, ''), r.role, r.registered_at FROM registration r "
         "LEFT JOIN person p ON p.id = r.person WHERE r.event = ? AND r.deleted = 0 ORDER BY r.registered_at, r.id");
  s.bind(1, event_id);
  std::vector<Registration> out;
  while (s.step())
    out.push_back({s.column_text(0), s.column_text(1), s.column_text(2), s.column_text(3), s.column_text(4),
                   s.column_text(5), s.column_text(6)});
  return out;
}

}  // namespace setevoe::core
