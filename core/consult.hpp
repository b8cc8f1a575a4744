// The «Консультация» service (regulation 5.1): members ask the network's
// experts questions on a priority direction; a hub assigns experts (by hand,
// or the direction's); experts answer; the asker accepts the answer that
// solved it and may allow it into the FAQ. A question gets a due date in
// working days; the times (asked, assigned, first answer, accepted, closed)
// are kept for the reports.
//
// Where the rows go: a question is seen by the asking node, the hubs and the
// nodes of its assigned experts; its answers by the same; the accepted
// answer of a question whose asker allowed publishing, with the question, by
// every node (core/tables.cpp).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/config.hpp"
#include "core/db.hpp"
#include "core/member.hpp"
#include "core/replica.hpp"

namespace setevoe::core {

// open | assigned | answered | closed; "overdue" is a filter of the first two.
const std::vector<Term>& question_statuses();

// ---- Working days

// Whether a date (YYYY-MM-DD) is a working day: Monday to Friday unless a
// holiday, or a weekend day listed as worked. When the calendar lists no
// holidays of the date's year, the fixed public holidays of the Labour Code
// (art. 112) are used: 1–8 January, 23 February, 8 March, 1 and 9 May,
// 12 June, 4 November.
bool is_working_day(const std::string& date, const WorkCalendar& calendar);
// The `n`th working day after `date`.
std::string add_working_days(const std::string& date, int n, const WorkCalendar& calendar);

// ---- Records

struct Question {
  std::string id, owner, person_id, person_name, direction_id, direction_code, direction_name, title, text;
  std::string asked_at;  // ISO 8601 UTC
  std::string due_on;    // YYYY-MM-DD
  bool publish = false;
  std::vector<std::pair<std::string, std::string>> experts;  // id, name (empty when not received)
  std::optional<std::string> assigned_at, accepted, accepted_at, closed_at, first_answer_at;
  std::int64_t answers = 0;
  std::string status;  // open | assigned | answered | closed
  bool overdue = false;
  std::string created_at, updated_at;
};

struct Answer {
  std::string id, owner, question_id, person_id, person_name, text, answered_at;
  bool accepted = false;
};

struct QuestionInput {
  std::string person, direction, title, text;
  bool publish = false;
};

struct QuestionFilter {
  std::optional<std::string> status;  // a status, or "overdue"
  std::optional<std::string> direction, expert, person;
  std::size_t limit = 0;
};

// ---- Operations. `today` is a date (YYYY-MM-DD) in the node's zone.

// Asks a question, owned by this node, due `calendar.answer_days` working
// days after the day it is asked (in the zone `tz`). Errors: usage (an empty
// title or text), not_found (the person, the direction).
std::string ask_question(Writer& w, const QuestionInput& in, const WorkCalendar& calendar, const std::string& tz);
// A hub assigns experts (people as typed), or, with none given, the experts
// appointed for the question's direction. Errors: not_permitted (a school),
// usage (closed; no experts of the direction), not_found.
void assign_question(Writer& w, const std::string& id, const std::vector<std::string>& experts);
// A hub assigns every open question without experts or answers to its
// direction's experts; returns how many it assigned (questions of directions without
// experts are left).
std::size_t assign_unassigned(Writer& w);
// An expert's answer. The expert must be assigned to the question or
// appointed for its direction. Errors: usage (closed; empty text; not an
// expert of it), not_found.
std::string answer_question(Writer& w, const std::string& id, const std::string& expert, std::string_view text);
// The asker marks the answer that solved it (an id prefix of one of its
// answers); `publish` sets whether it may go into the FAQ (once there, it
// stays). Errors: not_permitted (another node's question), usage, not_found.
void accept_answer(Writer& w, const std::string& id, const std::string& answer, std::optional<bool> publish);
// Closes or reopens a question (its node or a hub). Errors: usage (closed
// already; not closed), not_permitted.
void close_question(Writer& w, const std::string& id);
void reopen_question(Writer& w, const std::string& id);

// A question by a unique id prefix (4+ hex digits) or its exact title.
std::string resolve_question(Db& db, std::string_view ref);
// Errors: not_found.
Question get_question(Db& db, const std::string& id, const std::string& today);
// The newest first; overdue ones the oldest due first.
std::vector<Question> list_questions(Db& db, const QuestionFilter& filter, const std::string& today);
std::vector<Answer> list_answers(Db& db, const std::string& question_id);

// The FAQ: accepted answers whose askers allowed publishing, by direction.
struct FaqEntry {
  Question question;
  Answer answer;
};
std::vector<FaqEntry> list_faq(Db& db, const std::optional<std::string>& direction, const std::string& today);

}  // namespace setevoe::core
