// The plan of educational events (regulation 1.6, 5.1): seminars, webinars,
// web conferences, contests, master classes, workshops, discussions and
// internet conferences, and the people registered for them. An event is
// owned by the node that put it in the plan; a registration by the node that
// registered the person. Every change goes through the replicated write path.
#pragma once

#include <cstdint>
#include <functional>
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
  std::int64_t revision = 0;          // edits and the cancellation, counted (iCalendar SEQUENCE)
  std::vector<std::string> sections;  // an internet conference's sections
};

struct Registration {
  std::string id, owner, event_id, person_id, person_name, role, registered_at;
};

// ---- Input. Times are typed in the node's time zone ("2026-12-10 14:00"
// or "10.12.2026 14:00"). Options left unset keep their defaults (add) or the
// stored value (edit); a list set (even empty) replaces the whole list.

struct EventFields {
  std::optional<std::string> type, title, description, start, end, place, url, organiser;
  std::optional<std::vector<std::string>> directions, products, sections;
  bool empty() const {
    return !type && !title && !description && !start && !end && !place && !url && !organiser && !directions &&
           !products && !sections;
  }
};

// How much of each event a list reads.
enum class EventDetail {
  full,       // everything
  uncounted,  // everything but Event::registrations (left 0): a calendar
  plan,       // what a plan's table shows: type, title, times, place, link, organiser, status, cancellation;
              // the rest left empty
};

struct EventFilter {
  std::optional<std::string> from, to;  // dates, in the node's time zone; both ends included
  std::optional<std::string> type, org, direction;
  bool cancelled = true;  // list cancelled events too
  std::size_t limit = 0;  // 0: all
  EventDetail detail = EventDetail::full;
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

// Takes back this node's registration of a person (a hub: anyone's).
// Errors: not_found (not registered), not_permitted (registered by another
// node only).
void unregister_from_event(Writer& w, const std::string& event_id, const std::string& person);

// An event by a unique id prefix (4+ hex digits) or its exact title (any
// case). Errors: not_found, naming another kind of record when the id is one;
// usage (ambiguous).
std::string resolve_event(Db& db, std::string_view ref);
// Errors: not_found.
Event get_event(Db& db, const std::string& id);
// In the order they happen; filters as typed.
std::vector<Event> list_events(Db& db, const EventFilter& filter, const std::string& tz);
// The same, one at a time (the Event is reused between calls): a year's
// plan or calendar without holding it all in memory.
void each_event(Db& db, const EventFilter& filter, const std::string& tz,
                const std::function<void(const Event&)>& each);
std::vector<Registration> list_registrations(Db& db, const std::string& event_id);

// ---- What happened at it: attendance, contest results, certificates. These
// are written by the node that owns the event (the organiser's) and nobody
// else: one writer per row, so they never conflict.

// A person registered for an event, or marked at it, or both.
struct Participant {
  std::string person_id, person_name;  // the name empty when the card has not arrived
  std::string role;                    // empty: marked without registering
  bool attended = false;
  std::optional<std::int64_t> place;  // a contest's place
  std::string award;
  std::string certificate;  // its number, empty when none was issued
};
// Registered or marked people, by name.
std::vector<Participant> list_participants(Db& db, const std::string& event_id);

// Marks people (as typed) as having come (`attended`) or not. Someone not
// registered is registered too, as a participant, by this node; their ids
// are added to `registered_now`. Returns how many marks changed. Errors:
// not_permitted (not the event's node), usage (a cancelled event; one that
// has not begun; nobody given), not_found (a person).
std::size_t mark_attendance(Writer& w, const std::string& event_id, const std::vector<std::string>& people,
                            bool attended, std::vector<std::string>* registered_now = nullptr);
// A contest's result for a person: a place (1 to 3), an award, or both; the
// person is marked as having taken part. Errors as mark_attendance, and
// usage when the event is not a contest or neither is given.
void record_result(Writer& w, const std::string& event_id, const std::string& person, std::optional<std::int64_t> place,
                   const std::optional<std::string>& award);

struct Certificate {
  std::string id, owner, event_id, person_id;
  std::string number;                                 // "019D3A7B-001"
  std::string code;                                   // 16 characters of Crockford base32, without dashes
  std::string person_name, event_title, event_start;  // as certified; event_start ISO 8601 UTC
  std::optional<std::int64_t> place;
  std::string award, issued_at, signature;
};
// "K7QM-2XHD-9RTA-4WVN".
std::string certificate_code_text(const std::string& code);

// Issues certificates of participation to everyone marked as having come
// who has none yet, or only to `person`; signs each with this node's secret
// key. Returns the event's certificates (or the person's). Errors: as
// mark_attendance; usage when `person` was not marked as having come, or
// nobody was.
std::vector<Certificate> issue_certificates(Writer& w, const std::string& event_id,
                                            const std::optional<std::string>& person,
                                            const std::string& secret_key_hex);
std::vector<Certificate> list_certificates(Db& db, const std::string& event_id);

struct CertificateCheck {
  Certificate certificate;
  std::string issuer;   // the issuing node, as people know it
  bool valid = false;   // the signature holds and the issuer may issue it
  std::string problem;  // why not, for people
};
// Checks a certificate by its code as printed (dashes, spaces, any case,
// O for 0 and I or L for 1 are forgiven). Errors: usage (not a code),
// not_found (no certificate with that code here).
CertificateCheck verify_certificate(Db& db, std::string_view code);

}  // namespace setevoe::core
