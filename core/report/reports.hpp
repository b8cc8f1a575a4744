// The reports of regulation 6.1, as Documents: the network's activity for a
// period, the plan of educational events, the register of agreements, the
// «Консультация» service's figures, a teacher's portfolio and one member
// org. Each reads the database once into a Document that every format
// renders (core/report/render.hpp). Text is translated with tr(): the caller
// chooses the language first.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "core/db.hpp"
#include "core/report/document.hpp"

namespace setevoe::core::report {

// What a report is asked for. References (org, direction, person) are as a
// user types them: an id, its first digits or a name.
struct Request {
  std::optional<std::string> from, to;  // the period: local dates "YYYY-MM-DD", both included
  std::optional<std::string> org, direction, person;
  std::optional<std::string> status;  // agreements: draft | active | expired | terminated
  std::string time_zone = "Europe/Moscow";
  std::string today;         // "YYYY-MM-DD" in the zone: statuses and overdue are computed for it
  std::int64_t now_ms = 0;   // the moment of the report: events after it are not "held"
  std::string organisation;  // the heading: who reports
  std::string language = "ru";
};

// Errors of all: usage (a period that does not parse, an end before the
// start, a missing period where one is needed, an unknown status),
// not_found (an unknown org, direction or person).

// Products, events, contests, consultations, agreements and members of the
// period, beside the same figures of the period before it, with the lists of
// what was published and held. Needs a period.
Document activity(Db& db, const Request& r);
// The events of a period, in the order they happen. Needs a period.
Document plan(Db& db, const Request& r);
// Every agreement with its parties, dates and status (r.status filters).
Document agreements(Db& db, const Request& r);
// Questions asked, answered, overdue, time to a first answer; by direction
// and expert; the overdue ones listed. Needs a period.
Document consultations(Db& db, const Request& r);
// What r.person authored, reviewed, took part in and answered (in the
// period, when one is given).
Document portfolio(Db& db, const Request& r);
// One member org: its people, and its activity in the period (as activity()
// for that org).
Document org(Db& db, const Request& r);

// The period before [from, to] of the same kind: whole months give the same
// number of months before; any other span the same number of days before.
std::pair<std::string, std::string> previous_period(const std::string& from, const std::string& to);

}  // namespace setevoe::core::report
