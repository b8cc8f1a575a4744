// The plan of educational events and the registrations for them.
#include "core/event.hpp"

#include <fmt/format.h>
#include <sodium.h>

#include <algorithm>
#include <cctype>
#include <chrono>
#include <cstring>
#include <map>
#include <tuple>

#include "core/fields.hpp"
#include "core/i18n.hpp"
#include "core/node.hpp"
#include "core/product.hpp"
#include "core/util/hash.hpp"
#include "core/util/json.hpp"
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
  std::string place, url, type, title, starts_at;
  std::int64_t revision = 0;
};

Row read_row(Db& db, const std::string& id) {
  Stmt s(db,
         "SELECT owner, status, unixepoch(starts_at) * 1000, unixepoch(ends_at) * 1000, place, url, type, title, "
         "starts_at, revision FROM event WHERE id = ? AND deleted = 0");
  s.bind(1, id);
  if (!s.step())
    throw Error(ErrorKind::not_found,
                trf("there is no event with the id {}. 'setevoe event list' shows the plan.", id));
  Row r{s.column_text(0), s.column_text(1), s.column_int(2),  std::nullopt,     s.column_text(4),
        s.column_text(5), s.column_text(6), s.column_text(7), s.column_text(8), s.column_int(9)};
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
  if (in.sections) {
    std::vector<std::string> names;
    for (const auto& n : *in.sections) {
      auto name = checked_text(n, tr("section"), 300);
      if (name.empty()) throw Error(ErrorKind::usage, tr("a section's name is empty."));
      auto same = [&](const std::string& o) { return util::fold(o) == util::fold(name); };
      if (std::any_of(names.begin(), names.end(), same))
        throw Error(ErrorKind::usage, trf("the section «{}» is named twice.", name));
      names.push_back(name);
    }
    f.push_back({"sections", json_array(names)});
  }
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
  auto f = event_fields(w.db(), patch, tz, &row);
  // Only a real change counts as a revision: an edit that writes the values
  // the event has already leaves it as it is.
  bool changed = false;
  {
    std::string cols;
    for (const auto& [name, value] : f) cols += (cols.empty() ? "" : ", ") + name;
    Stmt cur(w.db(), fmt::format("SELECT {} FROM event WHERE id = ?", cols));
    cur.bind(1, id);
    cur.step();
    for (std::size_t i = 0; i < f.size(); ++i)
      changed = changed || cur.column_value(static_cast<int>(i)) != f[i].second;
  }
  if (!changed) return false;
  f.push_back({"revision", row.revision + 1});
  return w.update(tables::event, id, f);
}

void cancel_event(Writer& w, const std::string& id, std::string_view reason) {
  auto why = checked_text(reason, tr("reason"), 2000);
  if (why.empty())
    throw Error(ErrorKind::usage, tr("give the reason for cancelling with --reason; the participants will read it."));
  auto row = read_row(w.db(), id);
  if (row.status == "cancelled") throw Error(ErrorKind::usage, trf("the event {} is cancelled already.", id));
  w.update(tables::event, id,
           {{"status", std::string("cancelled")},
            {"cancel_reason", why},
            {"cancelled_at", util::iso_utc(w.now_ms())},
            {"revision", row.revision + 1}});
}

std::string register_for_event(Writer& w, const std::string& event_id, const std::string& person,
                               const std::string& role) {
  auto& db = w.db();
  auto row = read_row(db, event_id);
  if (row.status == "cancelled")
    throw Error(ErrorKind::usage, trf("the event {} is cancelled; nobody registers for it.", event_id));
  auto code = parse_term(event_roles(), role, "--role");
  auto person_id = resolve_member(db, person, "person");
  // One registration per person and event. Two nodes that register the same
  // person before they hear of each other make two rows (each its own: the
  // id names the node); readers take the earlier.
  Stmt e(db,
         "SELECT role FROM registration WHERE event = ? AND person = ? AND deleted = 0 "
         "ORDER BY registered_at, id LIMIT 1");
  e.bind(1, event_id).bind(2, person_id);
  if (e.step())
    throw Error(ErrorKind::bad_data, trf("«{}» is registered for this event already (as {}).", person,
                                         term_label(event_roles(), e.column_text(0))));
  auto id = util::uuid_for_name("registration:" + event_id + ":" + person_id + ":" + w.self().id);
  Fields f = {{"event", event_id}, {"person", person_id}, {"role", code}, {"registered_at", util::iso_utc(w.now_ms())}};
  if (!row_owner(db, "registration", id).empty()) {
    w.update(tables::registration, id, {{"deleted", std::int64_t{0}}});  // registered again after being removed
    w.update(tables::registration, id, f);
  } else {
    w.create_with_id(tables::registration, id, f, std::string());
  }
  return id;
}

// ---- Reading

namespace {

// The columns read_event reads, for each EventDetail. A plan or a calendar
// of a year does not show registrations, and counting them costs as much
// as reading the events; a plan's table shows a third of the columns.
const char* event_columns(EventDetail detail) {
  switch (detail) {
    case EventDetail::uncounted:
      return "e.id, e.owner, e.type, e.title, e.description, e.starts_at, e.ends_at, e.place, e.url, "
             "coalesce(e.organiser, ''), e.directions, e.products, e.status, e.cancel_reason, e.cancelled_at, e._v, "
             "e.revision, e.sections, 0";
    case EventDetail::plan:
      return "e.id, e.owner, e.type, e.title, '', e.starts_at, e.ends_at, e.place, e.url, coalesce(e.organiser, ''), "
             "'[]', '[]', e.status, e.cancel_reason, e.cancelled_at, NULL, e.revision, '[]', 0";
    case EventDetail::full:
      break;
  }
  return "e.id, e.owner, e.type, e.title, e.description, e.starts_at, e.ends_at, e.place, e.url, "
         "coalesce(e.organiser, ''), e.directions, e.products, e.status, e.cancel_reason, e.cancelled_at, e._v, "
         "e.revision, e.sections, "
         "(SELECT count(DISTINCT r.person) FROM registration r WHERE r.event = e.id AND r.deleted = 0)";
}
constexpr const char* k_event_from = "FROM event e";

// What the rows of a list refer to, read once: a year's plan is thousands
// of events, each naming directions.
struct Details {
  std::map<std::string, Direction, std::less<>> directions;
  // Organisers' names, looked up once each (a plan names a few hundred
  // schools thousands of times).
  std::map<std::string, std::string, std::less<>> org_names;
  Stmt org_name;
  explicit Details(Db& db) : org_name(db, "SELECT name FROM org WHERE id = ? AND deleted = 0") {
    Stmt s(db, "SELECT id, code, name, owner FROM direction WHERE deleted = 0");
    while (s.step()) {
      Direction d{s.column_text(0), s.column_text(1), s.column_text(2), s.column_text(3)};
      directions.emplace(d.id, d);
    }
  }
  // Empty for an org not (yet) received or deleted.
  const std::string& org(const std::string& id) {
    if (auto it = org_names.find(id); it != org_names.end()) return it->second;
    std::string name;
    if (!id.empty()) {
      org_name.reset();
      org_name.bind(1, id);
      if (org_name.step()) name = org_name.column_text(0);
    }
    return org_names.emplace(id, std::move(name)).first->second;
  }
};

// A JSON array of strings as stored; a damaged one reads as empty (db check
// reports it).
std::vector<std::string> strings_of(std::string_view json) {
  if (json == "[]") return {};
  return util::parse_string_array(json).value_or(std::vector<std::string>{});
}

// Into `e`, reusing its strings' memory: a year's plan reads tens of
// thousands of rows.
void read_event(const Stmt& s, Details& d, Event& e) {
  e.id.assign(s.column_view(0));
  e.owner.assign(s.column_view(1));
  e.type.assign(s.column_view(2));
  e.title.assign(s.column_view(3));
  e.description.assign(s.column_view(4));
  // Parsed here: SQLite's unixepoch() tries all its date forms and cost a
  // tenth of reading a year's plan.
  e.starts_ms = util::parse_iso_utc(s.column_view(5)).value_or(0);
  e.ends_ms = util::parse_iso_utc(s.column_view(6));
  e.place.assign(s.column_view(7));
  e.url.assign(s.column_view(8));
  e.organiser_id.assign(s.column_view(9));
  e.organiser_name = d.org(e.organiser_id);
  std::size_t n = 0;
  for (const auto& id : strings_of(s.column_view(10)))
    if (auto it = d.directions.find(id); it != d.directions.end()) {
      if (n < e.directions.size())
        e.directions[n] = it->second;
      else
        e.directions.push_back(it->second);
      ++n;
    }
  e.directions.resize(n);
  e.product_ids = strings_of(s.column_view(11));
  e.status.assign(s.column_view(12));
  e.cancel_reason = s.column_optional(13);
  e.cancelled_at = s.column_optional(14);
  if (s.column_is_null(15)) {  // EventDetail::plan
    e.created_at.clear();
    e.updated_at.clear();
  } else {
    std::tie(e.created_at, e.updated_at) = row_times(s.column_text(15), e.id);
  }
  e.revision = s.column_int(16);
  e.sections = strings_of(s.column_view(17));
  e.registrations = s.column_int(18);
}

Event read_event(const Stmt& s, Details& d) {
  Event e;
  read_event(s, d, e);
  return e;
}

// The first moment of a date typed by a user (or of the day `later` days
// after it), in the zone.
std::int64_t day_start(std::string_view date, const std::string& tz, std::string_view option, int later = 0) {
  auto d = util::parse_date(util::trim(date));
  if (!d)
    throw Error(ErrorKind::usage,
                trf("{} «{}» is not a date; write YYYY-MM-DD or DD.MM.YYYY (for example 01.12.2026).", option, date));
  if (later) d = util::add_days(*d, later);
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
  Stmt s(db,
         fmt::format("SELECT {} {} WHERE e.id = ? AND e.deleted = 0", event_columns(EventDetail::full), k_event_from));
  s.bind(1, id);
  if (!s.step())
    throw Error(ErrorKind::not_found,
                trf("there is no event with the id {}. 'setevoe event list' shows the plan.", id));
  return read_event(s, d);
}

void each_event(Db& db, const EventFilter& f, const std::string& tz, const std::function<void(const Event&)>& each) {
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
  Stmt s(db, fmt::format("SELECT {} {} WHERE {} ORDER BY e.starts_at, e.id{}", event_columns(f.detail), k_event_from,
                         where, f.limit ? fmt::format(" LIMIT {}", f.limit) : std::string()));
  for (std::size_t i = 0; i < params.size(); ++i) s.bind(static_cast<int>(i) + 1, params[i]);
  Event e;
  while (s.step()) {
    read_event(s, d, e);
    each(e);
  }
}

std::vector<Event> list_events(Db& db, const EventFilter& f, const std::string& tz) {
  std::vector<Event> out;
  each_event(db, f, tz, [&](const Event& e) { out.push_back(e); });
  return out;
}

void unregister_from_event(Writer& w, const std::string& event_id, const std::string& person) {
  auto& db = w.db();
  read_row(db, event_id);
  auto person_id = resolve_member(db, person, "person");
  Stmt s(db, "SELECT id, owner FROM registration WHERE event = ? AND person = ? AND deleted = 0 ORDER BY id");
  s.bind(1, event_id).bind(2, person_id);
  std::vector<std::string> mine;
  std::string other;
  while (s.step()) {
    if (s.column_text(1) == w.self().id || w.self().role == Role::hub)
      mine.push_back(s.column_text(0));
    else
      other = s.column_text(1);
  }
  if (mine.empty() && other.empty())
    throw Error(ErrorKind::not_found, trf("«{}» is not registered for this event.", person));
  if (mine.empty())
    throw Error(ErrorKind::not_permitted, trf("«{}» was registered by the node {}; only that node or the district "
                                              "hub may take the registration back.",
                                              person, node_label(db, other)));
  for (const auto& id : mine) w.remove(tables::registration, id);
}

std::vector<Registration> list_registrations(Db& db, const std::string& event_id) {
  // One per person: the earliest, when two nodes registered the same person.
  Stmt s(db,
         "SELECT r.id, r.owner, r.event, r.person, coalesce(p.name, ''), r.role, min(r.registered_at) FROM "
         "registration r LEFT JOIN person p ON p.id = r.person WHERE r.event = ? AND r.deleted = 0 GROUP BY r.person "
         "ORDER BY 7, r.id");
  s.bind(1, event_id);
  std::vector<Registration> out;
  while (s.step())
    out.push_back({s.column_text(0), s.column_text(1), s.column_text(2), s.column_text(3), s.column_text(4),
                   s.column_text(5), s.column_text(6)});
  return out;
}

// ---- Attendance, results, certificates

namespace {

// The event as the node that writes what happened at it sees it. Errors:
// not_found, not_permitted (another node's event), usage (cancelled; not
// begun yet).
Row event_for_marks(Writer& w, const std::string& event_id, std::string_view what) {
  auto row = read_row(w.db(), event_id);
  // Only the event's node: one writer per mark keeps them free of
  // conflicts (a hub that organises an event owns it).
  if (row.owner != w.self().id)
    throw Error(ErrorKind::not_permitted,
                trf("{} of the event «{}» are recorded by the node that organises it ({}); this node is not it.", what,
                    row.title, node_label(w.db(), row.owner)));
  if (row.status == "cancelled")
    throw Error(ErrorKind::usage, trf("the event «{}» is cancelled; nothing is recorded about it.", row.title));
  if (row.starts_ms > w.now_ms())
    throw Error(ErrorKind::usage, trf("the event «{}» begins at {}; {} are recorded once it has begun.", row.title,
                                      util::local_datetime(row.starts_ms, w.self().time_zone), what));
  return row;
}

std::string attendance_id(const std::string& event_id, const std::string& person_id) {
  return util::uuid_for_name("attendance:" + event_id + ":" + person_id);
}

// Writes an attendance row (created or changed); true when something changed.
bool write_mark(Writer& w, const std::string& event_id, const std::string& person_id, Fields f) {
  auto id = attendance_id(event_id, person_id);
  f.push_back({"marked_at", util::iso_utc(w.now_ms())});
  auto owner = row_owner(w.db(), "attendance", id);
  if (owner.empty()) {
    f.push_back({"event", event_id});
    f.push_back({"person", person_id});
    w.create_with_id(tables::attendance, id, f);
    return true;
  }
  bool revived = w.db().query_int("SELECT deleted FROM attendance WHERE id = '" + id + "'") != 0;
  if (revived) w.update(tables::attendance, id, {{"deleted", std::int64_t{0}}});
  // marked_at changes with every write: compare the rest first.
  Fields rest(f.begin(), f.end() - 1);
  std::string cols;
  for (const auto& [name, value] : rest) cols += (cols.empty() ? "" : ", ") + name;
  Stmt cur(w.db(), fmt::format("SELECT {} FROM attendance WHERE id = ?", cols));
  cur.bind(1, id);
  cur.step();
  bool changed = revived;
  for (std::size_t i = 0; i < rest.size(); ++i)
    changed = changed || cur.column_value(static_cast<int>(i)) != rest[i].second;
  if (!changed) return false;
  return w.update(tables::attendance, id, f);
}

bool is_registered(Db& db, const std::string& event_id, const std::string& person_id) {
  auto& s = db.cached("SELECT 1 FROM registration WHERE event = ? AND person = ? AND deleted = 0");
  s.bind(1, event_id).bind(2, person_id);
  bool out = s.step();
  s.reset();
  return out;
}

}  // namespace

std::size_t mark_attendance(Writer& w, const std::string& event_id, const std::vector<std::string>& people,
                            bool attended, std::vector<std::string>* registered_now) {
  if (people.empty()) throw Error(ErrorKind::usage, tr("name at least one person."));
  event_for_marks(w, event_id, tr("attendance marks"));
  std::vector<std::string> ids;
  for (const auto& p : people) {
    auto id = resolve_member(w.db(), p, "person");
    if (std::find(ids.begin(), ids.end(), id) == ids.end()) ids.push_back(id);
  }
  std::size_t changed = 0;
  for (const auto& id : ids) {
    if (attended && !is_registered(w.db(), event_id, id)) {
      register_for_event(w, event_id, id, "participant");
      if (registered_now) registered_now->push_back(id);
    }
    if (write_mark(w, event_id, id, {{"attended", std::int64_t{attended ? 1 : 0}}})) ++changed;
  }
  return changed;
}

void record_result(Writer& w, const std::string& event_id, const std::string& person, std::optional<std::int64_t> place,
                   const std::optional<std::string>& award) {
  auto row = event_for_marks(w, event_id, tr("results"));
  if (row.type != "contest")
    throw Error(ErrorKind::usage, trf("«{}» is a {}, not a contest: results are recorded for contests.", row.title,
                                      term_label(event_types(), row.type)));
  if (!place && !award) throw Error(ErrorKind::usage, tr("give the place with --place 1, 2 or 3, or an --award."));
  if (place && (*place < 1 || *place > 3))
    throw Error(ErrorKind::usage, trf("--place {} : a place is 1, 2 or 3; other distinctions go in --award.", *place));
  auto id = resolve_member(w.db(), person, "person");
  Fields f = {{"attended", std::int64_t{1}}};
  if (place) f.push_back({"place", *place});
  if (award) f.push_back({"award", checked_text(*award, tr("award"), 300)});
  if (!is_registered(w.db(), event_id, id)) register_for_event(w, event_id, id, "participant");
  write_mark(w, event_id, id, f);
}

std::vector<Participant> list_participants(Db& db, const std::string& event_id) {
  // A mark counts only when it was written by the event's node (a forged
  // row of another node is not shown).
  Stmt s(db,
         "WITH e AS (SELECT id, owner FROM event WHERE id = ?1), "
         "marks AS (SELECT a.person, a.attended, a.place, a.award FROM attendance a, e WHERE a.event = e.id AND "
         "a.deleted = 0 AND a.owner = e.owner), "
         "regs AS (SELECT person, role, min(registered_at) FROM registration WHERE event = ?1 AND deleted = 0 "
         "GROUP BY person), "
         "certs AS (SELECT c.person, c.number FROM certificate c, e WHERE c.event = e.id AND c.deleted = 0 AND "
         "c.owner = e.owner), "
         "people AS (SELECT person FROM regs UNION SELECT person FROM marks) "
         "SELECT x.person, coalesce(p.name, ''), coalesce(r.role, ''), coalesce(m.attended, 0), m.place, "
         "coalesce(m.award, ''), coalesce(c.number, '') FROM people x LEFT JOIN person p ON p.id = x.person "
         "LEFT JOIN regs r ON r.person = x.person LEFT JOIN marks m ON m.person = x.person "
         "LEFT JOIN certs c ON c.person = x.person ORDER BY p.name IS NULL, p.name, x.person");
  s.bind(1, event_id);
  std::vector<Participant> out;
  while (s.step()) {
    Participant p{s.column_text(0), s.column_text(1), s.column_text(2), s.column_int(3) != 0,
                  std::nullopt,     s.column_text(5), s.column_text(6)};
    if (!s.column_is_null(4)) p.place = s.column_int(4);
    out.push_back(std::move(p));
  }
  return out;
}

namespace {

constexpr const char* k_crockford = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";

// What the signature covers: every field a printed certificate shows, and
// the issuing node.
std::string signed_text(const Certificate& c) {
  return fmt::format("setevoe-certificate-1\n{}\n{}\n{}\n{}\n{}\n{}\n{}\n{}\n{}\n{}\n{}\n", c.owner, c.number,
                     c.event_id, c.person_id, c.person_name, c.event_title, c.event_start,
                     c.place ? std::to_string(*c.place) : std::string(), c.award, c.issued_at, c.id);
}

// 80 bits of the BLAKE2b hash of the signature in Crockford base32.
std::string code_of(const std::string& signature_hex) {
  std::string sig;
  util::from_hex(signature_hex, sig);
  unsigned char h[10];
  crypto_generichash(h, sizeof h, reinterpret_cast<const unsigned char*>(sig.data()), sig.size(), nullptr, 0);
  std::string out;
  unsigned buffer = 0;
  int bits = 0;
  for (unsigned char b : h) {
    buffer = (buffer << 8) | b;
    bits += 8;
    while (bits >= 5) {
      out += k_crockford[(buffer >> (bits - 5)) & 31];
      bits -= 5;
    }
  }
  return out;
}

constexpr const char* k_cert_columns =
    "id, owner, event, person, number, code, person_name, event_title, event_start, place, award, issued_at, "
    "signature";

Certificate read_certificate(const Stmt& s) {
  Certificate c{s.column_text(0),  s.column_text(1),  s.column_text(2), s.column_text(3), s.column_text(4),
                s.column_text(5),  s.column_text(6),  s.column_text(7), s.column_text(8), std::nullopt,
                s.column_text(10), s.column_text(11), s.column_text(12)};
  if (!s.column_is_null(9)) c.place = s.column_int(9);
  return c;
}

}  // namespace

std::string certificate_code_text(const std::string& code) {
  std::string out;
  for (std::size_t i = 0; i < code.size(); ++i) {
    if (i && i % 4 == 0) out += '-';
    out += code[i];
  }
  return out;
}

std::vector<Certificate> issue_certificates(Writer& w, const std::string& event_id,
                                            const std::optional<std::string>& person,
                                            const std::string& secret_key_hex) {
  auto& db = w.db();
  auto row = event_for_marks(w, event_id, tr("certificates"));
  std::string sk;
  if (!util::from_hex(secret_key_hex, sk) || sk.size() != crypto_sign_SECRETKEYBYTES)
    throw Error(ErrorKind::corrupt, tr("this node's secret key is damaged; certificates cannot be signed."));
  auto people = list_participants(db, event_id);
  std::optional<std::string> only;
  if (person) {
    only = resolve_member(db, *person, "person");
    auto it = std::find_if(people.begin(), people.end(), [&](const Participant& p) { return p.person_id == *only; });
    if (it == people.end() || !it->attended)
      throw Error(ErrorKind::usage, trf("«{}» is not marked as having come to «{}»; mark them first with 'setevoe "
                                        "event attend'.",
                                        *person, row.title));
  }
  bool anyone = std::any_of(people.begin(), people.end(), [](const Participant& p) { return p.attended; });
  if (!anyone)
    throw Error(ErrorKind::usage, trf("nobody is marked as having come to «{}»; mark them first with 'setevoe event "
                                      "attend EVENT PERSON…'.",
                                      row.title));
  Stmt count(db, "SELECT count(*) FROM certificate WHERE event = ?");
  count.bind(1, event_id);
  count.step();
  auto next = count.column_int(0) + 1;
  auto prefix = util::ascii_lower(event_id.substr(0, 8));
  for (auto& c : prefix) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  for (const auto& p : people) {
    if (!p.attended || !p.certificate.empty() || (only && p.person_id != *only)) continue;
    Certificate c;
    c.id = util::uuid_for_name("certificate:" + event_id + ":" + p.person_id);
    c.owner = w.self().id;
    c.event_id = event_id;
    c.person_id = p.person_id;
    c.number = fmt::format("{}-{:03}", prefix, next++);
    c.person_name = p.person_name.empty() ? p.person_id : p.person_name;
    c.event_title = row.title;
    c.event_start = row.starts_at;
    c.place = p.place;
    c.award = p.award;
    c.issued_at = util::iso_utc(w.now_ms());
    auto text = signed_text(c);
    unsigned char sig[crypto_sign_BYTES];
    crypto_sign_detached(sig, nullptr, reinterpret_cast<const unsigned char*>(text.data()), text.size(),
                         reinterpret_cast<const unsigned char*>(sk.data()));
    c.signature = util::to_hex(sig, sizeof sig);
    c.code = code_of(c.signature);
    Fields f = {{"event", c.event_id},          {"person", c.person_id},
                {"number", c.number},           {"code", c.code},
                {"person_name", c.person_name}, {"event_title", c.event_title},
                {"event_start", c.event_start}, {"award", c.award},
                {"issued_at", c.issued_at},     {"signature", c.signature}};
    if (c.place) f.push_back({"place", *c.place});
    if (row_owner(db, "certificate", c.id).empty()) {
      w.create_with_id(tables::certificate, c.id, f);
    } else {
      w.update(tables::certificate, c.id, {{"deleted", std::int64_t{0}}});  // issued again after being withdrawn
      w.update(tables::certificate, c.id, f);
    }
  }
  sodium_memzero(sk.data(), sk.size());
  auto all = list_certificates(db, event_id);
  if (only) std::erase_if(all, [&](const Certificate& c) { return c.person_id != *only; });
  return all;
}

std::vector<Certificate> list_certificates(Db& db, const std::string& event_id) {
  Stmt s(db, fmt::format("SELECT {} FROM certificate WHERE event = ? AND deleted = 0 ORDER BY number", k_cert_columns));
  s.bind(1, event_id);
  std::vector<Certificate> out;
  while (s.step()) out.push_back(read_certificate(s));
  return out;
}

CertificateCheck verify_certificate(Db& db, std::string_view typed) {
  std::string code;
  for (char ch : typed) {
    auto c = static_cast<char>(std::toupper(static_cast<unsigned char>(ch)));
    if (c == '-' || c == ' ') continue;
    if (c == 'O') c = '0';
    if (c == 'I' || c == 'L') c = '1';
    if (!std::strchr(k_crockford, c) || c == '\0')
      throw Error(ErrorKind::usage, trf("«{}» is not a certificate's code: a code is 16 letters and digits, such as "
                                        "K7QM-2XHD-9RTA-4WVN.",
                                        typed));
    code += c;
  }
  if (code.size() != 16)
    throw Error(
        ErrorKind::usage,
        trf("«{}» is not a certificate's code: a code is 16 letters and digits, such as K7QM-2XHD-9RTA-4WVN.", typed));
  Stmt s(db, fmt::format("SELECT {} FROM certificate WHERE code = ? AND deleted = 0", k_cert_columns));
  s.bind(1, code);
  if (!s.step())
    throw Error(ErrorKind::not_found,
                trf("no certificate with the code {} is known to this node. If it was issued recently, it arrives "
                    "with the next bundle from the district hub; otherwise it is not genuine.",
                    certificate_code_text(code)));
  CertificateCheck out;
  out.certificate = read_certificate(s);
  const auto& c = out.certificate;
  out.issuer = node_label(db, c.owner);
  Stmt n(db, "SELECT public_key FROM node WHERE id = ?");
  n.bind(1, c.owner);
  std::string key;
  if (n.step()) key = n.column_text(0);
  std::string pk, sig;
  auto text = signed_text(c);
  if (key.empty() || !util::from_hex(key, pk) || pk.size() != crypto_sign_PUBLICKEYBYTES) {
    out.problem = trf("the node {} that issued it is not known here.", c.owner);
  } else if (!util::from_hex(c.signature, sig) || sig.size() != crypto_sign_BYTES ||
             crypto_sign_verify_detached(reinterpret_cast<const unsigned char*>(sig.data()),
                                         reinterpret_cast<const unsigned char*>(text.data()), text.size(),
                                         reinterpret_cast<const unsigned char*>(pk.data())) != 0) {
    out.problem = tr("its signature does not match what it certifies: the record was altered.");
  } else if (code_of(c.signature) != c.code) {
    out.problem = tr("its code is not the one its signature gives: the record was altered.");
  } else if (auto event_owner = row_owner(db, "event", c.event_id); !event_owner.empty() && event_owner != c.owner) {
    out.problem = trf("it was issued by {}, which does not organise the event.", out.issuer);
  } else {
    out.valid = true;
  }
  return out;
}

}  // namespace setevoe::core
