// The plan of educational events (regulation 1.6, 5.1): seminars, webinars,
// web conferences, contests, master classes, workshops, discussions and
// internet conferences, and the people registered for them. An event is
// owned by the node that put it in the plan; a registration by the node that
// registered the person. Every change goes through the replicated write path.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/db.hpp"
#include "core/member.hpp"
#include "core/replica.hpp"

namespace setevoe::core {

// ---- Vocabularies (codes stored and typed; Russian labels shown).
const std::vector<Term>& event_types();     // seminar | webinar | ... | internet-conference
const std::vector<Term>& event_statuses();  // planned | cancelled
const std::vector<Term>& event_roles();     // participant | speaker | jury | organiser

// ---- Records as read back.

struct Event {
  std::string id, owner, type, title, description;
  std::int64_t starts_ms = 0;  // Unix milliseconds, UTC
  std::optional<std::int64_t> ends_ms;
  std::string place, url;
  std::string organiser_id, organiser_name;  // the name empty when not yet received
  std::vector<Direction> directions;
  std::vector<std::string> product_ids;
  std::string status;  // planned | cancelled
  std::optional<std::string> cancel_reason, cancelled_at;
  std::string created_at, updated_at;
  std::int64_t registrations = 0;
};

struct Registration {
  std::string id, owner, event_id, person_id, person_name, role, registered_at;
};

// ---- Input. Times are typed in the node's time zone ("2026-12-10 14:00"
// or "10.12.2026 14:00"). Options left unset keep their defaults (add) or the
// stored value (edit); a list set (even empty) replaces the whole list.

struct EventFields {
  std::optional<std::string> type, title, description, start, end, place, url, organiser;
  std::optional<std::vector<std::string>> directions, products;
  bool empty() const {
    return !type && !title && !description && !start && !end && !place && !url && !organiser && !directions &&
           !products;
  }
};

struct EventFilter {
  std::optional<std::string> from, to;  // dates, in the node's time zone; both ends included
  std::optional<std::string> type, org, direction;
  bool cancelled = true;  // list cancelled events too
  std::size_t limit = 0;  // 0: all
};

// ---- Operations. `tz` is the node's time zone (an IANA name).

// A new event in the plan, owned by this node. Errors: usage (no type,
// title, start or organiser; an unknown type; a time that does not parse;
// an end before the start; neither a place nor a link; a link that is not
// http(s)), not_found (unknown org, direction or product).
std::string add_event(Writer& w, const EventFields& in, const std::string& tz);
// Changes fields; false when nothing changed. The owner or a hub; a
// cancelled event is not edited.
bool edit_event(Writer& w, const std::string& id, const EventFields& patch, const std::string& tz);
// Cancels an event with a reason (required); it stays in the plan, marked.
void cancel_event(Writer& w, const std::string& id, std::string_view reason);

// Registers a person (as typed: id prefix or exact name) for an event with a
// role. Errors: usage (unknown role; registered already; a cancelled event),
// not_found (the person).
std::string register_for_event(Writer& w, const std::string& event_id, const std::string& person,
                               const std::string& role);

// An event by a unique id prefix (4+ hex digits) or its exact title (any
// case). Errors: not_found, naming another kind of record when the id is one;
// usage (ambiguous).
std::string resolve_event(Db& db, std::string_view ref);
// Errors: not_found.
Event get_event(Db& db, const std::string& id);
// In the order they happen; filters as typed.
std::vector<Event> list_events(Db& db, const EventFilter& filter, const std::string& tz);
std::vector<Registration> list_registrations(Db& db, const std::string& event_id);

}  // namespace setevoe::core
